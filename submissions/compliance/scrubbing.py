"""One story of the public copy (a body, header, footer or note part), scrubbed.

Out: comments' anchors and references; tracked changes (deletions and moved-away
text dropped, insertions kept as plain text, every revision mark and its author
gone); hidden text, however it is hidden; the revision ids (`w:rsid*`) that tie
a file to the sessions and machine that edited it; custom XML and smart-tag
wrappers with their data (their text stays); embedded objects (their preview
stays) and a chart's link to its workbook (its cached figures stay).
"""

from __future__ import annotations

from lxml import etree

from submissions.compliance.styles import Hiding

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLE_OBJECT = "{urn:schemas-microsoft-com:office:office}OLEObject"
CHART_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Removed with what they hold.
_REMOVED = {_w(t) for t in (
    "del", "moveFrom", "commentRangeStart", "commentRangeEnd", "commentReference",
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
    "tblGridChange", "numberingChange", "cellIns", "cellDel", "cellMerge",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
    "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "customXmlPr", "smartTagPr",
)} | {OLE_OBJECT, CHART_DATA}  # fmt: skip
# Replaced by their children: insertions become plain text, wrappers go.
_UNWRAPPED = {_w("ins"), _w("moveTo"), _w("customXml"), _w("smartTag")}
_RSID = f"{{{W}}}rsid"


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _remove_hidden_runs(root: etree._Element, hiding: Hiding) -> None:
    styles: dict[etree._Element | None, str | None] = {}
    for run in list(root.iter(_w("r"))):
        paragraph = next(run.iterancestors(_w("p")), None)
        if paragraph not in styles:
            found = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}") if paragraph is not None else None
            styles[paragraph] = found.get(_w("val")) if found is not None else None
        if run.getparent() is not None and hiding.run(run.find(_w("rPr")), styles[paragraph]):
            run.getparent().remove(run)


def scrub_story(root: etree._Element, hiding: Hiding) -> None:
    """Scrub one story part in place."""
    for element in list(root.iter(*_REMOVED)):
        if element.getparent() is not None:
            element.getparent().remove(element)
    for element in list(root.iter(*_UNWRAPPED)):
        if element.getparent() is not None:
            _unwrap(element)
    _remove_hidden_runs(root, hiding)
    for element in root.iter(etree.Element):
        for name in [a for a in element.attrib if a.startswith(_RSID)]:
            del element.attrib[name]
