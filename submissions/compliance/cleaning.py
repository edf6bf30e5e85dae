"""The public copy of a .docx: what the document shows, without what it hides.

Removed: the author, editors, company and manager in the document properties;
comments (their parts, anchors and references) and the list of people; tracked
changes (deletions dropped, insertions kept as plain text, formatting changes
forgotten); hidden text; custom XML data. The visible text, tables, notes,
pictures and layout stay as they are. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from submissions.compliance.package import open_document, parse_part
from submissions.compliance.text import extract

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Parts dropped whole: comments and their extensions, the people who commented.
_DROPPED = re.compile(r"^word/(comments[A-Za-z]*\.xml|people\.xml)$|^customXml/", re.I)
# Elements removed with what they hold.
_REMOVED = {
    _w(t)
    for t in (
        "del",
        "moveFrom",
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
    )
}
# Elements replaced by their children (tracked insertions become plain text).
_UNWRAPPED = {_w("ins"), _w("moveTo")}
_PERSONAL = {
    "docProps/core.xml": {
        f"{{{DC}}}creator",
        f"{{{CP}}}lastModifiedBy",
        f"{{{CP}}}keywords",
        f"{{{DC}}}description",
        f"{{{CP}}}category",
    },
    "docProps/app.xml": {f"{{{EP}}}Company", f"{{{EP}}}Manager", f"{{{EP}}}HyperlinkBase"},
}


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _clean_story(root: etree._Element) -> None:
    """Comments, tracked changes and hidden text out of a body, header or note."""
    for element in list(root.iter(*_REMOVED)):
        if element.getparent() is not None:
            element.getparent().remove(element)
    for element in list(root.iter(*_UNWRAPPED)):
        _unwrap(element)
    for vanish in list(root.iter(_w("vanish"))):
        run = vanish.getparent().getparent()  # w:vanish in w:rPr in w:r
        if run is not None and run.tag == _w("r") and run.getparent() is not None:
            run.getparent().remove(run)


def _clean_properties(root: etree._Element, personal: set[str]) -> None:
    for element in root:
        if element.tag in personal:
            element.text = ""


def _drop_references(root: etree._Element, dropped: set[str], base: str) -> None:
    """Relationships and content-type overrides that point at a dropped part.

    `base` is the folder a relationships part's targets are relative to.
    """
    for element in list(root):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target") or element.get("PartName") or ""
        if target.startswith("/"):
            name = target.lstrip("/")
        elif element.get("Target") is not None:
            name = posixpath.normpath(posixpath.join(base, target))
        else:
            name = target
        if name in dropped:
            root.remove(element)


def public_text(clean: bytes) -> str:
    """What a reader of the public copy reads, in order."""
    return extract(open_document(clean)).reading_text


def clean_docx(data: bytes) -> bytes:
    """The public copy of `data`, a .docx that passed the package inspection."""
    source = zipfile.ZipFile(io.BytesIO(data))
    dropped = {name for name in source.namelist() if _DROPPED.search(name)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            name = member.filename
            if name in dropped:
                continue
            blob = source.read(member)
            if name.endswith(".xml") or name.endswith(".rels"):
                root = parse_part(blob)
                if name in _PERSONAL:
                    _clean_properties(root, _PERSONAL[name])
                elif name.endswith(".rels") or name == "[Content_Types].xml":
                    # word/_rels/document.xml.rels points from the word/ folder.
                    base = posixpath.dirname(posixpath.dirname(name))
                    _drop_references(root, dropped, base)
                elif name.startswith("word/"):
                    _clean_story(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(member, blob)
    return out.getvalue()
