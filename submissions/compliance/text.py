"""The text of a Word document as a reader sees it, in reading order.

Reads WordprocessingML directly (python-docx's own API skips text boxes, notes and
tracked insertions, and iterates merged table cells twice). What is read:
paragraphs, tables, content controls, hyperlinks, tracked insertions, the shown
result of fields and text boxes (once: a text box is stored twice, as a drawing and
as a VML fallback, and only the drawing is read). What is not: deleted tracked
text, field codes, comments, and headers and footers (except the header of page 1,
which is on page 1 for the name check).

For speed on long documents the tree is walked once by lxml (`iter` over the tags
that carry text), after the subtrees that are never read have been cut out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from submissions.compliance.package import parse_part
from submissions.compliance.styles import Metrics, StyleSheet

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, T, BR, PPR, SECT_PR = _w("p"), _w("t"), _w("br"), _w("pPr"), _w("sectPr")
TXBX_CONTENT = _w("txbxContent")
# Never read: deleted and moved-away text, and the VML copy of each text box.
_CUT = (_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback")
# What a run shows for each tag that carries text.
_CHARACTERS = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "\u2011",
    _w("sym"): "\u25a1",
}
_PAGE_MARK = _w("lastRenderedPageBreak")
_TAGS = (P, T, BR, _PAGE_MARK, *_CHARACTERS)
_NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_PAGE_SECTION_TYPES = {"nextPage", "oddPage", "evenPage"}
NO_STYLES = StyleSheet(None)


class Paragraph:
    """One paragraph, or the part of one after a page break inside it.

    Its font size and spacing are resolved only when asked for: the page-1
    estimate needs them for the first page's paragraphs, not for the other 200.
    """

    __slots__ = ("_element", "_metrics", "_sheet", "explicit_break", "in_text_box", "text")

    def __init__(
        self,
        text: str,
        *,
        explicit_break: bool = False,
        in_text_box: bool = False,
        element: etree._Element | None = None,
        sheet: StyleSheet = NO_STYLES,
    ) -> None:
        self.text = text
        self.explicit_break = explicit_break
        self.in_text_box = in_text_box
        self._element = element
        self._sheet = sheet
        self._metrics: Metrics | None = None

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            self._metrics = (
                self._sheet.paragraph(self._element) if self._element is not None else Metrics()
            )
        return self._metrics

    @property
    def page_break_before(self) -> bool:
        """A page starts here: a break in the text, or the paragraph's style asks for one."""
        return self.explicit_break or (self._element is not None and self.metrics.page_break_before)


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


def _section_starts_page(sect: etree._Element) -> bool:
    kind = sect.find(_w("type"))
    return kind is None or kind.get(_w("val"), "nextPage") in _PAGE_SECTION_TYPES


def _take_text_boxes(container: etree._Element) -> dict[etree._Element, list[etree._Element]]:
    """Cut the outermost text boxes out of `container`, by the paragraph anchoring each."""
    anchored: dict[etree._Element, list[etree._Element]] = {}
    for box in list(container.iterdescendants(TXBX_CONTENT)):
        outer = next(box.iterancestors(TXBX_CONTENT), None)
        if outer is not None and outer is not container:
            continue  # inside another box: read with that one
        anchor = next(box.iterancestors(P), None)
        box.getparent().remove(box)
        if anchor is not None:
            anchored.setdefault(anchor, []).append(box)
    return anchored


def paragraphs(
    container: etree._Element, sheet: StyleSheet = NO_STYLES, in_text_box: bool = False
) -> list[Paragraph]:
    """The paragraphs of `container` (a body, note, header), split at page breaks;
    each text box's paragraphs follow the paragraph it is anchored in.

    Cuts the subtrees that are never read out of `container`: pass a tree that is
    not needed afterwards.
    """
    for cut in list(container.iterdescendants(*_CUT)):
        cut.getparent().remove(cut)
    boxes = _take_text_boxes(container)
    out: list[Paragraph] = []
    element: etree._Element | None = None
    parts: list[str] = []
    breaks: list[int] = []

    def close() -> None:
        if element is None:
            return
        text = "".join(parts)
        cuts = [0, *breaks, len(text)]
        for index in range(len(cuts) - 1):
            out.append(
                Paragraph(
                    text[cuts[index] : cuts[index + 1]].strip("\n"),
                    explicit_break=index > 0,
                    in_text_box=in_text_box,
                    element=element if index == 0 else None,
                    sheet=sheet,
                )
            )
        for box in boxes.get(element, ()):
            out.extend(paragraphs(box, sheet, in_text_box=True))
        ppr = element.find(PPR)
        sect = ppr.find(SECT_PR) if ppr is not None else None
        if sect is not None and _section_starts_page(sect):
            out.append(Paragraph("", explicit_break=True, in_text_box=in_text_box))

    for node in container.iter(*_TAGS):
        tag = node.tag
        if tag == T:
            parts.append(node.text or "")
        elif tag == P:
            close()
            element, parts, breaks = node, [], []
        elif tag == BR:
            if node.get(_w("type")) == "page":
                breaks.append(sum(map(len, parts)))
            parts.append("\n")
        elif tag == _PAGE_MARK:
            breaks.append(sum(map(len, parts)))
        else:
            parts.append(_CHARACTERS[tag])
    close()
    return out


def _notes(document: Document) -> list[str]:
    notes: list[str] = []
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.FOOTNOTES, RT.ENDNOTES):
            continue
        for note in parse_part(rel.target_part.blob):
            if note.get(_w("type")) not in _NOTE_SEPARATORS:
                notes.extend(p.text for p in paragraphs(note) if p.text)
    return notes


def _first_page_header(document: Document) -> str:
    section = document.sections[0]
    first = section.different_first_page_header_footer
    header = section.first_page_header if first else section.header
    if header.is_linked_to_previous:
        return ""
    return "\n".join(p.text for p in paragraphs(header._element))


def extract(document: Document) -> DocumentText:
    """Read the body, notes, first-page header and page geometry of `document`.

    The body's tree is changed (unread subtrees cut): `document` is spent.
    """
    section = document.sections[0]
    text = DocumentText(
        body=paragraphs(document.element.body, StyleSheet(document.styles.element)),
        notes=_notes(document),
        first_page_header=_first_page_header(document),
    )
    lengths = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.right_margin,
        section.bottom_margin,
        section.left_margin,
    )
    if all(length is not None for length in lengths):
        width, height, *margins = (int(length.twips) for length in lengths)
        text.page_width_twips, text.page_height_twips = width, height
        text.margins_twips = tuple(margins)  # type: ignore[assignment]
    return text
