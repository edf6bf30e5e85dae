"""A name withheld: found where the document names its submitter, and redacted."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import docx
import pytest

from submissions.compliance import PUBLISH_ANONYMOUS, CallRules, evaluate, public_text
from submissions.compliance.anonymity import WITHHELD
from submissions.compliance.identities import spans
from submissions.compliance.public_copy import public_copy

NAME = "Fédération Internationale des Ligues des Droits de l'Homme (FIDH)"
CONTACT = ("Maria Private", "maria.private@example.org")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Submitted by FEDERATION internationale des ligues des droits de l’homme", 1),
        ("La Fédération Internationale des\nLigues  des Droits de l'Homme (FIDH) dit", 1),
        ("the FIDH says, and fidh again", 2),
        ("Nothing of the kind, no federation here", 0),
        ("FIDHX is another word", 0),
    ],
)
def test_a_name_is_found_tolerantly_and_as_a_whole_word(text, found):
    assert len(spans(text, NAME)) == found


def test_and_and_ampersand_stand_for_each_other():
    assert [len(spans(t, "Doctors and Nurses United")) for t in (
        "Doctors & Nurses United", "doctors and nurses united", "Doctors, Nurses United",
    )] == [1, 1, 1]  # fmt: skip


def _document() -> bytes:
    document = docx.Document()
    document.core_properties.author = "Maria Private"
    document.sections[0].header.paragraphs[0].text = "FIDH — internal"
    document.add_paragraph("Submitted by the Fédération Internationale des Ligues des")
    run = document.paragraphs[-1].add_run(" Droits de l'Homme, 17 passage de la Main d'Or.")
    run.bold = True  # the name crosses two runs
    document.add_paragraph("Contact: maria.private@example.org. Our view follows.")
    document.add_paragraph("Migrant workers need firewalls.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_every_place_that_names_the_submitter_is_a_finding():
    report = evaluate(
        _document(),
        rules=CallRules(word_limit=5000, deadline=None),
        stakeholder_name=NAME,
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
        publication=PUBLISH_ANONYMOUS,
        contact=CONTACT,
    )
    places = {
        f.params["place"]: f.params
        for f in report.findings
        if f.code == "name_in_anonymous_document"
    }
    assert set(places) == {"text", "headers", "properties"}
    assert places["text"]["count"] == 2  # the name, and the address
    assert "Fédération Internationale" in places["text"]["excerpt"]
    assert not report.ok


def test_the_redacted_copy_names_no_one_and_reads_the_same_otherwise():
    copy = public_copy(
        _document(), stakeholder=NAME, number="GC6-0042", withheld=True, contact=CONTACT
    )
    text = public_text(copy)
    assert text.startswith(f"Submitted by the {WITHHELD}, 17 passage")
    assert f"Contact: {WITHHELD}. Our view follows." in text
    assert "Migrant workers need firewalls." in text
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    for secret in ("Fédération".encode(), b"FIDH", b"Maria Private", b"maria.private"):
        assert secret not in everything, secret
    assert b"<dc:title>GC6-0042</dc:title>" in everything


def test_a_named_submission_is_not_redacted():
    copy = public_copy(_document(), stakeholder=NAME, number="GC6-0042", contact=CONTACT)
    assert "Fédération Internationale" in public_text(copy)
