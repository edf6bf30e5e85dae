"""Reads: the public selectors return only what may be shown to anyone; the private
ones find a row only by what proves the right to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from submissions import selectors
from submissions.enums import Publication, State
from submissions.models import Call, LateAccessCode, Submission
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


def test_a_client_is_over_its_rate_only_within_the_hour(open_call, settings):
    settings.GC6_SUBMISSIONS_PER_HOUR = 2
    now = timezone.now()
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now - timedelta(hours=2))
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now)
    assert not selectors.client_over_rate("a" * 64)
    SubmissionFactory(call=open_call, client_hash="a" * 64, received_at=now)
    assert selectors.client_over_rate("a" * 64)
    assert not selectors.client_over_rate("b" * 64)


# The home page's calls, the list's filters, tracking numbers.


def test_the_home_page_has_open_calls_soonest_first_then_upcoming_then_closed():
    now = timezone.now()
    later = CallFactory(deadline=now + timedelta(days=40))
    sooner = CallFactory(deadline=now + timedelta(days=2))
    upcoming = CallFactory(opens_at=now + timedelta(days=5), deadline=now + timedelta(days=60))
    closed_long_ago = CallFactory(
        opens_at=now - timedelta(days=400), deadline=now - timedelta(days=300)
    )
    closed_lately = CallFactory(opens_at=now - timedelta(days=40), deadline=now - timedelta(days=1))
    gc6 = Call.objects.get(slug="gc6")  # the data migration's, closed in 2022
    calls = selectors.calls_for_home()
    assert calls.open == [sooner, later]
    assert calls.upcoming == [upcoming]
    assert calls.closed == [closed_lately, closed_long_ago, gc6]


def test_the_filters_take_a_country_code_in_any_case():
    raw = {"country": " mx ", "category": "state ", "language": "es"}
    assert selectors.public_filters(raw) == {"country": "MX", "category": "state", "language": "es"}
    assert selectors.public_filters({}) == {"country": "", "category": "", "language": ""}


def test_a_lowercase_country_finds_its_submissions(open_call):
    mexican = SubmissionFactory(call=open_call, country="MX", state=State.POSTED)
    SubmissionFactory(call=open_call, country="PH", state=State.POSTED)
    for code in ("MX", "mx"):
        found = selectors.posted_submissions(call=open_call, filters={"country": code})
        assert list(found) == [mexican], code


def test_the_countries_are_those_posted_named_and_sorted_in_the_readers_language(open_call):
    for code in ("PH", "EG", "DE"):
        SubmissionFactory(call=open_call, country=code, state=State.POSTED)
    SubmissionFactory(call=open_call, country="FR", state=State.RECEIVED)  # unposted
    SubmissionFactory(call=open_call, country="", state=State.POSTED)  # no country given
    with translation.override("fr"):
        assert selectors.posted_countries(open_call) == [
            ("DE", "Allemagne"),
            ("EG", "Égypte"),
            ("PH", "Philippines"),
        ]
        # A country already chosen stays in the list, even with nothing posted from it.
        assert ("FR", "France") in selectors.posted_countries(open_call, keep="FR")
        assert len(selectors.posted_countries(open_call, keep="XX")) == 3
    with translation.override("es"):
        names = [name for _code, name in selectors.posted_countries(open_call)]
        assert names == ["Alemania", "Egipto", "Filipinas"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("OPEN-0042", 42),
        ("open-42", 42),
        ("Open 42", 42),
        ("OPEN0042", 42),
        ("0042", 42),
        ("42", 42),
        ("#42", 42),
        (" OPEN-0007 ", 7),
        ("GC6-0042", None),  # another call's prefix
        ("OPEN-", None),
        ("42 migrants", None),
        ("remittances", None),
    ],
)
def test_a_tracking_number_is_read_in_its_usual_forms(open_call, typed, number):
    assert selectors.tracking_number_in(typed, open_call) == number


def test_search_by_tracking_number_finds_that_submission_only(open_call):
    # (Names without digits: a bare number also finds the texts that contain it.)
    first = SubmissionFactory(call=open_call, stakeholder_name="Alpha Org", state=State.POSTED)
    second = SubmissionFactory(call=open_call, stakeholder_name="Beta Org", state=State.POSTED)
    unposted = SubmissionFactory(call=open_call, stakeholder_name="Gamma Org")
    assert _search(open_call, second.tracking_number) == [second]
    assert _search(open_call, second.tracking_number.lower().replace("-000", "-")) == [second]
    assert _search(open_call, str(first.number)) == [first]
    assert _search(open_call, unposted.tracking_number) == []  # posted ones only
    other_call = CallFactory()
    SubmissionFactory(call=other_call, state=State.POSTED)
    assert _search(other_call, first.tracking_number) == []  # OPEN- is not its prefix


def test_search_by_number_finds_a_withheld_submission_but_never_by_its_name(open_call):
    withheld = SubmissionFactory(
        call=open_call,
        stakeholder_name="Secret NGO",
        paragraphs=("Our text.",),
        publication=Publication.PUBLISH_ANONYMOUS,
        state=State.POSTED,
    )
    assert _search(open_call, withheld.tracking_number) == [withheld]
    for query in ("Secret NGO", "secret", f"{withheld.tracking_number} Secret NGO"):
        assert _search(open_call, query) == [], query


def test_the_posted_countries_query_reads_distinct_countries_only(open_call, make_submission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from submissions import selectors

    with CaptureQueriesContext(connection) as queries:
        selectors.posted_countries(open_call)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    # Only the country column is made distinct (no ORDER BY column joining it).
    assert "ORDER BY" not in sql.upper() and "received_at" not in sql
