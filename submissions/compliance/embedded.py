"""What a Word document embeds, listed; embedded programs refused.

An embedded object opens when a reader double-clicks it: an OLE Package can carry any
file, a program or a script included, and an embedded workbook or document can carry
macros. Those are refused; everything else is listed, so reviewers know what a document
holds. Kinds come from the bytes, never from a part's name, which anyone can choose.
Pure: bytes in, items out; no input makes anything but UnreadableDocument escape.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import olefile

from submissions.compliance.codes import FindingCode
from submissions.compliance.safexml import UnreadableDocument, parse_part

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_OOXML = "application/vnd.openxmlformats-officedocument."
_MS = "application/vnd.ms-office."
_CHARTS = {_MS + "chartex+xml", _OOXML + "drawingml.chart+xml"}
_CHART_EXTRAS = {_MS + "chartstyle+xml", _MS + "chartcolorstyle+xml"}
_OLE_OBJECT = _OOXML + "oleobject"
_VBA = _MS + "vbaproject"
_MAIN = re.compile(r"\.main(\+xml)?$")
_OFFICE_KIND = re.compile(
    r"(?P<workbook>spreadsheetml|ms-excel)|(?P<document>wordprocessingml|ms-word)"
    r"|(?P<presentation>presentationml|ms-powerpoint)"
)
# The user type and ProgID in \x01CompObj, when no stream says more.
_USER_TYPE = re.compile(
    rb"(?P<equation>equation|mathtype)|(?P<pdf>acrobat|pdf)|(?P<workbook>excel)"
    rb"|(?P<presentation>powerpoint)|(?P<document>word)|(?P<email>outlook|ipm\.note)"
)
_EMAIL = re.compile(rb"(?i)(received|return-path|delivered-to|message-id|mime-version|from): ")
_EMBEDDINGS = re.compile(r"^[^/]+/embeddings/[^/]", re.I)  # word/, xl/ or ppt/embeddings/
# Windows runs a file by its extension; the macro-enabled Office ones open with their code.
_PROGRAM_NAME = re.compile(
    r"\.(exe|com|scr|pif|bat|cmd|vbs|vbe|js|jse|wsf|wsh|wsc|ws|ps1|psm1|psd1|ps1xml|msc|msi|msp|"
    r"mst|dll|ocx|sys|drv|cpl|hta|jar|lnk|url|scf|inf|reg|sh|bash|csh|ksh|command|py|pyw|pl|rb|"
    r"php|app|apk|ipa|iso|img|vhd|vhdx|dmg|pkg|deb|rpm|run|gadget|chm|application|appref-ms|"
    r"sct|xll|docm|dotm|xlsm|xltm|xlam|xla|pptm|potm|ppam|ppsm|sldm)$"
)
# Windows (MZ), Linux (ELF) and macOS (Mach-O) executables, and scripts (#!).
_PROGRAM_MAGIC = re.compile(
    rb"MZ|\x7fELF|#!|\xfe\xed\xfa[\xce\xcf]|[\xce\xcf]\xfa\xed\xfe|\xca\xfe\xba\xbe"
)
_STREAM_KINDS = {
    "worddocument": "document",
    "workbook": "workbook",
    "book": "workbook",
    "powerpoint document": "presentation",
    "equation native": "equation",
}
_MACRO_STORAGES = {"macros", "_vba_project_cur", "vba", "_vba_project"}
_MAX_DEPTH = 2  # the document's own embeddings, and theirs
_NESTED_BUDGET = 64 * 1024 * 1024  # bytes decompressed from embedded zips, in all
_MAX_RATIO = 200  # an embedded zip's member larger than this times its compressed size
_XML_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class EmbeddedItem:
    """One embedded object or chart, for the report and the reviewers."""

    kind: str
    part: str
    label: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "part": self.part, "label": self.label}


def _program(name: str) -> UnreadableDocument:
    return UnreadableDocument(FindingCode.EMBEDDED_PROGRAM, {"name": name})


def _basename(path: str) -> str:
    """The file name at the end of a Windows or POSIX path."""
    return re.split(r"[\\/]", path)[-1].strip(" \0")


def _runs_as_program(path: str) -> bool:
    """Would Windows run it? It drops trailing dots and spaces: "setup.exe." is setup.exe."""
    return bool(_PROGRAM_NAME.search(_basename(path).rstrip(". ").lower()))


def _cstring(blob: bytes, pos: int) -> tuple[str, int]:
    """A NUL-terminated ANSI string; a truncated one is read to the end, not dropped."""
    end = blob.find(b"\0", pos)
    end = len(blob) if end < 0 else end
    return blob[pos:end].decode("cp1252", "replace"), end + 1


def _read_native(stream: bytes) -> tuple[list[str], bytes]:
    """The names an OLE Package carries (label, original path, temporary path) and its data.

    Newer Packagers repeat them in UTF-16 after the data (temporary path, label, original
    path), read too: Windows may use any of them. A damaged stream yields what was read.
    """
    names: list[str] = []
    data = b""
    try:
        label, pos = _cstring(stream, 6)
        original, pos = _cstring(stream, pos)
        names += [label, original]
        (length,) = struct.unpack_from("<I", stream, pos + 4)
        names.append(_cstring(stream[: pos + 8 + length], pos + 8)[0])
        pos += 8 + length
        (size,) = struct.unpack_from("<I", stream, pos)
        data = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        for _ in range(3):
            (count,) = struct.unpack_from("<I", stream, pos)
            names.append(stream[pos + 4 : pos + 4 + 2 * count].decode("utf-16-le", "replace"))
            pos += 4 + 2 * count
    except struct.error:
        pass  # truncated: keep what was read
    return names, data


class _Scanner:
    """Decides kinds, looking inside embedded files within a depth and a byte budget."""

    def __init__(self) -> None:
        self.budget = _NESTED_BUDGET

    def kind(self, blob: bytes, depth: int, where: str) -> tuple[str, str]:
        """(kind, label) of one embedded object; `where` names it if it is refused."""
        if _PROGRAM_MAGIC.match(blob):
            raise _program(where)
        try:
            if blob.startswith(_ZIP):
                return self._zip_kind(blob, depth, where), ""
            if blob.startswith(_OLE2):
                return self._ole_kind(blob, depth, where)
        except UnreadableDocument as error:
            if error.code == FindingCode.EMBEDDED_PROGRAM:
                raise
            return "object", ""
        except Exception:  # a damaged container: something we cannot name
            return "object", ""
        if blob.startswith(b"%PDF"):
            return "pdf", ""
        if _EMAIL.match(blob):
            return "email", ""
        return "object", ""

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member of an embedded zip, unless it would break the budget or is a bomb."""
        size = info.file_size
        if size > self.budget or size > _MAX_RATIO * max(info.compress_size, 1) + 65536:
            return b""
        self.budget -= size
        return archive.read(info)  # zipfile stops at the declared size

    def _zip_kind(self, blob: bytes, depth: int, where: str) -> str:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = archive.infolist()
            if any(_basename(m.filename).lower() == "vbaproject.bin" for m in members):
                raise _program(where)
            info = archive.getinfo("[Content_Types].xml")
            xml = self._member(archive, info) if info.file_size <= _XML_BYTES else b""
            root = parse_part(xml)
            types = [
                element.get("ContentType", "").lower()
                for element in root.iter("{*}Override", "{*}Default")
            ]
            if _VBA in types:
                raise _program(where)
            if depth < _MAX_DEPTH:
                for member in members:
                    if _EMBEDDINGS.match(member.filename):
                        self.kind(self._member(archive, member), depth + 1, where)
        found = _OFFICE_KIND.search(next((t for t in types if _MAIN.search(t)), ""))
        return found.lastgroup if found and found.lastgroup else "object"

    def _ole_kind(self, blob: bytes, depth: int, where: str) -> tuple[str, str]:
        with olefile.OleFileIO(io.BytesIO(blob)) as ole:  # bytes < 1536 would be a path

            def stream(name: str) -> bytes:
                if ole.get_type(name) != olefile.STGTY_STREAM or ole.get_size(name) > len(blob):
                    return b""
                return ole.openstream(name).read()

            entries = ole.listdir(streams=True, storages=True)
            if any(part.lower() in _MACRO_STORAGES for entry in entries for part in entry):
                raise _program(where)
            if ole.exists("\x01Ole10Native"):
                names, data = _read_native(stream("\x01Ole10Native"))
                shown = [names[i] for i in (4, 0, 5, 1, 2) if i < len(names)]  # UTF-16 first
                label = next((_basename(name) for name in shown if _basename(name)), "")
                if any(map(_runs_as_program, names)) or _PROGRAM_MAGIC.match(data):
                    raise _program(label or where)
                if depth < _MAX_DEPTH:
                    self.kind(data, depth + 1, label or where)  # a carried file's macros
                return "file", label
            if ole.exists("Package"):
                return self._zip_kind(stream("Package"), depth, where), ""
            tops = {entry[0].lower() for entry in entries}
            kind = next((k for top, k in _STREAM_KINDS.items() if top in tops), "")
            if kind:
                return kind, ""
            if any(top.startswith("__substg1.0_") for top in tops):
                return "email", ""
            if ole.exists("CONTENTS") and stream("CONTENTS").startswith(b"%PDF"):
                return "pdf", ""
            user_type = stream("\x01CompObj")[28:540].lower()
        found = _USER_TYPE.search(user_type)
        return (found.lastgroup if found and found.lastgroup else "object"), ""


def _read(read: Callable[[str], bytes | None], name: str) -> bytes:
    """A member of the document; one that cannot be read makes the document damaged."""
    try:
        blob = read(name)
    except UnreadableDocument:
        raise
    except Exception:
        raise UnreadableDocument(FindingCode.DAMAGED_FILE) from None
    return blob if isinstance(blob, bytes) else b""


def _chart_data(
    chart: str, by_lower: Mapping[str, str], read: Callable[[str], bytes | None]
) -> set[str]:
    """The parts a chart's relationships point to (its workbook), lower-cased."""
    folder, base = posixpath.split(chart)
    rels = by_lower.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if rels is None:
        return set()
    try:
        root = parse_part(_read(read, rels))
    except UnreadableDocument as error:
        if error.code == FindingCode.DAMAGED_FILE:
            return set()  # the chart's workbook, if any, is then listed as itself
        raise
    owned = set()
    for rel in root.iter("{*}Relationship"):
        target = unquote(rel.get("Target", ""))
        if rel.get("TargetMode", "").lower() != "external" and target:
            path = target if target.startswith("/") else posixpath.join(folder, target)
            owned.add(posixpath.normpath(path).lstrip("/").lower())
    return owned


def inventory(
    names: Sequence[str], content_types: Mapping[str, str], read: Callable[[str], bytes | None]
) -> tuple[EmbeddedItem, ...]:
    """Charts and embedded objects of a package, sorted by part; programs refused.

    names: the zip member names; content_types: part name (no leading slash) -> content
    type; read(name) -> bytes of a member. A chart's own workbook is checked, not listed.
    """
    types = {name.lstrip("/").lower(): value.lower() for name, value in content_types.items()}
    unique = list(dict.fromkeys(name for name in names if not name.endswith("/")))
    by_lower = {name.lower(): name for name in unique}
    items, owned = [], set()
    for name in unique:
        if types.get(name.lower()) in _CHARTS:
            items.append(EmbeddedItem("chart", name))
            owned |= _chart_data(name, by_lower, read)
    scanner = _Scanner()
    for name in unique:
        lower, content_type = name.lower(), types.get(name.lower(), "")
        embedded = lower.startswith("word/embeddings/") or content_type == _OLE_OBJECT
        if not embedded or content_type in _CHARTS | _CHART_EXTRAS or "/_rels/" in lower:
            continue
        kind, label = scanner.kind(_read(read, name), 1, name)
        if lower not in owned:
            items.append(EmbeddedItem(kind, name, label))
    return tuple(sorted(items, key=lambda item: (item.part, item.kind, item.label)))
