"""The portal's comments template: its table found and read cell by cell, and written.

The template is a title, a "Name of the stakeholder:" line and one table: a header row
(Paragraph | Comment | Proposed wording), a "General" row, then a row per paragraph of
the draft with its number prefilled. Its words are English msgids translated with
`gettext` in the template's language; reading accepts them in any of the three
languages, as translated and as people retype them ("Para.", "N°", "Libellé proposé").

Cells are read with the compliance walker (hidden text and deleted tracked changes
out); a table nested in a cell is read into the cell's text. A row deleted as a tracked
change is not read, but still counted, as Word shows it struck through (header = row 1).
Cells are placed on the table's grid (`w:gridBefore`, `w:gridSpan`, `w:hMerge`), so a
cell spanning the number and comment columns is seen, and so is a number cell merged
with the one above (`w:vMerge` continued).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from django.utils.translation import gettext, override
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn as docx_qn
from docx.shared import Cm
from lxml import etree

from submissions.compliance.walker import Reading, paragraphs
from submissions.drafts.comment_references import plain
from submissions.drafts.numbering import qn, to_int, val

LANGUAGES = ("en", "fr", "es")
TBL, TR, TC, SDT, SDT_CONTENT = qn("tbl"), qn("tr"), qn("tc"), qn("sdt"), qn("sdtContent")
_WRAPPERS = (SDT, SDT_CONTENT, qn("customXml"), qn("smartTag"))
# What people type as the headers, besides the translations of the template's own.
_NUMBER_HEADERS = (
    "Paragraph", "Paragraph No.", "Paragraph number", "Para.", "Para. No.", "Paras.",
    "No.", "N°", "Nº", "N.º", "#", "§", "¶", "Number", "Paragraphe", "Paragraphe n°",
    "N° de paragraphe", "Numéro de paragraphe", "Par.", "Párrafo", "Párrafo n.º",
    "Párrafo núm.", "Núm.", "Número", "Número de párrafo", "Párr.",
)  # fmt: skip
_COMMENT_HEADERS = (
    "Comment", "Comments", "Remarks", "Observations", "Commentaire", "Commentaires",
    "Remarques", "Comentario", "Comentarios", "Observaciones",
)  # fmt: skip
_WORDING_HEADERS = (
    "Proposed wording", "Proposed text", "Suggested wording", "Proposed amendment",
    "Proposed amendments", "Proposed change", "Proposed changes", "Libellé proposé",
    "Texte proposé", "Formulation proposée", "Rédaction proposée", "Modification proposée",
    "Redacción propuesta", "Texto propuesto", "Formulación propuesta",
    "Propuesta de redacción", "Enmienda propuesta",
)  # fmt: skip
_STAKEHOLDER_LABELS = (
    "Name of the stakeholder", "Stakeholder", "Name", "Nom de la partie prenante",
    "Partie prenante", "Nombre de la parte interesada", "Parte interesada",
)  # fmt: skip


def labels(language: str) -> dict[str, str]:
    """The template's words in `language` (English until the translations come)."""
    with override(language):
        return {
            "number": gettext("Paragraph"),
            "comment": gettext("Comment"),
            "wording": gettext("Proposed wording"),
            "general": gettext("General"),
            "stakeholder": gettext("Name of the stakeholder:"),
            "instructions": gettext(
                "Write each comment in the row of the paragraph it is about, and the "
                "wording you propose, if any, beside it. Comments on the draft as a whole "
                "go in the “General” row. Leave the other rows empty and do not change "
                "the numbers in the first column."
            ),
        }


@functools.cache
def _all(key: str, typed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        {plain(text) for text in typed} | {plain(labels(lang)[key]) for lang in LANGUAGES}
    )


def is_general_label(text: str) -> bool:
    """Whether `text` is the template's "General" label, in any of its languages."""
    return plain(text) in _all("general", ())


def stakeholder_name(line: str) -> str | None:
    """The name on a "Name of the stakeholder: ..." line ("" while it is still blank),
    or None when `line` is not one."""
    head, colon, name = line.partition(":")
    if not colon or plain(head) not in _all("stakeholder", _STAKEHOLDER_LABELS):
        return None
    return name.strip(" _.…\t")


# -- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of the template's table, its cells' text by column."""

    row: int  # as Word counts: the header is row 1
    number: str
    comment: str
    wording: str
    number_continued: bool = False  # the number cell is merged with the one above
    spans_number_and_comment: bool = False


def _own(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """The `tag` children of `parent`, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _own(child, tag)


def tidy(text: str) -> str:
    """A cell's text: lines without trailing spaces, no empty lines at either end."""
    lines = [line.rstrip() for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _cell_text(cell: etree._Element, reading: Reading) -> str:
    return tidy("\n".join(p.text for p in paragraphs(cell, reading)))


def _deleted(row: etree._Element) -> bool:
    trpr = row.find(qn("trPr"))
    return trpr is not None and trpr.find(qn("del")) is not None


def _is_header(texts: list[str]) -> bool:
    if len(texts) != 3:
        return False
    keys = [plain(t) for t in texts]
    return (
        keys[0] in _all("number", _NUMBER_HEADERS)
        and keys[1] in _all("comment", _COMMENT_HEADERS)
        and keys[2] in _all("wording", _WORDING_HEADERS)
    )


def _grid(row: etree._Element, reading: Reading) -> tuple[dict[int, list[str]], bool, bool]:
    """The row's text by grid column, whether a cell spans columns 0 and 1, and whether
    the number cell continues a vertical merge."""
    trpr = row.find(qn("trPr"))
    before = trpr.find(qn("gridBefore")) if trpr is not None else None
    column = to_int(val(before)) or 0
    texts: dict[int, list[str]] = {}
    spans, continued = False, False
    start = column
    for cell in _own(row, TC):
        tcpr = cell.find(qn("tcPr"))
        span = max(1, to_int(val(tcpr.find(qn("gridSpan")))) or 1) if tcpr is not None else 1
        hmerge = tcpr.find(qn("hMerge")) if tcpr is not None else None
        if hmerge is None or val(hmerge) == "restart":
            start = column  # a continued horizontal merge belongs to the cell before
        vmerge = tcpr.find(qn("vMerge")) if tcpr is not None else None
        if start == 0 and vmerge is not None and val(vmerge) in (None, "continue"):
            continued = True
        if start == 0 and column + span > 1:
            spans = True
        texts.setdefault(min(start, 2), []).append(_cell_text(cell, reading))
        column += span
    return texts, spans, continued


def template_rows(body: etree._Element, reading: Reading) -> list[Row] | None:
    """The rows of the first table whose first row has the template's three headers
    (header row included), or None when the file has no such table."""
    for table in body.iter(TBL):
        rows = list(_own(table, TR))
        if not rows:
            continue
        header = [_cell_text(cell, reading) for cell in _own(rows[0], TC)]
        if not _is_header(header):
            continue
        found = [Row(1, header[0], header[1], header[2])]
        for index, row in enumerate(rows[1:], start=2):
            if _deleted(row):
                continue
            texts, spans, continued = _grid(row, reading)
            cells = {
                column: tidy("\n".join(t for t in parts if t)) for column, parts in texts.items()
            }
            found.append(
                Row(index, cells.get(0, ""), cells.get(1, ""), cells.get(2, ""), continued, spans)
            )
        return found
    return None


# -- writing --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WIDTHS = (Cm(2.2), Cm(8.4), Cm(6.4))


def _lines(cell: Any, text: str, bold: bool = False) -> None:
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    cell.paragraphs[0].add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def _repeat_as_header(row: Any) -> None:
    marker = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(marker)


def write(
    *,
    title: str,
    stakeholder: str | None,
    rows: Sequence[tuple[str, str, str]],
    language: str,
) -> bytes:
    """A template (.docx) in `language`: `stakeholder` None writes the blank template
    (title, a line to fill in, the instructions), a name writes that name on the first
    line; `rows` are (number cell, comment, wording) after the header."""
    words = labels(language)
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.language = language
    # Not python-docx's "python-docx" and "generated by python-docx": a public download
    # says only what it is.
    document.core_properties.author = ""
    document.core_properties.comments = ""
    if stakeholder is not None:
        document.add_paragraph(f"{words['stakeholder']} {_CONTROL.sub('', stakeholder)}")
        document.add_paragraph(title, style="Title")
    else:
        document.add_paragraph(title, style="Title")
        document.add_paragraph(f"{words['stakeholder']} {'_' * 40}")
        document.add_paragraph(words["instructions"])
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, ("number", "comment", "wording"), strict=True):
        _lines(cell, words[key], bold=True)
    _repeat_as_header(table.rows[0])
    for number, comment, wording in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (number, comment, wording), strict=True):
            _lines(cell, text)
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        column.width = width  # the grid, which LibreOffice goes by
        for cell in column.cells:
            cell.width = width  # the cells, which Word goes by
    # Word looks at the document's language for spelling; the header row says it too.
    document.styles["Normal"].element.get_or_add_rPr().append(_language(language))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _language(language: str) -> Any:
    element = OxmlElement("w:lang")
    element.set(
        docx_qn("w:val"), {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}.get(language, language)
    )
    return element
