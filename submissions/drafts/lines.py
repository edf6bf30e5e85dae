"""A draft's body read as lines, each one a number, a sub-paragraph, a heading or body text.

`read_lines` does the reading and `split` assembles the lines into paragraphs; the rules
a reader of the result needs are in `split`'s docstring. How the body is read:

- With the compliance walker, so the text is what Word shows: hidden runs out, field
  results in, tracked changes in their final view.
- Text boxes (`w:txbxContent`, in a drawing, in its VML fallback or in both branches of
  an `mc:AlternateContent`: the walker keeps one) are left out: a box is a side note,
  a stamp or a caption, not a paragraph of the draft, so its text appears nowhere and
  its numbered paragraphs neither become numbers nor move the body's counters
  (LibreOffice counts them apart too).
- A table is read row by row, cell by cell. When its paragraph numbers continue the
  draft's (its first one is higher than the last number before it, or none came
  before), it is the draft's layout and its paragraphs are read like the body's; a
  first cell holding only a number ("7." in a two-column table) numbers the text of the
  next cell. In a table, only "7.", "7)", "7<tab>" and a number alone in a row's first
  cell are typed numbers ("1 March 2027" in a cell is a date). Any other table (a list
  of treaties after a paragraph) is content: one body line, a line per row, its cells
  joined by " | " (a cell's paragraphs by spaces, a table nested in a cell read as that
  cell's text), the numbers in it being text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from submissions.compliance import opc
from submissions.compliance.package import PackageLimits, open_document
from submissions.compliance.styles import Hiding, StyleSheet
from submissions.compliance.walker import Reading, paragraphs
from submissions.drafts.numbering import (
    NUMBERING,
    Label,
    Numbering,
    Styles,
    qn,
    to_int,
    typed_number,
    val,
)

_TYPED_SUB = re.compile(
    r"^(\((?:[a-z]{1,3}|[ivxlc]{1,6})\)|(?:[a-z]{1,2}|[ivxlc]{1,6})\))\s*(?=\S)"
)
_TYPED_HEADING = re.compile(r"^(?:[IVXLC]{1,6}|[A-H])\.\s+\S")
_SENTENCE_END = (".", ";", ":", ",", "!", "?")
_HEADING_WORDS = 12
CELL_SEPARATOR = " | "


@dataclass
class Line:
    kind: str  # "number", "sub", "heading", "body"
    text: str  # without its own number
    shown: str  # as Word shows it, label included (for manual mode)
    notes: list[str]
    number: int | None = None
    label: str = ""  # a sub-paragraph's label: "(a)"


# The outermost table a paragraph is in, and that table's row and cell holding it.
_Place = tuple[etree._Element, etree._Element, etree._Element]


@dataclass
class _Read:
    """One paragraph as read, before it is told what it is."""

    raw: str  # the walker's text: tabs and breaks kept
    label: Label | None
    heading_style: bool
    bold: bool
    notes: list[str]
    place: _Place | None
    first_cell: bool  # the first cell of its table row


def clean(text: str) -> str:
    """A paragraph's text on one line: breaks and tabs as spaces, no-break spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _short(text: str) -> bool:
    return len(text.split()) <= _HEADING_WORDS and not text.endswith(_SENTENCE_END)


@dataclass
class _State:
    """What the lines read so far tell the next one."""

    last: int | None = None  # the last paragraph number
    numbered_before: bool = False

    def line(self, read: _Read, in_table: bool = False) -> Line:
        line = self._classify(read, in_table)
        if line.kind == "number":
            self.last, self.numbered_before = line.number, True
        return line

    def _classify(self, read: _Read, in_table: bool) -> Line:
        text, label, notes = clean(read.raw), read.label, read.notes
        if label is not None and label.text:
            shown = label.before(text)
            if read.heading_style:
                return Line("heading", shown, shown, notes)
            if label.own is not None:
                return Line("number", text, shown, notes, label.own)
            if label.fmt in ("upperRoman", "upperLetter") and _short(text):
                return Line("heading", shown, shown, notes)
            return Line("sub", text, shown, notes, label=label.text)
        if read.heading_style:
            return Line("heading", text, text, notes)
        typed = typed_number(read.raw, 1 if self.last is None else self.last + 1)
        if typed is not None:
            rest = clean(typed.rest)
            # In a table "1 March 2027" is a date: only "7.", "7)", "7<tab>" and, in a
            # row's first cell, a number alone are numbers; in the body, a number alone
            # is text.
            counts = (typed.marked or (not rest and read.first_cell)) if in_table else rest
            if counts:
                return Line("number", rest, text, notes, typed.number)
        sub = _TYPED_SUB.match(text)
        if sub:
            return Line("sub", text[sub.end() :].strip(), text, notes, label=sub.group(1))
        if _TYPED_HEADING.match(text) and len(text.split()) <= _HEADING_WORDS:
            return Line("heading", text, text, notes)
        if self.numbered_before and read.bold and _short(text):
            return Line("heading", text, text, notes)
        return Line("body", text, text, notes)


# -- tables ---------------------------------------------------------------------------


def _place(element: etree._Element) -> _Place | None:
    row = cell = None
    found: _Place | None = None
    for ancestor in element.iterancestors(qn("tbl"), qn("tr"), qn("tc")):
        if ancestor.tag == qn("tc"):
            cell = ancestor
        elif ancestor.tag == qn("tr"):
            row = ancestor
        elif row is not None and cell is not None:
            found = (ancestor, row, cell)  # going up: the last one found is the outermost
    return found


def _runs(items: list[tuple[_Place, Line]], at: int) -> list[list[tuple[_Place, Line]]]:
    """`items` cut where their row (`at`=1) or cell (`at`=2) changes."""
    groups: list[list[tuple[_Place, Line]]] = []
    for item in items:
        if groups and item[0][at] is groups[-1][0][0][at]:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _layout(items: list[tuple[_Place, Line]]) -> list[Line]:
    out: list[Line] = []
    for row in _runs(items, 1):
        lines = [line for _place, line in row]
        cells = _runs(row, 2)
        alone = lines[0] if len(cells) > 1 and len(cells[0]) == 1 else None
        if alone and alone.kind == "number" and not alone.text and lines[1].kind != "number":
            text = lines[1].shown  # "7." | "The Committee...": one paragraph
            notes = alone.notes + lines[1].notes
            lines[:2] = [replace(alone, text=text, shown=f"{alone.shown} {text}", notes=notes)]
        out.extend(lines)
    return out


def _content(items: list[tuple[_Place, Line]]) -> Line:
    rows = [
        CELL_SEPARATOR.join(" ".join(line.shown for _place, line in cell) for cell in _runs(row, 2))
        for row in _runs(items, 1)
    ]
    text = "\n".join(rows)
    return Line("body", text, text, [note for _place, line in items for note in line.notes])


def _table(reads: list[_Read], state: _State) -> list[Line]:
    before = replace(state)
    items = [(place, state.line(read, True)) for read in reads if (place := read.place)]
    first = next((line.number for _place, line in items if line.kind == "number"), None)
    if first is not None and (before.last is None or first > before.last):
        return _layout(items)
    state.last, state.numbered_before = before.last, before.numbered_before
    return [_content(items)]


# -- reading --------------------------------------------------------------------------


def _notes(package: opc.Package, main: str, reading: Reading) -> dict[str, str]:
    """The text of each footnote and endnote, by "footnote:ID" / "endnote:ID"."""
    found: dict[str, str] = {}
    for kind, rel_type in (("footnote", opc.FOOTNOTES), ("endnote", opc.ENDNOTES)):
        for part in package.related(main, rel_type):
            root = package.xml(part)
            for note in root.iterfind(qn(kind)) if root is not None else ():
                if note.get(qn("type")) not in (None, "normal"):
                    continue  # separators
                key = f"{kind}:{note.get(qn('id'), '')}"
                text = " ".join(t for p in paragraphs(note, reading) if (t := clean(p.text)))
                found.setdefault(key, text)
    return found


def _mark_hidden(element: etree._Element, hiding: Hiding, style: str | None) -> bool:
    rpr = element.find(f"{qn('pPr')}/{qn('rPr')}")
    return rpr is not None and hiding.run(rpr, style)


def _read(data: bytes, limits: PackageLimits | None) -> list[_Read]:
    opened = open_document(data, limits)
    package, main = opened.package, opened.main
    root = package.xml(main)
    body = root.find(qn("body")) if root is not None else None
    if body is None:
        return []
    styles_part = next(iter(package.related(main, opc.STYLES)), None)
    styles_root = package.xml(styles_part) if styles_part else None
    numbering_part = next(iter(package.related(main, NUMBERING)), None)
    styles = Styles(styles_root)
    numbering = Numbering(package.xml(numbering_part) if numbering_part else None, styles)
    hiding = Hiding(styles_root)
    reading = Reading(StyleSheet(styles_root), hiding)
    notes = _notes(package, main, reading)
    found: list[_Read] = []
    for paragraph in paragraphs(body, reading):
        element = paragraph.element
        if element is None or paragraph.in_text_box:
            continue  # a section's page break; text boxes are not part of the draft's flow
        ppr = element.find(qn("pPr"))
        style = val(ppr.find(qn("pStyle"))) if ppr is not None else None
        if _mark_hidden(element, hiding, style) and not paragraph.text.strip():
            continue
        num_id, ilvl = styles.num_pr(style)
        direct = ppr.find(qn("numPr")) if ppr is not None else None
        if direct is not None:
            num_id = val(direct.find(qn("numId"))) or num_id
            ilvl = (
                to_int(val(direct.find(qn("ilvl"))))
                if direct.find(qn("ilvl")) is not None
                else ilvl
            )
        label = numbering.advance(num_id, ilvl or 0) if num_id and num_id != "0" else None
        place = _place(element)
        first_cell = place is not None and place[1].find(qn("tc")) is place[2]
        own_label = label is not None and label.own is not None
        if not clean(paragraph.text) and not (place and own_label):
            continue  # an empty paragraph; in a table, a cell numbered alone is kept
        heading_style = styles.is_heading(style)
        outline = to_int(val(ppr.find(qn("outlineLvl")))) if ppr is not None else None
        if outline is not None:
            heading_style = 0 <= outline <= 8
        runs = [
            run
            for run in element.iter(qn("r"))
            if any((t.text or "").strip() for t in run.iter(qn("t")))
            and not hiding.run(run.find(qn("rPr")), style)
        ]
        bold = bool(runs) and all(styles.bold(style, run.find(qn("rPr"))) for run in runs)
        cited = [notes[key] for kind_, note_id, _at in paragraph.notes
                 if (key := f"{kind_}:{note_id}") in notes]  # fmt: skip
        found.append(_Read(paragraph.text, label, heading_style, bold, cited, place, first_cell))
    return found


def read_lines(data: bytes, limits: PackageLimits | None) -> list[Line]:
    """The body's lines in order, tables read as the module says."""
    reads = _read(data, limits)
    state = _State()
    lines: list[Line] = []
    at = 0
    while at < len(reads):
        place = reads[at].place
        if place is None:
            lines.append(state.line(reads[at]))
            at += 1
            continue
        end = at + 1
        while end < len(reads) and (other := reads[end].place) and other[0] is place[0]:
            end += 1
        lines.extend(_table(reads[at:end], state))
        at = end
    return lines
