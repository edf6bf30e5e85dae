"""The one way a submission changes state, and the e-mail a decision sends with it."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from submissions import notifications, private_links, public_cache, statistics
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    DECISION_EMAILS,
    TRANSITION_PERMISSIONS,
    State,
)
from submissions.models import EmailLog, Submission, SubmissionEvent
from submissions.services.errors import TransitionNotAllowed


def submission_transition(
    *,
    submission: Submission,
    to: State,
    actor: User | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    decision: str = "",
    email_values: dict[str, object] | None = None,
) -> SubmissionEvent | None:
    """Move `submission` to `to` if the table allows it and nobody moved it first.

    The update is compare-and-set on the state the caller saw, so a redelivered
    task or a double click changes nothing the second time (returns None). Other
    fields in `changes` are written in the same update. Side effects: the event
    recorded (returned); for a `decision` that e-mails (`enums.DECISION_EMAILS`),
    its e-mail in the outbox, in the same transaction, sent by the worker after it;
    into or out of "posted", the public ZIP's rebuild queued and the public pages'
    generation bumped (`public_cache`) after the commit; the call's statistics
    refreshed after any change they count (posted, or withdrawn).
    """
    current = State(submission.state)
    needed = TRANSITION_PERMISSIONS[State(to)]
    if actor is not None and not actor.has_perm(needed):
        raise TransitionNotAllowed(
            _("Your account may not make a submission “%(to)s”.") % {"to": State(to).label}
        )
    if to not in ALLOWED_TRANSITIONS[current]:
        raise TransitionNotAllowed(
            _("A submission that is “%(current)s” cannot become “%(to)s”.")
            % {"current": current.label, "to": State(to).label}
        )
    changes = dict(changes or {})
    with transaction.atomic():
        won = Submission.objects.filter(pk=submission.pk, state=current).update(state=to, **changes)
        if not won:
            return None
        event = SubmissionEvent.objects.create(
            submission=submission, actor=actor, from_state=current, to_state=to, reason=reason
        )
        for field, value in changes.items():
            setattr(submission, field, value)
        submission.state = to
        if decision:
            tell_submitter(submission, decision, event, **(email_values or {}))
        if State.POSTED in (current, to):  # the public ZIP changes: the worker rebuilds it
            transaction.on_commit(partial(_queue_archive, submission.call_id))
            public_cache.bump_after_commit()
        if State.POSTED in (current, to) or to == State.WITHDRAWN:
            statistics.queue_refresh(submission.call_id)
    return event


def _queue_archive(call_id: int) -> None:
    from submissions.tasks import queue_archive  # here: the tasks import the services

    queue_archive(call_id)


def tell_submitter(
    submission: Submission, decision: str, event: SubmissionEvent, **values: object
) -> None:
    """Put the decision's e-mail (if it has one) in the outbox: once per decision (its
    event), with a private link of its own (minted here, only its hash stored)."""
    kind = DECISION_EMAILS[decision]
    if kind is None:
        return
    key = f"{kind}-{event.pk}"
    if EmailLog.objects.filter(submission=submission, key=key).exists():
        return  # told already: no link minted for an e-mail that is not sent
    notifications.submission_email(
        submission=submission,
        kind=kind,
        key=key,
        status_url=private_links.new_link(submission),
        **values,
    )
