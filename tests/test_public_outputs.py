"""What the public receives, opened as an attacker would: no planted marker, no withheld name.

A Word file with a marker in every place that identifies a person or a machine
(tests/planted.py), sent to be posted without its submitter's name, posted by a
person who looked at where it names them: then every public URL is fetched (the
page, the list, search, the feed, the JSON API, the ZIP with its CSV, the .docx,
the PDF LibreOffice makes) and read for the markers, the stakeholder's name and
the contact's name and address.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from submissions import archive, services
from tests.planted import MARKERS, NAME, planted_docx
from tests.test_public_pdf import _everything_in
from tests.tools import require_tool

CONTACT = ("Maria Private", "private.contact@example.org")  # as make_submission sends them


@pytest.fixture
def posted(open_call, make_submission, staff_user):
    submission = make_submission(
        open_call, planted_docx(), name=NAME, publication="publish_anonymous"
    )
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user, names_seen=True)
    submission.refresh_from_db()
    return submission


def _zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _public_outputs(client, call, submission) -> dict[str, str]:
    """Every public output of the call, as text (a .docx: all its members)."""
    args = [call.slug, submission.number]
    pages = {
        "page": reverse("submissions:posted", args=args),
        "list": reverse("submissions:posted_list", args=[call.slug]),
        "feed": reverse("submissions:feed", args=[call.slug]),
        "api": reverse("submissions:api", args=[call.slug]),
        "statistics": reverse("submissions:statistics", args=[call.slug]),
    }
    outputs = {name: client.get(url).content.decode() for name, url in pages.items()}
    docx = b"".join(client.get(reverse("submissions:posted_file", args=args)).streaming_content)
    outputs["docx"] = b"".join(_zip_members(docx).values()).decode("utf-8", "replace")
    archive.build_archive(call.pk)  # what the worker does after a posting
    zipped = b"".join(client.get(reverse("submissions:zip", args=[call.slug])).streaming_content)
    for name, data in _zip_members(zipped).items():
        inner = _zip_members(data) if name.endswith(".docx") else {name: data}
        outputs[f"zip: {name}"] = name + b"".join(inner.values()).decode("utf-8", "replace")
    return outputs


def test_no_marker_and_no_withheld_name_reaches_a_public_url(client, open_call, posted):
    outputs = _public_outputs(client, open_call, posted)
    assert "[name withheld]" in outputs["page"]  # the byline, redacted
    for secret in (*MARKERS.values(), NAME, *CONTACT):
        leaked = [where for where, text in outputs.items() if secret in text]
        assert leaked == [], secret
    listing = reverse("submissions:posted_list", args=[open_call.slug])
    for secret in (*MARKERS.values(), NAME):
        assert "No posted submission matches" in client.get(listing, {"q": secret}).text, secret


def test_the_public_pdf_carries_no_marker_and_no_withheld_name(client, open_call, posted):
    require_tool("soffice")
    assert services.submission_make_pdf(submission_id=posted.pk) is True
    posted.refresh_from_db()
    pdf = b"".join(
        client.get(
            reverse("submissions:posted_pdf", args=[open_call.slug, posted.number])
        ).streaming_content
    )
    everything = _everything_in(PdfReader(io.BytesIO(pdf)))
    assert "[name withheld]" in everything
    assert [s for s in (*MARKERS.values(), NAME, *CONTACT) if s in everything] == []
    assert posted.tracking_number in everything  # its title: the public one
