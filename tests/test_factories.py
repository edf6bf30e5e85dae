"""The factories make what the pipeline makes: the same file, checked and posted by the
services and by tests/factories.py, gives the same row (or the factory refuses it)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import compliance, services
from submissions.enums import Publication, State
from submissions.models import Submission
from submissions.services.check import CHECK_FIELDS
from tests.documents import make_docx
from tests.factories import CallFactory, SubmissionFactory, UntruthfulRow

NAME = "Global Alliance for Migrant Workers' Rights"
CONTACT = {"contact_name": "Maria Private", "contact_email": "private.contact@example.org"}

CASES = {
    "a clean file": (Publication.PUBLISH, (f"Submitted by {NAME}", "Our input.")),
    "no name on page 1": (Publication.PUBLISH, ("Nobody's name here.",)),
    "kept private": (Publication.DO_NOT_PUBLISH, (f"Submitted by {NAME}", "Our input.")),
    "its name withheld": (Publication.PUBLISH_ANONYMOUS, (f"Submitted by {NAME}", "Ours.")),
    "over the limit": (Publication.PUBLISH, (NAME, " ".join(["word"] * 40))),
}


@pytest.fixture
def calls(db):
    """Two calls alike, one for the services' rows and one for the factory's."""
    deadline = timezone.now() + timedelta(days=30)
    return [CallFactory(deadline=deadline, word_limit=30) for _ in range(2)]


def _pair(calls, make_submission, case, *, check: bool = True, **factory_fields):
    publication, paragraphs = CASES[case]
    data = make_docx(*paragraphs)
    received_at = timezone.now() - timedelta(hours=1)
    made = make_submission(
        calls[0],
        data,
        name=NAME,
        publication=publication,
        received_at=received_at,
        email=CONTACT["contact_email"],
    )
    if check:
        services.submission_check(submission_id=made.pk)
    made.refresh_from_db()
    faked = SubmissionFactory(
        call=calls[1],
        data=data,
        stakeholder_name=NAME,
        publication=publication,
        received_at=received_at,
        **CONTACT,
        **factory_fields,
    )
    faked.refresh_from_db()
    return made, faked


def _history(submission: Submission) -> list[tuple]:
    return [(e.from_state, e.to_state, e.reason, e.actor) for e in submission.events.all()]


def _stored(submission: Submission) -> dict:
    return {name: getattr(submission, name) for name in CHECK_FIELDS if name != "checked_at"}


def _file(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("case", CASES)
def test_a_checked_row_is_the_one_the_check_stores(calls, make_submission, case):
    made, faked = _pair(calls, make_submission, case, checked=True)
    assert faked.state == made.state
    assert _stored(faked) == _stored(made)
    assert (faked.checked_at is None, faked.check_attempts) == (False, made.check_attempts)
    assert _history(faked) == _history(made)
    assert (faked.sha256, faked.file_size, _file(faked.file)) == (
        made.sha256,
        made.file_size,
        _file(made.file),
    )
    assert [(v.number, v.file.name, v.sha256) for v in faked.versions.all()] == [
        (1, faked.file.name, faked.sha256)
    ]
    assert [v.number for v in made.versions.all()] == [1]


@pytest.mark.parametrize("case", ["a clean file", "no name on page 1", "its name withheld"])
def test_a_posted_row_is_the_one_posting_makes(calls, make_submission, staff_user, case):
    made, faked = _pair(calls, make_submission, case, state=State.POSTED, decided_by=staff_user)
    services.submission_post(submission=made, actor=staff_user, names_seen=True)
    made.refresh_from_db()
    assert faked.state == made.state == State.POSTED
    assert _stored(faked) == _stored(made)
    assert _history(faked) == _history(made)
    assert faked.posted_at is not None
    assert faked.public_text == made.public_text
    public = {
        zipfile.ZipFile(io.BytesIO(_file(s.public_file))).read("word/document.xml")
        for s in (made, faked)
    }
    assert len(public) == 1  # the same cleaned document
    assert compliance.public_text(_file(faked.public_file)) == faked.public_text
    assert _file(faked.public_file) != _file(faked.file)


def test_a_row_taken_down_keeps_its_copy_as_unposting_does(calls, make_submission, staff_user):
    made, faked = _pair(
        calls, make_submission, "a clean file", state=State.UNPOSTED, decided_by=staff_user
    )
    services.submission_post(submission=made, actor=staff_user)
    services.submission_unpost(submission=made, actor=staff_user, reason="taken down")
    made.refresh_from_db()
    assert faked.state == made.state == State.UNPOSTED
    assert _history(faked) == _history(made)
    assert bool(faked.public_file) and bool(made.public_file)
    assert faked.public_text == made.public_text


def test_a_rejected_row_has_the_history_of_a_rejection(calls, make_submission, staff_user):
    made, faked = _pair(
        calls, make_submission, "no name on page 1", state=State.REJECTED, decided_by=staff_user
    )
    services.submission_reject(submission=made, actor=staff_user, reason="rejected")
    made.refresh_from_db()
    assert faked.state == made.state == State.REJECTED
    assert _history(faked) == _history(made)


def test_a_received_row_is_one_the_form_makes(calls, make_submission):
    made, faked = _pair(calls, make_submission, "a clean file", check=False)
    assert faked.state == made.state == State.RECEIVED
    assert _stored(faked) == _stored(made)
    assert (faked.checked_at, faked.check_attempts) == (made.checked_at, made.check_attempts)
    assert _history(faked) == _history(made)
    assert [v.number for v in faked.versions.all()] == [v.number for v in made.versions.all()]


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ("a clean file", {"state": State.NEEDS_ATTENTION}),  # the check accepts it
        ("a clean file", {"state": State.ACCEPTED}),  # the check readies it for posting
        ("kept private", {"state": State.POSTED}),
        ("kept private", {"state": State.READY_TO_POST}),
        ("over the limit", {"state": State.READY_TO_POST}),  # an error nobody overrode
        ("over the limit", {"state": State.POSTED}),
        ("a clean file", {"state": State.POSTED, "was_checked": False}),
    ],
)
def test_the_factory_refuses_a_row_the_pipeline_never_makes(calls, case, fields):
    publication, paragraphs = CASES[case]
    with pytest.raises(UntruthfulRow):
        SubmissionFactory(
            call=calls[1],
            paragraphs=paragraphs,
            stakeholder_name=NAME,
            publication=publication,
            **fields,
        )
    assert not Submission.objects.exists()


def test_numbers_count_per_call_and_each_row_has_its_own_link(db):
    first, second = CallFactory(), CallFactory()
    rows = [SubmissionFactory(call=call) for call in (first, first, second)]
    assert [s.tracking_number for s in rows] == [
        f"{first.tracking_prefix}-0001",
        f"{first.tracking_prefix}-0002",
        f"{second.tracking_prefix}-0001",
    ]
    assert len({s.status_token_hash for s in rows}) == 3
    assert len({s.file.name for s in rows}) == 3
