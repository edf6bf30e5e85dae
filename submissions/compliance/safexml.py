"""What every reader of an uploaded package shares: the safe XML parser, and the refusal.

A module of its own so that the package inspection and the modules it calls
(ambiguity, embedded content) can all raise the same error without importing
each other.
"""

from __future__ import annotations

from lxml import etree

from submissions.compliance.codes import FindingCode

SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
)


class UnreadableDocument(Exception):
    """The file cannot be read as a Word document; `code` says why, `params` what was found."""

    def __init__(self, code: FindingCode, params: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


def parse_part(blob: bytes) -> etree._Element:
    """Parse one XML part of the package safely."""
    try:
        return etree.fromstring(blob, SAFE_XML_PARSER)
    except etree.XMLSyntaxError:
        raise UnreadableDocument(FindingCode.DAMAGED_FILE) from None
