"""The public copy: open it and look; nothing personal or hidden is left."""

import io
import zipfile
from datetime import UTC, datetime

import docx

from submissions.compliance import CallRules, evaluate
from submissions.compliance.cleaning import PublicFields, clean_docx
from submissions.compliance.package import inspect_package
from tests.documents import PRIVATE_DRAFT_SECRETS
from tests.documents import private_draft as _private_draft  # (tests/test_public_pdf.py's too)


def _all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        )


# What the draft hides: its author and editor, a comment, a deletion, hidden text.
SECRETS = PRIVATE_DRAFT_SECRETS


def test_the_draft_really_carries_what_must_go():
    xml = _all_xml(_private_draft())
    assert [secret for secret in SECRETS if secret not in xml] == []


def test_the_public_copy_keeps_nothing_personal_or_hidden():
    clean = clean_docx(_private_draft())
    xml = _all_xml(clean)
    for secret in (
        *SECRETS,
        "w:ins ",
        "commentReference",
    ):
        assert secret not in xml
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert not [n for n in archive.namelist() if "comments" in n or "people" in n]


def test_the_public_copy_still_opens_and_reads_the_same():
    clean = clean_docx(_private_draft(), PublicFields(title="OPEN-0001 Global Alliance"))
    inspect_package(io.BytesIO(clean), parse_xml=True)
    document = docx.Document(io.BytesIO(clean))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Submitted by: Global Alliance" in text
    assert "Kept words inserted words" in text  # the insertion, accepted
    assert "The visible conclusion." in text
    assert document.core_properties.title == "OPEN-0001 Global Alliance"  # the public one
    report = evaluate(
        clean,
        rules=CallRules(5000, None),
        stakeholder_name="Global Alliance",
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
    )
    assert report.readable
    assert report.name_on_first_page
