"""The public copy, opened member by member: no planted marker is left in it.

tests/planted.py plants one marker in each place that identifies a person or a
machine (properties, custom properties, document variables, the template's
path, revision ids, comments and their authors, tracked changes and theirs,
custom XML, hidden text of every kind, embedded files, the thumbnail, the
glossary, a member nothing points at). The visible text stays.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from submissions.compliance import PublicFields, clean_docx, public_text
from submissions.compliance.package import inspect_package
from tests.planted import MARKERS, VISIBLE, planted_docx

PUBLIC = PublicFields(title="OPEN-0001", author="")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def planted() -> bytes:
    return planted_docx()


def test_every_marker_is_really_planted(planted):
    everything = b"".join(_members(planted).values())
    assert [place for place, marker in MARKERS.items() if marker.encode() not in everything] == []


@pytest.mark.parametrize("place", sorted(MARKERS))
def test_the_public_copy_carries_no_marker(planted, place):
    clean = clean_docx(planted, PUBLIC)
    found = [n for n, data in _members(clean).items() if MARKERS[place].encode() in data]
    assert found == [], place


def test_the_public_copy_opens_reads_the_visible_text_and_says_only_the_public_fields(planted):
    clean = clean_docx(planted, PUBLIC)
    inspect_package(io.BytesIO(clean), parse_xml=True)
    text = public_text(clean)
    assert [words for words in VISIBLE if words not in text] == []
    assert "Custom XML text stays." in text
    members = _members(clean)
    core = members["docProps/core.xml"].decode()
    assert "<dc:title>OPEN-0001</dc:title>" in core
    assert b"rsid" not in members["word/document.xml"]
    assert not [n for n in members if n.startswith(("customXml/", "word/embeddings/"))]


def test_a_named_submission_shows_its_name_and_nothing_else(planted):
    clean = clean_docx(
        planted, PublicFields(title="OPEN-0001 Global Alliance", author="Global Alliance")
    )
    core = _members(clean)["docProps/core.xml"].decode()
    assert "Global Alliance</dc:creator>" in core
    assert MARKERS["core: subject"] not in core  # the PDF's Subject: public fields only
    assert MARKERS["app: titles of parts"].encode() not in b"".join(_members(clean).values())


def test_a_copy_whose_file_had_no_title_or_author_still_says_the_public_ones():
    from tests.corpus.word_variants import rewrite
    from tests.documents import make_docx

    def strip(xml: bytes) -> bytes:
        return re.sub(rb"<dc:(title|creator)(/>|>.*?</dc:\1>)", b"", xml)

    bare = rewrite(make_docx("Our input."), {"docProps/core.xml": strip})
    assert b"dc:title" not in _members(bare)["docProps/core.xml"]
    core = _members(clean_docx(bare, PublicFields(title="OPEN-0001 X", author="X")))[
        "docProps/core.xml"
    ]
    assert b"<dc:title>OPEN-0001 X</dc:title>" in core and b"<dc:creator>X</dc:creator>" in core
