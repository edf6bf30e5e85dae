"""The Secretariat's decisions on a file: accept, ask for a fix, reject, withdraw for
the submitter. Each e-mails the submitter as `enums.DECISION_EMAILS` says."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.enums import ALLOWED_TRANSITIONS, TRIAGE, Publication, State
from submissions.findings import finding_label
from submissions.models import Submission, SubmissionEvent
from submissions.services import transition
from submissions.services.errors import ServiceError, TransitionNotAllowed
from submissions.services.grouping import regroup_submission
from submissions.services.intake import can_replace


def require_reason(reason: str, message: str) -> None:
    if not reason.strip():
        raise ServiceError(message)


def can_accept(submission: Submission) -> bool:
    """Accepting an accepted file only readies it for posting: not one kept private."""
    if submission.state == State.ACCEPTED:
        return submission.publication != Publication.DO_NOT_PUBLISH
    return submission.state in State.ACCEPTABLE


def submission_accept(*, submission: Submission, actor: User, reason: str = "") -> None:
    """A person accepts the submission, overriding its error findings with a reason.

    Side effects: the overrides kept on the submission (who, when, why); a
    submission to be posted moves on to "ready to post"; the submitter is told.
    """
    if not can_accept(submission):
        raise TransitionNotAllowed(
            _("A submission that is “%(current)s” cannot be accepted.")
            % {"current": State(submission.state).label}
        )
    if not actor.has_perm(TRIAGE):
        raise TransitionNotAllowed(
            _("Your account may not make a submission “%(to)s”.") % {"to": State.ACCEPTED.label}
        )
    errors = submission.open_errors()
    if submission.state == State.CHECK_FAILED or errors:
        require_reason(
            reason,
            _("%(number)s does not meet every rule (%(codes)s): give a reason to accept it.")
            % {
                "number": submission.tracking_number,
                "codes": ", ".join(finding_label(f.code) for f in errors)
                or State.CHECK_FAILED.label,
            },
        )
    now = timezone.now()
    overrides = submission.overrides + [
        {"code": f.code, "reason": reason, "by": actor.get_username(), "at": now.isoformat()}
        for f in errors
    ]
    # The e-mail goes with the first step this decision takes.
    told = False
    if submission.state != State.ACCEPTED:
        if not transition.submission_transition(
            submission=submission,
            to=State.ACCEPTED,
            actor=actor,
            reason=reason or "accepted",
            changes={"overrides": overrides, "waiting_for_submitter": False},
            decision="accept",
            email_values={"reason": reason},
        ):
            return
        told = True
    if submission.publication != Publication.DO_NOT_PUBLISH:
        transition.submission_transition(
            submission=submission,
            to=State.READY_TO_POST,
            actor=actor,
            reason="approved for posting",
            decision="" if told else "accept",
            email_values={"reason": reason},
        )


def submission_reject(*, submission: Submission, actor: User, reason: str) -> None:
    """Reject a submission; the reason is required, kept in its history and e-mailed."""
    require_reason(reason, _("Give a reason for the rejection."))
    transition.submission_transition(
        submission=submission,
        to=State.REJECTED,
        actor=actor,
        reason=reason,
        decision="reject",
        email_values={"reason": reason},
    )


def submission_request_fix(*, submission: Submission, actor: User, message: str) -> SubmissionEvent:
    """Ask the submitter to send a new version fixing `message`, before the deadline.

    The state stays; the submission waits for the submitter (out of the to-do queue).
    """
    if not actor.has_perm(TRIAGE):
        raise TransitionNotAllowed(_("Your account may not ask submitters for changes."))
    require_reason(message, _("Say what the submitter should change."))
    if submission.state == State.RECEIVED or not can_replace(submission):
        raise ServiceError(
            _(
                "%(number)s can no longer be changed by its submitter: the deadline has "
                "passed or its state does not allow it."
            )
            % {"number": submission.tracking_number}
        )
    with transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(waiting_for_submitter=True)
        submission.waiting_for_submitter = True
        event = SubmissionEvent.objects.create(
            submission=submission,
            actor=actor,
            from_state=submission.state,
            to_state=submission.state,
            reason=f"asked to fix: {message}",
        )
        transition.tell_submitter(submission, "request_fix", event, reason=message)
    return event


def submission_withdraw_for_submitter(*, submission: Submission, actor: User, reason: str) -> None:
    """A staff member withdraws at the submitter's request (by e-mail, say), under their
    own name: the history shows who did it and why, never "the submitter". Side
    effects: off the public site first if posted (needs the Publishing permission),
    then withdrawn (Triage); duplicates regrouped."""
    if not reason.strip():
        raise ServiceError(_("Say how the submitter asked (e.g. their e-mail of 3 May)."))
    why = f"withdrawn at the submitter's request: {reason.strip()}"
    if submission.state == State.POSTED:
        transition.submission_transition(
            submission=submission, to=State.UNPOSTED, actor=actor, reason=why
        )
    if State.WITHDRAWN not in ALLOWED_TRANSITIONS[State(submission.state)]:
        raise ServiceError(_("This submission can no longer be withdrawn."))
    transition.submission_transition(
        submission=submission,
        to=State.WITHDRAWN,
        actor=actor,
        reason=why,
        decision="withdraw_for_submitter",
    )
    regroup_submission(submission)
