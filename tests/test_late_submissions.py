"""After the deadline: the call's late policy, and late access codes."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions import services
from submissions.enums import LatePolicy, State
from submissions.models import LateAccessCode, Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx


def _post(client, call, **extra):
    data = {
        **SUBMITTER_FORM,
        **extra,
        "file": SimpleUploadedFile("input.docx", make_docx("Global Alliance")),
    }
    return client.post(reverse("submissions:submit", args=[call.slug]), data)


@pytest.fixture
def after_deadline(open_call):
    with time_machine.travel(open_call.deadline + timedelta(hours=2), tick=False):
        yield open_call


@pytest.fixture
def code(open_call, staff_user):
    return LateAccessCode.objects.create(
        call=open_call,
        stakeholder_name="Global Alliance",
        created_by=staff_user,
        valid_until=open_call.deadline + timedelta(days=3),
    )


def test_refuse_policy_closes_the_form_after_the_deadline(client, after_deadline):
    response = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert response.status_code == 403
    assert "late access code" in response.text
    assert _post(client, after_deadline).status_code == 403
    assert not Submission.objects.exists()


def test_accept_policy_takes_late_files_and_flags_them(client, after_deadline):
    after_deadline.late_policy = LatePolicy.ACCEPT
    after_deadline.save()
    page = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert "The deadline has passed" in page.text
    assert _post(client, after_deadline).status_code == 302
    submission = Submission.objects.get()
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert [f["code"] for f in submission.findings] == ["received_after_deadline"]


def test_a_late_access_code_opens_the_form_once(client, after_deadline, code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    page = client.get(url, {"code": code.code})
    assert page.status_code == 200
    assert "late access code issued to Global Alliance" in page.text
    assert _post(client, after_deadline, late_code=code.code).status_code == 302
    submission = Submission.objects.get()
    assert submission.late_access == code
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.received_on_time is True
    assert [f["code"] for f in submission.findings] == ["received_with_late_access"]
    assert submission.state == State.READY_TO_POST  # a note only: nothing needs a person
    # Used once: the same code no longer opens the form.
    assert client.get(url, {"code": code.code}).status_code == 403


def test_a_wrong_or_expired_code_is_explained(client, after_deadline, code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    response = client.get(url, {"code": "made-up"})
    assert response.status_code == 403
    assert "This code is not valid" in response.text
    with time_machine.travel(code.valid_until + timedelta(seconds=1)):
        assert client.get(url, {"code": code.code}).status_code == 403


def test_a_code_used_meanwhile_is_refused_with_a_message(open_call, code):
    def create():
        return services.submission_create(
            call=open_call,
            details=services.SubmitterDetails(**SUBMITTER_FORM),
            upload=SimpleUploadedFile("a.docx", make_docx("Global Alliance")),
            interface_language="en",
            late_access=code,
        )

    first, _token = create()
    assert first.late_access == code
    with pytest.raises(services.ServiceError):
        create()
    assert Submission.objects.count() == 1


def test_codes_are_made_in_the_admin_with_who_made_them(
    client, staff_user, open_call, verified_login
):
    verified_login(client, staff_user)
    valid_until = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("admin:submissions_lateaccesscode_add"),
        {
            "call": open_call.pk,
            "stakeholder_name": "Late NGO",
            "valid_until_0": valid_until,
            "valid_until_1": "12:00:00",
        },
    )
    assert response.status_code == 302
    code = LateAccessCode.objects.get()
    assert code.created_by == staff_user
    assert len(code.code) >= 12
