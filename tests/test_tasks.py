"""The Celery task, run in this process through Celery's own machinery (`apply`)."""

from submissions.enums import State
from submissions.tasks import check_submission, queue_check


def test_task_checks_the_submission(open_call, make_submission):
    submission = make_submission(open_call)
    check_submission.apply(kwargs={"submission_id": submission.pk}).get()
    submission.refresh_from_db()
    assert submission.state == State.READY_TO_POST


def test_task_that_keeps_failing_ends_in_check_failed(open_call, make_submission):
    submission = make_submission(open_call)
    submission.file.storage.delete(submission.file.name)  # every attempt now fails
    check_submission.apply(kwargs={"submission_id": submission.pk}).get()
    submission.refresh_from_db()
    assert submission.state == State.CHECK_FAILED
    assert submission.events.last().reason == "the check failed: FileNotFoundError"


def test_queue_check_never_raises_when_the_broker_is_down(db):
    # The suite's broker URL points at a closed port.
    assert queue_check(1) is False
