"""Real Word files, mutated at random but kept well-formed: the rules never raise.

Other writers and damaged files put anything anywhere: attributes with nonsense
values ("nan", "1e400", ""), elements missing, moved or repeated, parts missing or
empty. Whatever a well-formed package holds, the check gives a report (or refuses
the file with a code); no exception escapes. Seeded, so a failure is repeatable.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from submissions.compliance import CallRules, Report, clean_docx, evaluate, public_text

WORD = Path(__file__).parent.parent / "data" / "word"
FILES = sorted(WORD.glob("*.docx"))
GARBAGE = ["", "x", "-1", "0", "nan", "inf", "1e400", "99999999999", "1.2.3", "true", "-", "%"]
PARTS = ("word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/settings.xml")


def _mutate_tree(root: etree._Element, rng: random.Random) -> None:
    elements = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    for _ in range(rng.randint(1, 6)):
        if not elements:
            return
        element = rng.choice(elements)
        action = rng.randrange(4)
        if action == 0 and element.attrib:
            element.set(rng.choice(list(element.attrib)), rng.choice(GARBAGE))
        elif action == 1 and element.getparent() is not None:
            element.getparent().remove(element)
            elements = [e for e in root.iter() if isinstance(e.tag, str)][1:]
        elif action == 2:
            target = rng.choice(elements)
            movable = element.getparent() is not None and target is not element
            if movable and element not in target.iterancestors():
                target.append(element)
        else:
            parent = element.getparent()
            if parent is not None:
                parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))


def _mutate(data: bytes, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    dropped = rng.choice([None, None, *PARTS[1:]])
    emptied = rng.choice([None, None, None, *PARTS[1:]])
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == dropped:
                continue
            blob = source.read(info)
            if info.filename == emptied:
                blob = b""
            elif info.filename in PARTS and blob.strip() and rng.random() < 0.7:
                root = etree.fromstring(blob)
                _mutate_tree(root, rng)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, blob)
    return out.getvalue()


@pytest.mark.parametrize("seed", range(30))
def test_mutated_word_files_get_a_report_never_an_exception(seed):
    rng = random.Random(seed)
    for path in rng.sample(FILES, 8):
        data = _mutate(path.read_bytes(), rng)
        report = evaluate(
            data,
            rules=CallRules(word_limit=5000, deadline=None),
            stakeholder_name="Global Alliance",
            received_at=datetime(2022, 9, 1, tzinfo=UTC),
        )
        assert isinstance(report, Report)
        if report.readable:
            assert report.word_count is not None and report.word_count >= 0
            public_text(clean_docx(data))  # the public copy of what was accepted, too
