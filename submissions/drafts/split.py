"""A draft general comment (.docx) split into its numbered paragraphs: bytes in, a Draft out.

Rules, in order:

- The file is opened as an upload is (`compliance.package.open_document`): a refused or
  unreadable file raises `UnreadableDocument` with its code, for the caller to show.
- The body's paragraphs are read in order with the compliance walker, so the text is
  what Word shows: hidden runs out, field results in, tracked changes in their final
  view. Alternative chunks are not read; text boxes are left out altogether (their
  text is in no paragraph, their numbers are not counted: see `lines`).
- Tables (see `lines`): a table whose numbers continue the draft's is its layout, read
  like the body, a first cell holding only "7." numbering the text beside it; any
  other table is text of the paragraph it follows, a line per row, cells joined by
  " | " ("Treaty | Year\nICRMW | 1990"), the numbers in it being text.
- A paragraph's number comes from Word's automatic numbering (`w:numPr` on the
  paragraph or through its style chain, resolved in `word/numbering.xml`: levels,
  `w:start`, `w:lvlText`, `w:numFmt`, restarts by `w:startOverride`, counters shared by
  the lists of one abstract numbering, deeper levels restarting under a shallower one
  unless `w:lvlRestart` says after which level, or never with 0), else from a number
  typed at the start: followed by ".", ")" or a tab ("12.", "12)", "12<tab>"), or by a
  space only when it is the expected next number and no lower-case word follows ("4
  States" after 3; never "100 States", "2022 saw", "4 million" or "12.5 per cent").
  A decimal level whose label shows only its own counter ("%1.") gives the
  paragraph's own number ("12"); other labels ("(a)", "a)", "(i)", bullets, "1.1")
  and typed "(a)"/"a)" make a sub-paragraph of the numbered paragraph above it.
- Headings: a Heading 1-9 or Title style (English, French or Spanish names, through
  the style chain), an outline level, an upper-case roman or letter label ("I.",
  "A.") on a short line, or, after the first numbered paragraph, a short bold line
  without final punctuation. A heading has `number=None, heading=True`; its label stays
  in its text as Word shows it: "I. Introduction", or "I.Introduction" when the level's
  `w:suff` puts nothing after the label (a tab or a space shows as one space).
- An unnumbered paragraph before the first number (title, introduction) stays on its
  own (`number=None, heading=False`); after a numbered paragraph it continues it
  (a second paragraph of the same number) until the next number or heading.
- A numbered paragraph's `text` is all it shows, without its own number: its lines,
  sub-paragraphs as "(a) ..." lines, joined by "\n"; `sub` also lists the
  sub-paragraphs as (label, text). Footnotes and endnotes cited anywhere in it are in
  `footnotes`, in order.
- Numbers should run 1, 2, 3...: a first number other than 1, a repeated, skipped or
  decreasing number is a `Problem` naming the numbers (the split still stands; a
  skip names the missing numbers, of a gap over 20 the first 19 and the last), which
  `problem_message` puts in a sentence.
  No number at all is the problem `no_numbering`; with `manual=True` every non-empty
  paragraph (a content table being one) is numbered 1..n in order instead, whatever
  the file's numbering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from submissions.compliance.package import PackageLimits
from submissions.drafts.lines import Line, read_lines

NO_NUMBERING = "no_numbering"
REPEATED_NUMBER = "repeated_number"
SKIPPED_NUMBER = "skipped_number"
NUMBER_OUT_OF_ORDER = "number_out_of_order"
FIRST_NUMBER_NOT_ONE = "first_number_not_one"


@dataclass(frozen=True)
class DraftParagraph:
    """One paragraph of the draft: its own number ("12"), or a heading, or unnumbered text."""

    number: str | None
    heading: bool
    text: str
    footnotes: tuple[str, ...] = ()
    sub: tuple[tuple[str, str], ...] = ()  # (label, text): ("(a)", "migrant workers...")


@dataclass(frozen=True)
class Problem:
    code: str
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    paragraphs: tuple[DraftParagraph, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def numbers(self) -> list[str]:
        return [p.number for p in self.paragraphs if p.number is not None]


@dataclass
class _Open:
    number: int
    lines: list[str] = field(default_factory=list)
    sub: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def close(self) -> DraftParagraph:
        return DraftParagraph(
            str(self.number),
            False,
            "\n".join(line for line in self.lines if line),  # a number alone in its cell
            tuple(self.notes),
            tuple(self.sub),
        )


def _assemble(lines: list[Line]) -> list[DraftParagraph]:
    out: list[DraftParagraph] = []
    current: _Open | None = None
    for line in lines:
        if line.kind == "number" and line.number is not None:
            if current is not None:
                out.append(current.close())
            current = _Open(line.number, [line.text], [], list(line.notes))
        elif line.kind == "heading":
            if current is not None:
                out.append(current.close())
                current = None
            out.append(DraftParagraph(None, True, line.text, tuple(line.notes)))
        elif current is not None:
            if line.kind == "sub":
                current.lines.append(f"{line.label} {line.text}")
                current.sub.append((line.label, line.text))
            else:
                current.lines.append(line.text)
            current.notes.extend(line.notes)
        else:
            text = f"{line.label} {line.text}" if line.kind == "sub" else line.text
            out.append(DraftParagraph(None, False, text, tuple(line.notes)))
    if current is not None:
        out.append(current.close())
    return out


def _sequence_problems(numbers: list[int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    previous: int | None = None
    for number in numbers:
        if previous is None:
            if number != 1:
                problems.append(Problem(FIRST_NUMBER_NOT_ONE, (str(number),)))
        elif number in seen:
            problems.append(Problem(REPEATED_NUMBER, (str(number),)))
        elif number < previous:
            problems.append(Problem(NUMBER_OUT_OF_ORDER, (str(previous), str(number))))
        elif number > previous + 1:
            first, last = previous + 1, number - 1
            named = [*range(first, min(last, first + 18) + 1)]  # the first 19, then the last
            missing = (*named, last) if last > named[-1] else tuple(named)
            problems.append(Problem(SKIPPED_NUMBER, tuple(str(n) for n in missing)))
        seen.add(number)
        previous = number if previous is None else max(previous, number)
    return problems


def problem_message(problem: Problem) -> str:
    """The problem in a sentence naming its numbers, in the active language."""
    from django.utils.translation import gettext  # the only Django here: the split needs none

    numbers = problem.numbers
    if problem.code == NO_NUMBERING:
        return gettext(
            "No numbered paragraphs were found: use the manual mode to number every "
            "paragraph yourself."
        )
    if problem.code == REPEATED_NUMBER and numbers:
        return gettext("Paragraph number %(number)s appears more than once.") % {
            "number": numbers[0]
        }
    if problem.code == SKIPPED_NUMBER and numbers:
        if len(numbers) == 1:
            return gettext("Number %(number)s is missing.") % {"number": numbers[0]}
        names = {"first": numbers[0], "last": numbers[-1]}
        if len(numbers) == 2:
            return gettext("Numbers %(first)s and %(last)s are missing.") % names
        # Translators: a run of missing paragraph numbers, "Numbers 5 to 9 are missing."
        return gettext("Numbers %(first)s to %(last)s are missing.") % names
    if problem.code == NUMBER_OUT_OF_ORDER and len(numbers) == 2:
        # Translators: "Number 4 comes after 9.": a paragraph number lower than one before it.
        return gettext("Number %(number)s comes after %(previous)s.") % {
            "number": numbers[1],
            "previous": numbers[0],
        }
    if problem.code == FIRST_NUMBER_NOT_ONE and numbers:
        return gettext("The first number is %(number)s, not 1.") % {"number": numbers[0]}
    return problem.code


def split_draft(data: bytes, limits: PackageLimits | None = None, *, manual: bool = False) -> Draft:
    """The draft's paragraphs and what is wrong with its numbering (see the module's rules).

    Raises `UnreadableDocument` (with its code) for a file that is refused or unreadable.
    """
    lines = read_lines(data, limits)
    if manual:
        return Draft(
            tuple(
                DraftParagraph(str(index), False, line.shown, tuple(line.notes))
                for index, line in enumerate(lines, start=1)
            )
        )
    found = _assemble(lines)
    numbers = [int(p.number) for p in found if p.number is not None]
    problems = _sequence_problems(numbers) if numbers else [Problem(NO_NUMBERING)]
    return Draft(tuple(found), tuple(problems))
