"""Real Word files changed in one place each, to put one feature Word writes under test.

Each variant starts from a file Microsoft Word saved (from ../shared/word-corpus/)
and edits its XML the way another Word file would have it: a text box stored only
as VML, a page-break mark inside a word, nested and empty fields, text hidden
through styles, a missing or empty part, Strict OOXML, a body of only a table.
`tests/corpus/word_build.py` writes them beside the real files in tests/data/word/
and records LibreOffice's answers for them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

NAME = "Global Alliance for Migrant Workers' Rights"
PLAIN = "NewDocxDocuments__Plain"  # five paragraphs of Word's sample text
TEXT_BOX = "NewDocxDocuments__TextBox"  # a DrawingML text box with its VML fallback
FOOTNOTE = "NewDocxDocuments__FootNote"
NUMBERED = "NewDocxDocuments__NumberedList"

W_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rewrite(data: bytes, edits: dict[str, Callable[[bytes], bytes | None]]) -> bytes:
    """`data` with each named part replaced by what its edit returns (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename in edits:
                blob = edits[info.filename](blob)
                if blob is None:
                    continue
            target.writestr(info, blob)
    return out.getvalue()


def _body(xml: bytes, paragraphs: bytes) -> bytes:
    """Put `paragraphs` at the start of the body."""
    return xml.replace(b"<w:body>", b"<w:body>" + paragraphs, 1)


def _p(text: str, style: str = "", run_style: str = "") -> bytes:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    rpr = f'<w:rPr><w:rStyle w:val="{run_style}"/></w:rPr>' if run_style else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'.encode()


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(code: str, result: str | None) -> str:
    """A complex field; `result` None leaves it without one (never updated)."""
    parts = ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>']
    parts.append(f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>')
    if result is not None:
        parts.append('<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + result)
    parts.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return "".join(parts)


def vml_only_text_box(data: bytes) -> bytes:
    """The text box kept only as its VML fallback, as Word 2007 and converters write it."""

    def edit(xml: bytes) -> bytes:
        pattern = re.compile(
            rb"<mc:AlternateContent><mc:Choice[^>]*>.*?</mc:Choice><mc:Fallback>(.*?)"
            rb"</mc:Fallback></mc:AlternateContent>",
            re.S,
        )
        return pattern.sub(rb"\1", xml)

    return rewrite(data, {"word/document.xml": edit})


def page_mark_inside_word(data: bytes) -> bytes:
    """Word's saved page-break mark falling inside a word (after a soft hyphen's break)."""

    def edit(xml: bytes) -> bytes:
        return xml.replace(
            b"<w:t>Video provides",
            b"<w:t>Vi</w:t><w:lastRenderedPageBreak/><w:t>deo provides",
            1,
        )

    return rewrite(data, {"word/document.xml": edit})


def nested_and_empty_fields(data: bytes) -> bytes:
    """A field inside another's code, a field never updated, a MACROBUTTON prompt."""
    inner = _field(" DOCPROPERTY Title ", _run("Inner result words"))
    outer = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> QUOTE </w:instrText></w:r>'
        f"{inner}"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{_run('Outer shown result')}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    paragraphs = (
        f"<w:p>{_run('Before ')}{outer}{_run(' after.')}</w:p>"
        f"<w:p>{_run('Page ')}{_field(' PAGE ', None)}{_run(' ends here.')}</w:p>"
        f"<w:p>{_field(' MACROBUTTON NoMacro [Type your name] ', None)}</w:p>"
    ).encode()
    return rewrite(data, {"word/document.xml": lambda xml: _body(xml, paragraphs)})


_HIDDEN_STYLES = (
    b'<w:style w:type="character" w:customStyle="1" w:styleId="SecretChar">'
    b'<w:name w:val="Secret Char"/><w:rPr><w:vanish/></w:rPr></w:style>'
    b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="SecretPara">'
    b'<w:name w:val="Secret Para"/><w:basedOn w:val="Normal"/><w:rPr><w:vanish/></w:rPr></w:style>'
    b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="SecretChild">'
    b'<w:name w:val="Secret Child"/><w:basedOn w:val="SecretPara"/>'
    b"<w:rPr><w:b/></w:rPr></w:style>"
)


def hidden_through_styles(data: bytes) -> bytes:
    """Text hidden by a character style, a paragraph style, and a style based on it."""
    paragraphs = (
        _p("Hidden by its character style here.", run_style="SecretChar")
        + _p("Hidden by its paragraph style, every word.", style="SecretPara")
        + _p("Hidden by the style this style is based on.", style="SecretChild")
    )
    return rewrite(
        data,
        {
            "word/document.xml": lambda xml: _body(xml, paragraphs),
            "word/styles.xml": lambda xml: xml.replace(
                b"</w:styles>", _HIDDEN_STYLES + b"</w:styles>"
            ),
        },
    )


def no_section_properties(data: bytes) -> bytes:
    """No w:sectPr at all: Word takes its default page (Letter, one-inch margins)."""

    def edit(xml: bytes) -> bytes:
        return re.sub(rb"<w:sectPr[ >].*?</w:sectPr>", b"", xml, flags=re.S)

    return rewrite(data, {"word/document.xml": edit})


def _drop_part(name: str) -> dict[str, Callable[[bytes], bytes | None]]:
    """Drop part word/`name` with its relationship and content type."""
    pattern = re.compile(rb"<Relationship [^>]*Target=\"" + name.encode() + rb"\"[^>]*/>")
    override = re.compile(rb"<Override PartName=\"/word/" + name.encode() + rb"\"[^>]*/>")
    return {
        f"word/{name}": lambda blob: None,
        "word/_rels/document.xml.rels": lambda blob: pattern.sub(b"", blob),
        "[Content_Types].xml": lambda blob: override.sub(b"", blob),
    }


def no_styles_part(data: bytes) -> bytes:
    return rewrite(data, _drop_part("styles.xml"))


def empty_styles_part(data: bytes) -> bytes:
    """A styles part of zero bytes, as some converters leave it."""
    return rewrite(data, {"word/styles.xml": lambda blob: b""})


def no_numbering_or_settings(data: bytes) -> bytes:
    edits = {**_drop_part("settings.xml")}
    for name, edit in _drop_part("numbering.xml").items():
        previous = edits.get(name)
        edits[name] = (lambda b, e=edit, p=previous: e(p(b)) if p else e(b)) if previous else edit
    return rewrite(data, edits)


def strict_ooxml(data: bytes) -> bytes:
    """The same document in Strict OOXML's namespaces (Word's "Strict Open XML Document")."""

    def edit(blob: bytes) -> bytes:
        return re.sub(
            rb"http://schemas\.openxmlformats\.org/(wordprocessingml|officeDocument|drawingml)"
            rb"/2006/(main|relationships|math|wordprocessingDrawing|picture)",
            rb"http://purl.oclc.org/ooxml/\1/\2",
            blob,
        )

    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n.endswith((".xml", ".rels"))]
    return rewrite(data, {name: edit for name in names if name != "[Content_Types].xml"})


def only_a_table(data: bytes) -> bytes:
    """A body holding a table and nothing else (but the section's properties)."""
    cell = "<w:tc><w:p>{}</w:p></w:tc>"
    row = (
        "<w:tr>"
        + cell.format(_run("Name of the State party"))
        + cell.format(_run(NAME))
        + "</w:tr>"
    )
    table = f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{row}</w:tbl>"

    def edit(xml: bytes) -> bytes:
        return re.sub(
            rb"<w:body>.*?(<w:sectPr)", b"<w:body>" + table.encode() + rb"\1", xml, flags=re.S
        )

    return rewrite(data, {"word/document.xml": edit})


def name_in_footnote_on_page_one(data: bytes) -> bytes:
    """The stakeholder's name only in a footnote cited on page 1: it is printed on page 1."""
    return rewrite(data, {"word/footnotes.xml": _footnote_text(NAME)})


def _footnote_text(text: str) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        # The last note's first text run (the first two notes are Word's separators).
        pieces = xml.rsplit(b'<w:footnote w:id="1">', 1)
        if len(pieces) != 2:
            return xml
        note = re.sub(rb"<w:t[^>]*>[^<]*</w:t>", f"<w:t>{text}</w:t>".encode(), pieces[1], count=1)
        return pieces[0] + b'<w:footnote w:id="1">' + note

    return edit


@dataclass(frozen=True)
class Variant:
    base: str  # the real Word file it starts from
    make: Callable[[bytes], bytes]
    needle: str = NAME


VARIANTS: dict[str, Variant] = {
    "variant_vml_only_text_box": Variant(TEXT_BOX, vml_only_text_box),
    "variant_page_mark_inside_word": Variant(PLAIN, page_mark_inside_word),
    "variant_nested_and_empty_fields": Variant(PLAIN, nested_and_empty_fields),
    "variant_hidden_through_styles": Variant(PLAIN, hidden_through_styles),
    "variant_no_section_properties": Variant(PLAIN, no_section_properties),
    "variant_no_styles_part": Variant(PLAIN, no_styles_part),
    "variant_empty_styles_part": Variant(PLAIN, empty_styles_part),
    "variant_no_numbering_or_settings": Variant(NUMBERED, no_numbering_or_settings),
    "variant_strict": Variant(FOOTNOTE, strict_ooxml),
    "variant_only_a_table": Variant(PLAIN, only_a_table),
    "variant_name_in_footnote": Variant(FOOTNOTE, name_in_footnote_on_page_one),
}
