"""The compilation of a call for comments, read from the database: the draft's lines in
their order and every comment on them, filtered as the Secretariat asks.

Two versions. The Secretariat's sees every name, a withheld one marked as such. The
public version, for sharing, holds only posted comments, as the public reads them
(`public_text`, `public_wording`), and a withheld name as "[name withheld]": nothing
in it is more than the public site shows.

The rows come from one query (comments with their submission and call); the draft
from one more. `submissions.drafts.compilation` writes the files from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from submissions.compliance.anonymity import WITHHELD
from submissions.draft_selectors import paragraph_texts, published_drafts, reading_language
from submissions.drafts.compilation import CompiledComment, DraftLine
from submissions.enums import Publication, State
from submissions.models import Call, Comment, DraftText, Submission

# Every state but the closed ones (rejected, withdrawn): a comment the Committee may
# still weigh, whether checked, waiting, posted or taken down.
DEFAULT_STATES: frozenset[str] = frozenset(str(s) for s in State) - {str(s) for s in State.CLOSED}
# The paragraph filter's value for the general comments.
GENERAL = "general"


@dataclass(frozen=True)
class CompilationFilters:
    states: frozenset[str] = DEFAULT_STATES
    category: str = ""
    country: str = ""
    paragraph: str = ""  # "": every one; GENERAL; or a paragraph number
    search: str = ""
    posted_only: bool = False
    # The version to share: posted only, the public texts, withheld names left out.
    public: bool = False

    @property
    def effective_states(self) -> frozenset[str]:
        if self.public or self.posted_only:
            return frozenset({str(State.POSTED)})
        return self.states or DEFAULT_STATES


@dataclass(frozen=True)
class CompilationRow:
    """One comment as the compilation shows it, with what the admin page links and marks."""

    comment: CompiledComment  # as the files write it
    submission_id: int
    state: str  # the state's code (its badge)
    name: str  # the stakeholder as this version shows it
    withheld: bool  # the submitter asked not to be named publicly


@dataclass
class CompilationParagraph:
    """A line of the draft with the comments on it (a heading or unnumbered line has none)."""

    line: DraftLine
    rows: list[CompilationRow] = dataclass_field(default_factory=list)
    first: bool = True  # False for a number the draft repeats: its comments are above


@dataclass
class Compilation:
    general: list[CompilationRow]
    paragraphs: list[CompilationParagraph]
    stray: dict[str, list[CompilationRow]]  # numbers the draft does not have
    rows: list[CompilationRow]

    @property
    def submissions(self) -> int:
        return len({row.submission_id for row in self.rows})


def compilation_draft(call: Call, language: str) -> DraftText | None:
    """The published draft in `language`, else English, else any published one."""
    drafts = published_drafts(call)
    chosen = reading_language(drafts, language)
    return drafts[chosen] if chosen else None


def draft_lines(text: DraftText | None) -> list[DraftLine]:
    if text is None:
        return []
    return [
        DraftLine(number=p.get("number") or None, heading=bool(p.get("heading")), text=p["text"])
        for p in text.paragraphs
    ]


def _comments(call: Call, filters: CompilationFilters) -> QuerySet[Comment]:
    comments = (
        Comment.objects.filter(
            submission__call=call, submission__state__in=filters.effective_states
        )
        .select_related("submission__call")
        .defer(*(f"submission__{name}" for name in (*Submission.SECRETARIAT_TEXT, "public_text")))
        .order_by("submission__number", "position")
    )
    if filters.category:
        comments = comments.filter(submission__category=filters.category)
    if filters.country:
        comments = comments.filter(submission__country=filters.country)
    if filters.paragraph == GENERAL:
        comments = comments.filter(paragraph="")
    elif filters.paragraph:
        comments = comments.filter(paragraph=filters.paragraph)
    term = filters.search.strip()
    if term:
        if filters.public:  # only what the public version shows is searched
            found = (
                Q(public_text__icontains=term)
                | Q(public_wording__icontains=term)
                | Q(
                    submission__stakeholder_name__icontains=term,
                    submission__publication=Publication.PUBLISH,
                )
            )
        else:
            found = (
                Q(text__icontains=term)
                | Q(proposed_wording__icontains=term)
                | Q(submission__stakeholder_name__icontains=term)
            )
        number = term.rsplit("-", 1)[-1]
        if number.isdigit():  # a tracking number: "GC6D-0007", "7"
            found |= Q(submission__number=int(number))
        comments = comments.filter(found)
    return comments


def compilation_rows(call: Call, filters: CompilationFilters) -> list[CompilationRow]:
    """The comments the filters keep, oldest submission first (one query)."""
    rows = []
    originals = paragraph_texts(published_drafts(call))
    for comment in _comments(call, filters):
        submission = comment.submission
        withheld = not submission.shows_name
        if filters.public:
            name = WITHHELD if withheld else submission.stakeholder_name
            written = name
            text, wording = comment.public_text, comment.public_wording
        else:
            name = submission.stakeholder_name
            written = (
                _("%(name)s (not to be named publicly)") % {"name": name} if withheld else name
            )
            text, wording = comment.text, comment.proposed_wording
        rows.append(
            CompilationRow(
                comment=CompiledComment(
                    paragraph=comment.paragraph or None,
                    tracking_number=submission.tracking_number,
                    stakeholder=written,
                    category=submission.get_category_display(),
                    country=str(countries.name(submission.country)) if submission.country else "",
                    state=submission.get_state_display(),
                    text=text,
                    proposed_wording=wording,
                    original=originals.get(comment.language, {}).get(comment.paragraph, ""),
                ),
                submission_id=submission.pk,
                state=submission.state,
                name=name,
                withheld=withheld,
            )
        )
    return rows


def compile_comments(lines: list[DraftLine], rows: list[CompilationRow]) -> Compilation:
    """The rows under the draft's lines, in the draft's order (as the files group them)."""
    by_number: dict[str, list[CompilationRow]] = {}
    for line in lines:
        if line.number is not None:
            by_number.setdefault(line.number, [])
    general: list[CompilationRow] = []
    stray: dict[str, list[CompilationRow]] = {}
    for row in rows:
        number = row.comment.paragraph
        if number is None:
            general.append(row)
        else:
            (by_number if number in by_number else stray).setdefault(number, []).append(row)
    paragraphs, seen = [], set()
    for line in lines:
        if line.number is None:
            paragraphs.append(CompilationParagraph(line))
            continue
        paragraphs.append(
            CompilationParagraph(line, by_number[line.number], first=line.number not in seen)
        )
        seen.add(line.number)
    return Compilation(general=general, paragraphs=paragraphs, stray=stray, rows=rows)


def commented_numbers(call: Call) -> list[str]:
    """The paragraph numbers any comment of the call names (for the paragraph filter)."""
    numbers = (
        Comment.objects.filter(submission__call=call)
        .exclude(paragraph="")
        .order_by()
        .values_list("paragraph", flat=True)
        .distinct()
    )
    return sorted(numbers, key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n))


def commenting_countries(call: Call) -> list[str]:
    """The country codes of the call's commenting submissions (for the country filter)."""
    return sorted(
        set(
            Submission.objects.filter(call=call, comments__isnull=False)
            .exclude(country="")
            .values_list("country", flat=True)
        )
    )
