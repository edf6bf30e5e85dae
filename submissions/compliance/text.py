"""The text of a Word document as a reader sees it, in reading order, with page 1's setting.

Read: the body (paragraphs, tables, content controls, text boxes once), the notes
its text cites, the first page's header, alternative chunks Word merges in, and
the first section's page size and margins. Not read: comments, headers and
footers beyond page 1's header, the glossary (building blocks), anything hidden
(see `walker`). A part the package lacks takes Word's defaults, and `assumed`
says which, since the page-1 estimate depends on them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from lxml import etree

from submissions.compliance import opc
from submissions.compliance.chunks import chunk_paragraphs
from submissions.compliance.styles import Hiding, StyleSheet, on
from submissions.compliance.walker import SECT_PR, Paragraph, Reading, paragraphs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Word's page when a document sets none: US Letter, one-inch margins (LibreOffice
# assumes the same on import).
DEFAULT_PAGE = (12240, 15840)
DEFAULT_MARGINS = (1440, 1440, 1440, 1440)
ASSUMED_PAGE = "page_setup"
ASSUMED_STYLES = "styles"
_NOTE_TAGS = {"footnote": _w("footnote"), "endnote": _w("endnote")}
_NOTE_RELS = {"footnote": opc.FOOTNOTES, "endnote": opc.ENDNOTES}
_MEASURE = re.compile(r"^\s*(-?[\d.]+)\s*(mm|cm|in|pt|pc|pi)?\s*$")
_TWIPS_PER_UNIT = {None: 1.0, "mm": 56.6929, "cm": 566.929, "in": 1440.0, "pt": 20.0}
_TWIPS_PER_UNIT |= {"pc": 240.0, "pi": 240.0}


@dataclass
class DocumentText:
    """The parts of a document that matter to the call's rules."""

    body: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the cited notes, in reading order
    note_paragraphs: dict[tuple[str, str], list[Paragraph]] = field(default_factory=dict)
    first_page_header: str = ""
    page_width_twips: int = DEFAULT_PAGE[0]
    page_height_twips: int = DEFAULT_PAGE[1]
    margins_twips: tuple[int, int, int, int] = DEFAULT_MARGINS  # top right bottom left
    assumed: frozenset[str] = frozenset()

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


def _twips(value: str | None) -> int | None:
    match = _MEASURE.match(value or "")
    if not match:
        return None
    try:
        twips = float(match.group(1)) * _TWIPS_PER_UNIT[match.group(2)]
    except ValueError:
        return None
    return round(twips) if math.isfinite(twips) and abs(twips) < 10**7 else None


def _geometry(sect: etree._Element | None, text: DocumentText) -> bool:
    """Set the page size and margins from `sect`; False when Word's defaults were used."""
    size = sect.find(_w("pgSz")) if sect is not None else None
    margins = sect.find(_w("pgMar")) if sect is not None else None
    width = _twips(size.get(_w("w"))) if size is not None else None
    height = _twips(size.get(_w("h"))) if size is not None else None
    if width and height and width > 0 and height > 0:
        text.page_width_twips, text.page_height_twips = width, height
    sides = [
        _twips(margins.get(_w(side))) if margins is not None else None
        for side in ("top", "right", "bottom", "left")
    ]
    text.margins_twips = tuple(  # type: ignore[assignment]
        abs(value) if value is not None else default
        for value, default in zip(sides, DEFAULT_MARGINS, strict=True)
    )
    return bool(width and height) and None not in sides


def _first_page_header(
    package: opc.Package, main: str, sect: etree._Element | None, reading: Reading
) -> str:
    if sect is None:
        return ""
    wanted = "first" if on(sect.find(_w("titlePg"))) else "default"
    targets = package.targets_by_id(main)
    for reference in sect.iterfind(_w("headerReference")):
        if reference.get(_w("type"), "default") == wanted:
            root = package.xml(targets.get(reference.get(f"{{{R_NS}}}id", ""), ""))
            if root is not None:
                return "\n".join(p.text for p in paragraphs(root, reading))
    return ""


def _note_elements(package: opc.Package, main: str) -> dict[tuple[str, str], etree._Element]:
    found: dict[tuple[str, str], etree._Element] = {}
    for kind, rel_type in _NOTE_RELS.items():
        for part in package.related(main, rel_type):
            root = package.xml(part)
            for note in root.iterfind(_NOTE_TAGS[kind]) if root is not None else ():
                found.setdefault((kind, note.get(_w("id"), "")), note)
    return found


def _read_notes(package: opc.Package, main: str, text: DocumentText, reading: Reading) -> None:
    """The notes the text cites (and only those: a note whose reference was deleted is gone)."""
    elements = _note_elements(package, main)
    if not elements:
        return
    cited = [ref for p in text.body for ref in p.notes]
    for kind, note_id, _offset in cited:
        note = elements.pop((kind, note_id), None)
        if note is None:
            continue  # cited twice, or missing
        read = paragraphs(note, reading)
        text.note_paragraphs[kind, note_id] = read
        text.notes.extend(p.text for p in read if p.text)


def extract(package: opc.Package, main: str) -> DocumentText:
    """Read the body, cited notes, first-page header and page setting of part `main`.

    The parsed parts are changed (unread subtrees cut): read each package once.
    """
    root = package.xml(main)
    body = root.find(_w("body")) if root is not None else None
    if body is None:
        body = etree.Element(_w("body"))
    styles_part = next(iter(package.related(main, opc.STYLES)), None)
    styles = package.xml(styles_part) if styles_part else None
    reading = Reading(StyleSheet(styles), Hiding(styles))
    reading.read_chunk = lambda rel_id: chunk_paragraphs(package, main, rel_id)
    sect = next(body.iter(SECT_PR), None)
    text = DocumentText()
    page_known = _geometry(sect, text)
    text.first_page_header = _first_page_header(package, main, sect, reading)
    text.body = paragraphs(body, reading)
    _read_notes(package, main, text, reading)
    text.assumed = frozenset(
        name
        for name, known in ((ASSUMED_PAGE, page_known), (ASSUMED_STYLES, styles is not None))
        if not known
    )
    return text
