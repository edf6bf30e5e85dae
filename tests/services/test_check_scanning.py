"""Every file is scanned by clamd before the check reads it: malware is quarantined,
a scanner that is down holds the file until it is back (tests/clamd.py: a real clamd)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services
from submissions.compliance.codes import FindingCode
from submissions.enums import State
from submissions.models import Call, Submission
from tests import factories
from tests.clamd import EICAR, EICAR_SIGNATURE, docx_embedding
from tests.helpers import GOOD, send

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

INFECTED = docx_embedding("notes.txt", EICAR, "Submitted by Global Alliance", "Our input.")


def _checked(submission: Submission) -> Submission:
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def test_malware_in_a_word_file_is_quarantined_never_read_and_the_submitter_told(
    open_call, scanner, staff_client
):
    submission, _token = send(open_call, INFECTED)
    original = submission.file.name
    mail.outbox.clear()
    submission = _checked(submission)
    assert submission.state == State.QUARANTINED
    assert [f.code for f in submission.finding_objects()] == [FindingCode.MALWARE_FOUND]
    assert submission.finding_objects()[0].params == {"signature": EICAR_SIGNATURE}
    # Never read: no text, no count, no page 1; moved apart, the upload's name gone.
    assert (submission.text, submission.word_count, submission.name_on_first_page) == (
        "",
        None,
        None,
    )
    assert submission.file.name.startswith("quarantine/") and submission.file.name != original
    assert not submission.file.storage.exists(original)
    assert submission.versions.get().quarantined
    # Told, in their words, with a way to send a clean file.
    (report,) = mail.outbox
    assert EICAR_SIGNATURE in report.body and report.to == ["maria.private@example.org"]
    # Never served, not even to staff; never posted.
    for which in ("original", "preview"):
        url = f"/admin/submissions/submission/{submission.pk}/file/{which}/"
        assert staff_client.get(url).status_code == 403
    assert (
        staff_client.get(f"/admin/submissions/submission/{submission.pk}/version/1/").status_code
        == 403
    )
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_post(
            submission=submission, actor=factories.StaffFactory(is_superuser=True)
        )


def test_a_clean_new_version_takes_a_quarantined_submission_through_the_check(open_call, scanner):
    submission, _token = send(open_call, INFECTED)
    submission = _checked(submission)
    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("clean.docx", GOOD)
    )
    submission = _checked(submission)
    assert submission.state == State.READY_TO_POST
    assert submission.versions.filter(quarantined=True).count() == 1


def test_with_clamd_down_files_wait_unread_and_are_checked_when_it_is_back(open_call, scanner):
    scanner.stop()
    submission, _token = send(open_call, GOOD)
    submission = _checked(submission)
    assert submission.state == State.WAITING_FOR_SCAN
    assert submission.check_attempts == 0  # the worker did not fail: not counted
    assert submission.text == "" and submission.checked_at is None
    # Still waiting on the next tries, as long as the scanner is away: never let through,
    # and no new step in the history each time the sweeper tries.
    events = submission.events.count()
    submission = _checked(submission)
    submission = _checked(submission)
    assert submission.state == State.WAITING_FOR_SCAN
    assert submission.events.count() == events
    from datetime import timedelta

    assert submission.pk in services.submissions_stuck(older_than=timedelta(seconds=-1))
    scanner.start()
    submission = _checked(submission)
    assert submission.state == State.READY_TO_POST


def test_the_secretariat_s_draft_is_scanned_too(scanner):
    call = factories.CallFactory(kind="comments")
    staff = factories.StaffFactory()
    upload = SimpleUploadedFile("draft.docx", INFECTED)
    with pytest.raises(services.ServiceError, match=EICAR_SIGNATURE):
        services.draft_upload(call=call, language="en", upload=upload, actor=staff)
    scanner.stop()
    upload = SimpleUploadedFile("draft.docx", GOOD)
    with pytest.raises(services.ServiceError, match="not available"):
        services.draft_upload(call=call, language="en", upload=upload, actor=staff)
    assert not Call.objects.get(pk=call.pk).draft_texts.exists()
