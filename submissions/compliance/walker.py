"""One story (a body, a note, a header, a text box) read as Word shows it: its paragraphs.

What shows: runs that are not hidden (directly or through a style), the result
of each field (never its code, nor the result of a field nested in a code), a
MACROBUTTON's display text, tracked changes as accepted (insertions in,
deletions and moved-away text out, a paragraph whose mark was deleted joined to
the next), one branch of each alternate content (the first choice), text boxes
once, after the paragraph they are anchored in. Page breaks and Word's saved
page-break marks are recorded as positions in a paragraph, never as text, so a
word a mark falls inside stays one word. Note references are recorded too.

The tree is walked once with lxml's `iter` over the tags that matter, after the
subtrees that are never read have been cut out: pass a tree that is not needed
afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from submissions.compliance.styles import Hiding, Metrics, StyleSheet

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, BR, PPR, RPR = _w("p"), _w("r"), _w("t"), _w("br"), _w("pPr"), _w("rPr")
SECT_PR, PSTYLE, TXBX_CONTENT = _w("sectPr"), _w("pStyle"), _w("txbxContent")
FLD_CHAR, INSTR_TEXT, SYM, ALT_CHUNK = _w("fldChar"), _w("instrText"), _w("sym"), _w("altChunk")
FOOTNOTE_REF, ENDNOTE_REF = _w("footnoteReference"), _w("endnoteReference")
PAGE_MARK = _w("lastRenderedPageBreak")
_DELETED = (_w("del"), _w("moveFrom"))
ALTERNATE, CHOICE = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice"
# Never read: ruby annotations (LibreOffice keeps them out of the text too).
_CUT = (_w("rt"),)
_CHARACTERS = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "\u2011",
}
_TAGS: tuple[str, ...] = (
    P,
    T,
    BR,
    PAGE_MARK,
    FLD_CHAR,
    INSTR_TEXT,
    SYM,
    FOOTNOTE_REF,
    ENDNOTE_REF,
    ALT_CHUNK,
)
_TAGS += tuple(_CHARACTERS)
_VANISH = (_w("vanish"), _w("specVanish"))
_PAGE_SECTION_TYPES = {"nextPage", "oddPage", "evenPage"}
NO_STYLES = StyleSheet(None)
NO_HIDING = Hiding(None)


@dataclass
class Reading:
    """How a story is read: its document's styles, and how an alternative chunk is read."""

    sheet: StyleSheet = NO_STYLES
    hiding: Hiding = NO_HIDING
    read_chunk: Callable[[str], list[Paragraph]] | None = None


class Paragraph:
    """One paragraph as shown: its text, where pages break in it, the notes it cites.

    `breaks` are (offset, certain) pairs: a hard page break is certain, Word's saved
    mark of where its last layout broke the page is not. Font size and spacing are
    resolved only when asked for (page 1 needs them, not the other 200 paragraphs).
    """

    __slots__ = ("_element", "_metrics", "_sheet", "breaks", "in_text_box", "notes", "text")

    def __init__(
        self,
        text: str,
        *,
        breaks: tuple[tuple[int, bool], ...] = (),
        notes: tuple[tuple[str, str, int], ...] = (),
        in_text_box: bool = False,
        element: etree._Element | None = None,
        sheet: StyleSheet = NO_STYLES,
    ) -> None:
        self.text = text
        self.breaks = breaks
        self.notes = notes  # (kind, id, offset): "footnote" or "endnote"
        self.in_text_box = in_text_box
        self._element = element
        self._sheet = sheet
        self._metrics: Metrics | None = None

    @property
    def element(self) -> etree._Element | None:
        """The paragraph's `w:p` (None for text from an alternative chunk): its
        properties, for readers that need more than the text (the draft splitter)."""
        return self._element

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            self._metrics = (
                self._sheet.paragraph(self._element) if self._element is not None else Metrics()
            )
        return self._metrics

    def page_breaks(self) -> list[tuple[int, bool]]:
        """Where a new page starts in this paragraph, 0 meaning before it."""
        before = [(0, True)] if self._element is not None and self.metrics.page_break_before else []
        return before + list(self.breaks)


@dataclass
class _Field:
    code: list[str] = field(default_factory=list)
    in_result: bool = False


def _prune(container: etree._Element) -> set[etree._Element]:
    """Cut what is never read; return the paragraphs whose mark a tracked change deleted."""
    joined: set[etree._Element] = set()
    for deleted in list(container.iter(*_DELETED)):
        parent = deleted.getparent()
        if parent is None:
            continue
        if parent.tag == RPR and parent.getparent() is not None and parent.getparent().tag == PPR:
            joined.add(parent.getparent().getparent())  # w:p/w:pPr/w:rPr/w:del
        else:
            parent.remove(deleted)
    for alternate in list(container.iter(ALTERNATE)):
        choices = [child for child in alternate if child.tag == CHOICE]
        keep = choices[0] if choices else (alternate[-1] if len(alternate) else None)
        for child in list(alternate):
            if child is not keep:
                alternate.remove(child)
    for cut in list(container.iter(*_CUT)):
        if cut.getparent() is not None:
            cut.getparent().remove(cut)
    return joined


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


def _page_sections(container: etree._Element) -> set[etree._Element]:
    """The paragraphs ending a section that starts its successor on a new page."""
    found = set()
    for sect in container.iter(SECT_PR):
        ppr = sect.getparent()
        if ppr is None or ppr.tag != PPR or ppr.getparent() is None:
            continue  # the body's own, last section, or a change's record of one
        kind = sect.find(_w("type"))
        if kind is None or kind.get(_w("val"), "nextPage") in _PAGE_SECTION_TYPES:
            found.add(ppr.getparent())
    return found


def _symbol(node: etree._Element) -> str:
    """A w:sym as LibreOffice shows it: its character, in the private area for symbol fonts."""
    try:
        code = int(node.get(_w("char"), ""), 16)
    except ValueError:
        return "\ue000"
    if code < 0x100:
        code += 0xF000
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ue000"


def _macrobutton(code: str) -> str:
    """The display text of `MACROBUTTON name text`, shown in place of a result."""
    words = code.split(None, 2)
    if len(words) == 3 and words[0].upper() == "MACROBUTTON":
        return words[2]
    return ""


def paragraphs(
    container: etree._Element, reading: Reading, in_text_box: bool = False
) -> list[Paragraph]:
    """The paragraphs of `container` (a body, note, header or text box), as shown."""
    joined = _prune(container)
    boxes = _take_text_boxes(container)
    sections = _page_sections(container)
    hiding, sheet = reading.hiding, reading.sheet
    # Runs are looked at one by one only where something may hide them.
    hides = hiding.any_hidden_style or next(container.iter(*_VANISH), None) is not None
    out: list[Paragraph] = []
    elements: list[etree._Element] = []
    parts: list[str] = []
    breaks: list[tuple[int, bool]] = []
    notes: list[tuple[str, str, int]] = []
    fields: list[_Field] = []
    shown = True  # not inside any field's code
    hidden = False  # the current run is hidden
    style: str | None = None

    def length() -> int:
        return sum(map(len, parts))

    def close() -> None:
        nonlocal parts, breaks, notes
        if not elements:
            return
        text = "".join(parts)
        lead = len(text) - len(text.lstrip("\n"))  # offsets move with the stripped lines
        out.append(
            Paragraph(
                text.strip("\n"),
                breaks=tuple((max(at - lead, 0), certain) for at, certain in breaks),
                notes=tuple((kind, note, max(at - lead, 0)) for kind, note, at in notes),
                in_text_box=in_text_box,
                element=elements[0],
                sheet=sheet,
            )
        )
        for element in elements:
            for box in boxes.get(element, ()):
                out.extend(paragraphs(box, reading, in_text_box=True))
        if elements[-1] in sections:
            out.append(Paragraph("", breaks=((0, True),), in_text_box=in_text_box))
        elements.clear()
        parts, breaks, notes = [], [], []

    for node in container.iter(*_TAGS, R) if hides else container.iter(*_TAGS):
        tag = node.tag
        if tag == T:
            if shown and not hidden:
                parts.append(node.text or "")
        elif tag == R:
            hidden = hiding.run(node.find(RPR), style)
        elif tag == P:
            if not (elements and elements[-1] in joined):
                close()
            elements.append(node)
            hidden = False
            if len(elements) == 1:
                ppr = node.find(PPR)
                pstyle = ppr.find(PSTYLE) if ppr is not None else None
                style = pstyle.get(_w("val")) if pstyle is not None else None
        elif tag == FLD_CHAR:
            kind = node.get(_w("fldCharType"))
            if kind == "begin":
                fields.append(_Field())
            elif kind == "separate" and fields:
                fields[-1].in_result = True
            elif kind == "end" and fields:
                done = fields.pop()
                shown = all(f.in_result for f in fields)
                if not done.in_result and shown and not hidden:
                    parts.append(_macrobutton("".join(done.code).strip()))
            shown = all(f.in_result for f in fields)
        elif tag == INSTR_TEXT:
            if fields and not fields[-1].in_result:
                fields[-1].code.append(node.text or "")
        elif tag == ALT_CHUNK:
            if reading.read_chunk is not None:
                close()
                out.extend(reading.read_chunk(node.get(f"{{{R_NS}}}id", "")))
        elif not shown or hidden:
            continue
        elif tag == BR:
            if node.get(_w("type")) == "page":
                breaks.append((length(), True))
            parts.append("\n")
        elif tag == PAGE_MARK:
            breaks.append((length(), False))
        elif tag in (FOOTNOTE_REF, ENDNOTE_REF):
            kind = "footnote" if tag == FOOTNOTE_REF else "endnote"
            notes.append((kind, node.get(_w("id"), ""), length()))
        elif tag == SYM:
            parts.append(_symbol(node))
        else:
            parts.append(_CHARACTERS[tag])
    close()
    return out
