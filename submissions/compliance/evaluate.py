"""The one entry point: a file and a call's rules in, a report out.

Pure: no database, no clock, no Django. The time the file was received and the
call's deadline are arguments, so the verdict never depends on when it is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from submissions.compliance.anonymity import find_occurrences
from submissions.compliance.codes import FindingCode
from submissions.compliance.consent import find_objection
from submissions.compliance.embedded import EmbeddedItem
from submissions.compliance.first_page import (
    METHOD_ESTIMATE,
    METHOD_RENDERED,
    FirstPage,
    first_page,
)
from submissions.compliance.language import detect_language
from submissions.compliance.messages import COUNT_POLICY_LABELS, WHERE_FIRST_PAGE, WHERE_TEXT
from submissions.compliance.names import NameMatch, find_name
from submissions.compliance.package import PackageLimits, UnreadableDocument, open_document
from submissions.compliance.report import Finding, Report, Severity
from submissions.compliance.text import extract
from submissions.compliance.words import count_words

PUBLISH = "publish"
PUBLISH_ANONYMOUS = "publish_anonymous"
DO_NOT_PUBLISH = "do_not_publish"

# Languages the form offers by name: "another language" against one of those is a
# mismatch, "another language" against Portuguese is not.
NAMED_LANGUAGES = frozenset({"en", "fr", "es", "ar", "zh", "ru"})
NEAR_MATCH = 0.8


@dataclass(frozen=True)
class CallRules:
    """The parameters of a call that a file is judged against."""

    word_limit: int
    deadline: datetime | None  # aware; None: no deadline to check
    extension_until: datetime | None = None  # a late access code's own deadline
    time_zone: str = "Europe/Zurich"
    count_notes: bool = True  # does the limit apply to notes and text boxes too?
    preferred_languages: tuple[str, ...] = ("en", "fr", "es")
    limits: PackageLimits = field(default_factory=PackageLimits)


def evaluate(
    data: bytes,
    *,
    rules: CallRules,
    stakeholder_name: str,
    received_at: datetime,
    publication: str = PUBLISH,
    declared_language: str | None = None,
    render_first_page: Callable[[bytes], str | None] | None = None,
    contact: tuple[str, ...] = (),
) -> Report:
    """Check one file against one call's rules.

    `contact` (the contact's name and e-mail address) is looked for, with the
    stakeholder's name, in the whole document when it is to be posted without
    the submitter's name (PUBLISH_ANONYMOUS): each place found is a finding.

    `render_first_page`, when given, returns page 1's text as an office suite lays
    it out (or None); it is called only for a readable Word file, and its answer
    replaces the estimate. The caller owns that I/O: this module does none.
    """
    findings = _deadline_findings(received_at, rules)
    on_time = not any(f.code == FindingCode.RECEIVED_AFTER_DEADLINE for f in findings)
    findings += _publication_findings(publication)
    try:
        opened = open_document(data, rules.limits)
        text = extract(opened.package, opened.main)
    except UnreadableDocument as error:
        return Report(
            readable=False,
            word_count=None,
            word_count_main=None,
            word_count_with_notes=None,
            word_limit=rules.word_limit,
            name_on_first_page=None,
            first_page_method=None,
            received_on_time=on_time,
            findings=(Finding(error.code, Severity.ERROR, error.params), *findings),
        )

    reading_text = text.reading_text
    main = count_words(text.main_text)
    with_notes = main + count_words(text.extra_text)
    counted = with_notes if rules.count_notes else main
    rendered = render_first_page(data) if render_first_page else None
    page = FirstPage(rendered, METHOD_RENDERED, True) if rendered is not None else first_page(text)
    page_text, method = page.text, page.method
    match = find_name(stakeholder_name, page_text)
    language = detect_language(text.main_text)
    findings = [
        *_count_findings(counted, main, with_notes, rules),
        *findings,
        *_name_findings(match, stakeholder_name, page),
        *_assumption_findings(text.assumed, page),
        *_embedded_findings(opened.embedded),
        *_anonymity_findings(opened, text, [stakeholder_name, *contact], publication),
        *_objection_findings(reading_text, page_text, publication),
        *_language_findings(language, declared_language, rules),
    ]
    return Report(
        readable=True,
        word_count=counted,
        word_count_main=main,
        word_count_with_notes=with_notes,
        word_limit=rules.word_limit,
        name_on_first_page=match.found,
        first_page_method=method,
        received_on_time=on_time,
        findings=tuple(findings),
        text=reading_text,
        first_page_text=page_text,
        language=language,
        embedded=opened.embedded,
    )


def _deadline_findings(received_at: datetime, rules: CallRules) -> list[Finding]:
    if rules.deadline is None or received_at <= rules.deadline:
        return []
    zone = ZoneInfo(rules.time_zone)

    def stamp(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

    if rules.extension_until and received_at <= rules.extension_until:
        return [
            Finding(
                FindingCode.RECEIVED_WITH_LATE_ACCESS,
                Severity.INFO,
                {"until": stamp(rules.extension_until)},
            )
        ]
    return [
        Finding(
            FindingCode.RECEIVED_AFTER_DEADLINE,
            Severity.ERROR,
            {"received": stamp(received_at), "deadline": stamp(rules.deadline)},
        )
    ]


def _publication_findings(publication: str) -> list[Finding]:
    if publication == DO_NOT_PUBLISH:
        return [Finding(FindingCode.PUBLICATION_WITHHELD, Severity.INFO)]
    if publication == PUBLISH_ANONYMOUS:
        return [Finding(FindingCode.PUBLICATION_ANONYMOUS, Severity.WARNING)]
    return []


def _count_findings(counted: int, main: int, with_notes: int, rules: CallRules) -> list[Finding]:
    if counted == 0:
        return [Finding(FindingCode.EMPTY_DOCUMENT, Severity.ERROR)]
    if counted <= rules.word_limit:
        return []
    return [
        Finding(
            FindingCode.OVER_WORD_LIMIT,
            Severity.ERROR,
            {
                "count": counted,
                "limit": rules.word_limit,
                "excess": counted - rules.word_limit,
                "other": main if rules.count_notes else with_notes,
                "counted": COUNT_POLICY_LABELS[rules.count_notes],
            },
        )
    ]


def _name_findings(match: NameMatch, name: str, page: FirstPage) -> list[Finding]:
    if match.found:
        return []
    if match.closest and match.ratio >= NEAR_MATCH:
        return [
            Finding(
                FindingCode.NAME_NEAR_MATCH,
                Severity.WARNING,
                {"name": name, "found": match.closest},
            )
        ]
    if not page.certain and find_name(name, page.after).found:
        # Just past where page 1 seems to end: another layout may well put it on page 1.
        return [Finding(FindingCode.NAME_NEAR_PAGE_END, Severity.WARNING, {"name": name})]
    if page.method == METHOD_ESTIMATE:
        # An estimate can be wrong near the end of page 1: a person looks.
        return [
            Finding(FindingCode.NAME_NOT_ON_FIRST_PAGE_ESTIMATED, Severity.WARNING, {"name": name})
        ]
    return [Finding(FindingCode.NAME_NOT_ON_FIRST_PAGE, Severity.ERROR, {"name": name})]


def _assumption_findings(assumed: frozenset[str], page: FirstPage) -> list[Finding]:
    """Word's defaults stood in for a missing part, and page 1 was estimated with them."""
    if not assumed or page.method != METHOD_ESTIMATE:
        return []
    return [Finding(FindingCode.DEFAULTS_ASSUMED, Severity.INFO, {"assumed": sorted(assumed)})]


def _anonymity_findings(opened, text, names: list[str], publication: str) -> list[Finding]:
    """Where a document to be posted without its submitter's name names them anyway."""
    if publication != PUBLISH_ANONYMOUS:
        return []
    return [
        Finding(
            FindingCode.NAME_IN_ANONYMOUS_DOCUMENT,
            Severity.WARNING,
            {"place": found.place, "count": found.count, "excerpt": found.excerpt},
        )
        for found in find_occurrences(opened.package, opened.main, text, names)
    ]


def _embedded_findings(embedded: tuple[EmbeddedItem, ...]) -> list[Finding]:
    if not embedded:
        return []
    kinds: dict[str, list[str]] = {}
    for item in embedded:
        kinds.setdefault(item.kind, []).append(item.label)
    listed = [
        [kind, len(labels), sorted(filter(None, labels))] for kind, labels in sorted(kinds.items())
    ]
    return [Finding(FindingCode.EMBEDDED_CONTENT, Severity.INFO, {"embedded": listed})]


def _objection_findings(full_text: str, page_text: str, publication: str) -> list[Finding]:
    objection = find_objection(full_text, page_text)
    if objection is None or publication == DO_NOT_PUBLISH:
        return []
    where = WHERE_FIRST_PAGE if objection.on_first_page else WHERE_TEXT
    return [
        Finding(
            FindingCode.PUBLICATION_OBJECTION_IN_TEXT,
            Severity.WARNING,
            {"phrase": objection.phrase, "where": where},
        )
    ]


def _language_findings(
    detected: str | None, declared: str | None, rules: CallRules
) -> list[Finding]:
    if detected is None:
        return []
    findings = []
    named = {declared, detected} & NAMED_LANGUAGES
    if declared and declared != detected and named:
        findings.append(
            Finding(
                FindingCode.LANGUAGE_MISMATCH,
                Severity.WARNING,
                {"declared": declared, "detected": detected},
            )
        )
    if detected not in rules.preferred_languages:
        findings.append(
            Finding(FindingCode.LANGUAGE_NOT_PREFERRED, Severity.INFO, {"detected": detected})
        )
    return findings
