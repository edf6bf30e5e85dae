"""Refusing packages that different readers could read differently.

A zip holds two directories: the local headers in front of each entry's data, and
the central directory at the end. OPC also compares part names ignoring case. A
crafted package can use this to show one part to our checks and another to Word,
LibreOffice or a streaming reader: two entries with the same name, two names for
one entry, entries whose bytes overlap, or content types that name a part twice.
Such a package is refused, so what we check is what every reader opens.

Everything here reads the central directory and one 30-byte local header per
entry: nothing is decompressed, and the cost is one sort of the entries.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from lxml import etree

from submissions.compliance.codes import FindingCode
from submissions.compliance.safexml import UnreadableDocument

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra lengths at 26, 28
_LOCAL_SIGNATURE = b"PK\x03\x04"
_END_SIGNATURE = b"PK\x05\x06"
_END_SEARCH = 22 + 0xFFFF  # the end record and its longest comment


def _key(name: str) -> str:
    """Part names are equal ignoring case; casefold also catches what upper or lower misses."""
    return name.casefold()


def _same_name(archive: zipfile.ZipFile) -> str | None:
    """The second of two entries whose names are equal ignoring case."""
    seen: set[str] = set()
    for member in archive.infolist():
        key = _key(member.filename)
        if key in seen:
            return member.filename
        seen.add(key)
    return None


def _local_size(source: BinaryIO, offset: int) -> int | None:
    """Length of the local header at `offset` with its name and extra field; None if absent."""
    if offset < 0:
        return None
    source.seek(offset)
    header = source.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        return None  # not ambiguous but damaged: the caller reports it
    return _LOCAL_HEADER.size + name_length + extra_length


def _directory_start(archive: zipfile.ZipFile, source: BinaryIO) -> int | None:
    """Where the central directory starts: no entry's data may reach it."""
    start = getattr(archive, "start_dir", None)
    if isinstance(start, int):
        return start
    size = source.seek(0, 2)
    source.seek(max(size - _END_SEARCH, 0))
    tail = source.read()
    found = tail.rfind(_END_SIGNATURE)
    if found < 0 or len(tail) < found + 22:
        return None
    end = max(size - _END_SEARCH, 0) + found
    # The directory ends where the end record starts (zip64 records aside: a looser bound).
    (directory_size,) = struct.unpack_from("<I", tail, found + 12)
    if directory_size == 0xFFFFFFFF or directory_size > end:
        return end
    return end - directory_size


def _overlap(archive: zipfile.ZipFile, source: BinaryIO) -> str | None:
    """An entry that shares a local header with, or starts inside, another, or runs past its end.

    The range of an entry is its local header, name, extra field and compressed data,
    sized from the local header (its lengths are what a reader skips) and from the
    central directory (its compressed size is right even when a data descriptor follows
    the data, flag bit 3, and the local header says 0). The descriptor itself is not
    counted: a reader never interprets it as data.
    """
    limit = _directory_start(archive, source)
    previous_start, previous_end = -1, 0
    for member in sorted(archive.infolist(), key=lambda member: member.header_offset):
        start = member.header_offset
        if start == previous_start:
            return member.filename  # two names for the same bytes
        previous_start = start
        header = _local_size(source, start)
        if header is None:
            continue
        if start < previous_end:
            return member.filename
        previous_end = start + header + member.compress_size
        if limit is not None and previous_end > limit:
            return member.filename
    return None


def _content_type_twice(content_types: etree._Element) -> str | None:
    """A part name given two Overrides, or an extension given two Defaults, ignoring case."""
    seen: set[tuple[str, str]] = set()
    for element in content_types:
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        tag = etree.QName(element).localname
        if tag == "Override":
            # package._content_types drops the leading slash, so "/a" and "a" are one part.
            value = element.get("PartName", "")
            key, part = value.lstrip("/"), value
        elif tag == "Default":
            value = element.get("Extension", "")
            key, part = value, f"*.{value}"
        else:
            continue
        if not value:
            continue
        if (tag, _key(key)) in seen:
            return part
        seen.add((tag, _key(key)))
    return None


def check_unambiguous(
    archive: zipfile.ZipFile, source: BinaryIO, content_types: etree._Element | None
) -> None:
    """Raise UnreadableDocument(FindingCode.PACKAGE_AMBIGUOUS, {"part": <the part name
    concerned>}) when the package is ambiguous.

    archive: the open ZipFile over `source` (a seekable binary file, positioned anywhere;
    it is left wherever the check leaves it, the caller seeks).
    content_types: the parsed root of [Content_Types].xml (or None when absent).
    A local header that is missing or damaged is left to the caller, which reports a
    damaged file; nothing but UnreadableDocument is ever raised.
    """

    try:
        part = _same_name(archive) or _overlap(archive, source)
    except (OSError, ValueError, OverflowError):
        part = None  # an unreadable source is damage, not ambiguity: the caller finds it
    if part is None and content_types is not None:
        part = _content_type_twice(content_types)
    if part is not None:
        raise UnreadableDocument(FindingCode.PACKAGE_AMBIGUOUS, {"part": part})
