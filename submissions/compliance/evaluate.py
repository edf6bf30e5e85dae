"""The one entry point: a file and a call's rules in, a report out.

Pure: no database, no clock, no Django. The time the file was received and the
call's deadline are arguments, so the verdict never depends on when it is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from submissions.compliance.first_page import METHOD_ESTIMATE, METHOD_RENDERED, first_page
from submissions.compliance.messages import COUNT_POLICY_LABELS
from submissions.compliance.names import find_name
from submissions.compliance.package import PackageLimits, UnreadableDocument, open_document
from submissions.compliance.report import Finding, Report, Severity
from submissions.compliance.text import extract
from submissions.compliance.words import count_words

PUBLISH = "publish"
PUBLISH_ANONYMOUS = "publish_anonymous"
DO_NOT_PUBLISH = "do_not_publish"


@dataclass(frozen=True)
class CallRules:
    """The parameters of a call that a file is judged against."""

    word_limit: int
    deadline: datetime | None  # aware; None: no deadline to check
    time_zone: str = "Europe/Zurich"
    count_notes: bool = True  # does the limit apply to notes and text boxes too?
    limits: PackageLimits = field(default_factory=PackageLimits)


def evaluate(
    data: bytes,
    *,
    rules: CallRules,
    stakeholder_name: str,
    received_at: datetime,
    publication: str = PUBLISH,
    render_first_page: Callable[[bytes], str | None] | None = None,
) -> Report:
    """Check one file against one call's rules.

    `render_first_page`, when given, returns page 1's text as an office suite lays
    it out (or None); it is called only for a readable Word file, and its answer
    replaces the estimate. The caller owns that I/O: this module does none.
    """
    findings: list[Finding] = []
    on_time = rules.deadline is None or received_at <= rules.deadline
    if not on_time:
        zone = ZoneInfo(rules.time_zone)
        findings.append(
            Finding(
                "received_after_deadline",
                Severity.ERROR,
                {
                    "received": received_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
                    "deadline": rules.deadline.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
                },
            )
        )
    if publication == DO_NOT_PUBLISH:
        findings.append(Finding("publication_withheld", Severity.INFO))
    elif publication == PUBLISH_ANONYMOUS:
        findings.append(Finding("publication_anonymous", Severity.WARNING))

    try:
        document = open_document(data, rules.limits)
        text = extract(document)
    except UnreadableDocument as error:
        findings.insert(0, Finding(error.code, Severity.ERROR))
        return Report(
            readable=False,
            word_count=None,
            word_count_main=None,
            word_count_with_notes=None,
            word_limit=rules.word_limit,
            name_on_first_page=None,
            first_page_method=None,
            received_on_time=on_time,
            findings=tuple(findings),
        )

    main = count_words(text.main_text)
    with_notes = main + count_words(text.extra_text)
    counted = with_notes if rules.count_notes else main
    if counted == 0:
        findings.insert(0, Finding("empty_document", Severity.ERROR))
    elif counted > rules.word_limit:
        findings.insert(
            0,
            Finding(
                "over_word_limit",
                Severity.ERROR,
                {
                    "count": counted,
                    "limit": rules.word_limit,
                    "excess": counted - rules.word_limit,
                    "other": main if rules.count_notes else with_notes,
                    "counted": COUNT_POLICY_LABELS[rules.count_notes],
                },
            ),
        )

    rendered = render_first_page(data) if render_first_page else None
    if rendered is not None:
        page_text, method = rendered, METHOD_RENDERED
    else:
        page_text, method = first_page(text)
    match = find_name(stakeholder_name, page_text)
    if not match.found and match.closest and match.ratio >= 0.8:
        findings.append(
            Finding(
                "name_near_match",
                Severity.WARNING,
                {"name": stakeholder_name, "found": match.closest},
            )
        )
    elif not match.found:
        estimated = method == METHOD_ESTIMATE
        code = "name_not_on_first_page_estimated" if estimated else "name_not_on_first_page"
        severity = Severity.WARNING if estimated else Severity.ERROR
        findings.append(Finding(code, severity, {"name": stakeholder_name}))

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
        text=text.reading_text,
        first_page_text=page_text,
    )
