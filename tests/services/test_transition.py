"""The one way a state changes: the table, compare-and-set, the event, and who may."""

from __future__ import annotations

from itertools import product

import pytest

from submissions import services
from submissions.enums import ALLOWED_TRANSITIONS, PUBLISH, TRANSITION_PERMISSIONS, TRIAGE, State
from submissions.models import Submission
from tests.helpers import at_state


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


# The table: every pair of states, allowed exactly when the table says so.


@pytest.mark.parametrize(("current", "to"), list(product(State, State)))
def test_each_transition_is_allowed_or_refused_as_the_table_says(
    open_call, make_submission, current, to
):
    submission = at_state(make_submission(open_call), current)
    if to in ALLOWED_TRANSITIONS[current]:
        event = services.submission_transition(submission=submission, to=to, reason="test")
        assert (event.from_state, event.to_state) == (current, to)
        assert Submission.objects.get(pk=submission.pk).state == to
    else:
        with pytest.raises(services.TransitionNotAllowed):
            services.submission_transition(submission=submission, to=to)
        assert Submission.objects.get(pk=submission.pk).state == current


# Who may: each staff group makes only its own transitions.


@pytest.mark.parametrize("group", ["Triage", "Publishing"])
@pytest.mark.parametrize("to", [s for s in State if s in TRANSITION_PERMISSIONS])
def test_each_group_makes_only_its_own_transitions(open_call, make_submission, member, group, to):
    person = member(group)
    current = next(s for s, targets in ALLOWED_TRANSITIONS.items() if to in targets)
    submission = at_state(make_submission(open_call), current)
    may = TRANSITION_PERMISSIONS[to] == {"Triage": TRIAGE, "Publishing": PUBLISH}[group]
    if may:
        event = services.submission_transition(submission=submission, to=to, actor=person)
        assert event.actor == person
    else:
        with pytest.raises(services.TransitionNotAllowed, match="may not"):
            services.submission_transition(submission=submission, to=to, actor=person)
        assert not submission.events.filter(actor=person).exists()


def test_triage_decides_but_does_not_post(checked, member):
    good, flagged = checked
    triage = member("Triage")
    services.submission_reject(submission=flagged, actor=triage, reason="Off topic")
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_post(submission=good, actor=triage)
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST


def test_publishing_posts_but_does_not_reject(checked, member):
    good, flagged = checked
    publishing = member("Publishing")
    services.submission_post(submission=good, actor=publishing)
    good.refresh_from_db()
    assert good.state == State.POSTED
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_reject(submission=flagged, actor=publishing, reason="No")
