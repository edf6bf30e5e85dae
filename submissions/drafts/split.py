"""A draft general comment (.docx) split into its numbered paragraphs: bytes in, a Draft out.

Rules, in order:

- The file is opened as an upload is (`compliance.package.open_document`): a refused or
  unreadable file raises `UnreadableDocument` with its code, for the caller to show.
- The body's paragraphs are read in order with the compliance walker, so the text is
  what Word shows: hidden runs out, field results in, tracked changes in their final
  view. Text boxes and alternative chunks are not read.
- A paragraph's number comes from Word's automatic numbering (`w:numPr` on the
  paragraph or through its style chain, resolved in `word/numbering.xml`: levels,
  `w:start`, `w:lvlText`, `w:numFmt`, restarts by `w:startOverride`, counters shared by
  the lists of one abstract numbering, deeper levels restarting under a shallower
  one), else from a number typed at the start ("12.", "12<tab>", "12 The...").
  A decimal level whose label shows only its own counter ("%1.") gives the
  paragraph's own number ("12"); other labels ("(a)", "a)", "(i)", bullets, "1.1")
  and typed "(a)"/"a)" make a sub-paragraph of the numbered paragraph above it.
- Headings: a Heading 1-9 or Title style (English, French or Spanish names, through
  the style chain), an outline level, an upper-case roman or letter label ("I.",
  "A.") on a short line, or, after the first numbered paragraph, a short bold line
  without final punctuation. A heading has `number=None, heading=True`; its label stays
  in its text ("I. Introduction").
- An unnumbered paragraph before the first number (title, introduction) stays on its
  own (`number=None, heading=False`); after a numbered paragraph it continues it
  (a second paragraph of the same number) until the next number or heading.
- A numbered paragraph's `text` is all it shows, without its own number: its lines,
  sub-paragraphs as "(a) ..." lines, joined by "\\n"; `sub` also lists the
  sub-paragraphs as (label, text). Footnotes and endnotes cited anywhere in it are in
  `footnotes`, in order.
- Numbers should run 1, 2, 3...: a first number other than 1, a repeated, skipped or
  decreasing number is a `Problem` naming the numbers (the split still stands).
  No number at all is the problem `no_numbering`; with `manual=True` every non-empty
  paragraph is numbered 1..n in order instead, whatever the file's numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    val,
)

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


# -- styles ---------------------------------------------------------------------------

_TYPED_NUMBER = re.compile(r"^(\d{1,3})\.(?!\d)\s*(?=\S)|^(\d{1,3})(?:\t\s*|\s+)(?=[^\W\d_])")
_TYPED_SUB = re.compile(
    r"^(\((?:[a-z]{1,3}|[ivxlc]{1,6})\)|(?:[a-z]{1,2}|[ivxlc]{1,6})\))\s*(?=\S)"
)
_TYPED_HEADING = re.compile(r"^(?:[IVXLC]{1,6}|[A-H])\.\s+\S")
_SENTENCE_END = (".", ";", ":", ",", "!", "?")
_HEADING_WORDS = 12


def _clean(text: str) -> str:
    """A paragraph's text on one line: breaks and tabs as spaces, no-break spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@dataclass
class _Line:
    kind: str  # "number", "sub", "heading", "body"
    text: str
    shown: str  # as Word shows it, label included (for manual mode)
    notes: list[str]
    number: int | None = None
    label: str = ""


def _short(text: str) -> bool:
    return len(text.split()) <= _HEADING_WORDS and not text.endswith(_SENTENCE_END)


def _classify(
    text: str, label: Label | None, heading_style: bool, bold: bool, numbered_before: bool
) -> tuple[str, str, int | None, str]:
    """(kind, text, own number, label) of one paragraph."""
    if label is not None and label.text:
        shown = f"{label.text} {text}"
        if heading_style:
            return "heading", shown, None, ""
        if label.own is not None:
            return "number", text, label.own, ""
        if label.fmt in ("upperRoman", "upperLetter") and _short(text):
            return "heading", shown, None, ""
        return "sub", text, None, label.text
    if heading_style:
        return "heading", text, None, ""
    typed = _TYPED_NUMBER.match(text)
    if typed and (typed.group(1) or text[typed.end()].isupper()):
        return "number", text[typed.end() :].strip(), int(typed.group(1) or typed.group(2)), ""
    sub = _TYPED_SUB.match(text)
    if sub:
        return "sub", text[sub.end() :].strip(), None, sub.group(1)
    if _TYPED_HEADING.match(text) and len(text.split()) <= _HEADING_WORDS:
        return "heading", text, None, ""
    if numbered_before and bold and _short(text):
        return "heading", text, None, ""
    return "body", text, None, ""


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
                text = " ".join(t for p in paragraphs(note, reading) if (t := _clean(p.text)))
                found.setdefault(key, text)
    return found


def _mark_hidden(element: etree._Element, hiding: Hiding, style: str | None) -> bool:
    rpr = element.find(f"{qn('pPr')}/{qn('rPr')}")
    return rpr is not None and hiding.run(rpr, style)


def _lines(data: bytes, limits: PackageLimits | None) -> list[_Line]:
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
    lines: list[_Line] = []
    numbered_before = False
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
        text = _clean(paragraph.text)
        if not text:
            continue
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
        kind, body_text, number, sub_label = _classify(
            text, label, heading_style, bold, numbered_before
        )
        numbered_before = numbered_before or kind == "number"
        shown = f"{label.text} {text}" if label is not None and label.text else text
        cited = [notes[key] for kind_, note_id, _at in paragraph.notes
                 if (key := f"{kind_}:{note_id}") in notes]  # fmt: skip
        lines.append(_Line(kind, body_text, shown, cited, number, sub_label))
    return lines


@dataclass
class _Open:
    number: int
    lines: list[str] = field(default_factory=list)
    sub: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def close(self) -> DraftParagraph:
        return DraftParagraph(
            str(self.number), False, "\n".join(self.lines), tuple(self.notes), tuple(self.sub)
        )


def _assemble(lines: list[_Line]) -> list[DraftParagraph]:
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
            missing = range(previous + 1, min(number, previous + 21))
            problems.append(Problem(SKIPPED_NUMBER, tuple(str(n) for n in missing)))
        seen.add(number)
        previous = number if previous is None else max(previous, number)
    return problems


def split_draft(data: bytes, limits: PackageLimits | None = None, *, manual: bool = False) -> Draft:
    """The draft's paragraphs and what is wrong with its numbering (see the module's rules).

    Raises `UnreadableDocument` (with its code) for a file that is refused or unreadable.
    """
    lines = _lines(data, limits)
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
