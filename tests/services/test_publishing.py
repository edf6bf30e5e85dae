"""Posting: refused when it must be, through 'ready to post', and taking it down."""

from __future__ import annotations

import pytest

from submissions import services
from submissions.enums import Publication, State
from tests.documents import make_docx
from tests.helpers import at_state


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


def test_a_file_with_open_errors_cannot_be_posted(over_limit, staff_user):
    with pytest.raises(services.ServiceError, match="accept it with a reason"):
        services.submission_post(submission=over_limit, actor=staff_user)
    over_limit.refresh_from_db()
    assert (over_limit.state, over_limit.public_file.name) == (State.NEEDS_ATTENTION, "")


def test_posting_is_refused_whole_before_any_public_copy(
    open_call, make_submission, member, staff_user
):
    # Publishing alone may not approve what Triage has not: no copy made halfway.
    anonymous = make_submission(open_call, publication=Publication.PUBLISH_ANONYMOUS)
    services.submission_check(submission_id=anonymous.pk)
    anonymous.refresh_from_db()
    with pytest.raises(services.TransitionNotAllowed, match="may not"):
        services.submission_post(submission=anonymous, actor=member("Publishing"))
    failed = at_state(make_submission(open_call, name="Other Org"), State.CHECK_FAILED)
    with pytest.raises(services.TransitionNotAllowed, match="cannot become"):
        services.submission_post(submission=failed, actor=staff_user)
    for submission in (anonymous, failed):
        submission.refresh_from_db()
        assert submission.public_file.name == ""
        assert submission.state != State.POSTED


def test_unpost_takes_a_posted_submission_down(open_call, make_submission, staff_user):
    submission = make_submission(open_call)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    services.submission_unpost(submission=submission, actor=staff_user, reason="Asked by author")
    submission.refresh_from_db()
    assert submission.state == State.UNPOSTED
