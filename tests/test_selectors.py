"""Reads: the public selectors return only what may be shown to anyone; the private
ones find a row only by what proves the right to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import selectors
from submissions.enums import Publication, State
from submissions.models import LateAccessCode, Submission
from tests.factories import CallFactory, SubmissionFactory, submission_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_state(open_call) -> dict[State, Submission]:
    """One submission of the open call in each state."""
    return {state: submission_in(state, call=open_call) for state in State}


def test_the_public_list_has_only_the_posted_submissions_of_the_call(open_call, every_state):
    SubmissionFactory(call=CallFactory(), state=State.POSTED)  # another call's
    listed = list(selectors.posted_submissions(call=open_call))
    assert listed == [every_state[State.POSTED]]
    for sort in selectors.SORTS:
        assert list(selectors.posted_submissions(call=open_call, sort=sort)) == listed


def test_a_posted_submission_is_found_by_number_only_while_posted(open_call, every_state):
    for state, submission in every_state.items():
        found = selectors.posted_submission(call=open_call, number=submission.number)
        assert found == (submission if state == State.POSTED else None), state
    posted = every_state[State.POSTED]
    assert selectors.posted_submission(call=CallFactory(), number=posted.number) is None


def test_the_statistics_count_posted_submissions_only(open_call, every_state):
    numbers = selectors.posted_statistics(open_call)
    assert numbers["category"] == [("civil_society", 1)]
    assert numbers["country"] == [("PH", 1)]
    assert numbers["language"] == [("en", 1)]
    # Received by week: every submission but the withdrawn one.
    assert sum(n for _week, n in numbers["week"]) == len(State) - 1


# Search and sorting.


def _search(call, query: str) -> list[Submission]:
    return list(selectors.posted_submissions(call=call, query=query))


def test_search_finds_a_word_of_the_public_text(open_call):
    posted = SubmissionFactory(
        call=open_call,
        stakeholder_name="Global Alliance",
        paragraphs=("Submitted by Global Alliance", "Remittances should cost less."),
        state=State.POSTED,
    )
    assert "Remittances" in posted.public_text
    assert _search(open_call, "remittances") == [posted]
    assert _search(open_call, "Global Alliance") == [posted]  # a name it shows
    assert _search(open_call, "pensions") == []


def test_search_never_reads_the_checked_text(open_call):
    # The checked text is the Secretariat's: a file's hidden runs were in it, and
    # whatever it holds beyond the public copy must not be found by the public.
    posted = SubmissionFactory(
        call=open_call,
        stakeholder_name="Global Alliance",
        paragraphs=("Submitted by Global Alliance", "Our input."),
        state=State.POSTED,
    )
    Submission.objects.filter(pk=posted.pk).update(text=posted.text + "\n\nconfidential donors")
    assert "confidential" in Submission.objects.get(pk=posted.pk).text
    assert _search(open_call, "confidential") == []
    assert _search(open_call, "Our input") == [posted]


def test_search_never_finds_a_withheld_name(open_call):
    posted = SubmissionFactory(
        call=open_call,
        stakeholder_name="Secret NGO",
        contact_name="Maria Private",
        contact_email="maria.private@example.org",
        paragraphs=("Submitted by Secret NGO", "Write to maria.private@example.org."),
        publication=Publication.PUBLISH_ANONYMOUS,
        state=State.POSTED,
    )
    # The name is in the stakeholder field and in the checked text, never in the public text.
    assert "Secret NGO" in posted.text and "Secret NGO" not in posted.public_text
    assert "[name withheld]" in posted.public_text
    for query in ("Secret NGO", "Secret", "maria.private@example.org", "Maria Private"):
        assert _search(open_call, query) == [], query
    assert _search(open_call, "Submitted by") == [posted]


def test_sorting_by_stakeholder_never_sorts_by_a_withheld_name(open_call):
    zeta = SubmissionFactory(call=open_call, stakeholder_name="Zeta Org", state=State.POSTED)
    withheld = SubmissionFactory(
        call=open_call,
        stakeholder_name="Zzz Secret Network",
        publication=Publication.PUBLISH_ANONYMOUS,
        state=State.POSTED,
    )
    mu = SubmissionFactory(call=open_call, stakeholder_name="Mu Org", state=State.POSTED)
    by_name = list(selectors.posted_submissions(call=open_call, sort="stakeholder"))
    # A withheld name sorts as empty: first, not last as its real name would.
    assert by_name == [withheld, mu, zeta]
    by_number = list(selectors.posted_submissions(call=open_call, sort="number"))
    assert by_number == [zeta, withheld, mu]


# Late access codes and private links.


def test_a_late_access_code_is_found_while_unused_and_valid(open_call, late_code):
    assert selectors.late_access_for(call=open_call, code=late_code.code) == late_code


def test_a_late_access_code_of_another_call_is_refused(open_call, late_code):
    assert selectors.late_access_for(call=CallFactory(), code=late_code.code) is None


def test_an_expired_late_access_code_is_refused(open_call, late_code):
    LateAccessCode.objects.filter(pk=late_code.pk).update(
        valid_until=timezone.now() - timedelta(minutes=1)
    )
    assert selectors.late_access_for(call=open_call, code=late_code.code) is None


def test_a_used_late_access_code_is_refused(open_call, late_code):
    SubmissionFactory(call=open_call, stakeholder_name="Global Alliance", late_access=late_code)
    assert selectors.late_access_for(call=open_call, code=late_code.code) is None


@pytest.mark.parametrize("typed", ["", "made-up", " "])
def test_no_code_or_a_made_up_one_finds_nothing(open_call, late_code, typed):
    assert selectors.late_access_for(call=open_call, code=typed) is None


def test_a_private_link_finds_its_submission_by_the_real_token_only(open_call):
    submission = SubmissionFactory(call=open_call, token="the-real-private-token")
    SubmissionFactory(call=open_call, token="another-private-token")
    assert selectors.submission_for_token("the-real-private-token") == submission
    for wrong in (
        "",
        "the-real-private-toke",
        "THE-REAL-PRIVATE-TOKEN",
        submission.status_token_hash,
    ):
        assert selectors.submission_for_token(wrong) is None, wrong


def test_a_client_is_over_its_rate_only_within_the_hour(open_call, settings):
    settings.GC6_SUBMISSIONS_PER_HOUR = 2
    now = timezone.now()
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now - timedelta(hours=2))
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now)
    assert not selectors.client_over_rate("a" * 64)
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now)
    assert selectors.client_over_rate("a" * 64)
    assert not selectors.client_over_rate("b" * 64)
