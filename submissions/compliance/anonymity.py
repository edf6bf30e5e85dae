"""A submission to be posted without its submitter's name: where the document names
them anyway, and the public copy with each occurrence replaced.

Looked for: the stakeholder's name (tolerantly, see `identities`), the contact's
name and e-mail address. Looked in: the text (body, tables, text boxes), the notes,
the headers and footers, the comments and their authors, the document's
properties. Redacted in the public copy: every occurrence in its text, field codes,
pictures' descriptions and link targets (properties and comments are emptied or
dropped by the cleaning anyway).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from submissions.compliance import opc
from submissions.compliance.identities import any_spans, excerpt
from submissions.compliance.safexml import parse_part
from submissions.compliance.text import DocumentText
from submissions.compliance.walker import Reading, paragraphs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WITHHELD = "[name withheld]"
PLACES = ("text", "notes", "headers", "comments", "properties")
_HEADERS = (opc.HEADER, opc.FOOTER)
_PROPERTIES = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_STORY = re.compile(r"^word/[^_].*\.xml$", re.I)  # text, headers, notes, charts, diagrams
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_RELS = re.compile(r"^word/_rels/[^/]+\.rels$", re.I)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Occurrence:
    """Where the document names its submitter: a place, how often, the first one."""

    place: str  # one of PLACES
    count: int
    excerpt: str


def _found(place: str, texts: list[str], names: list[str]) -> list[Occurrence]:
    count, first = 0, ""
    for text in texts:
        found = any_spans(text, names)
        if found and not first:
            first = excerpt(text, found[0])
        count += len(found)
    return [Occurrence(place, count, first)] if count else []


def _part_texts(package: opc.Package, parts: list[str]) -> list[str]:
    texts = []
    for part in parts:
        root = package.xml(part)
        if root is not None:
            texts += [p.text for p in paragraphs(root, Reading())]
    return texts


def _comment_texts(package: opc.Package, main: str) -> list[str]:
    texts = []
    for part in package.related(main, opc.COMMENTS):
        root = package.xml(part)
        for comment in root.iter(_w("comment")) if root is not None else ():
            texts.append(
                " ".join(filter(None, (comment.get(_w("author")), comment.get(_w("initials")))))
            )
            texts.append(" ".join(t.text or "" for t in comment.iter(_w("t"))))
    people = next((n for n in package.names if n.lower() == "word/people.xml"), None)
    root = package.xml(people) if people else None
    if root is not None:
        texts += [value for element in root.iter() for value in element.attrib.values()]
    return texts


def _property_texts(package: opc.Package) -> list[str]:
    texts = []
    for part in _PROPERTIES:
        root = package.xml(part)
        if root is not None:
            texts += [e.text for e in root.iter() if isinstance(e.tag, str) and e.text]
    return texts


def find_occurrences(
    package: opc.Package, main: str, text: DocumentText, names: list[str]
) -> list[Occurrence]:
    """Each place where one of `names` occurs, with the first occurrence in it."""
    names = [n for n in names if n and n.strip()]
    headers = [p for kind in _HEADERS for p in package.related(main, kind)]
    return [
        *_found("text", [p.text for p in text.body], names),
        *_found("notes", text.notes, names),
        *_found("headers", _part_texts(package, headers), names),
        *_found("comments", _comment_texts(package, main), names),
        *_found("properties", _property_texts(package), names),
    ]


def _redact_runs(nodes: list[etree._Element], names: list[str]) -> None:
    """Replace each occurrence across these text nodes (one paragraph's, in order)."""
    texts = [node.text or "" for node in nodes]
    joined = "".join(texts)
    found = any_spans(joined, names)
    if not found:
        return
    start = 0
    for node, text in zip(nodes, texts, strict=True):
        end = start + len(text)
        pieces, cursor = [], start
        for span_start, span_end in found:
            if span_end <= start or span_start >= end:
                continue
            pieces.append(joined[cursor : max(span_start, start)])
            if span_start >= start:
                pieces.append(WITHHELD)  # the first node the occurrence touches says it
            cursor = min(span_end, end)
        pieces.append(joined[cursor:end])
        node.text = "".join(pieces)
        start = end


def _redact_story(root: etree._Element, names: list[str]) -> None:
    # Word's paragraphs, and DrawingML's (shapes, SmartArt, chart titles).
    for paragraph_tag, text_tag in ((_w("p"), _w("t")), (f"{{{A}}}p", f"{{{A}}}t")):
        for paragraph in root.iter(paragraph_tag):
            own = [
                t
                for t in paragraph.iter(text_tag)
                if next(t.iterancestors(paragraph_tag)) is paragraph
            ]
            _redact_runs(own, names)
    for value in root.iter(f"{{{C}}}v"):  # a chart's cached labels
        _redact_runs([value], names)
    for code in root.iter(_w("instrText")):
        _redact_runs([code], names)
    for picture in root.iter(_DOC_PR):
        for attribute in ("descr", "title", "name"):
            value = picture.get(attribute)
            if value and any_spans(value, names):
                picture.set(attribute, WITHHELD)


def _redact_links(root: etree._Element, names: list[str]) -> None:
    for element in root:
        target = element.get("Target") or ""
        if element.get("TargetMode") == "External" and any_spans(target, names):
            element.set("Target", "#")  # a mailto: with the contact's address, say


def redact(clean: bytes, names: list[str]) -> bytes:
    """The public copy `clean` (see `cleaning`) with every occurrence of `names` replaced."""
    names = [n for n in names if n and n.strip()]
    source = zipfile.ZipFile(io.BytesIO(clean))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            blob = source.read(member)
            if _STORY.match(member.filename):
                root = parse_part(blob)
                _redact_story(root, names)
            elif _RELS.match(member.filename):
                root = parse_part(blob)
                _redact_links(root, names)
            else:
                target.writestr(member, blob)
                continue
            blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(member, blob)
    return out.getvalue()


def redact_text(text: str, names: list[str]) -> str:
    """`text` with every occurrence of `names` replaced, as the public copy's runs are."""
    out, last = [], 0
    for start, end in any_spans(text, names):
        out += [text[last:start], WITHHELD]
        last = end
    return "".join(out) + text[last:]
