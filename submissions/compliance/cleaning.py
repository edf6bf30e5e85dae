"""The public copy of a .docx: what the document shows, without what it hides.

Removed: the author, editors, company and manager in the document properties;
comments (their parts, anchors and references) and the list of people; tracked
changes (deletions dropped, insertions kept as plain text, formatting changes
forgotten); hidden text, whether hidden on the run or through a style; custom
XML data; embedded files (workbooks, documents, OLE objects: an object keeps its
preview picture, a chart its cached figures). The visible text, tables, notes,
pictures and layout stay as they are. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from submissions.compliance import opc
from submissions.compliance.package import open_document, parse_part
from submissions.compliance.styles import Hiding
from submissions.compliance.text import extract

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
OLE_OBJECT = "{urn:schemas-microsoft-com:office:office}OLEObject"
CHART_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Parts dropped whole: comments and their extensions, the people who commented,
# custom XML data and embedded files.
_DROPPED = re.compile(
    r"^word/(comments[A-Za-z]*\.xml|people\.xml)$|^customXml/|^word/embeddings/", re.I
)
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


def _clean_story(root: etree._Element, hiding: Hiding) -> None:
    """Comments, tracked changes, hidden text and embedded objects out of a story."""
    for element in list(root.iter(*_REMOVED, OLE_OBJECT, CHART_DATA)):
        if element.getparent() is not None:
            element.getparent().remove(element)
    for element in list(root.iter(*_UNWRAPPED)):
        _unwrap(element)
    styles: dict[etree._Element, str | None] = {}
    for run in list(root.iter(_w("r"))):
        paragraph = next(run.iterancestors(_w("p")), None)
        if paragraph not in styles:
            found = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}") if paragraph is not None else None
            styles[paragraph] = found.get(_w("val")) if found is not None else None
        if run.getparent() is not None and hiding.run(run.find(_w("rPr")), styles[paragraph]):
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
    opened = open_document(clean)
    return extract(opened.package, opened.main).reading_text


def clean_docx(data: bytes) -> bytes:
    """The public copy of `data`, a .docx that passed the package inspection."""
    source = zipfile.ZipFile(io.BytesIO(data))
    dropped = {name for name in source.namelist() if _DROPPED.search(name)}
    styles = next((n for n in source.namelist() if n.lower() == "word/styles.xml"), None)
    styles_blob = opc.transitional(source.read(styles)) if styles else b""
    hiding = Hiding(parse_part(styles_blob) if styles_blob.strip() else None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            name = member.filename
            if name in dropped:
                continue
            blob = source.read(member)
            if name.endswith((".xml", ".rels")) and blob.strip():
                # Strict OOXML is written back under Transitional's names: the same
                # document, which every reader opens, cleaned by the same rules.
                root = parse_part(opc.transitional(blob))
                if name in _PERSONAL:
                    _clean_properties(root, _PERSONAL[name])
                elif name.endswith(".rels") or name == "[Content_Types].xml":
                    # word/_rels/document.xml.rels points from the word/ folder.
                    base = posixpath.dirname(posixpath.dirname(name))
                    _drop_references(root, dropped, base)
                elif name.startswith("word/"):
                    _clean_story(root, hiding)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(member, blob)
    return out.getvalue()
