"""Alternative format chunks (`w:altChunk`): content Word merges into the document on opening.

Tools that build documents embed another .docx, a web page or plain text this
way; Word and LibreOffice show it in place, so it is read and counted. A chunk
inside a chunk is not read, nor are RTF and MHT chunks (rare, and their text
cannot be had without a converter).
"""

from __future__ import annotations

import codecs

import lxml.html
from lxml import etree

from submissions.compliance import opc
from submissions.compliance.package import UnreadableDocument, nested_package
from submissions.compliance.styles import Hiding, StyleSheet
from submissions.compliance.walker import Paragraph, Reading, paragraphs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HTML_BLOCKS = ("p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6")
_NOT_READ = (b"{\\rtf", b"mime-version", b"from:")


def _docx(blob: bytes) -> list[Paragraph]:
    try:
        package = nested_package(blob)
    except UnreadableDocument:
        return []
    main = package.main_document()
    root = package.xml(main) if main else None
    body = root.find(f"{{{W}}}body") if root is not None else None
    if main is None or body is None:
        return []
    styles_part = next(iter(package.related(main, opc.STYLES)), None)
    styles = package.xml(styles_part) if styles_part else None
    return paragraphs(body, Reading(StyleSheet(styles), Hiding(styles)))


def _html(blob: bytes) -> list[Paragraph]:
    try:
        root = lxml.html.document_fromstring(blob, parser=lxml.html.HTMLParser(no_network=True))
    except (etree.LxmlError, ValueError):
        return []
    for element in list(root.iter("script", "style", "head")):
        if element.getparent() is not None:
            element.drop_tree()
    for block in root.iter(*_HTML_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return _lines(root.text_content())


def _lines(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def _decode(blob: bytes) -> str:
    if blob.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return blob.decode("utf-16", "replace")
    return blob.decode("utf-8-sig", "replace")


def chunk_paragraphs(package: opc.Package, source: str, rel_id: str) -> list[Paragraph]:
    """The paragraphs of the chunk that `source`'s relationship `rel_id` points at."""
    target = package.targets_by_id(source).get(rel_id)
    blob = package.blob(target) if target else None
    if not blob:
        return []
    if blob.startswith(b"PK\x03\x04"):
        return _docx(blob)
    text = _decode(blob[: 1 << 20])
    head = text[:512].lstrip().lower().encode("utf-8", "replace")
    if head.startswith(_NOT_READ) or "\0" in text[:512]:
        return []
    if head.startswith((b"<!doctype html", b"<html", b"<body", b"<p", b"<div", b"<?xml")):
        return _html(blob)
    return _lines(text)
