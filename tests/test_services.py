from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import services, tokens
from submissions.enums import ALLOWED_TRANSITIONS, State
from submissions.models import EmailLog, Submission, SubmissionEvent
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
    from django.core.files.uploadedfile import SimpleUploadedFile

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
    assert len(callbacks) == 2  # queue the check, hand the receipt to the worker
    assert mailoutbox == []  # nothing leaves before the row is committed
    assert EmailLog.objects.get().sent_at is None  # the receipt waits in the outbox


@pytest.mark.parametrize("current", list(State))
def test_transition_table_is_enforced(open_call, make_submission, current):
    submission = make_submission(open_call)
    Submission.objects.filter(pk=submission.pk).update(state=current)
    for target in State:
        submission.state = current
        if target in ALLOWED_TRANSITIONS[current]:
            assert services.submission_transition(submission=submission, to=target)
            Submission.objects.filter(pk=submission.pk).update(state=current)
        else:
            with pytest.raises(services.TransitionNotAllowed):
                services.submission_transition(submission=submission, to=target)


def test_transition_is_compare_and_set(open_call, make_submission):
    submission = make_submission(open_call)
    stale = Submission.objects.get(pk=submission.pk)
    assert services.submission_transition(submission=submission, to=State.CHECKING)
    assert not services.submission_transition(submission=stale, to=State.CHECKING)
    assert submission.events.filter(to_state=State.CHECKING).count() == 1


def test_transition_records_who_when_and_why(open_call, make_submission, staff_user):
    submission = make_submission(open_call)
    services.submission_reject(submission=submission, actor=staff_user, reason="Spam")
    event = submission.events.last()
    assert (event.from_state, event.to_state, event.actor, event.reason) == (
        State.RECEIVED,
        State.REJECTED,
        staff_user,
        "Spam",
    )


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


def test_post_refuses_a_do_not_publish_submission(open_call, make_submission, staff_user):
    submission = make_submission(open_call, publication="do_not_publish")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    with pytest.raises(services.ServiceError):
        services.submission_post(submission=submission, actor=staff_user)
    submission.refresh_from_db()
    assert submission.state == State.ACCEPTED


def test_post_from_needs_attention_goes_through_ready_to_post(
    open_call, make_submission, staff_user
):
    submission = make_submission(open_call, make_docx("No name here."))
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    submission.refresh_from_db()
    assert submission.state == State.POSTED
    assert submission.posted_at is not None
    assert list(submission.events.filter(actor=staff_user).values_list("to_state", flat=True)) == [
        State.READY_TO_POST,
        State.POSTED,
    ]


def test_reject_needs_a_reason(open_call, make_submission, staff_user):
    submission = make_submission(open_call)
    with pytest.raises(services.ServiceError):
        services.submission_reject(submission=submission, actor=staff_user, reason="  ")


def test_unpost_takes_a_posted_submission_down(open_call, make_submission, staff_user):
    submission = make_submission(open_call)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    services.submission_unpost(submission=submission, actor=staff_user, reason="Asked by author")
    submission.refresh_from_db()
    assert submission.state == State.UNPOSTED


def test_requeue_stuck_finds_only_old_unchecked_submissions(open_call, make_submission):
    import time_machine

    old = make_submission(open_call)
    checked = make_submission(open_call)
    services.submission_check(submission_id=checked.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        fresh = make_submission(open_call)
        requeued = services.submissions_stuck(older_than=timedelta(minutes=10))
    assert requeued == [old.pk]
    assert fresh.pk not in requeued
