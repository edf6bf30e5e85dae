"""Duplicates, the database side: the checks group real submissions, a withdrawal ungroups."""

from __future__ import annotations

import pytest

from submissions import services
from submissions.enums import DuplicateReason, State
from submissions.models import Call, Submission
from tests.campaign_letters import DOMESTIC_WORK, SENDERS, letter
from tests.documents import make_docx


def _checked(make_submission, call: Call, data: bytes, name: str) -> Submission:
    submission = make_submission(call, data, name=name)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _groups(*submissions: Submission) -> list[tuple[int | None, list[str]]]:
    for submission in submissions:
        submission.refresh_from_db()
    return [(s.duplicate_group, s.duplicate_reasons) for s in submissions]


def test_the_same_file_twice_is_one_group(open_call, make_submission):
    data = make_docx("Submitted by the Global Alliance and the Migrant Forum", "Our joint input.")
    first = _checked(make_submission, open_call, data, "Global Alliance")
    second = _checked(make_submission, open_call, data, "Migrant Forum")
    assert _groups(first, second) == [
        (first.number, [DuplicateReason.SAME_FILE]),
        (first.number, [DuplicateReason.SAME_FILE]),
    ]


def test_the_same_stakeholder_twice_is_one_group(open_call, make_submission):
    first = _checked(
        make_submission,
        open_call,
        make_docx("Global Alliance", "First thoughts."),
        "Global Alliance",
    )
    second = _checked(
        make_submission,
        open_call,
        make_docx("Global Alliance", "Second thoughts, at more length."),
        "  global   ALLIANCE ",
    )
    assert first.sha256 != second.sha256
    assert _groups(first, second) == [
        (first.number, [DuplicateReason.SAME_STAKEHOLDER]),
        (first.number, [DuplicateReason.SAME_STAKEHOLDER]),
    ]


@pytest.fixture
def campaign(open_call, make_submission) -> tuple[list[Submission], Submission]:
    """Three senders of the campaign letter, after one unrelated submission; all checked."""
    unrelated = _checked(
        make_submission,
        open_call,
        make_docx("Domestic Workers Network", DOMESTIC_WORK),
        "Domestic Workers Network",
    )
    letters = [
        _checked(make_submission, open_call, make_docx(*letter(name, greeting, edits)), name)
        for name, greeting, edits in SENDERS
    ]
    return letters, unrelated


def test_a_campaign_is_one_group_numbered_by_its_first_letter(campaign):
    letters, unrelated = campaign
    first = min(s.number for s in letters)
    assert first != unrelated.number
    assert _groups(*letters) == [(first, [DuplicateReason.SIMILAR_TEXT])] * 3
    assert _groups(unrelated) == [(None, [])]


@pytest.mark.parametrize("regroup", ["a later check", "grouping again"])
def test_a_withdrawn_submission_leaves_its_group(campaign, open_call, make_submission, regroup):
    letters, _unrelated = campaign
    withdrawn, *others = letters
    services.submission_withdraw(submission=withdrawn)
    if regroup == "a later check":
        _checked(make_submission, open_call, make_docx("Late Network", "Short input."), "Late")
    else:
        services.submission_group_duplicates(call=open_call)
    assert _groups(withdrawn) == [(None, [])]
    assert withdrawn.state == State.WITHDRAWN
    # The group is now numbered by the first letter still in it.
    second = min(s.number for s in others)
    assert _groups(*others) == [(second, [DuplicateReason.SIMILAR_TEXT])] * 2
