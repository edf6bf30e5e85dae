"""Opening an uploaded file as a Word document, refusing what is not one, safely.

Before any part is read, a file is checked in this order, each step cheap and
bounded: the first bytes (what kind of file it is); the zip directory (number and
sizes of members, compression ratio, encryption, paths), without decompressing
anything; the prolog of every XML part (no DTD, so no entity can ever be
declared, let alone expanded); that no two readers could read it differently
(`ambiguity`); the package's content types (a WordprocessingML document, no
macros or ActiveX); the main part, found as Word finds it; and what it embeds
(`embedded`: listed, and refused only when it is a program). XML is then parsed
by a parser that never loads a DTD, resolves an entity or touches the network.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import olefile
from lxml import etree

from submissions.compliance import opc
from submissions.compliance.ambiguity import check_unambiguous
from submissions.compliance.codes import FindingCode
from submissions.compliance.embedded import EmbeddedItem, inventory
from submissions.compliance.safexml import SAFE_XML_PARSER, UnreadableDocument, parse_part

__all__ = ["SAFE_XML_PARSER", "PackageLimits", "UnreadableDocument", "open_document", "parse_part"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"


# The main part's content type says what an Office file really is.
_OOXML = "application/vnd.openxmlformats-officedocument."
_MAIN_TYPES: dict[str, FindingCode | None] = {
    _OOXML + "wordprocessingml.document.main+xml": None,
    _OOXML + "wordprocessingml.template.main+xml": FindingCode.WORD_TEMPLATE,
    _OOXML + "spreadsheetml.sheet.main+xml": FindingCode.SPREADSHEET_FILE,
    _OOXML + "presentationml.presentation.main+xml": FindingCode.PRESENTATION_FILE,
    "application/vnd.ms-word.document.macroEnabled.main+xml": FindingCode.MACRO_ENABLED_DOCUMENT,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (
        FindingCode.MACRO_ENABLED_DOCUMENT
    ),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": FindingCode.SPREADSHEET_FILE,
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": (
        FindingCode.PRESENTATION_FILE
    ),
}
# Parts that carry code or other programs: refused wherever they stand.
_DANGEROUS_TYPES: dict[str, FindingCode] = {
    "application/vnd.ms-office.vbaProject": FindingCode.MACRO_ENABLED_DOCUMENT,
    "application/vnd.ms-word.vbaData+xml": FindingCode.MACRO_ENABLED_DOCUMENT,
    "application/vnd.ms-office.activeX+xml": FindingCode.ACTIVEX_CONTENT,
    "application/vnd.ms-office.activeX": FindingCode.ACTIVEX_CONTENT,
}
_DANGEROUS_NAMES: list[tuple[re.Pattern[str], FindingCode]] = [
    (
        re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$", re.I),
        FindingCode.MACRO_ENABLED_DOCUMENT,
    ),
    (re.compile(r"^word/activeX/", re.I), FindingCode.ACTIVEX_CONTENT),
]
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")


@dataclass(frozen=True)
class PackageLimits:
    """How big and how complex an uploaded package may be (settings set these)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 1_000
    max_member_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_xml_bytes: int = 25 * 1024 * 1024
    max_compression_ratio: int = 100  # uncompressed / compressed, for members over 1 MiB


def _sniff_ole2(handle: BinaryIO) -> FindingCode:
    """What an OLE2 compound file holds: Word 97-2003, or an encrypted Office file..."""
    try:
        with olefile.OleFileIO(handle) as ole:
            if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
                return FindingCode.ENCRYPTED_DOCUMENT  # a password-protected .docx (or .xlsx...)
            if ole.exists("WordDocument"):
                return FindingCode.LEGACY_DOC
            if ole.exists("Workbook") or ole.exists("Book"):
                return FindingCode.SPREADSHEET_FILE
            if ole.exists("PowerPoint Document"):
                return FindingCode.PRESENTATION_FILE
    except (OSError, ValueError, IndexError, KeyError, struct.error):
        return FindingCode.DAMAGED_FILE
    return FindingCode.NOT_A_WORD_FILE


def _sniff_head(head: bytes) -> FindingCode:
    """The kind of a file that is neither a zip nor an OLE2 container."""
    if head.startswith(b"%PDF"):
        return FindingCode.PDF_FILE
    if head.startswith(b"{\\rtf"):
        return FindingCode.RTF_FILE
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return FindingCode.IMAGE_FILE
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return FindingCode.HTML_FILE
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return FindingCode.NOT_A_WORD_FILE
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return (
        FindingCode.TEXT_FILE
        if printable >= 0.95 * max(len(text), 1)
        else FindingCode.NOT_A_WORD_FILE
    )


def sniff_file(handle: BinaryIO) -> FindingCode | None:
    """Name the kind of a file that is not a zip (a seekable file); None for a zip."""
    head = handle.read(512)
    if not head:
        return FindingCode.EMPTY_FILE
    if head.startswith(ZIP_MAGIC):
        return None
    if head.startswith(OLE2_MAGIC):
        # Both legacy .doc and password-protected .docx are OLE2 containers.
        handle.seek(0)
        return _sniff_ole2(handle)
    return _sniff_head(head)


def _unsafe_name(name: str) -> bool:
    """An absolute path, a Windows path or a step up: nothing Word writes."""
    if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"


def declared_members(source: BinaryIO) -> int | None:
    """How many members the end-of-central-directory record says the zip has (its
    Zip64 record's count when there is one), or None when there is no such record.

    Read from the file's last 64 KiB before zipfile reads the whole directory, which
    for 100,000 members costs it 0.4 s: a flood of such files would take the web
    workers. Only an early refusal; the directory itself is still checked.
    """
    source.seek(0, io.SEEK_END)
    size = source.tell()
    tail_start = max(0, size - (22 + 0xFFFF))
    source.seek(tail_start)
    tail = source.read()
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    count = max(
        int.from_bytes(tail[at + 8 : at + 10], "little"),
        int.from_bytes(tail[at + 10 : at + 12], "little"),
    )
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(_ZIP64_LOCATOR):
        offset = int.from_bytes(locator[8:16], "little")
        if offset + 56 <= size:
            source.seek(offset)
            record = source.read(56)
            if record.startswith(_ZIP64_END):
                count = max(count, int.from_bytes(record[32:40], "little"))
    return count


def _check_directory(archive: zipfile.ZipFile, limits: PackageLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnreadableDocument(FindingCode.PACKAGE_TOO_COMPLEX)
    total = 0
    for member in members:
        if _unsafe_name(member.filename):
            raise UnreadableDocument(FindingCode.PACKAGE_UNSAFE)
        if member.flag_bits & 0x1:
            raise UnreadableDocument(FindingCode.ENCRYPTED_DOCUMENT)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        too_compressed = member.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio
        if member.file_size > limits.max_member_bytes or too_compressed:
            raise UnreadableDocument(FindingCode.PACKAGE_TOO_LARGE)
    if total > limits.max_total_bytes:
        raise UnreadableDocument(FindingCode.PACKAGE_TOO_LARGE)


def _has_declaration(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Does this XML part declare a DTD or an entity before its root element?"""
    with archive.open(member) as stream:
        head = stream.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Word writes UTF-8; a UTF-16 part is read as text to look at its prolog.
            decoder = codecs.getincrementaldecoder("utf-16")()
            seen = decoder.decode(head).encode("utf-8")
            to_bytes = lambda chunk: decoder.decode(chunk).encode("utf-8")  # noqa: E731
        else:
            seen = head
            to_bytes = lambda chunk: chunk  # noqa: E731
        while True:
            start = _ELEMENT_START.search(seen)
            prolog = seen[: start.start()] if start else seen
            if _DECLARATION.search(prolog):
                return True
            if start:
                return False
            chunk = stream.read(1 << 16)
            if not chunk:
                return False
            seen += to_bytes(chunk)


# Parts up to this size are parsed whole, faster (python-docx's 800 KB of styles: 12 ms
# instead of 31); larger ones as a stream whose elements are dropped as they are read.
_WHOLE_PARSE_BYTES = 2 * 1024 * 1024


def _well_formed(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Parse the part, in flat memory for a large one."""
    streamed = member.file_size > _WHOLE_PARSE_BYTES
    parser = etree.XMLPullParser(
        events=("end",) if streamed else (),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                parser.feed(chunk)
                if streamed:
                    for _event, element in parser.read_events():
                        element.clear()
            parser.close()
    except etree.XMLSyntaxError:
        return False
    return True


def _content_types(root: etree._Element, names: list[str]) -> dict[str, str]:
    """Part name (lower case, no leading slash) to content type, overrides over defaults."""
    defaults, types = {}, {}
    for element in root:
        tag = etree.QName(element).localname
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif tag == "Override":
            types[element.get("PartName", "").lstrip("/").lower()] = element.get("ContentType", "")
    for name in names:
        extension = name.rsplit(".", 1)[-1].lower()
        types.setdefault(name.lower(), defaults.get(extension, ""))
    return types


def _check_xml(archive: zipfile.ZipFile, limits: PackageLimits, parse_xml: bool) -> None:
    for member in archive.infolist():
        if member.filename.lower().endswith((".xml", ".rels")):
            if member.file_size > limits.max_xml_bytes:
                raise UnreadableDocument(FindingCode.PACKAGE_TOO_LARGE)
            if _has_declaration(archive, member):
                raise UnreadableDocument(FindingCode.XML_DECLARATIONS)
            if parse_xml and not _well_formed(archive, member):
                raise UnreadableDocument(FindingCode.DAMAGED_FILE)


def _main_part(package: opc.Package, types: dict[str, str]) -> str:
    """The main document part, as Word finds it, or an UnreadableDocument saying why not."""
    main = package.main_document()
    if main is None:
        # No officeDocument relationship: fall back on the content types, as LibreOffice does.
        mains = sorted(name for name, kind in types.items() if kind in _MAIN_TYPES)
        if not mains:
            raise UnreadableDocument(FindingCode.NOT_A_WORD_FILE)
        main = mains[0]
    kind = types.get(main.lower(), "")
    if kind not in _MAIN_TYPES:
        raise UnreadableDocument(FindingCode.NOT_A_WORD_FILE)
    refused = _MAIN_TYPES[kind]
    if refused:
        raise UnreadableDocument(refused)
    if not package.exists(main):
        # The main document is announced, not there.
        raise UnreadableDocument(FindingCode.DAMAGED_FILE)
    return main


@dataclass(frozen=True)
class OpenedDocument:
    """A package that passed the inspection: its parts, its main part, what it embeds."""

    package: opc.Package
    main: str
    embedded: tuple[EmbeddedItem, ...]


# What a chunk may not carry any more than the document: the programs it would open.
_PROGRAM_CODES = frozenset(
    {FindingCode.EMBEDDED_PROGRAM, FindingCode.MACRO_ENABLED_DOCUMENT, FindingCode.ACTIVEX_CONTENT}
)


def _check_chunks(package: opc.Package, main: str) -> None:
    """A Word file merged in as an alternative chunk is inspected as the document is:
    a program inside it is refused (a damaged chunk is only not read)."""
    for part in package.related(main, opc.AF_CHUNK):
        blob = package.blob(part) or b""
        if not blob.startswith(ZIP_MAGIC):
            continue
        try:
            _guarded(io.BytesIO(blob), PackageLimits(), parse_xml=False, chunks=False)
        except UnreadableDocument as refusal:
            if refusal.code in _PROGRAM_CODES:
                raise UnreadableDocument(
                    FindingCode.EMBEDDED_PROGRAM, {"name": refusal.params.get("name") or part}
                ) from None


def _open(
    archive: zipfile.ZipFile,
    source: BinaryIO,
    limits: PackageLimits,
    parse_xml: bool,
    chunks: bool = True,
) -> OpenedDocument:
    _check_directory(archive, limits)
    names = archive.namelist()
    if "mimetype" in names and CONTENT_TYPES not in names:
        raise UnreadableDocument(FindingCode.ODT_FILE)
    if CONTENT_TYPES not in names:
        raise UnreadableDocument(FindingCode.NOT_A_WORD_FILE)
    _check_xml(archive, limits, parse_xml)
    root = parse_part(opc.transitional(archive.read(CONTENT_TYPES)))
    check_unambiguous(archive, source, root)
    types = _content_types(root, names)
    for name, content_type in types.items():
        code = _DANGEROUS_TYPES.get(content_type) or next(
            (code for pattern, code in _DANGEROUS_NAMES if pattern.search(name)), None
        )
        if code:
            raise UnreadableDocument(code)
    package = opc.Package(archive, parse_part)
    main = _main_part(package, types)
    embedded = inventory(package.names, types, package.blob)
    if chunks:  # a chunk's own chunks are never merged, so never looked at
        _check_chunks(package, main)
    return OpenedDocument(package, main, embedded)


def _guarded(
    source: BinaryIO, limits: PackageLimits, parse_xml: bool, chunks: bool = True
) -> OpenedDocument:
    try:
        declared = declared_members(source)
        if declared is not None and declared > limits.max_members:
            raise UnreadableDocument(FindingCode.PACKAGE_TOO_COMPLEX)
        source.seek(0)
        archive = zipfile.ZipFile(source)
        return _open(archive, source, limits, parse_xml, chunks)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, OSError):
        raise UnreadableDocument(FindingCode.DAMAGED_FILE) from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise UnreadableDocument(FindingCode.DAMAGED_FILE) from None


def inspect_package(
    source: BinaryIO, limits: PackageLimits | None = None, parse_xml: bool = False
) -> None:
    """Raise UnreadableDocument unless `source` (a seekable file) is a safe .docx.

    With `parse_xml`, every XML part is also parsed (streamed, in flat memory), so
    that a damaged file is caught at upload; the worker parses what it reads.
    """
    limits = limits or PackageLimits()
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size > limits.max_file_bytes:
        raise UnreadableDocument(FindingCode.FILE_TOO_LARGE)
    kind = sniff_file(source)
    source.seek(0)
    if kind:
        raise UnreadableDocument(kind)
    try:
        _guarded(source, limits, parse_xml)
    finally:
        source.seek(0)


def open_document(data: bytes, limits: PackageLimits | None = None) -> OpenedDocument:
    """The inspected package of `data`, or UnreadableDocument saying why it cannot be read."""
    limits = limits or PackageLimits()
    if len(data) > limits.max_file_bytes:
        raise UnreadableDocument(FindingCode.FILE_TOO_LARGE)
    source = io.BytesIO(data)
    kind = sniff_file(source)
    if kind:
        raise UnreadableDocument(kind)
    source.seek(0)
    return _guarded(source, limits, parse_xml=False)


def nested_package(blob: bytes) -> opc.Package:
    """A package inside the package (an alternative chunk), inspected the same way."""
    if sniff_file(io.BytesIO(blob)):
        raise UnreadableDocument(FindingCode.NOT_A_WORD_FILE)
    return _guarded(io.BytesIO(blob), PackageLimits(), parse_xml=False, chunks=False).package
