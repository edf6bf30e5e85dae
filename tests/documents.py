"""Small .docx files written by python-docx, for tests that need no office suite."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls


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


def private_draft() -> bytes:
    """A draft that carries what a public copy must drop (PRIVATE_DRAFT_SECRETS): its author
    and editor, a comment, a tracked deletion and hidden text; and visible words."""
    document = docx.Document()
    document.core_properties.author = "Jane Private"
    document.core_properties.last_modified_by = "John Editor"
    document.core_properties.title = "Our submission"
    byline = document.add_paragraph("Submitted by: Global Alliance")
    document.add_comment(byline.runs, text="Check with the board before sending", author="Jane")
    tracked = document.add_paragraph("Kept words ")
    tracked._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="John Editor" w:date="2022-09-01T00:00:00Z">'
            '<w:r><w:t xml:space="preserve">inserted words </w:t></w:r></w:ins>'
        )
    )
    tracked._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="John Editor" w:date="2022-09-01T00:00:00Z">'
            "<w:r><w:delText>a deleted sentence about our donors</w:delText></w:r></w:del>"
        )
    )
    hidden = document.add_paragraph().add_run("hidden note to self")
    hidden.font.hidden = True
    document.add_paragraph("The visible conclusion.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# What the draft hides: its author and editor, a comment, a deletion, hidden text.
PRIVATE_DRAFT_SECRETS = (
    "Jane Private",
    "John Editor",
    "Check with the board",
    "deleted sentence",
    "hidden note",
)


def zip_of_members(count: int) -> bytes:
    """A zip of `count` empty members (stored): a "docx" whose directory is its weight."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(f"m/{i}", b"")
    return buffer.getvalue()
