"""Page 1 without LibreOffice: breaks, the estimate, and the footnotes at the foot of the page."""

from __future__ import annotations

from submissions.compliance.first_page import METHOD_ESTIMATE, METHOD_PAGE_BREAK, first_page
from submissions.compliance.text import DocumentText
from submissions.compliance.walker import Paragraph

LINE = "word " * 16  # one line of 80 characters at 11 pt on A4 with 1-inch margins


def _text(lines: int, *, notes: int = 0, breaks=()) -> DocumentText:
    """`lines` one-line paragraphs; the first cites a footnote of `notes` lines."""
    body = [Paragraph(f"{LINE}{index}") for index in range(lines)]
    text = DocumentText(body=body, page_width_twips=11906, page_height_twips=16838)
    if notes:
        body[0].notes = (("footnote", "1", len(body[0].text)),)
        text.note_paragraphs["footnote", "1"] = [Paragraph(LINE) for _ in range(notes)]
    for index, offset, certain in breaks:
        body[index].breaks = ((offset, certain),)
    return text


def _last_paragraph_on_page(text: DocumentText) -> int:
    page = first_page(text)
    return max(i for i, p in enumerate(text.body) if p.text in page.text)


def test_the_estimate_ends_page_one_where_the_lines_fill_it():
    text = _text(200)
    page = first_page(text)
    assert page.method == METHOD_ESTIMATE
    assert not page.certain
    assert 30 < _last_paragraph_on_page(text) < 80


def test_a_footnote_cited_on_page_one_takes_room_and_is_on_the_page():
    alone = _last_paragraph_on_page(_text(200))
    with_note = _text(200, notes=10)
    page = first_page(with_note)
    assert _last_paragraph_on_page(with_note) <= alone - 9
    assert page.text.count(LINE) >= 10  # the note's own lines are on page 1


def test_a_hard_break_ends_page_one_for_certain_and_a_saved_mark_not():
    hard = first_page(_text(20, breaks=[(5, 0, True)]))
    assert (hard.method, hard.certain) == (METHOD_PAGE_BREAK, True)
    assert f"{LINE}4" in hard.text and f"{LINE}5" not in hard.text
    assert hard.after.startswith(f"{LINE}5")
    saved = first_page(_text(20, breaks=[(5, 0, False)]))
    assert (saved.method, saved.certain) == (METHOD_PAGE_BREAK, False)


def test_a_break_past_the_estimated_end_does_not_decide():
    page = first_page(_text(200, breaks=[(150, 0, True)]))
    assert page.method == METHOD_ESTIMATE
