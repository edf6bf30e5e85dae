"""Which text a reader sees on page 1.

An explicit page break decides when the file has one before the end of the first
page: a hard page break, a paragraph set to start a page, a section that starts a
new page, or the rendered page-break marks Word saves. Otherwise the end of page 1
is estimated from the page size, the margins, and each paragraph's font size,
line spacing and paragraph spacing.
"""

from __future__ import annotations

import math

from submissions.compliance.text import DocumentText

TWIPS_PER_POINT = 20
AVERAGE_CHAR_WIDTH = 0.5  # of the font size, for proportional Latin fonts
LINE_HEIGHT = 1.17  # single spacing, of the font size, for common text fonts

METHOD_RENDERED = "rendered"  # laid out by LibreOffice, outside this module
METHOD_PAGE_BREAK = "page_break"
METHOD_ESTIMATE = "estimate"


def first_page(text: DocumentText) -> tuple[str, str]:
    """Return the text on page 1 and how it was decided (METHOD_*)."""
    header = [text.first_page_header] if text.first_page_header else []
    last, chars = _estimated_end(text)
    # The first break before the estimated end of page 1 ends it (a break before
    # the very first paragraph starts no new page).
    for index in range(1, min(last, len(text.body) - 1) + 1):
        if text.body[index].page_break_before:
            return "\n".join(header + [p.text for p in text.body[:index]]), METHOD_PAGE_BREAK
    body = [p.text for p in text.body[:last]]
    if last < len(text.body):
        body.append(text.body[last].text[:chars])
    return "\n".join(header + body), METHOD_ESTIMATE


def _estimated_end(text: DocumentText) -> tuple[int, int]:
    """(index of the paragraph where page 1 ends, characters of it on page 1).

    Each paragraph takes its spacing before, its lines at its font size and line
    spacing, and its spacing after. When every paragraph fits, the index is
    len(body) and the count the total.
    """
    top, right, bottom, left = text.margins_twips
    width_pt = max(text.page_width_twips - left - right, 1440) / TWIPS_PER_POINT
    room_pt = max(text.page_height_twips - top - bottom, 1440) / TWIPS_PER_POINT
    for index, paragraph in enumerate(text.body):
        if paragraph.in_text_box:
            continue  # drawn in its box, beside the flow of the text
        m = paragraph.metrics
        chars_per_line = max(int(width_pt / (m.font_pt * AVERAGE_CHAR_WIDTH)), 10)
        line_pt = m.line if m.exact else m.font_pt * LINE_HEIGHT * m.line
        lines = max(1, math.ceil(len(paragraph.text) / chars_per_line))
        needed = m.before_pt + lines * line_pt
        if needed > room_pt:
            fitting_lines = max(int((room_pt - m.before_pt) / line_pt), 0)
            return index, fitting_lines * chars_per_line
        room_pt -= needed + m.after_pt
    return len(text.body), sum(len(p.text) for p in text.body)
