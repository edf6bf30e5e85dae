"""The public copy of a .docx: what the document shows, and nothing that identifies
a person or a machine beyond what its author meant to publish.

Kept: the parts the document's relationships reach (text, tables, notes, headers,
pictures without their EXIF, XMP or text blocks, charts' cached figures, layout),
each story scrubbed (`scrubbing`).
Dropped: comments and the people who made them, custom XML data, custom
properties, thumbnails, the glossary (building blocks never shown), embedded
files, and any member of the zip nothing points at. In the properties that stay,
the author, editors, company, manager, template, subject, keywords, description
and category are emptied; the title and author are set from the public fields
(the PDF made from the copy takes its metadata from them), and Word's list of
the parts' titles goes. An alternative chunk (another file Word merges in) becomes
the plain paragraphs of its text. In the settings,
document variables, the attached template, mail-merge sources and revision ids
go, with every external link of the settings. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from submissions.compliance import opc
from submissions.compliance.chunks import chunk_paragraphs
from submissions.compliance.package import open_document, parse_part
from submissions.compliance.pictures import strip_metadata
from submissions.compliance.scrubbing import scrub_story
from submissions.compliance.styles import Hiding
from submissions.compliance.text import extract

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class PublicFields:
    """What the public copy's properties may say: nothing but what the public page says."""

    title: str = ""  # "GC6-0042 Global Alliance", or the number alone
    author: str = ""  # the stakeholder as shown; "" when withheld


# Never public, even when something points at them.
_DROPPED = re.compile(
    r"^word/(comments[A-Za-z]*\.xml|people\.xml)$|^customXml/|^word/embeddings/|^word/glossary/"
    r"|^docProps/custom\.xml$|^docProps/thumbnail\.[a-z]+$",
    re.I,
)
_EMPTIED = {
    f"{{{DC}}}creator",
    f"{{{CP}}}lastModifiedBy",
    f"{{{CP}}}keywords",
    f"{{{DC}}}description",
    f"{{{CP}}}category",
    f"{{{EP}}}Company",
    f"{{{EP}}}Manager",
    f"{{{EP}}}HyperlinkBase",
    f"{{{EP}}}Template",
    f"{{{DC}}}subject",  # the PDF's Subject comes from here: only public fields may
}
# Word's list of the document's titles and headings (the old title among them):
# optional, so removed.
_REMOVED = {f"{{{EP}}}TitlesOfParts", f"{{{EP}}}HeadingPairs"}
_SETTINGS_REMOVED = {f"{{{W}}}{t}" for t in ("docVars", "attachedTemplate", "mailMerge", "rsids")}
_STORY_FOLDER = "word/"
_LOCAL_PATH = re.compile(r"^(file:|[A-Za-z]:[\\/]|\\\\|/|\.\.?[\\/])", re.I)


def _reachable(source: zipfile.ZipFile, dropped: set[str]) -> set[str]:
    """The members the package's relationships reach, with their relationships parts,
    but for `dropped` and what `_DROPPED` names."""
    by_lower = {name.lower(): name for name in source.namelist()}
    kept = {opc.CONTENT_TYPES}
    todo = [""]
    while todo:
        part = todo.pop()
        rels = by_lower.get(opc.rels_name(part).lower())
        if rels is None:
            continue
        kept.add(rels)
        for element in parse_part(opc.transitional(source.read(rels))):
            if element.get("TargetMode") == "External":
                continue
            target = by_lower.get(opc.resolve(part, element.get("Target") or "").lower())
            if target and target not in kept | dropped and not _DROPPED.search(target):
                kept.add(target)
                todo.append(target)
    return kept


def _drop_references(root: etree._Element, kept: set[str], base: str, settings: bool) -> None:
    """Relationships and content-type overrides to parts not kept; for the settings,
    every external one too (the attached template's path names its owner's folder)."""
    lower = {name.lower() for name in kept}
    for element in list(root):
        if element.get("TargetMode") == "External":
            if settings:
                root.remove(element)
            elif _LOCAL_PATH.match(element.get("Target") or ""):
                # A link to a file on the author's machine (a linked picture or
                # workbook, a hyperlink to C:\Users\...): names its owner, opens nothing.
                element.set("Target", "#")
            continue
        if element.get("PartName") is not None:
            name = element.get("PartName", "").lstrip("/")
        elif element.get("Target") is not None:
            name = opc.resolve(base, element.get("Target", ""))
        else:
            continue
        if name.lower() not in lower:
            root.remove(element)


def _clean_properties(root: etree._Element, public: PublicFields) -> None:
    for element in list(root):
        if element.tag in _REMOVED:
            root.remove(element)
        elif element.tag in _EMPTIED:
            for child in list(element):
                element.remove(child)
            element.text = ""
    if etree.QName(root).localname != "coreProperties":
        return  # the extended properties: nothing of the public page's goes there
    for tag, value in ((f"{{{DC}}}title", public.title), (f"{{{DC}}}creator", public.author)):
        element = root.find(tag)
        if element is None:  # absent: the PDF would take a title of its own making
            element = etree.SubElement(root, tag)
        element.text = value


def public_text(clean: bytes) -> str:
    """What a reader of the public copy reads, in order."""
    opened = open_document(clean)
    return extract(opened.package, opened.main).reading_text


def _source_of(name: str) -> str:
    """The part whose relationships `name` holds: word/_rels/document.xml.rels is
    word/document.xml's, _rels/.rels the package's ("")."""
    if not name.endswith(".rels"):
        return ""
    folder = posixpath.dirname(posixpath.dirname(name))
    return posixpath.join(folder, posixpath.basename(name)[: -len(".rels")])


def _chunks(source: zipfile.ZipFile) -> tuple[str, dict[str, list[str]], set[str]]:
    """The main part, the text of each alternative chunk it merges in (by relationship
    id), and the chunks' parts."""
    package = opc.Package(source, parse_part)
    main = package.main_document() or ""
    rels = [r for r in package.relationships(main) if r.type == opc.AF_CHUNK and not r.external]
    chunks = {rel.id: [p.text for p in chunk_paragraphs(package, main, rel.id)] for rel in rels}
    return main, chunks, {rel.target for rel in rels}


def _inline_chunks(root: etree._Element, chunks: dict[str, list[str]]) -> None:
    """Each alternative chunk becomes the plain paragraphs of its text: the chunk (a
    whole other file, with its own properties, comments and hidden text) is not copied."""
    for chunk in list(root.iter(f"{{{W}}}altChunk")):
        parent, index = chunk.getparent(), chunk.getparent().index(chunk)
        for offset, text in enumerate(chunks.get(chunk.get(f"{{{R}}}id", ""), [])):
            paragraph = etree.Element(f"{{{W}}}p")
            run = etree.SubElement(paragraph, f"{{{W}}}r")
            etree.SubElement(run, f"{{{W}}}t").text = text
            parent.insert(index + offset, paragraph)
        parent.remove(chunk)


def _cleaned(name: str, blob: bytes, kept: set[str], hiding: Hiding, public: PublicFields):
    # Strict OOXML is written back under Transitional's names: the same document,
    # which every reader opens, cleaned by the same rules.
    root = parse_part(opc.transitional(blob))
    if name in ("docProps/core.xml", "docProps/app.xml"):
        _clean_properties(root, public)
    elif name.endswith(".rels") or name == opc.CONTENT_TYPES:
        _drop_references(root, kept, _source_of(name), settings=name.endswith("settings.xml.rels"))
    elif name.lower() == "word/settings.xml":
        for element in list(root.iter(*_SETTINGS_REMOVED)):
            element.getparent().remove(element)
    elif name.startswith(_STORY_FOLDER):
        scrub_story(root, hiding)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_docx(data: bytes, public: PublicFields | None = None) -> bytes:
    """The public copy of `data`, a .docx that passed the package inspection."""
    public = public or PublicFields()
    source = zipfile.ZipFile(io.BytesIO(data))
    main, chunks, chunk_parts = _chunks(source)
    kept = _reachable(source, chunk_parts)
    styles = next((n for n in source.namelist() if n.lower() == "word/styles.xml"), None)
    styles_blob = opc.transitional(source.read(styles)) if styles else b""
    hiding = Hiding(parse_part(styles_blob) if styles_blob.strip() else None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename not in kept:
                continue
            blob = source.read(member)
            if member.filename.lower() == main.lower() and chunks:
                root = parse_part(opc.transitional(blob))
                _inline_chunks(root, chunks)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            if member.filename.endswith((".xml", ".rels")) and blob.strip():
                blob = _cleaned(member.filename, blob, kept, hiding, public)
            elif member.filename.lower().startswith("word/media/"):
                blob = strip_metadata(blob)  # a photo's GPS position, its camera's owner
            target.writestr(member, blob)
    return out.getvalue()
