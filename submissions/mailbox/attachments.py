"""The files a message carries: which are Word files, where each was found, what was refused.

A Word file is taken from a direct attachment (inline ones too: Apple Mail sends them
so), from a .zip attachment (one level, its directory checked before anything is
decompressed) and from forwarded messages (message/rfc822 parts or attached .eml files,
up to three levels deep). Nothing here raises on a malformed part: it is recorded as a
problem and the walk goes on. Only Word entries of a zip are ever decompressed, and a
part too large to take is refused from its encoded length, before it is decoded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import io
import quopri
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from email import errors, policy
from email.header import decode_header, make_header
from email.message import Message, MIMEPart
from email.parser import BytesParser
from email.policy import EmailPolicy
from typing import Any, cast

# Problem codes (stable: the intake service and its tests rely on them).
NO_SENDER = "NO_SENDER"  # no From address that can be replied to
UNREADABLE_HEADER = "UNREADABLE_HEADER"  # a header the parser choked on, read as missing
UNREADABLE_PART = "UNREADABLE_PART"  # a part whose content could not be decoded
MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE"  # over max_message_bytes: only its headers were read
TOO_MANY_FILES = "TOO_MANY_FILES"  # more Word files than max_files: none kept
FILE_TOO_LARGE = "FILE_TOO_LARGE"  # a Word file over max_file_bytes (or too large an archive)
ZIP_REFUSED = "ZIP_REFUSED"  # damaged, encrypted, nested, too many entries, a zip bomb
FORWARD_TOO_DEEP = "FORWARD_TOO_DEEP"  # a message forwarded more than 3 levels down

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_TYPES = ("application/zip", "application/x-zip-compressed", "application/x-zip")
ZIP_MAGIC = b"PK\x03\x04"
MAX_FORWARD_DEPTH = 3
MAX_OTHER_FILES = 50
# Parts that are not files a person chose to send: signatures, report machinery.
_NOT_FILES = (
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "message/delivery-status",
    "message/disposition-notification",
    "text/rfc822-headers",
)
_ARCHIVE_NAMES = re.compile(r"\.(zip|7z|rar|tar|tgz|gz|bz2|xz)$", re.I)
# What zippers add beside the files: macOS resource forks, Word's lock files, thumbnails.
_ZIP_JUNK = re.compile(r"(^|/)(__MACOSX/|\._|~\$|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)
_BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Charsets mailers declare for text written in a superset (as browsers read them, WHATWG).
_SUPERSETS = {
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
PARSE_ERRORS = (ValueError, LookupError, IndexError, TypeError, AttributeError, errors.MessageError)


class _TolerantPolicy(EmailPolicy):
    """The default policy, except that a header its parser chokes on reads as empty
    (a Content-Type as text/plain): the parser itself asks for Content-Type, and would
    otherwise give the whole message up for one bad header."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        try:
            return super().header_fetch_parse(name, value)
        except PARSE_ERRORS:
            return self.header_factory("x-unreadable", "")


POLICY = _TolerantPolicy()
_PARSER = BytesParser(policy=POLICY)


def parse_bytes(raw: bytes) -> MIMEPart:
    """A message as the tolerant policy reads it (its factory makes an EmailMessage)."""
    return cast(MIMEPart, _PARSER.parsebytes(raw))


@dataclass(frozen=True)
class Attachment:
    """A Word file found in a message."""

    filename: str  # as the sender named it, decoded; a base name, never a path
    data: bytes
    sha256: str
    via: str = ""  # "" | "zip:<archive name>" | "forwarded message"


@dataclass(frozen=True)
class ZipLimits:
    """How big and how complex a .zip attachment may be (the idea of PackageLimits)."""

    max_entries: int = 50
    max_archive_bytes: int = 40 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024  # uncompressed, as its directory declares
    max_compression_ratio: int = 100  # uncompressed / compressed, for entries over 1 MiB


@dataclass
class Found:
    """What the walk through a message's parts gathers."""

    max_file_bytes: int
    zip_limits: ZipLimits
    candidates: list[tuple[str, bytes, str]] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, code: str, refused_name: str = "") -> None:
        if code not in self.problems:
            self.problems.append(code)
        if refused_name:
            self.refused.append((refused_name, code))

    def other(self, name: str) -> None:
        if name not in self.other_files and len(self.other_files) < MAX_OTHER_FILES:
            self.other_files.append(name)


def decode_text(data: bytes, charset: str | None) -> str:
    """Text in the charset declared (or its superset), else UTF-8, else Windows-1252."""
    try:
        declared: str | None = codecs.lookup((charset or "").strip()).name
    except (LookupError, ValueError):
        declared = None
    declared = _SUPERSETS.get(declared or "", declared)
    for codec in (declared, "utf-8"):
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return data.decode(declared or "cp1252", "replace")


def undo_8bit(value: str) -> str:
    """A header the parser kept as undeclared 8-bit bytes: read as UTF-8, else Windows-1252."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    for codec in ("utf-8", "cp1252"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def raw_headers(part: Message, name: str) -> list[str]:
    """Every value of a header as it came, 8-bit bytes decoded, folding undone."""
    return [
        re.sub(r"\r?\n", "", undo_8bit(value))
        for key, value in part.raw_items()
        if key.lower() == name.lower()
    ]


def clean_filename(name: str) -> str:
    """A base name without control or direction characters: never a path, never empty."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI_CONTROLS
    )
    name = " ".join(name.split()).strip(". ")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 190 - len(extension)] + dot + extension if dot else name[:200]
    return name


def _param(part: Message, header: str, param: str) -> str:
    for value in raw_headers(part, header)[:1]:
        parsed = policy.default.header_factory(header, value)
        found = str(dict(getattr(parsed, "params", {})).get(param) or "")
        # Mailers write names the parser reads short: an unquoted name with spaces, or
        # an encoded word not inside quotes. Then the header's own text is read.
        loose = re.search(rf"(?<![\w*-]){param}\s*=\s*([^\";]+?)\s*(;|$)", value, re.I)
        if loose and (not found or (parsed.defects and len(loose[1]) > len(found))):
            found = str(make_header(decode_header(loose[1])))
        # A Windows path sent as it is: its backslashes are no quoted-pair escapes.
        quoted = re.search(rf'(?<![\w*-]){param}\s*=\s*"((?:[^"\\]|\\.)*)"', value, re.I)
        if quoted and re.search(r'\\[^"\\]', quoted[1]):
            found = quoted[1]
        if found:
            return found
    return ""


def part_filename(part: Message) -> str:
    """The name a part was sent with, decoded (RFC 2231, RFC 2047, undeclared 8-bit)."""
    try:
        name = _param(part, "content-disposition", "filename") or _param(
            part, "content-type", "name"
        )
    except PARSE_ERRORS:
        return ""
    return clean_filename(name)


def is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(part_filename(part))


def _decoded(part: Message, name: str, found: Found, limit: int) -> bytes | None:
    """The part's bytes, or None (recorded) if unreadable or surely larger than `limit`."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        found.problem(UNREADABLE_PART, name)
        return None
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    size = len(payload) - payload.count("\n") - payload.count("\r")
    if encoding == "base64":
        at_least = size * 3 // 4 - 3
    elif encoding in ("", "7bit", "8bit", "binary"):
        at_least = size
    else:
        at_least = size // 3  # quoted-printable at worst triples a byte
    if at_least > limit:
        found.problem(FILE_TOO_LARGE, name)
        return None
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes) or any(
        isinstance(defect, errors.InvalidBase64LengthDefect) for defect in part.defects
    ):
        found.problem(UNREADABLE_PART, name)
        return None
    return data


def _take_word(name: str, data: bytes, via: str, found: Found) -> None:
    if len(data) > found.max_file_bytes:
        found.problem(FILE_TOO_LARGE, name)
    else:
        found.candidates.append((name, data, via))


def _zip_entry_name(info: zipfile.ZipInfo) -> str:
    """Zippers that do not flag UTF-8 names still often write them (zipfile read cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_refusal(archive: zipfile.ZipFile, limits: ZipLimits) -> bool:
    """Does the directory alone (nothing decompressed) say this archive is not to be opened?"""
    members = archive.infolist()
    if len(members) > limits.max_entries:
        return True
    if sum(member.file_size for member in members) > limits.max_total_bytes:
        return True
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.flag_bits & 0x1 or _ARCHIVE_NAMES.search(member.filename):
            return True  # encrypted, or an archive inside the archive
        if member.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
            return True
    return False


def _unzip(name: str, data: bytes, found: Found) -> None:
    """The Word files of a .zip attachment, one level, whole or not at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if _zip_refusal(archive, found.zip_limits):
            found.problem(ZIP_REFUSED, name)
            return
        entries = [
            i for i in archive.infolist() if not i.is_dir() and not _ZIP_JUNK.search(i.filename)
        ]
        for info in entries:
            entry = clean_filename(_zip_entry_name(info)) or "document"
            if not entry.lower().endswith(".docx"):
                found.other(entry)
            elif info.file_size > found.max_file_bytes:
                found.problem(FILE_TOO_LARGE, entry)
            else:
                with archive.open(info) as stream:
                    blob = stream.read(found.max_file_bytes + 1)
                _take_word(entry, blob, f"zip:{name}", found)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
        found.problem(ZIP_REFUSED, name)  # damaged, or a compression zipfile cannot read


def _file(part: MIMEPart, depth: int, via: str, found: Found) -> None:
    """One leaf part that is a file: a Word file, an archive, a message, or another file."""
    ctype = part.get_content_type()
    name = part_filename(part)
    lower = name.lower()
    if ctype in _NOT_FILES:
        return
    if part.get_content_maintype() == "image" and (
        part.get_content_disposition() != "attachment" or part.get("content-id")
    ):
        return  # a picture in the text: a logo, a signature
    if lower.endswith(".docx") or ctype == DOCX_TYPE:
        data = _decoded(part, name or "document.docx", found, found.max_file_bytes)
        if data is None:
            return
        if lower.endswith(".docx"):
            _take_word(name, data, via, found)
        elif data.startswith(ZIP_MAGIC):
            _take_word(f"{name or 'document'}.docx", data, via, found)
        else:
            found.other(name or ctype)
    elif lower.endswith(".zip") or ctype in ZIP_TYPES:
        data = _decoded(part, name or "archive.zip", found, found.zip_limits.max_archive_bytes)
        if data is not None:
            _unzip(name or "archive.zip", data, found)
    elif lower.endswith(".eml"):
        data = _decoded(part, name, found, found.zip_limits.max_archive_bytes)
        if data is not None:
            walk(parse_bytes(data), depth + 1, "forwarded message", found)
    elif name or part.get_content_maintype() != "text":
        found.other(name or ctype)


def _encoded_message(part: MIMEPart, inner: MIMEPart) -> MIMEPart:
    """A forwarded message sent in base64 or quoted-printable (RFC 2046 forbids it, some
    servers do it) is parsed as text without headers: it is decoded and parsed again."""
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    text = inner.get_payload()
    if encoding not in ("base64", "quoted-printable") or inner.keys() or not isinstance(text, str):
        return inner
    data = text.encode("ascii", "surrogateescape")
    try:
        decoded = base64.b64decode(data) if encoding == "base64" else quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return inner
    return parse_bytes(decoded)


def walk(part: MIMEPart, depth: int, via: str, found: Found) -> None:
    """Every file of `part`, forwarded messages included; the body's text parts are skipped."""
    if depth > MAX_FORWARD_DEPTH:
        found.problem(FORWARD_TOO_DEEP)
        return
    try:
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "message/global"):
            for inner in part.get_payload() if part.is_multipart() else []:
                if isinstance(inner, MIMEPart):
                    walk(_encoded_message(part, inner), depth + 1, "forwarded message", found)
        elif ctype == "multipart/report":
            return  # a delivery report: the message it returns was not sent to us
        elif part.is_multipart():
            for child in part.iter_parts():
                walk(child, depth, via, found)
        elif part.get_content_maintype() == "multipart":
            found.problem(UNREADABLE_PART)  # no boundary, or one that never comes
        elif part.get_content_maintype() != "text" or is_attachment(part):
            _file(part, depth, via, found)
    except PARSE_ERRORS:
        found.problem(UNREADABLE_PART)


def word_files(found: Found, max_files: int) -> tuple[Attachment, ...]:
    """The Word files to keep: each once, and none at all when there are too many."""
    unique: dict[str, Attachment] = {}
    for name, data, via in found.candidates:
        digest = hashlib.sha256(data).hexdigest()
        unique.setdefault(digest, Attachment(name, data, digest, via))
    if len(unique) > max_files:
        for attachment in unique.values():
            found.problem(TOO_MANY_FILES, attachment.filename)
        return ()
    return tuple(unique.values())
