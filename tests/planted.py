"""A Word file with a marker planted in every place that identifies a person or a machine.

`planted_docx()` returns the file; `MARKERS` names each place. The public copy, its
PDF and every public page must carry none of them, while `VISIBLE` stays.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.bad_inputs import PNG_PIXEL
from tests.ole_files import package_object

NAME = "Global Alliance"
VISIBLE = ("Submitted by: Global Alliance", "Kept words inserted words", "The visible conclusion.")
MARKERS = {
    "core: author": "MKcreator",
    "core: last modified by": "MKeditor",
    "core: title": "MKtitle",
    "core: subject": "MKsubject",
    "core: keywords": "MKkeywords",
    "core: description": "MKdescription",
    "core: category": "MKcategory",
    "app: company": "MKcompany",
    "app: manager": "MKmanager",
    "app: template": "MKtemplate",
    "app: hyperlink base": "MKhyperlinkbase",
    "app: titles of parts": "MKtitlesofparts",
    "custom property": "MKcustomproperty",
    "document variable": "MKdocvar",
    "attached template's path": "MKtemplatepath",
    "revision id": "00C0FFEE",
    "comment's author": "MKcommentauthor",
    "comment's text": "MKcommenttext",
    "people.xml": "MKperson",
    "insertion's author": "MKinsauthor",
    "deleted text": "MKdeleted",
    "moved-away text": "MKmoved",
    "paragraph mark's revision author": "MKmarkauthor",
    "custom XML part": "MKcustomxml",
    "custom XML element's data": "MKcxmlattr",
    "smart tag's data": "MKsmarttag",
    "hidden run": "MKhiddenrun",
    "hidden by character style": "MKhiddenchar",
    "hidden by paragraph style": "MKhiddenpara",
    "hidden by an inherited style": "MKhiddeninherited",
    "embedded file": "MKembedded",
    "thumbnail": "MKthumbnail",
    "glossary": "MKglossary",
    "unreferenced member": "MKorphan",
    "linked file's path": "MKlinkpath",
    "a photo's EXIF": "MKexif",
    "a picture's PNG text": "MKpngtext",
}
M = MARKERS
INS_AUTHOR = M["insertion's author"]
MARK_AUTHOR = M["paragraph mark's revision author"]
CXML_DATA = M["custom XML element's data"]
SMART_TAG = M["smart tag's data"]
TEMPLATE_PATH = M["attached template's path"]
LINK_PATH = M["linked file's path"]
EXIF = M["a photo's EXIF"]
PNG_TEXT = M["a picture's PNG text"]
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_STYLES = f"""
<w:style {nsdecls("w")} w:type="character" w:customStyle="1" w:styleId="SecretChar">
<w:name w:val="Secret Char"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="SecretPara">
<w:name w:val="Secret Para"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="SecretChild">
<w:name w:val="Secret Child"/><w:basedOn w:val="SecretPara"/></w:style>"""


def _body(document) -> None:
    document.add_paragraph(f"Submitted by: {NAME}")
    byline = document.paragraphs[0]
    document.add_comment(byline.runs, text=M["comment's text"], author=M["comment's author"])
    tracked = document.add_paragraph("Kept words ")
    date = 'w:date="2022-09-01T00:00:00Z"'
    tracked._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="101" w:author="{INS_AUTHOR}" {date}>'
        '<w:r><w:t xml:space="preserve">inserted words</w:t></w:r></w:ins>'
    ))  # fmt: skip
    tracked._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="102" w:author="x" {date}>'
        f'<w:r><w:delText>{M["deleted text"]}</w:delText></w:r></w:del>'
    ))  # fmt: skip
    tracked._p.append(parse_xml(
        f'<w:moveFrom {nsdecls("w")} w:id="103" w:author="x" {date}>'
        f'<w:r><w:t>{M["moved-away text"]}</w:t></w:r></w:moveFrom>'
    ))  # fmt: skip
    tracked._p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:ins w:id="104" w:author="{MARK_AUTHOR}"'
        f" {date}/></w:rPr>"
    ))  # fmt: skip
    tracked._p.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rsidR", M["revision id"]
    )
    document.add_paragraph().add_run(M["hidden run"]).font.hidden = True
    document.add_paragraph().add_run(M["hidden by character style"]).style = "Secret Char"
    document.add_paragraph(M["hidden by paragraph style"], style="Secret Para")
    document.add_paragraph(M["hidden by an inherited style"], style="Secret Child")
    document.element.body.insert(-1, parse_xml(
        f'<w:customXml {nsdecls("w")} w:element="secret"><w:customXmlPr>'
        f'<w:attr w:name="a" w:val="{CXML_DATA}"/></w:customXmlPr>'
        '<w:p><w:r><w:t>Custom XML text stays.</w:t></w:r></w:p></w:customXml>'
    ))  # fmt: skip
    document.add_paragraph()._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="rIdL"><w:r><w:t>our figures</w:t></w:r>'
        "</w:hyperlink>"
    ))  # fmt: skip
    document.add_paragraph()._p.append(parse_xml(
        f'<w:smartTag {nsdecls("w")} w:uri="urn:x" w:element="PersonName"><w:smartTagPr>'
        f'<w:attr w:name="n" w:val="{SMART_TAG}"/></w:smartTagPr>'
        "<w:r><w:t>The visible conclusion.</w:t></w:r></w:smartTag>"
    ))  # fmt: skip


def _properties(document) -> None:
    core = document.core_properties
    core.author, core.last_modified_by = M["core: author"], M["core: last modified by"]
    core.title, core.subject = M["core: title"], M["core: subject"]
    core.keywords, core.comments = M["core: keywords"], M["core: description"]
    core.category = M["core: category"]


def _app_xml() -> str:
    return (
        f'<Properties xmlns="{_EP}" xmlns:vt="{_VT}"><Template>{M["app: template"]}.dotm</Template>'
        f"<Company>{M['app: company']}</Company><Manager>{M['app: manager']}</Manager>"
        f"<HyperlinkBase>{M['app: hyperlink base']}</HyperlinkBase>"
        '<TitlesOfParts><vt:vector size="1" baseType="lpstr">'
        f"<vt:lpstr>{M['app: titles of parts']}</vt:lpstr></vt:vector></TitlesOfParts></Properties>"
    )


def _extra_parts() -> dict[str, bytes | str]:
    return {
        "docProps/app.xml": _app_xml(),
        "docProps/custom.xml": f'<Properties xmlns="{_CUSTOM}" xmlns:vt="{_VT}">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Contact">'
        f"<vt:lpwstr>{M['custom property']}</vt:lpwstr></property></Properties>",
        "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0" + M["thumbnail"].encode(),
        "customXml/item1.xml": f"<data><who>{M['custom XML part']}</who></data>",
        "word/people.xml": f'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/'
        f'2012/wordml"><w15:person w15:author="{M["people.xml"]}"/></w15:people>',
        "word/embeddings/oleObject1.bin": package_object(
            "notes.txt", f"{M['embedded file']} in a text file".encode()
        ),
        "word/glossary/document.xml": f"<w:glossaryDocument {nsdecls('w')}><w:docParts>"
        f"<w:docPart><w:docPartBody><w:p><w:r><w:t>{M['glossary']}</w:t></w:r></w:p>"
        "</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>",
        "word/orphan.xml": f"<orphan>{M['unreferenced member']}</orphan>",
        "word/media/photo.jpeg": _jpeg_with_exif(),
        "word/_rels/settings.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rIdT" Type="{_REL}attachedTemplate" '
        f'Target="file:///C:/Users/{TEMPLATE_PATH}/Normal.dotm" '
        'TargetMode="External"/></Relationships>',
    }


def _link(members: dict[str, bytes]) -> None:
    """Point the package at the parts added: relationships and content types."""
    thumbnail = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
    rels = {
        "_rels/.rels": [
            ("rIdC", _REL + "custom-properties", "docProps/custom.xml"),
            ("rIdT", thumbnail, "docProps/thumbnail.jpeg"),
        ],
        "word/_rels/document.xml.rels": [
            ("rIdX", _REL + "customXml", "../customXml/item1.xml"),
            ("rIdP", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml"),
            ("rIdO", _REL + "oleObject", "embeddings/oleObject1.bin"),
            ("rIdG", _REL + "glossaryDocument", "glossary/document.xml"),
            ("rIdJ", _REL + "image", "media/photo.jpeg"),
        ],
    }
    external = {
        "word/_rels/document.xml.rels": [
            ("rIdL", _REL + "hyperlink", f"file:///C:/Users/{LINK_PATH}/data.xlsx"),
        ],
    }
    for part, entries in rels.items():
        extra = "".join(
            f'<Relationship Id="{i}" Type="{kind}" Target="{target}"/>'
            for i, kind, target in entries
        ) + "".join(
            f'<Relationship Id="{i}" Type="{kind}" Target="{target}" TargetMode="External"/>'
            for i, kind, target in external.get(part, [])
        )
        members[part] = members[part].replace(
            b"</Relationships>", extra.encode() + b"</Relationships>"
        )
    settings = members["word/settings.xml"]
    planted = (
        f'<w:attachedTemplate r:id="rIdT"/><w:docVars><w:docVar w:name="who" '
        f'w:val="{M["document variable"]}"/></w:docVars>'
        f'<w:rsids><w:rsidRoot w:val="{M["revision id"]}"/></w:rsids>'
    ).encode()
    start = settings.index(b">", settings.index(b"<w:settings")) + 1
    members["word/settings.xml"] = settings[:start] + planted + settings[start:]
    if b"xmlns:r=" not in settings[:start]:
        members["word/settings.xml"] = members["word/settings.xml"].replace(
            b"<w:settings ",
            b'<w:settings xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships" ',
            1,
        )
    types = members["[Content_Types].xml"]
    defaults = [
        ("jpeg", "image/jpeg"),
        ("bin", "application/vnd.openxmlformats-officedocument.oleObject"),
    ]
    overrides = "".join(
        f'<Default Extension="{extension}" ContentType="{kind}"/>'
        for extension, kind in defaults
        if f'Extension="{extension}"'.encode() not in types
    ) + (
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.custom-properties+xml"/>'
        '<Override PartName="/word/glossary/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/>'
    )
    members["[Content_Types].xml"] = types.replace(b"</Types>", overrides.encode() + b"</Types>")


def _jpeg_with_exif() -> bytes:
    """A JPEG's segments, its EXIF block naming the camera's owner (bytes enough for us)."""
    exif = b"Exif\0\0Owner: " + EXIF.encode()
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    scan = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00" + b"\x00" * 16
    return b"\xff\xd8" + app1 + scan + b"\xff\xd9"


def _png_with_text() -> bytes:
    """The grey PNG of the bad-input corpus with a text chunk naming its author."""
    text = b"Author\0" + PNG_TEXT.encode()
    chunk = (
        struct.pack(">I", len(text))
        + b"tEXt"
        + text
        + struct.pack(">I", zlib.crc32(b"tEXt" + text))
    )
    return PNG_PIXEL[:-12] + chunk + PNG_PIXEL[-12:]


def planted_docx() -> bytes:
    document = docx.Document()
    styles = document.styles.element
    for style in parse_xml(f"<root {nsdecls('w')}>{_STYLES}</root>"):
        styles.append(style)
    _properties(document)
    _body(document)
    document.add_picture(io.BytesIO(_png_with_text()))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in _extra_parts().items():
        members[name] = data.encode() if isinstance(data, str) else data
    _link(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
