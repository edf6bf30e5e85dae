"""The submitter's private status page: the report, a new version, withdrawing."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.documents import make_docx
from tests.helpers import submit


def test_status_page_shows_findings_once_checked(client, open_call):
    response = submit(client, open_call, content=make_docx("Someone else entirely"))
    status_url = response["Location"].split("?")[0]
    page = client.get(status_url)
    assert "updates by itself" in page.text
    services.submission_check(submission_id=Submission.objects.get().pk)
    page = client.get(status_url)
    assert 'data-code="name_not_on_first_page_estimated"' in page.text
    assert "We could not find" in page.text


def test_status_page_with_a_wrong_token_is_not_found(client, db):
    assert client.get(reverse("submissions:status", args=["made-up"])).status_code == 404


def test_the_state_endpoint_says_when_the_check_is_done(client, submitted):
    submission, status_url = submitted
    state = json.loads(client.get(status_url + "state.json").content)
    assert (state["state"], state["waiting"]) == ("received", True)
    services.submission_check(submission_id=submission.pk)
    state = json.loads(client.get(status_url + "state.json").content)
    assert state["waiting"] is False
    assert state["state"] == State.READY_TO_POST


def test_the_status_page_offers_a_new_version_and_takes_it(
    client, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    submission, status_url = submitted
    services.submission_check(submission_id=submission.pk)
    page = client.get(status_url)
    assert f'action="{status_url}version/"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            status_url + "version/",
            {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance", "Fixed."))},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.RECEIVED
    assert submission.original_filename == "v2.docx"
    assert submission.findings == []
    assert [v.original_filename for v in submission.versions.all()] == ["v1.docx", "v2.docx"]
    assert len(mailoutbox) == 2
    assert submission.tracking_number in mailoutbox[1].subject
    assert EmailLog.objects.filter(key="version-2").count() == 1
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert "Fixed." in submission.text  # the latest version is the one checked


def test_a_new_version_with_a_bad_file_is_explained(client, submitted):
    _, status_url = submitted
    response = client.post(
        status_url + "version/", {"file": SimpleUploadedFile("v2.docx", b"%PDF-1.4")}
    )
    assert response.status_code == 400
    assert Submission.objects.get().versions.count() == 1


def test_no_new_version_after_the_deadline_or_once_posted(client, submitted, staff_user):
    submission, status_url = submitted
    upload = {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance"))}
    with time_machine.travel(submission.call.deadline + timedelta(minutes=1)):
        assert client.post(status_url + "version/", upload).status_code == 409
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    upload = {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance"))}
    assert client.post(status_url + "version/", upload).status_code == 409
    assert submission.versions.count() == 1


def test_withdrawing_needs_a_confirmation_and_takes_a_posted_submission_down(
    client, submitted, staff_user
):
    submission, status_url = submitted
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    assert client.post(status_url + "withdraw/", {}).status_code == 400
    assert client.post(status_url + "withdraw/", {"confirm": "on"}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.WITHDRAWN
    listing = client.get(reverse("submissions:posted_list", args=[submission.call.slug]))
    assert submission.tracking_number not in listing.text
