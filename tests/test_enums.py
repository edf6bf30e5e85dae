"""The facts about states hold together: the table, the permissions, the groups, the
e-mail of each decision."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from submissions import decisions
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    DECISION_EMAILS,
    TRANSITION_PERMISSIONS,
    EmailKind,
    State,
)

# The groups declared on State (annotations only: the values are set below the table).
GROUPS = [name for name in State.__annotations__ if name.isupper()]


def test_every_state_has_its_row_in_the_table_and_its_permission():
    assert set(ALLOWED_TRANSITIONS) == set(State)
    assert set(TRANSITION_PERMISSIONS) == set(State)
    for targets in ALLOWED_TRANSITIONS.values():
        assert isinstance(targets, frozenset)
        assert all(isinstance(target, State) for target in targets), targets


def test_no_state_moves_to_itself():
    # "Nothing changed" is never a transition (a new version of a received file is an event).
    assert [s for s, targets in ALLOWED_TRANSITIONS.items() if s in targets] == []


@pytest.mark.django_db
def test_each_permission_asked_for_exists():
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert set(TRANSITION_PERMISSIONS.values()) <= existing


def test_every_state_can_be_reached_from_received():
    reached, frontier = {State.RECEIVED}, [State.RECEIVED]
    while frontier:
        for target in ALLOWED_TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(State)


def test_the_groups_are_declared():
    assert len(GROUPS) >= 12  # AWAITING_CHECK ... NOT_GROUPED
    assert "REPLACEABLE" in GROUPS and "CLOSED" in GROUPS


@pytest.mark.parametrize("name", GROUPS)
def test_each_group_is_a_frozenset_of_states(name):
    group = getattr(State, name)  # declared but never set: AttributeError
    assert isinstance(group, frozenset), type(group)
    assert group, f"State.{name} is empty"
    assert all(isinstance(state, State) for state in group), group


def test_closed_states_have_no_way_out_and_the_others_have_one():
    assert State.CLOSED
    for state in State:
        assert (ALLOWED_TRANSITIONS[state] == frozenset()) == (state in State.CLOSED), state


def test_the_groups_agree_with_the_table():
    # What the services do with each group must be a move the table allows.
    for state in State.REPLACEABLE - {State.RECEIVED}:  # a new version: back to received
        assert State.RECEIVED in ALLOWED_TRANSITIONS[state], state
    for state in State.ACCEPTABLE - {State.ACCEPTED}:  # accepting
        assert State.ACCEPTED in ALLOWED_TRANSITIONS[state], state
    for state in State.NEEDS_APPROVAL_TO_POST:  # approved on the way to posting
        assert State.READY_TO_POST in ALLOWED_TRANSITIONS[state], state
    for state in State.POSTABLE - State.NEEDS_APPROVAL_TO_POST:
        assert State.POSTED in ALLOWED_TRANSITIONS[state], state
    for state in State.REJECTABLE:
        assert State.REJECTED in ALLOWED_TRANSITIONS[state], state
    for state in State.UNPOSTABLE:
        assert State.UNPOSTED in ALLOWED_TRANSITIONS[state], state
    for state in State.WITHDRAWABLE - {State.POSTED}:  # a posted one is taken down first
        assert State.WITHDRAWN in ALLOWED_TRANSITIONS[state], state
    assert State.WITHDRAWN in ALLOWED_TRANSITIONS[State.UNPOSTED]
    assert ALLOWED_TRANSITIONS[State.RECEIVED] >= {State.CHECKING}  # the check starts
    assert ALLOWED_TRANSITIONS[State.CHECKING] >= {State.ACCEPTED, State.NEEDS_ATTENTION}


def test_the_groups_do_not_contradict_each_other():
    assert State.CLOSED | {State.POSTED} <= State.SETTLED
    assert not State.REPLACEABLE & State.SETTLED  # nobody waits for a settled file's version
    assert not State.NEEDS_A_PERSON & State.CLOSED
    assert not State.AWAITING_CHECK & State.NEEDS_A_PERSON
    assert State.NOT_GROUPED <= State.CLOSED


def test_every_decision_has_its_e_mail_and_every_e_mail_its_decision():
    assert set(DECISION_EMAILS) == set(decisions.DECISIONS)
    for name, kind in DECISION_EMAILS.items():
        assert kind is None or isinstance(kind, EmailKind), name
