"""Sending a file through the form: the receipt, errors, the deadline and late access."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from submissions import services
from submissions.enums import LatePolicy, State
from submissions.models import Submission
from tests.helpers import submit


def test_submitting_shows_a_receipt_with_a_tracking_number(
    client, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, open_call)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "OPEN-0001" in receipt.text
    assert "Thank you" in receipt.text
    assert receipt["Cache-Control"] == "no-store"
    submission = Submission.objects.get()
    assert submission.state == State.RECEIVED  # the broker is down: the sweeper will queue it


def test_form_errors_are_summarised_and_nothing_is_saved(client, open_call):
    response = submit(client, open_call, content=b"%PDF-1.4", contact_email="nope")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'href="#id_file"' in response.text
    assert 'href="#id_contact_email"' in response.text
    assert not Submission.objects.exists()


def test_closed_call_refuses_submissions(client, gc6_call):
    response = submit(client, gc6_call)
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_deadline_passes_and_the_form_closes(client, open_call):
    with time_machine.travel(open_call.deadline + timedelta(seconds=1)):
        response = client.get(reverse("submissions:submit", args=[open_call.slug]))
    assert response.status_code == 403


# After the deadline: the call's late policy, and late access codes.


@pytest.fixture
def after_deadline(open_call):
    with time_machine.travel(open_call.deadline + timedelta(hours=2), tick=False):
        yield open_call


def test_refuse_policy_closes_the_form_after_the_deadline(client, after_deadline):
    response = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert response.status_code == 403
    assert "late access code" in response.text
    assert submit(client, after_deadline).status_code == 403
    assert not Submission.objects.exists()


def test_accept_policy_takes_late_files_and_flags_them(client, after_deadline):
    after_deadline.late_policy = LatePolicy.ACCEPT
    after_deadline.save()
    page = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert "The deadline has passed" in page.text
    assert submit(client, after_deadline).status_code == 302
    submission = Submission.objects.get()
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert [f["code"] for f in submission.findings] == ["received_after_deadline"]


def test_a_late_access_code_opens_the_form_once(client, after_deadline, late_code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    page = client.get(url, {"code": late_code.code})
    assert page.status_code == 200
    assert "late access code issued to Global Alliance" in page.text
    assert submit(client, after_deadline, late_code=late_code.code).status_code == 302
    submission = Submission.objects.get()
    assert submission.late_access == late_code
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.received_on_time is True
    assert [f["code"] for f in submission.findings] == ["received_with_late_access"]
    assert submission.state == State.READY_TO_POST  # a note only: nothing needs a person
    # Used once: the same code no longer opens the form.
    assert client.get(url, {"code": late_code.code}).status_code == 403


def test_a_wrong_or_expired_code_is_explained(client, after_deadline, late_code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    response = client.get(url, {"code": "made-up"})
    assert response.status_code == 403
    assert "This code is not valid" in response.text
    with time_machine.travel(late_code.valid_until + timedelta(seconds=1)):
        assert client.get(url, {"code": late_code.code}).status_code == 403
