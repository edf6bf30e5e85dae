"""Opening an uploaded file as a Word document, refusing what is not one.

The zip directory is read before any member is decompressed, so that a zip bomb
is refused from its declared sizes; XML is parsed with a parser that never loads
a DTD, expands an entity or touches the network.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAIN_DOCUMENT = "word/document.xml"

SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


@dataclass(frozen=True)
class PackageLimits:
    max_members: int = 2_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: int = 200


class UnreadableDocument(Exception):
    """The file cannot be read as a Word document; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# The stream that an encrypted Office file keeps in its OLE2 container, in UTF-16.
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def sniff_file(handle: BinaryIO, chunk_size: int = 1 << 16) -> str | None:
    """Name the kind of a file that is not a .docx, reading it in chunks; None for a zip."""
    head = handle.read(8)
    if not head:
        return "empty_file"
    if head.startswith(ZIP_MAGIC):
        return None
    if head.startswith(OLE2_MAGIC):
        # Both legacy .doc and password-protected .docx are OLE2 containers.
        tail = head
        while chunk := handle.read(chunk_size):
            tail = tail[-len(_ENCRYPTION_STREAM) :] + chunk
            if _ENCRYPTION_STREAM in tail:
                return "encrypted_document"
        return "legacy_doc"
    if head.startswith(b"%PDF"):
        return "pdf_file"
    if head.startswith(b"{\\rtf"):
        return "rtf_file"
    return "not_a_word_file"


def sniff(data: bytes) -> str | None:
    """`sniff_file` for bytes in memory."""
    return sniff_file(io.BytesIO(data))


def _check_zip_directory(archive: zipfile.ZipFile, limits: PackageLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnreadableDocument("package_too_complex")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
            raise UnreadableDocument("package_too_large")
    if total > limits.max_uncompressed_bytes:
        raise UnreadableDocument("package_too_large")
    if MAIN_DOCUMENT not in {m.filename for m in members}:
        raise UnreadableDocument("not_a_word_file")


def open_document(data: bytes, limits: PackageLimits | None = None) -> Document:
    """Return the python-docx Document for `data`, or raise UnreadableDocument."""
    kind = sniff(data)
    if kind:
        raise UnreadableDocument(kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_directory(archive, limits or PackageLimits())
        return docx.Document(io.BytesIO(data))
    except UnreadableDocument:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError):
        raise UnreadableDocument("damaged_file") from None
    except ValueError:
        # python-docx: the package's main part is not a WordprocessingML document.
        raise UnreadableDocument("not_a_word_file") from None
    except etree.XMLSyntaxError:
        raise UnreadableDocument("damaged_file") from None


def parse_part(blob: bytes) -> etree._Element:
    """Parse one XML part of the package safely."""
    try:
        return etree.fromstring(blob, SAFE_XML_PARSER)
    except etree.XMLSyntaxError:
        raise UnreadableDocument("damaged_file") from None
