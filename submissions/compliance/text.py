"""The text of a Word document as a reader sees it, in reading order.

Walks WordprocessingML directly (python-docx's own API skips text boxes, notes and
tracked insertions, and iterates merged table cells twice). What is read:
paragraphs, tables, content controls, hyperlinks, tracked insertions, the shown
result of fields and text boxes (once: a text box is stored twice, as a drawing and
as a VML fallback, and only the drawing is read). What is not: deleted tracked
text, field codes, comments, and headers and footers (except the header of page 1,
which is on page 1 for the name check).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from submissions.compliance.package import parse_part
from submissions.compliance.styles import Metrics, StyleSheet

NO_STYLES = StyleSheet(None)
NO_STYLE = Metrics()

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, TBL, SECT_PR, PPR = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("sectPr"), _w("pPr")
TXBX_CONTENT = _w("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"

# Containers whose children are read as if they stood in their parent.
_TRANSPARENT = {
    _w(t)
    for t in (
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "fldSimple",
        "sdt",
        "sdtContent",
        "customXml",
        "dir",
        "bdo",
        "tr",
        "tc",
        "body",
        "txbxContent",
        "footnote",
        "endnote",
        "hdr",
        "ftr",
    )
}
# Never read: deleted text, moved-away text, properties.
_SKIPPED = {_w(t) for t in ("del", "moveFrom", "rPr", "pPr", "sdtPr", "tblPr", "trPr", "tcPr")}
_SKIPPED.add(FALLBACK)
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_PAGE_SECTION_TYPES = {"nextPage", "oddPage", "evenPage"}


@dataclass
class Paragraph:
    text: str
    page_break_before: bool = False
    in_text_box: bool = False
    metrics: Metrics = NO_STYLE


@dataclass
class DocumentText:
    """The parts of a document that matter to the call's rules."""

    body: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_page_header: str = ""
    page_width_twips: int = 11906  # A4
    page_height_twips: int = 16838
    margins_twips: tuple[int, int, int, int] = (1440, 1440, 1440, 1440)  # top right bottom left

    @property
    def main_text(self) -> str:
        """What Word's default count reads: the body and its tables."""
        return "\n".join(p.text for p in self.body if not p.in_text_box)

    @property
    def extra_text(self) -> str:
        """What LibreOffice's count adds to Word's: text boxes, footnotes and endnotes."""
        boxes = [p.text for p in self.body if p.in_text_box]
        return "\n".join(boxes + self.notes)

    @property
    def reading_text(self) -> str:
        """Everything a reader reads, in order, notes last; a blank line between paragraphs."""
        return "\n\n".join(t for t in [p.text for p in self.body] + self.notes if t.strip())


def _run_text(run: etree._Element, out: list[str], breaks: list[int]) -> None:
    """Append a run's visible characters to `out`; record page breaks' offsets."""
    for child in run:
        tag = child.tag
        if tag == T:
            out.append(child.text or "")
        elif tag in (_w("tab"), _w("ptab")):
            out.append("\t")
        elif tag == _w("br"):
            if child.get(_w("type")) == "page":
                breaks.append(sum(map(len, out)))
            out.append("\n")
        elif tag == _w("cr"):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("\u2011")
        elif tag == _w("lastRenderedPageBreak"):
            breaks.append(sum(map(len, out)))
        elif tag == _w("sym"):
            out.append("\u25a1")


def _text_boxes(element: etree._Element) -> Iterator[etree._Element]:
    """Top-level text box contents inside `element`, skipping VML fallbacks."""
    for child in element:
        if child.tag == FALLBACK:
            continue
        if child.tag == TXBX_CONTENT:
            yield child
        else:
            yield from _text_boxes(child)


def _paragraph(p: etree._Element, in_text_box: bool, sheet: StyleSheet) -> Iterator[Paragraph]:
    """The paragraph, split at page breaks, then the paragraphs of its text boxes."""
    ppr = p.find(PPR)
    metrics = sheet.paragraph(p)
    break_before = metrics.page_break_before
    out: list[str] = []
    breaks: list[int] = []
    boxes: list[etree._Element] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag in _SKIPPED:
                continue
            if child.tag == R:
                _run_text(child, out, breaks)
                boxes.extend(_text_boxes(child))
            elif child.tag in _TRANSPARENT:
                walk(child)

    walk(p)
    text = "".join(out)
    cuts = [0, *sorted(set(breaks)), len(text)]
    pieces = [text[a:b] for a, b in pairwise(cuts)]
    for index, piece in enumerate(pieces):
        yield Paragraph(
            piece.strip("\n"),
            page_break_before=break_before or index > 0,
            in_text_box=in_text_box,
            metrics=metrics,
        )
        break_before = False
    for box in boxes:
        yield from _blocks(box, sheet, in_text_box=True)
    if ppr is not None:
        sect = ppr.find(SECT_PR)
        if sect is not None and _section_starts_page(sect):
            yield Paragraph("", page_break_before=True, in_text_box=in_text_box)


def _blocks(
    container: etree._Element, sheet: StyleSheet = NO_STYLES, in_text_box: bool = False
) -> Iterator[Paragraph]:
    for child in container:
        if child.tag in _SKIPPED:
            continue
        if child.tag == P:
            yield from _paragraph(child, in_text_box, sheet)
        elif child.tag in _TRANSPARENT or child.tag == TBL:
            yield from _blocks(child, sheet, in_text_box)


def _section_starts_page(sect: etree._Element) -> bool:
    kind = sect.find(_w("type"))
    return kind is None or kind.get(_w("val"), "nextPage") in _PAGE_SECTION_TYPES


def _notes(document: Document) -> list[str]:
    notes: list[str] = []
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.FOOTNOTES, RT.ENDNOTES):
            continue
        root = parse_part(rel.target_part.blob)
        for note in root:
            if note.get(_w("type")) in _NOTE_SEPARATORS:
                continue
            notes.extend(p.text for p in _blocks(note) if p.text)
    return notes


def _first_page_header(document: Document) -> str:
    section = document.sections[0]
    header = (
        section.first_page_header
        if section.different_first_page_header_footer
        else (section.header)
    )
    if header.is_linked_to_previous:
        return ""
    return "\n".join(p.text for p in _blocks(header._element))


def _int(element: etree._Element | None, attr: str, default: int) -> int:
    try:
        return int(element.get(_w(attr))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _layout(document: Document, text: DocumentText) -> None:
    body = document.element.body
    sect = body.find(SECT_PR)
    if sect is not None:
        size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
        text.page_width_twips = _int(size, "w", text.page_width_twips)
        text.page_height_twips = _int(size, "h", text.page_height_twips)
        text.margins_twips = tuple(  # type: ignore[assignment]
            _int(margins, side, default)
            for side, default in zip(
                ("top", "right", "bottom", "left"), text.margins_twips, strict=True
            )
        )


def extract(document: Document) -> DocumentText:
    """Read the body, notes, first-page header and page geometry of `document`."""
    text = DocumentText()
    text.body = list(_blocks(document.element.body, StyleSheet(document.styles.element)))
    text.notes = _notes(document)
    text.first_page_header = _first_page_header(document)
    _layout(document, text)
    return text
