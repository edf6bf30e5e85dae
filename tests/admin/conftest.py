"""Rows the admin's tests look at, in the states they need (by tests/factories.py but for
`over_limit`, which the check makes: tests/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import services
from submissions.enums import State
from submissions.models import Submission
from tests.campaign_letters import DOMESTIC_WORK, SENDERS, letter
from tests.factories import SubmissionFactory


@pytest.fixture
def named_anonymous(open_call):
    """Asked to be posted without its name; its first line names it."""
    submission = SubmissionFactory(
        call=open_call, stakeholder_name="Secret NGO", publication="publish_anonymous", checked=True
    )
    assert "name_in_anonymous_document" in submission.finding_codes
    return submission


@pytest.fixture
def queue(open_call, staff_user, over_limit):
    """Four submissions: two need a person, the others do not."""
    open_call.word_limit = 5000
    open_call.save()
    ready = SubmissionFactory(call=open_call, stakeholder_name="Ready Org", checked=True)
    posted = SubmissionFactory(
        call=open_call, stakeholder_name="Posted Org", state=State.POSTED, decided_by=staff_user
    )
    rejected = SubmissionFactory(
        call=open_call, stakeholder_name="Rejected Org", state=State.REJECTED, decided_by=staff_user
    )
    assert ready.state == State.READY_TO_POST
    # Received earlier than the others: the oldest comes first.
    Submission.objects.filter(pk=ready.pk).update(received_at=timezone.now() - timedelta(days=2))
    return {"over": over_limit, "ready": ready, "posted": posted, "rejected": rejected}


@pytest.fixture
def campaign_rows(open_call) -> tuple[list[Submission], Submission]:
    """Three senders of the campaign letter, after one unrelated submission: the rows of
    tests/services/test_grouping.py's `campaign`, made by the factories and grouped once
    (what the checks leave; that the checks group them is tested there)."""
    unrelated = SubmissionFactory(
        call=open_call,
        stakeholder_name="Domestic Workers Network",
        paragraphs=("Domestic Workers Network", DOMESTIC_WORK),
        checked=True,
    )
    letters = [
        SubmissionFactory(
            call=open_call,
            stakeholder_name=name,
            paragraphs=letter(name, greeting, edits),
            checked=True,
        )
        for name, greeting, edits in SENDERS
    ]
    services.submission_group_duplicates(call=open_call)
    return letters, unrelated
