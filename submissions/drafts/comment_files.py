"""A stakeholder's comments on the draft's paragraphs, read from a Word file: bytes in,
a `CommentReading` out; and the template (or a record of comments typed on the web
page) written as a Word file.

Two kinds of file:

- **template**: a table whose first row has the headers Paragraph | Comment | Proposed
  wording (in English, French or Spanish; see `comment_template`). Each row with a
  comment or a proposed wording is a comment on the paragraph its first cell names
  ("12", "12.", "para 12", "§12", "12-14"; "General", "—": the draft as a whole); rows
  without one are skipped. What cannot be read is a `FileProblem` naming the row.
- **document**: anything else, read as passages marked by references ("para. 12",
  "paragraphs 12 and 14", "párrafo 12", "§ 12"; see `comment_references`).

The file is opened as an upload is (`compliance.package.open_document`); a refused or
unreadable one raises `UnreadableDocument` for the caller to show. Text is what Word
shows (the compliance walker): hidden text and deleted tracked changes are not read.
Pure: no database; `gettext` only for the messages and the template's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

from submissions.compliance import opc
from submissions.compliance.package import PackageLimits, open_document
from submissions.compliance.styles import Hiding, StyleSheet
from submissions.compliance.walker import Reading, paragraphs
from submissions.drafts import comment_template
from submissions.drafts.comment_references import (
    RANGE_CAP,
    identifies,
    is_general,
    number_cell,
    passages,
    unquoted,
)
from submissions.drafts.comment_template import Row, stakeholder_name, template_rows
from submissions.drafts.numbering import qn

TEMPLATE, DOCUMENT = "template", "document"


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages; a local no-op, so importing needs no settings."""
    return message


# Refusing: the file cannot be used as it is.
ROW_EMPTY_NUMBER = "row_empty_number"  # a comment in a row without a paragraph number
ROW_BAD_NUMBER = "row_bad_number"  # the number cell holds something else ("Intro")
ROW_MERGED_CELLS = "row_merged_cells"  # one cell spans the number and comment columns
NO_COMMENTS = "no_comments"  # nothing to read: an empty table, an empty document
# Not refusing: the comments are read; the submitter is told.
ROW_UNKNOWN_NUMBER = "row_unknown_number"  # a row on a paragraph the draft does not have
ROW_OUT_OF_ORDER = "row_out_of_order"  # the first row out of the draft's order
ROW_MERGED_NUMBER = "row_merged_number"  # the number cell merged with the one above
UNKNOWN_REFERENCE = "unknown_reference"  # "para. 99": the draft has no paragraph 99
RANGE_TOO_LONG = "range_too_long"  # "paras. 1-200": only the first RANGE_CAP are taken
NO_REFERENCES = "no_references"  # a document without references: one general comment


@dataclass(frozen=True)
class ReadComment:
    paragraph: str | None  # "12", or None for a general comment
    text: str
    proposed_wording: str = ""
    # Where it came from, for the submitter: "row 4", or the reference as written
    # ("para. 12"). Not compared: the same comment read from elsewhere is equal.
    source: str = field(default="", compare=False)
    unknown_paragraph: bool = False  # the draft has no paragraph with this number
    row: int | None = field(default=None, compare=False)  # the template's row (header = 1)


@dataclass(frozen=True)
class FileProblem:
    code: str
    row: int | None = None  # the table row, counted as Word shows it (header = row 1)
    number: str = ""  # the paragraph number concerned, or the number cell as written
    refusing: bool = False  # True: the file cannot be used as it is
    source: str = ""  # the reference as written, for a document's problems


@dataclass(frozen=True)
class CommentReading:
    kind: str  # TEMPLATE or DOCUMENT
    comments: tuple[ReadComment, ...]
    problems: tuple[FileProblem, ...]
    stakeholder: str = ""  # the name on the "Name of the stakeholder:" line, if filled in

    @property
    def refused(self) -> bool:
        return any(problem.refusing for problem in self.problems)


_NO_NUMBER: tuple[str, ...] = ()
_Numbers = tuple[str, ...] | None  # a row's paragraphs: None for "General"


def _row_numbers(row: Row, above: _Numbers) -> tuple[_Numbers, FileProblem | None]:
    """The paragraphs a row is about (`_NO_NUMBER`: none or unreadable), and what to say."""
    cell = row.number
    if row.spans_number_and_comment:
        return _NO_NUMBER, FileProblem(ROW_MERGED_CELLS, row.row, refusing=True)
    if row.number_continued and not cell:
        merged = FileProblem(ROW_MERGED_NUMBER, row.row, ", ".join(above or ()))
        return above, merged if above != _NO_NUMBER else None
    if not cell:
        return _NO_NUMBER, FileProblem(ROW_EMPTY_NUMBER, row.row, refusing=True)
    if is_general(cell) or comment_template.is_general_label(cell):
        return None, None
    parsed = number_cell(cell)
    if parsed is None:
        return _NO_NUMBER, FileProblem(ROW_BAD_NUMBER, row.row, cell[:40], refusing=True)
    numbers, capped = parsed
    return numbers, FileProblem(
        RANGE_TOO_LONG, row.row, numbers[0], source=cell
    ) if capped else None


def _from_rows(
    rows: list[Row], numbers: Sequence[str]
) -> tuple[list[ReadComment], list[FileProblem]]:
    order = {number: index for index, number in enumerate(numbers)}
    comments: list[ReadComment] = []
    problems: list[FileProblem] = []
    above: _Numbers = _NO_NUMBER
    furthest, out_of_order = -1, False
    for row in rows[1:]:
        here, problem = _row_numbers(row, above)
        above = here
        merged_text = row.spans_number_and_comment and bool(row.number)  # all in one cell
        if not (row.comment or row.wording or merged_text):
            continue  # a blank row, or a paragraph without comment: skipped
        if problem is not None:
            problems.append(problem)
        if here == _NO_NUMBER:
            continue
        for number in here if here is not None else (None,):
            unknown = number is not None and number not in order
            source = f"row {row.row}"
            comments.append(
                ReadComment(number, row.comment, row.wording, source, unknown, row=row.row)
            )
            if number is None:
                continue
            if unknown:
                problems.append(FileProblem(ROW_UNKNOWN_NUMBER, row.row, number))
            elif order[number] < furthest and not out_of_order:
                out_of_order = True
                problems.append(FileProblem(ROW_OUT_OF_ORDER, row.row, number))
            furthest = max(furthest, order.get(number, -1))
    return comments, problems


def _from_lines(
    lines: list[str], numbers: Sequence[str]
) -> tuple[list[ReadComment], list[FileProblem]]:
    known = set(numbers)
    comments: list[ReadComment] = []
    problems: list[FileProblem] = []
    found = passages(lines)
    for passage in found:
        text, wording = "\n".join(passage.text), unquoted("\n".join(passage.wording))
        if passage.numbers is None:
            comments.append(ReadComment(None, text, wording))
            continue
        if passage.capped:
            problems.append(
                FileProblem(RANGE_TOO_LONG, number=passage.numbers[0], source=passage.source)
            )
        for number in passage.numbers:
            unknown = number not in known
            comments.append(ReadComment(number, text, wording, passage.source, unknown))
            if unknown:
                problems.append(FileProblem(UNKNOWN_REFERENCE, None, number, source=passage.source))
    if found and all(passage.numbers is None for passage in found):
        problems.append(FileProblem(NO_REFERENCES))
    return comments, problems


def read_comments(
    data: bytes,
    numbers: Sequence[str],
    limits: PackageLimits | None = None,
    *,
    stakeholder: str = "",
) -> CommentReading:
    """The comments a file holds on the draft whose paragraph numbers are `numbers`, in
    the file's order, and what is wrong with it (see the module's rules). A document's
    lines that only name `stakeholder` as its sender ("Submitted by ...") are not read
    as comments.

    Raises `UnreadableDocument` (with its code) for a file that is refused or unreadable.
    """
    opened = open_document(data, limits)
    package, main = opened.package, opened.main
    root = package.xml(main)
    body = root.find(qn("body")) if root is not None else None
    if body is None:
        return CommentReading(DOCUMENT, (), (FileProblem(NO_COMMENTS, refusing=True),))
    styles_part = next(iter(package.related(main, opc.STYLES)), None)
    styles_root = package.xml(styles_part) if styles_part else None
    reading = Reading(StyleSheet(styles_root), Hiding(styles_root))
    rows = template_rows(body, reading)  # before the body's walk, which cuts text boxes out
    lines: list[str] = []
    found = ""  # the template's "Name of the stakeholder:" line
    for paragraph in paragraphs(body, reading):
        element = paragraph.element
        if rows is not None and (
            element is None or next(element.iterancestors(qn("tbl")), None) is not None
        ):
            continue  # a template's table is read by its cells
        for line in paragraph.text.split("\n"):
            name = stakeholder_name(line) if not found else None
            if name is not None:
                found = name or found
            elif line.strip() and not (rows is None and identifies(line, stakeholder)):
                lines.append(line)
    if rows is not None:
        kind = TEMPLATE
        comments, problems = _from_rows(rows, numbers)
    else:
        kind = DOCUMENT
        comments, problems = _from_lines(lines, numbers)
    if not comments and not any(problem.refusing for problem in problems):
        problems.append(FileProblem(NO_COMMENTS, refusing=True))
    return CommentReading(kind, tuple(comments), tuple(dict.fromkeys(problems)), found)


_MESSAGES = {
    ROW_EMPTY_NUMBER: gettext_noop(
        "Row %(row)s has a comment but no paragraph number. Write the number of the "
        "paragraph it is about in the first column (or “General”) and upload the file again."
    ),
    ROW_BAD_NUMBER: gettext_noop(
        "Row %(row)s: “%(number)s” is not a paragraph number. Write the number of the "
        "paragraph the comment is about (for example 12), or “General”, and upload the "
        "file again."
    ),
    ROW_MERGED_CELLS: gettext_noop(
        "Row %(row)s: the paragraph number and the comment are in one merged cell. Split "
        "the cells so that the number and the comment have their own columns, and upload "
        "the file again."
    ),
    NO_COMMENTS: gettext_noop(
        "No comment was found in the file. Write your comments in the template's table, "
        "one row per paragraph, or start each passage of your document with the paragraph "
        "it is about, for example “para. 12”."
    ),
    ROW_UNKNOWN_NUMBER: gettext_noop(
        "Row %(row)s is about paragraph %(number)s, which the draft does not have. The "
        "comment is kept; check the number."
    ),
    ROW_OUT_OF_ORDER: gettext_noop(
        "Row %(row)s (paragraph %(number)s) is out of the draft's order. The comments are "
        "kept; check that each row has the right number."
    ),
    ROW_MERGED_NUMBER: gettext_noop(
        "Row %(row)s: its number cell is merged with the row above, so its comment is read "
        "as being about paragraph %(number)s."
    ),
    UNKNOWN_REFERENCE: gettext_noop(
        "“%(source)s” refers to paragraph %(number)s, which the draft does not have. The "
        "comment is kept; check the number."
    ),
    RANGE_TOO_LONG: gettext_noop(
        "“%(source)s” covers more than %(cap)s paragraphs; the comment is read as being "
        "about the first %(cap)s only."
    ),
    NO_REFERENCES: gettext_noop(
        "No paragraph reference (such as “para. 12”) was found, so the whole file is read "
        "as a general comment."
    ),
}
_MERGED_INTO_GENERAL = gettext_noop(
    "Row %(row)s: its number cell is merged with the row above, so its comment is read as "
    "a general comment."
)


def problem_message(problem: FileProblem) -> str:
    """What the submitter reads about `problem`, in the active language."""
    template = _MESSAGES.get(problem.code)
    if template is None:
        return problem.code
    if problem.code == ROW_MERGED_NUMBER and not problem.number:
        template = _MERGED_INTO_GENERAL
    where = {
        "row": problem.row or "",
        "number": problem.number,
        "source": problem.source,
        "cap": RANGE_CAP,
    }
    return gettext(template) % where


def comments_template(*, title: str, numbers: Sequence[str], language: str) -> bytes:
    """The blank template (.docx) for a draft with these paragraph numbers: a "General"
    row, then one row per number, prefilled; its words in `language` (en, fr, es)."""
    general = comment_template.labels(language)["general"]
    rows = [(general, "", "")] + [(number, "", "") for number in numbers]
    return comment_template.write(title=title, stakeholder=None, rows=rows, language=language)


def comments_document(
    *, title: str, stakeholder: str, comments: Sequence[ReadComment], language: str
) -> bytes:
    """Comments typed on the web page as a filled-in template (.docx), the stakeholder's
    name on the first line: `read_comments` on it gives the same comments back."""
    general = comment_template.labels(language)["general"]
    rows = [
        (comment.paragraph or general, comment.text, comment.proposed_wording)
        for comment in comments
    ]
    return comment_template.write(
        title=title, stakeholder=stakeholder, rows=rows, language=language
    )
