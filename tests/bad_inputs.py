"""A corpus of bad uploads, each with the finding it must get.

`build(out_dir, profile_dir)` writes every file and returns {name: (path, code)}.
Most files are made here byte by byte (a zip bomb, lying size fields, entity
bombs...); a legacy .doc and an .odt are written by LibreOffice, and the
password-protected .docx is encrypted by msoffcrypto-tool, as Word would do it.
The code "ok" means a readable file that meets the rules (it must simply be checked
within bounded time and memory). Run it alone to look at the files:
python -m tests.bad_inputs OUT_DIR
"""

from __future__ import annotations

import io
import random
import shutil
import string
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
from msoffcrypto.format.ooxml import OOXMLFile

from tests.documents import make_docx
from tests.ole_files import package_object

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NAME = "Global Alliance"


def _png(width: int = 40, height: int = 40) -> bytes:
    """A grey PNG picture, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    image = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + image


PNG_PIXEL = _png()


def _content_types(main: str = WORD_MAIN, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    )


def _zip(members: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(make_docx(NAME, "Our input."))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with(changes: dict[str, bytes | str | None]) -> bytes:
    """A python-docx file with members replaced, added (a value) or removed (None)."""
    members: dict[str, bytes | str] = dict(_docx_members())
    for name, data in changes.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    return _zip(members)


def _duplicated(name: str) -> bytes:
    """A python-docx file with a second member of the same name (readers differ on which)."""
    members = _docx_members()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        archive.writestr(name.upper(), members[name].replace(b"Our input.", b"Other text."))
    return buffer.getvalue()


def _document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )


def _lying_sizes() -> bytes:
    """A zip whose directory says document.xml is 100 bytes; it holds 2 MB."""
    data = bytearray(_with({"word/document.xml": "x" * 2_000_000}))
    offset = data.rfind(b"PK\x01\x02")
    while offset != -1:  # every central directory entry: uncompressed size at +24
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, offset + 24, 100)
        offset = data.rfind(b"PK\x01\x02", 0, offset)
    return bytes(data)


def _encrypted_zip_member() -> bytes:
    data = bytearray(make_docx(NAME))
    offset = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, offset + 8, struct.unpack_from("<H", data, offset + 8)[0] | 1)
    return bytes(data)


def _encrypted_docx() -> bytes:
    source = OOXMLFile(io.BytesIO(make_docx(NAME, "Secret input.")))
    out = io.BytesIO()
    source.encrypt("a password", out)
    return out.getvalue()


def _images_only() -> bytes:
    document = docx.Document()
    document.add_picture(io.BytesIO(PNG_PIXEL))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _letters(count: int) -> str:
    """One word of `count` letters that do not compress well (a zip bomb would)."""
    return "".join(random.Random(6).choices(string.ascii_letters, k=count))


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
DTD = '<!DOCTYPE w:document SYSTEM "http://example.org/evil.dtd">'


def made_here() -> dict[str, tuple[bytes, str]]:
    """Every bad input that needs no office suite: name -> (bytes, expected code)."""
    ct = "[Content_Types].xml"
    doc = "word/document.xml"
    bomb = b"\0" * (60 * 1024 * 1024)
    many = {f"word/media/part{i}.xml": "<a/>" for i in range(1500)}
    utf16 = _document_xml("", XXE).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    laughs_in_types = _content_types().replace(
        "<Types", BILLION_LAUGHS.replace("lolz", "Types") + "<Types", 1
    )
    spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    slides = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    template = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    macros = "application/vnd.ms-word.document.macroEnabled.main+xml"
    entity_body = "<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>"
    return {
        "zero_bytes.docx": (b"", "empty_file"),
        "truncated_zip.docx": (make_docx(NAME, "Our input.")[:2000], "damaged_file"),
        "pdf_renamed.docx": (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "pdf_file"),
        "png_renamed.docx": (PNG_PIXEL, "image_file"),
        "jpeg_renamed.docx": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 200, "image_file"),
        "text_renamed.docx": (b"Our submission, as plain text.\n" * 20, "text_file"),
        "html_renamed.docx": (b"<!DOCTYPE html><html><body>Our input</body></html>", "html_file"),
        "rtf_renamed.docx": (b"{\\rtf1\\ansi Our input.}", "rtf_file"),
        "binary_garbage.docx": (bytes(range(256)) * 8, "not_a_word_file"),
        "xlsx_renamed.docx": (_zip({ct: _content_types(spreadsheet)}), "spreadsheet_file"),
        "pptx_renamed.docx": (_zip({ct: _content_types(slides)}), "presentation_file"),
        "dotx_template.docx": (_with({ct: _content_types(template)}), "word_template"),
        "encrypted.docx": (_encrypted_docx(), "encrypted_document"),
        "encrypted_zip_member.docx": (_encrypted_zip_member(), "encrypted_document"),
        "macro_enabled.docm": (_with({ct: _content_types(macros)}), "macro_enabled_document"),
        "smuggled_macro.docx": (
            _with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}),
            "macro_enabled_document",
        ),
        "activex.docx": (_with({"word/activeX/activeX1.xml": "<ax/>"}), "activex_content"),
        # An embedded object is listed, not refused; a program inside one is refused.
        "embedded_object.docx": (_with({"word/embeddings/oleObject1.bin": b"\0" * 64}), "ok"),
        "embedded_program.docx": (
            _with({"word/embeddings/oleObject1.bin": package_object("setup.exe", b"MZ\x90")}),
            "embedded_program",
        ),
        "duplicate_document_part.docx": (_duplicated("word/document.xml"), "package_ambiguous"),
        "empty_zip.docx": (_zip({}), "not_a_word_file"),
        "no_content_types.docx": (_with({ct: None}), "not_a_word_file"),
        "no_document_part.docx": (_with({doc: None}), "damaged_file"),
        "malformed_xml.docx": (_with({doc: "<w:document><w:body><w:p>"}), "damaged_file"),
        "entity_expansion.docx": (
            _with({doc: _document_xml(entity_body, BILLION_LAUGHS)}),
            "xml_declarations",
        ),
        "external_entity.docx": (_with({doc: _document_xml("", XXE)}), "xml_declarations"),
        "external_dtd.docx": (_with({doc: _document_xml("", DTD)}), "xml_declarations"),
        "dtd_in_content_types.docx": (_with({ct: laughs_in_types}), "xml_declarations"),
        "utf16_entity.docx": (_with({doc: utf16.encode("utf-16")}), "xml_declarations"),
        "zip_bomb.docx": (_with({"word/media/zeros.bin": bomb}), "package_too_large"),
        "many_members.docx": (_with(many), "package_too_complex"),
        "path_traversal.docx": (
            _zip({**_docx_members(), "../../evil.xml": "<a/>"}),
            "package_unsafe",
        ),
        "absolute_path.docx": (
            _zip({**_docx_members(), "/etc/evil.xml": "<a/>"}),
            "package_unsafe",
        ),
        "lying_size_fields.docx": (_lying_sizes(), "damaged_file"),
        "oversized.docx": (make_docx(NAME) + b"\0" * (21 * 1024 * 1024), "file_too_large"),
        "images_only.docx": (_images_only(), "empty_document"),
        "huge_single_word.docx": (make_docx(NAME, _letters(2_000_000)), "ok"),
    }


def made_by_libreoffice(out_dir: Path, profile_dir: Path) -> dict[str, tuple[Path, str]]:
    """A real Word 97-2003 file and a real OpenDocument file, written by LibreOffice."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    source = out_dir / "source.html"
    source.write_text(f"<html><body><p>{NAME}</p><p>Our input.</p></body></html>")
    made = {}
    for extension, target, code in (
        ("doc", "MS Word 97", "legacy_doc"),
        ("odt", "writer8", "odt_file"),
    ):
        subprocess.run(
            [
                binary,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile_dir.as_uri()}",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                f"{extension}:{target}",
                "--outdir",
                str(out_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        renamed = out_dir / f"libreoffice_{extension}_renamed.docx"
        (out_dir / f"source.{extension}").rename(renamed)
        made[renamed.name] = (renamed, code)
    source.unlink()
    return made


def build(out_dir: Path, profile_dir: Path) -> dict[str, tuple[Path, str]]:
    """Write the whole corpus into `out_dir`; name -> (path, expected code)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = made_by_libreoffice(out_dir, profile_dir)
    for name, (data, code) in made_here().items():
        (out_dir / name).write_bytes(data)
        corpus[name] = (out_dir / name, code)
    return corpus


if __name__ == "__main__":
    target = Path(sys.argv[1])
    for name, (_path, code) in sorted(build(target, target / ".profile").items()):
        print(f"{name}: {code}")
