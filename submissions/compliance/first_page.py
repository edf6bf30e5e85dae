"""Which text a reader sees on page 1, when no office suite lays the document out.

A page break decides when the file has one before the estimated end of page 1: a
hard page break, a paragraph set to start a page or a section that starts one
(certain), or the mark Word saves where its last layout broke the page (not
certain: another machine's fonts may move it by a line or two). Otherwise the end
of page 1 is estimated from the page size, the margins, each paragraph's font
size, line and paragraph spacing, and the footnotes printed at the foot of the
page. The footnotes cited on page 1 are on page 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from submissions.compliance.text import DocumentText
from submissions.compliance.walker import Paragraph

TWIPS_PER_POINT = 20
AVERAGE_CHAR_WIDTH = 0.5  # of the font size, for proportional Latin fonts
LINE_HEIGHT = 1.17  # single spacing, of the font size, for common text fonts
FOOTNOTE_SEPARATOR_PT = 12.0
NEAR_END_CHARS = 400  # about five lines: how far past page 1's end a name is "near"

METHOD_RENDERED = "rendered"  # laid out by LibreOffice, outside this module
METHOD_PAGE_BREAK = "page_break"
METHOD_ESTIMATE = "estimate"


@dataclass(frozen=True)
class FirstPage:
    text: str
    method: str
    certain: bool  # a name past the end is surely on page 2 (a hard break)
    after: str = ""  # the text just past the end of page 1


def _lines(paragraph: Paragraph, width_pt: float) -> tuple[int, float, int]:
    """(characters per line, line height in points, lines) of a paragraph."""
    m = paragraph.metrics
    chars_per_line = max(int(width_pt / (m.font_pt * AVERAGE_CHAR_WIDTH)), 10)
    line_pt = m.line if m.exact else m.font_pt * LINE_HEIGHT * m.line
    return (
        chars_per_line,
        max(line_pt, 1.0),
        max(1, math.ceil(len(paragraph.text) / chars_per_line)),
    )


def _height(paragraphs: list[Paragraph], width_pt: float) -> float:
    total = 0.0
    for paragraph in paragraphs:
        _chars, line_pt, lines = _lines(paragraph, width_pt)
        total += paragraph.metrics.before_pt + lines * line_pt + paragraph.metrics.after_pt
    return total


def _footnotes(text: DocumentText, paragraph: Paragraph, upto: int | None = None) -> list:
    return [
        text.note_paragraphs.get((kind, note_id), [])
        for kind, note_id, offset in paragraph.notes
        if kind == "footnote" and (upto is None or offset < upto)
    ]


def _estimated_end(text: DocumentText) -> tuple[int, int]:
    """(index of the paragraph where page 1 ends, characters of it on page 1).

    Each paragraph takes its spacing before, its lines at its font size and line
    spacing, and its spacing after; each footnote it cites takes its own lines
    from the foot of the page. When everything fits, the index is len(body).
    """
    top, right, bottom, left = text.margins_twips
    width_pt = max(text.page_width_twips - left - right, 1440) / TWIPS_PER_POINT
    room_pt = max(text.page_height_twips - top - bottom, 1440) / TWIPS_PER_POINT
    separator = FOOTNOTE_SEPARATOR_PT
    for index, paragraph in enumerate(text.body):
        if paragraph.in_text_box:
            continue  # drawn in its box, beside the flow of the text
        chars_per_line, line_pt, lines = _lines(paragraph, width_pt)
        notes_pt = sum(_height(note, width_pt) for note in _footnotes(text, paragraph))
        if notes_pt:
            notes_pt, separator = notes_pt + separator, 0.0
        needed = paragraph.metrics.before_pt + lines * line_pt + notes_pt
        if needed > room_pt:
            fitting = max(int((room_pt - paragraph.metrics.before_pt) / line_pt), 0)
            return index, fitting * chars_per_line
        room_pt -= needed + paragraph.metrics.after_pt
    return len(text.body), 0


def _first_break(text: DocumentText, last: int, chars: int) -> tuple[int, int, bool] | None:
    """The first page break before the estimated end: (paragraph, offset, certain)."""
    for index, paragraph in enumerate(text.body[: last + 1]):
        if paragraph.in_text_box:
            continue
        for offset, certain in paragraph.page_breaks():
            if index == 0 and offset == 0:
                continue  # a break before the very first paragraph starts no new page
            if index < last or offset <= chars:
                return index, offset, certain
    return None


def _page(text: DocumentText, index: int, offset: int) -> tuple[str, str]:
    """(page 1's text up to paragraph `index`, character `offset`; the text after it)."""
    shown = [text.first_page_header] if text.first_page_header else []
    notes: list[str] = []
    for paragraph in text.body[:index]:
        shown.append(paragraph.text)
        notes += [p.text for note in _footnotes(text, paragraph) for p in note]
    after = []
    if index < len(text.body):
        paragraph = text.body[index]
        shown.append(paragraph.text[:offset])
        notes += [p.text for note in _footnotes(text, paragraph, offset) for p in note]
        after.append(paragraph.text[offset:])
    for paragraph in text.body[index + 1 :]:
        if sum(map(len, after)) > NEAR_END_CHARS:
            break
        after.append(paragraph.text)
    return "\n".join(shown + notes), "\n".join(after)[:NEAR_END_CHARS]


def first_page(text: DocumentText) -> FirstPage:
    """Page 1's text, how it was decided, and whether its end is certain."""
    last, chars = _estimated_end(text)
    found = _first_break(text, last, chars)
    if found is not None:
        index, offset, certain = found
        page, after = _page(text, index, offset)
        return FirstPage(page, METHOD_PAGE_BREAK, certain, after)
    page, after = _page(text, last, chars)
    return FirstPage(page, METHOD_ESTIMATE, False, after)
