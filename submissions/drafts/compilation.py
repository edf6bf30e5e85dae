"""The Secretariat's compilation of the second round: every paragraph of the draft with
every comment on it, as a Word document and as an Excel workbook.

Plain data in, bytes out: no models, no database, no clock (the caller writes the
`generated` line). The stakeholder is shown as given: the caller has already put
"[name withheld]" where the submitter asked. Labels are translated in `language`.
Comments come out in the order given, under the draft's paragraphs in the draft's
order: general comments first, then each numbered paragraph (at its first occurrence,
if the draft repeats a number), then any paragraph number the draft does not have.
The files carry no author: nothing about whoever generated them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import docx
import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Mm

from submissions.drafts.diff import ADDED, REMOVED, SAME, word_diff


@dataclass(frozen=True)
class DraftLine:
    number: str | None  # "12", or None for a heading or unnumbered text
    heading: bool
    text: str


@dataclass(frozen=True)
class CompiledComment:
    paragraph: str | None  # None = a general comment
    tracking_number: str  # "GC6C-0007"
    stakeholder: str  # already "[name withheld]" where the submitter asked
    category: str  # translated label
    country: str  # country name
    state: str  # translated state label
    text: str
    proposed_wording: str = ""
    # The paragraph the wording was written against, when the caller knows it (the
    # draft in the comment's own language); "" shows the wording as it is; None
    # compares it with the compilation's own draft paragraph.
    original: str | None = None


@dataclass(frozen=True)
class _Grouped:
    general: list[CompiledComment]
    numbered: dict[str, list[CompiledComment]]  # every number of the draft, in its order
    stray: dict[str, list[CompiledComment]]  # numbers not in the draft, as first met
    draft_text: dict[str, str]


def _grouped(draft: Sequence[DraftLine], comments: Sequence[CompiledComment]) -> _Grouped:
    numbered: dict[str, list[CompiledComment]] = {}
    draft_text: dict[str, str] = {}
    for line in draft:
        if line.number is not None and line.number not in numbered:
            numbered[line.number] = []
            draft_text[line.number] = line.text
    general: list[CompiledComment] = []
    stray: dict[str, list[CompiledComment]] = {}
    for comment in comments:
        if comment.paragraph is None:
            general.append(comment)
        else:
            (numbered if comment.paragraph in numbered else stray).setdefault(
                comment.paragraph, []
            ).append(comment)
    return _Grouped(general, numbered, stray, draft_text)


# python-docx refuses what XML 1.0 cannot hold (xlsxwriter writes it as "_x000B_"), and
# a comment may paste any of it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# Word: landscape A4; column widths in mm of the 257 between the margins.
_WIDTHS = (42, 28, 28, 85, 74)


_LABEL = "label"  # a header cell's text: bold


def _write(cell, runs: Sequence[tuple[str, str]]) -> None:
    """Runs of (op, text) into a cell, each "\\n" starting a paragraph of its own: removed
    text struck through, added text bold and underlined."""
    paragraph = cell.paragraphs[0]
    for op, text in runs:
        for n, line in enumerate(_clean(text).split("\n")):
            if n:
                paragraph = cell.add_paragraph()
            if line:
                run = paragraph.add_run(line)
                run.font.strike = op == REMOVED or None
                run.font.underline = op == ADDED or None
                run.font.bold = op in (ADDED, _LABEL) or None


def _table(document, comments: Sequence[CompiledComment], draft_text: str | None) -> None:
    """One row per comment; the proposed wording as a difference against `draft_text`
    (shown as it is where there is no draft paragraph to compare with)."""
    if not comments:
        document.add_paragraph(_("No comments."))
        return
    table = document.add_table(rows=1, cols=len(_WIDTHS))
    table.style = "Table Grid"
    table.autofit = False
    header = [
        f"{_('Stakeholder')}\n{_('Number')}\n{_('State')}",
        _("Category"),
        _("Country"),
        _("Comment"),
        _("Proposed wording"),
    ]
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        _write(cell, [(_LABEL, label)])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for comment in comments:
        cells = table.add_row().cells
        who = f"{comment.stakeholder}\n{comment.tracking_number}\n{comment.state}"
        texts = (who, comment.category, comment.country, comment.text)
        for cell, text in zip(cells[:4], texts, strict=True):
            _write(cell, [(SAME, text)])
        base = draft_text if comment.original is None else comment.original
        if comment.proposed_wording and base:
            pieces = word_diff(_clean(base), _clean(comment.proposed_wording))
            _write(cells[4], [(p.op, p.text) for p in pieces])
        else:
            _write(cells[4], [(SAME, comment.proposed_wording)])
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        column.width = Mm(width)


def _paragraph_heading(document, number: str) -> None:
    document.add_heading(_("Paragraph %(number)s") % {"number": _clean(number)}, 2)


def compilation_docx(
    *,
    title: str,
    draft: Sequence[DraftLine],
    comments: Sequence[CompiledComment],
    language: str,
    generated: str = "",
) -> bytes:
    """The compilation as a .docx: the general comments, then the draft in its order,
    each numbered paragraph with a table of the comments on it ("No comments." if none),
    then the comments on paragraph numbers the draft does not have."""
    groups = _grouped(draft, comments)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    properties = document.core_properties
    properties.title, properties.language = _clean(title), language
    properties.author = properties.last_modified_by = properties.comments = ""
    with translation.override(language):
        document.add_heading(_clean(title), 0)
        if generated:
            document.add_paragraph(_clean(generated))
        document.add_heading(_("General comments"), 1)
        _table(document, groups.general, None)
        done: set[str] = set()
        for line in draft:
            if line.heading and line.number is None:
                document.add_heading(_clean(line.text), 1)
                continue
            if line.number is not None:
                _paragraph_heading(document, line.number)
            for text in _clean(line.text).split("\n"):
                document.add_paragraph().add_run(text).italic = True
            if line.number is not None and line.number not in done:
                done.add(line.number)
                _table(document, groups.numbered[line.number], line.text)
        if groups.stray:
            document.add_heading(_("Comments on paragraphs not in the draft"), 1)
            for number, stray in groups.stray.items():
                _paragraph_heading(document, number)
                _table(document, stray, None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def compilation_xlsx(
    *,
    title: str,
    draft: Sequence[DraftLine],
    comments: Sequence[CompiledComment],
    language: str,
) -> bytes:
    """The compilation as an .xlsx: a sheet of comments, one a row in the draft's order,
    and a sheet of paragraphs with their comment counts. Every text is written as a
    string, never as a formula or a link."""
    groups = _grouped(draft, comments)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"title": title, "author": "", "comments": ""})
    with translation.override(language):
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        rows = [("", _("General"), groups.general)]
        rows += [(n, n, cs) for n, cs in (groups.numbered | groups.stray).items()]
        flat = [(n, label, c) for n, label, cs in rows for c in cs]
        sheet = workbook.add_worksheet(_sheet_name(_("Comments")))
        for r, (number, label, comment) in enumerate(flat, start=1):
            cells = [label, comment.tracking_number, comment.stakeholder, comment.category]
            cells += [comment.country, comment.state, comment.text, comment.proposed_wording]
            for c, value in enumerate([*cells, groups.draft_text.get(number, "")]):
                sheet.write_string(r, c, _clean(value), wrap)
        header = [_("Paragraph"), _("Number"), _("Stakeholder"), _("Category"), _("Country")]
        header += [_("State"), _("Comment"), _("Proposed wording"), _("Draft text")]
        _header(sheet, header, (10, 12, 28, 18, 16, 14, 60, 50, 50), bold, len(flat))
        counts = workbook.add_worksheet(_sheet_name(_("Paragraphs")))
        for r, (number, label, commented) in enumerate(rows, start=1):
            counts.write_string(r, 0, label, wrap)
            counts.write_number(r, 1, len(commented), wrap)  # a count: sortable, summable
            text = _("Not in the draft") if number in groups.stray else ""
            counts.write_string(r, 2, _clean(groups.draft_text.get(number, text)), wrap)
        header = [_("Paragraph"), _("Comments"), _("Draft text")]
        _header(counts, header, (10, 12, 90), bold, len(rows))
    workbook.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """What Excel accepts as a sheet's name: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def _header(sheet, labels: Sequence[str], widths: Sequence[int], bold, last_row: int) -> None:
    for c, (label, width) in enumerate(zip(labels, widths, strict=True)):
        sheet.write_string(0, c, label, bold)
        sheet.set_column(c, c, width)
    sheet.autofilter(0, 0, last_row, len(labels) - 1)
    sheet.freeze_panes(1, 0)
