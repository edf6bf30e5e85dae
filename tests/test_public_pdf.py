"""The public PDF: made by LibreOffice from the cleaned copy, served once it exists."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from submissions import rendering, services
from submissions.enums import State
from submissions.models import Submission
from tests.compliance.test_cleaning import SECRETS, _private_draft
from tests.tools import require_tool

# What a reader of the draft sees (the insertion accepted), split over lines as a PDF may.
VISIBLE = ("Submitted by: Global Alliance", "Kept words inserted words", "The visible conclusion.")


@pytest.fixture
def posted(open_call, make_submission, staff_user) -> Submission:
    """The draft with an author, a comment, a deletion and hidden text, checked and posted.

    The worker's PDF task is queued on commit, which a test's transaction never reaches.
    """
    submission = make_submission(open_call, _private_draft(), name="Global Alliance")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    submission.refresh_from_db()
    assert submission.state == State.POSTED
    assert not submission.public_pdf
    return submission


@pytest.fixture
def staff_client(client, staff_user, verified_login):
    return verified_login(client, staff_user)


def _pdfs(root: Path) -> set[Path]:
    return set(root.rglob("*.pdf"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _strings(obj) -> list[str]:
    """Every string and decoded stream inside one PDF object (not following references)."""
    if isinstance(obj, StreamObject):
        return [obj.get_data().decode("latin-1"), *_strings(DictionaryObject(obj))]
    if isinstance(obj, DictionaryObject):
        return [s for value in obj.values() for s in _strings(value)]
    if isinstance(obj, ArrayObject):
        return [s for value in obj for s in _strings(value)]
    if isinstance(obj, str):
        return [str(obj)]
    if isinstance(obj, bytes):
        return [obj.decode("latin-1")]
    return []


def _everything_in(reader: PdfReader) -> str:
    """The PDF's text as extracted, and every string and stream of every object in it:
    metadata, XMP, annotations (where comments would go), the tags of a tagged PDF."""
    numbers = {n for objects in reader.xref.values() for n in objects} | set(reader.xref_objStm)
    objects = [reader.get_object(n) for n in sorted(numbers)]
    return "\n".join(
        [
            *(page.extract_text() for page in reader.pages),
            *(s for obj in objects for s in _strings(obj)),
        ]
    )


def test_the_pdf_shows_the_visible_words_and_nothing_hidden(posted, _private_storage):
    require_tool("soffice")
    before = _pdfs(_private_storage)

    assert services.submission_make_pdf(submission_id=posted.pk) is True
    assert services.submission_make_pdf(submission_id=posted.pk) is False  # already made

    posted.refresh_from_db()
    assert _pdfs(_private_storage) - before == {_private_storage / posted.public_pdf.name}
    data = posted.public_pdf.open("rb").read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert [words for words in VISIBLE if words not in text] == []
    everything = _everything_in(reader)
    # The title is the public one (the walk reads the metadata: it would see another).
    assert f"{posted.tracking_number} {posted.stakeholder_name}" in everything
    assert "Our submission" not in everything
    assert [secret for secret in SECRETS if secret in everything] == []


def test_the_pdf_is_offered_only_while_it_exists_and_is_posted(
    client, staff_client, staff_user, posted, open_call
):
    require_tool("soffice")
    args = [open_call.slug, posted.number]
    pdf_url = reverse("submissions:posted_pdf", args=args)
    page_url = reverse("submissions:posted", args=args)
    admin_pdf_url = reverse("admin:submissions_submission_file", args=[posted.pk, "pdf"])

    assert client.get(pdf_url).status_code == 404
    page = client.get(page_url)
    assert page.status_code == 200
    assert pdf_url not in page.text
    assert "Download as PDF" not in page.text
    assert staff_client.get(admin_pdf_url).status_code == 404

    assert services.submission_make_pdf(submission_id=posted.pk) is True
    posted.refresh_from_db()
    stored = posted.public_pdf.open("rb").read()

    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert filename.startswith("OPEN-0001")
    assert filename.endswith(".pdf")
    assert b"".join(response.streaming_content) == stored
    page = client.get(page_url).text
    assert f'href="{pdf_url}"' in page
    assert "Download as PDF" in page
    admin_response = staff_client.get(admin_pdf_url)
    assert b"".join(admin_response.streaming_content) == stored

    # Taken down: the PDF is no longer public, and no new one is made.
    services.submission_unpost(submission=posted, actor=staff_user, reason="Asked to")
    assert client.get(pdf_url).status_code == 404
    assert client.get(page_url).status_code == 404
    assert services.submission_make_pdf(submission_id=posted.pk) is False


def test_a_submission_never_posted_has_no_pdf(client, open_call, make_submission):
    submission = make_submission(open_call)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.READY_TO_POST
    url = reverse("submissions:posted_pdf", args=[open_call.slug, submission.number])
    assert client.get(url).status_code == 404
    assert services.submission_make_pdf(submission_id=submission.pk) is False


def test_without_libreoffice_the_pdf_is_tried_a_few_times_then_left(posted, monkeypatch):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)
    for attempt in range(1, services.MAX_PDF_ATTEMPTS + 1):
        assert services.submissions_missing_pdf(older_than=timedelta(0)) == [posted.pk]
        assert services.submission_make_pdf(submission_id=posted.pk) is False
        posted.refresh_from_db()
        assert posted.public_pdf_attempts == attempt
    assert services.submissions_missing_pdf(older_than=timedelta(0)) == []
    assert services.submission_make_pdf(submission_id=posted.pk) is False
    posted.refresh_from_db()
    assert posted.public_pdf_attempts == services.MAX_PDF_ATTEMPTS
    assert not posted.public_pdf


def test_the_sweeper_tries_to_queue_a_missing_pdf_while_the_broker_is_down(posted, caplog):
    # The test settings point the broker at a closed port: nothing can be queued.
    assert services.submissions_missing_pdf(older_than=timedelta(0)) == [posted.pk]
    out = io.StringIO()
    call_command("requeue_stuck", older_than=0, stdout=out)
    assert out.getvalue().splitlines() == [
        "queued 0 unqueued submission(s)",
        "queued 0 stuck submission(s) again",
        "queued 0 missing PDF(s)",
        "queued 0 archive(s)",
        "sent 0 failed e-mail(s) again",
        "deleted 0 held file(s)",
    ]
    assert f"could not queue the PDF of submission {posted.pk}" in caplog.text
    posted.refresh_from_db()
    assert (posted.public_pdf_attempts, posted.public_pdf.name) == (0, "")


# With the broker down, nothing is queued, and the sweeper says so.
def test_the_sweeper_counts_only_the_checks_it_could_queue(open_call, make_submission, caplog):
    stuck = make_submission(open_call)
    out = io.StringIO()
    call_command("requeue_stuck", older_than=0, stdout=out)
    assert f"could not queue the check of submission {stuck.pk}" in caplog.text
    assert out.getvalue().splitlines() == [
        "queued 0 unqueued submission(s)",
        "queued 0 stuck submission(s) again",
        "queued 0 missing PDF(s)",
        "queued 0 archive(s)",
        "sent 0 failed e-mail(s) again",
        "deleted 0 held file(s)",
    ]
