"""The Secretariat's decisions: each offered only where it applies, to whom may take it,
and sending exactly the e-mail `enums.DECISION_EMAILS` names for it."""

from __future__ import annotations

import pytest

from submissions import services
from submissions.decisions import DECISIONS
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    DECISION_EMAILS,
    PUBLISH,
    TRANSITION_PERMISSIONS,
    TRIAGE,
    Publication,
    State,
)
from submissions.models import EmailLog, Submission
from tests.factories import StaffFactory, submission_in

# The state each decision moves a submission to (asking for a fix keeps its state).
TARGETS = {
    "accept": State.ACCEPTED,
    "reject": State.REJECTED,
    "post": State.POSTED,
    "unpost": State.UNPOSTED,
    "withdraw_for_submitter": State.WITHDRAWN,
}
GROUP_PERMISSIONS = {"Triage": {TRIAGE}, "Publishing": {PUBLISH}, "": set()}


def test_the_table_of_decisions_is_the_table_of_e_mails():
    assert set(DECISIONS) == set(DECISION_EMAILS)
    assert set(DECISIONS) == {*TARGETS, "request_fix"}  # a new decision: say where it goes


@pytest.mark.parametrize("name", DECISIONS)
def test_each_decision_asks_the_permission_of_its_move(name):
    decision = DECISIONS[name]
    expected = TRANSITION_PERMISSIONS[TARGETS[name]] if name in TARGETS else TRIAGE
    assert decision.permission == expected
    assert decision.states, name


@pytest.mark.parametrize("name", DECISIONS)
def test_each_decision_is_offered_only_in_states_it_can_leave(name):
    decision = DECISIONS[name]
    for state in decision.states:
        first_steps = ALLOWED_TRANSITIONS[state]
        if name == "accept" and state == State.ACCEPTED:
            assert State.READY_TO_POST in first_steps  # accepted already: readied
        elif name == "post" and state in State.NEEDS_APPROVAL_TO_POST:
            assert State.READY_TO_POST in first_steps  # approved on the way
        elif name == "withdraw_for_submitter" and state == State.POSTED:
            assert State.UNPOSTED in first_steps  # taken down on the way
        elif name == "request_fix":
            assert state in State.REPLACEABLE  # the submitter can still send a version
        else:
            assert TARGETS[name] in first_steps, (name, state)


@pytest.mark.django_db
@pytest.mark.parametrize("group", GROUP_PERMISSIONS)
@pytest.mark.parametrize("name", DECISIONS)
def test_each_decision_is_offered_only_in_its_states_and_with_its_permission(
    member, open_call, group, name
):
    decision = DECISIONS[name]
    person = member(*filter(None, [group]))
    may = decision.permission in GROUP_PERMISSIONS[group]
    assert person.has_perm(decision.permission) == may
    superuser = StaffFactory(is_superuser=True)
    offered_somewhere = False
    for state in State:
        for publication in Publication:
            row = Submission(call=open_call, state=state, publication=publication)
            offered = decision.offered_for(row, person)
            steps = all(person.has_perm(p) for p in decision.also_needs(row))
            assert offered == (may and state in decision.states and steps and decision.when(row)), (
                state,
                publication,
            )
            if state not in decision.states:
                assert not decision.offered_for(row, superuser), (state, publication)
            offered_somewhere |= decision.offered_for(row, superuser)
    assert offered_somewhere


@pytest.mark.django_db
def test_withdrawing_a_posted_file_is_offered_only_to_who_may_take_it_down(member, open_call):
    decision = DECISIONS["withdraw_for_submitter"]
    posted = Submission(call=open_call, state=State.POSTED, publication=Publication.PUBLISH)
    accepted = Submission(call=open_call, state=State.ACCEPTED, publication=Publication.PUBLISH)
    triage, both = member("Triage"), member("Triage", "Publishing")
    assert not decision.offered_for(posted, triage)  # it would be refused halfway
    assert decision.offered_for(accepted, triage)
    assert decision.offered_for(posted, both)


@pytest.mark.django_db
def test_a_fix_is_asked_for_only_while_the_submitter_can_send_one(member, open_call):
    decision = DECISIONS["request_fix"]
    row = Submission(call=open_call, state=State.NEEDS_ATTENTION, publication=Publication.PUBLISH)
    triage = member("Triage")
    assert decision.offered_for(row, triage)
    open_call.deadline = open_call.opens_at  # the deadline has passed
    assert not decision.offered_for(row, triage)


# Applying each decision, in each state it is offered in, to a usual row in that state.
OFFERED = [(name, state) for name, d in DECISIONS.items() for state in sorted(d.states)]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), OFFERED)
def test_applying_a_decision_sends_exactly_its_e_mail(open_call, name, state, mailoutbox):
    decision = DECISIONS[name]
    person = StaffFactory(is_superuser=True)
    submission = submission_in(state, call=open_call)
    assert not EmailLog.objects.exists()  # the factories write no e-mail
    if not decision.offered_for(submission, person):
        # Offered in the state, but not for this row: the decision's own condition.
        assert not decision.when(submission), (name, state)
        return
    decision.apply(submission, person, "Asked by the Secretariat.", True)
    submission.refresh_from_db()
    assert decision.email == DECISION_EMAILS[name]
    kinds = [log.key.split("-")[0] for log in EmailLog.objects.filter(submission=submission)]
    assert kinds == ([str(decision.email)] if decision.email else [])
    assert len(mailoutbox) == len(kinds)
    if name in TARGETS:
        reached = {TARGETS[name]} | ({State.READY_TO_POST} if name == "accept" else set())
        assert submission.state in reached, (name, state, submission.state)
    else:
        assert (submission.state, submission.waiting_for_submitter) == (state, True)


@pytest.mark.django_db
def test_a_refused_decision_sends_nothing(open_call):
    submission = submission_in(State.READY_TO_POST, call=open_call)
    with pytest.raises(services.ServiceError):
        DECISIONS["reject"].apply(submission, StaffFactory(is_superuser=True), "  ", False)
    assert not EmailLog.objects.exists()
    assert Submission.objects.get(pk=submission.pk).state == State.READY_TO_POST


# What the page and the bulk action both read: why a decision would be refused now.


@pytest.mark.django_db
def test_post_is_refused_while_an_error_is_open_and_says_which(over_limit):
    from submissions.findings import finding_label

    post, person = DECISIONS["post"], StaffFactory(is_superuser=True)
    assert post.offered_for(over_limit, person)  # its state allows it...
    refusal = post.refusal(over_limit)  # ...but the service would refuse it
    assert refusal == f"Accept it with a reason first: {finding_label('over_word_limit')}"
    assert post.skip_reason(over_limit, person, bulk=True) == refusal
    with pytest.raises(services.ServiceError):
        post.apply(over_limit, person, "", False)
    services.submission_accept(submission=over_limit, actor=person, reason="Close enough")
    over_limit.refresh_from_db()
    assert post.refusal(over_limit) is None and post.skip_reason(over_limit, person) is None


@pytest.mark.django_db
def test_a_bulk_decision_says_why_it_leaves_one_out(open_call, member):
    post = DECISIONS["post"]
    triage, both = member("Triage"), member("Triage", "Publishing")
    posted = submission_in(State.POSTED, call=open_call)
    private = Submission(call=open_call, state=State.ACCEPTED, publication="do_not_publish")
    assert str(State.POSTED.label) in post.skip_reason(posted, both)
    assert "may not" in post.skip_reason(submission_in(State.READY_TO_POST, call=open_call), triage)
    assert post.skip_reason(private, both) == str(post.not_when)


@pytest.mark.parametrize("name", DECISIONS)
@pytest.mark.parametrize("count", [1, 3])
def test_each_decisions_message_counts_properly(name, count):
    message = DECISIONS[name].done_message(count)
    assert message.startswith(f"{count} ") and "(s)" not in message
    noun = message.split()[1]
    assert noun.endswith("s") == (count != 1), message
