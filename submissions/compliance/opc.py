"""The parts of a .docx package and how they point at each other, read as Word reads them.

python-docx's reader refuses packages Word opens (a relationship to a missing
part, an empty styles part, Strict OOXML) and parses every part it knows up
front; the rules need a handful of parts, so they are read here, each only when
asked for, with the safe parser. Part names are case-insensitive, as in OPC.
Strict OOXML (ISO 29500 Strict) names the same elements under other namespaces:
its parts are read through the Transitional names, so one reader serves both.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = _REL + "officeDocument"
STYLES = _REL + "styles"
FOOTNOTES = _REL + "footnotes"
ENDNOTES = _REL + "endnotes"
HEADER = _REL + "header"
FOOTER = _REL + "footer"
COMMENTS = _REL + "comments"
AF_CHUNK = _REL + "aFChunk"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"

# Strict's namespaces and relationship types, to their Transitional names:
# http://purl.oclc.org/ooxml/wordprocessingml/main is
# http://schemas.openxmlformats.org/wordprocessingml/2006/main, and so on.
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/")
_TRANSITIONAL = rb"http://schemas.openxmlformats.org/\1/2006/"


def transitional(blob: bytes) -> bytes:
    """The XML of a part with Strict's namespaces renamed to Transitional's."""
    return _STRICT.sub(_TRANSITIONAL, blob) if b"purl.oclc.org/ooxml/" in blob else blob


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # a part name (no leading slash) or, when external, the URL as written
    external: bool


def rels_name(part: str) -> str:
    """Where the relationships of `part` are stored ("" is the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """The part name a relative (or absolute) target of `source` names."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


class Package:
    """An opened package: its members by case-insensitive name, parts parsed on demand."""

    def __init__(self, archive: zipfile.ZipFile, parse) -> None:
        self._archive = archive
        self._parse = parse
        self._members = {info.filename.lower(): info for info in archive.infolist()}
        self._rels: dict[str, list[Relationship]] = {}

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self._members.values()]

    def exists(self, name: str) -> bool:
        return name.lower() in self._members

    def blob(self, name: str) -> bytes | None:
        info = self._members.get(name.lower())
        return self._archive.read(info) if info is not None else None

    def xml(self, name: str) -> etree._Element | None:
        """The part parsed, or None when it is missing or empty (Word's defaults apply)."""
        blob = self.blob(name)
        if blob is None or not blob.strip():
            return None
        return self._parse(transitional(blob))

    def relationships(self, source: str) -> list[Relationship]:
        if source not in self._rels:
            root = self.xml(rels_name(source))
            found = []
            for element in root if root is not None else ():
                if etree.QName(element).localname != "Relationship":
                    continue
                external = element.get("TargetMode") == "External"
                target = element.get("Target") or ""
                found.append(
                    Relationship(
                        id=element.get("Id") or "",
                        type=element.get("Type") or "",
                        target=target if external else resolve(source, target),
                        external=external,
                    )
                )
            self._rels[source] = found
        return self._rels[source]

    def related(self, source: str, rel_type: str) -> list[str]:
        """The parts `source` points at with `rel_type` that are really there, in order."""
        return [
            rel.target
            for rel in self.relationships(source)
            if rel.type == rel_type and not rel.external and self.exists(rel.target)
        ]

    def targets_by_id(self, source: str) -> dict[str, str]:
        """Relationship id to part name, for the internal targets of `source` that exist."""
        return {
            rel.id: rel.target
            for rel in self.relationships(source)
            if not rel.external and self.exists(rel.target)
        }

    def main_document(self) -> str | None:
        """The part the package's officeDocument relationship names (Word opens that one)."""
        found = self.related("", OFFICE_DOCUMENT)
        return found[0] if found else None
