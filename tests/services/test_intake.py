"""What submitters do, the services' side: send a file, use a late access code, withdraw."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services, tokens
from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx

NAME = "Global Alliance for Migrant Workers' Rights"


def test_submission_create_numbers_per_call_and_stores_the_file_privately(
    open_call, gc6_call, make_submission, _private_storage
):
    first = make_submission(open_call)
    second = make_submission(open_call)
    other = make_submission(gc6_call)
    assert [first.tracking_number, second.tracking_number] == ["OPEN-0001", "OPEN-0002"]
    assert other.tracking_number == "GC6-0001"
    stored = _private_storage / first.file.name
    assert stored.exists()
    assert "our submission" not in first.file.name  # never the submitter's file name
    assert first.original_filename == "our submission.docx"
    assert len(first.sha256) == 64
    assert first.state == State.RECEIVED


def test_submission_create_returns_a_token_only_its_hash_is_stored(open_call):
    submission, token = services.submission_create(
        call=open_call,
        details=services.SubmitterDetails(
            NAME, "academia", "", "A", "a@example.org", "en", "publish"
        ),
        upload=SimpleUploadedFile("a.docx", make_docx(NAME)),
        interface_language="fr",
    )
    assert token not in submission.status_token_hash
    assert submission.status_token_hash == tokens.hash_token(token)
    assert submission.interface_language == "fr"


@pytest.mark.outbox_after_commit
def test_check_and_confirmation_wait_for_the_commit(
    open_call, make_submission, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        make_submission(open_call)
    # Queue the check, hand the receipt to the worker, refresh the statistics.
    assert len(callbacks) == 3
    assert mailoutbox == []  # nothing leaves before the row is committed
    assert EmailLog.objects.get().sent_at is None  # the receipt waits in the outbox


def test_a_code_used_meanwhile_is_refused_with_a_message(open_call, late_code):
    def create():
        return services.submission_create(
            call=open_call,
            details=services.SubmitterDetails(**SUBMITTER_FORM),
            upload=SimpleUploadedFile("a.docx", make_docx("Global Alliance")),
            interface_language="en",
            late_access=late_code,
        )

    first, _token = create()
    assert first.late_access == late_code
    with pytest.raises(services.ServiceError):
        create()
    assert Submission.objects.count() == 1


def test_withdrawing_while_the_check_runs_wins_over_the_check(open_call, make_submission):
    submission = make_submission(open_call)
    services.submission_transition(submission=submission, to=State.CHECKING)
    services.submission_withdraw(submission=submission)
    services.submission_check(submission_id=submission.pk)  # a redelivered check
    submission.refresh_from_db()
    assert submission.state == State.WITHDRAWN


def test_a_new_version_is_e_mailed_with_a_private_link_of_its_own(
    open_call, make_submission, mailoutbox
):
    from submissions import notifications, private_links
    from submissions.models import PrivateLink

    submission = make_submission(open_call)
    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("v2.docx", make_docx(NAME))
    )
    log = EmailLog.objects.get(key="version-2")
    assert notifications.PRIVATE_LINK_MASK in log.body
    (link,) = PrivateLink.objects.filter(submission=submission)
    sent = mailoutbox[-1].body
    token = next(word.rstrip("/").rsplit("/", 1)[-1] for word in sent.split() if "/status/" in word)
    assert tokens.hash_token(token) == link.token_hash
    assert private_links.submission_for_token(token) == submission
