"""Small .docx files written by python-docx, for tests that need no office suite."""

from __future__ import annotations

import io

import docx


def make_docx(*paragraphs: str, page_break_after: int | None = None) -> bytes:
    """A .docx with these paragraphs; a hard page break after paragraph `page_break_after`."""
    document = docx.Document()
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if page_break_after == index:
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
