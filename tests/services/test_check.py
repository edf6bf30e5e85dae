"""The check: the call's rules run on the current file, the outcome stored."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions import services
from submissions.enums import State
from submissions.models import Submission, SubmissionEvent
from tests.documents import make_docx

NAME = "Global Alliance for Migrant Workers' Rights"


def test_check_accepts_a_good_file_and_queues_it_for_posting(open_call, make_submission):
    submission = make_submission(open_call, make_docx(f"Submitted by {NAME}", "Our input."))
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.READY_TO_POST
    assert submission.word_count == 10
    assert submission.name_on_first_page is True
    assert submission.findings == []
    assert "Our input." in submission.text
    assert list(submission.events.values_list("to_state", flat=True)) == [
        State.RECEIVED,
        State.CHECKING,
        State.ACCEPTED,
        State.READY_TO_POST,
    ]


def test_check_sends_a_file_with_findings_to_a_person(open_call, make_submission):
    submission = make_submission(open_call, make_docx("Another organisation entirely."))
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert [f["code"] for f in submission.findings] == ["name_not_on_first_page_estimated"]


def test_check_keeps_a_do_not_publish_file_out_of_the_posting_queue(open_call, make_submission):
    submission = make_submission(open_call, publication="do_not_publish")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.ACCEPTED


def test_check_uses_the_time_received_not_the_time_checked(gc6_call, make_submission):
    on_time = make_submission(gc6_call, received_at=gc6_call.deadline)
    late = make_submission(gc6_call, received_at=gc6_call.deadline + timedelta(seconds=1))
    for submission in (on_time, late):
        services.submission_check(submission_id=submission.pk)
        submission.refresh_from_db()
    assert on_time.received_on_time is True
    assert late.received_on_time is False
    assert [f["code"] for f in late.findings] == ["received_after_deadline"]


def test_check_run_twice_changes_nothing_the_second_time(open_call, make_submission):
    submission = make_submission(open_call)
    services.submission_check(submission_id=submission.pk)
    events = SubmissionEvent.objects.count()
    services.submission_check(submission_id=submission.pk)
    assert SubmissionEvent.objects.count() == events


def test_check_of_an_unknown_submission_does_nothing(db):
    services.submission_check(submission_id=999_999)


def test_check_gives_up_after_repeated_attempts(open_call, make_submission):
    submission = make_submission(open_call)
    Submission.objects.filter(pk=submission.pk).update(
        state=State.CHECKING, check_attempts=services.MAX_CHECK_ATTEMPTS
    )
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.CHECK_FAILED


def test_a_version_sent_just_before_the_check_starts_is_the_one_checked(
    open_call, make_submission, monkeypatch
):
    submission = make_submission(open_call, make_docx("Global Alliance", "First text."))
    transition = services.submission_transition

    def new_version_lands_first(**kwargs):
        # The submitter's new version commits between the worker's read of the row
        # and its move to CHECKING.
        if kwargs["to"] == State.CHECKING:
            monkeypatch.setattr(services.transition, "submission_transition", transition)
            services.submission_new_version(
                submission=Submission.objects.get(pk=submission.pk),
                upload=SimpleUploadedFile("v2.docx", make_docx("Global Alliance", "Second.")),
            )
        return transition(**kwargs)

    monkeypatch.setattr(services.transition, "submission_transition", new_version_lands_first)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert "Second." in submission.text
    assert "First text." not in submission.text


def test_requeue_stuck_finds_only_old_unchecked_submissions(open_call, make_submission):

    old = make_submission(open_call)
    checked = make_submission(open_call)
    services.submission_check(submission_id=checked.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        fresh = make_submission(open_call)
        requeued = services.submissions_stuck(older_than=timedelta(minutes=10))
    assert requeued == [old.pk]
    assert fresh.pk not in requeued


def test_the_check_writes_every_field_of_its_list(open_call, make_submission):
    from submissions.services.check import CHECK_FIELDS, cleared_check_fields

    open_call.word_limit = 5
    open_call.save()
    text = " ".join(["migrant workers and their families"] * 20)
    submission = make_submission(open_call, make_docx("Someone else", text))
    services.submission_check(submission_id=submission.pk)
    stored = Submission.objects.values(*CHECK_FIELDS).get(pk=submission.pk)
    before = cleared_check_fields()
    # A file with findings, a signature and a language: every field holds something.
    unchanged = [name for name in CHECK_FIELDS if stored[name] == before[name]]
    assert unchanged == []


def test_a_new_version_clears_every_field_the_check_wrote(open_call, make_submission):
    from submissions.services.check import CHECK_FIELDS

    submission = make_submission(open_call, make_docx("Someone else", "Text " * 80))
    services.submission_check(submission_id=submission.pk)
    services.submission_new_version(
        submission=Submission.objects.get(pk=submission.pk),
        upload=SimpleUploadedFile("v2.docx", make_docx(f"Submitted by {NAME}", "Fixed.")),
    )
    fresh = make_submission(open_call)  # as the form leaves a row, before any check
    fields = [*CHECK_FIELDS, "check_attempts", "overrides", "waiting_for_submitter"]
    assert Submission.objects.values(*fields).get(pk=submission.pk) == (
        Submission.objects.values(*fields).get(pk=fresh.pk)
    )


def test_a_report_with_something_to_fix_is_e_mailed_once_per_version(open_call, make_submission):
    from submissions.models import EmailLog, PrivateLink

    submission = make_submission(open_call, make_docx("Another organisation entirely."))
    services.submission_check(submission_id=submission.pk)
    services.submission_check(submission_id=submission.pk)  # redelivered
    log = EmailLog.objects.get(submission=submission, key__startswith="report")
    assert log.key == "report-v1"
    assert "name_not_on_first_page" not in log.body  # the finding's words, not its code
    assert PrivateLink.objects.filter(submission=submission).count() == 1


def test_no_report_e_mail_for_a_file_that_meets_the_rules(open_call, make_submission):
    from submissions.models import EmailLog

    submission = make_submission(open_call, make_docx(f"Submitted by {NAME}", "Our input."))
    services.submission_check(submission_id=submission.pk)
    assert not EmailLog.objects.filter(key__startswith="report").exists()
