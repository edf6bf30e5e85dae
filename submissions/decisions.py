"""The Secretariat's decisions: what each asks of the person and which service it calls.

The admin offers them as bulk actions on the work queue and as buttons on a
submission's page; both go through this one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from submissions import services
from submissions.enums import (
    DECISION_EMAILS,
    PUBLISH,
    TRANSITION_PERMISSIONS,
    TRIAGE,
    EmailKind,
    Publication,
    State,
)
from submissions.findings import finding_label
from submissions.models import Submission

NOT_APPLICABLE = _("the decision does not apply to it")


def _post_refusal(submission: Submission) -> str | None:
    """Why posting would be refused now (services/publishing.py refuses it too)."""
    if submission.state in State.NEEDS_APPROVAL_TO_POST:
        errors = submission.open_errors()
        if errors:
            return gettext("Accept it with a reason first: %(findings)s") % {
                "findings": ", ".join(finding_label(f.code) for f in errors)
            }
    return None


@dataclass(frozen=True)
class Decision:
    name: str
    label: str | Promise
    # "1 submission accepted." / "3 submissions accepted.": ngettext_lazy on "count".
    done: str | Promise
    permission: str
    # States it can apply to (the services check again, and say why not).
    states: frozenset[State]
    apply: Callable[[Submission, User, str, bool], object]
    # The text asked for: None for none; its label; whether it may stay empty.
    reason_label: str | Promise | None = None
    reason_optional: bool = False
    # A further condition on the submission, beyond its state.
    when: Callable[[Submission], bool] = lambda submission: True
    # Why it does not apply to a submission `when` leaves out (said when one is skipped).
    not_when: str | Promise = NOT_APPLICABLE
    # Why it would be refused now though it applies (None: it can succeed). The page
    # shows the decision disabled with this reason; a bulk decision skips it.
    refusal: Callable[[Submission], str | None] = lambda submission: None
    # Permissions it needs for this submission beyond `permission` (steps on the way).
    also_needs: Callable[[Submission], frozenset[str]] = lambda submission: frozenset()
    # What the person must confirm first, and for which submissions (None: nothing).
    confirm_label: str | Promise | None = None
    confirm_when: Callable[[Submission], bool] = lambda submission: False

    @property
    def email(self) -> EmailKind | None:
        """The e-mail the submitter gets, shown to the person before they decide."""
        return DECISION_EMAILS[self.name]

    def _permitted(self, submission: Submission, user: User) -> bool:
        needed = {self.permission, *self.also_needs(submission)}
        return all(user.has_perm(p) for p in needed)

    def offered_for(self, submission: Submission, user: User) -> bool:
        return (
            submission.state in self.states
            and self._permitted(submission, user)
            and self.when(submission)
        )

    def done_message(self, count: int) -> str:
        return str(self.done % {"count": count})

    def skip_reason(self, submission: Submission, user: User, *, bulk: bool = False) -> str | None:
        """Why a decision taken on several submissions leaves this one out (or None)."""
        if submission.state not in self.states:
            return gettext("it is “%(state)s”") % {"state": State(submission.state).label}
        if not self._permitted(submission, user):
            return gettext("your account may not take this decision on it")
        if not self.when(submission):
            return str(self.not_when)
        refused = self.refusal(submission)
        if refused:
            return refused
        if bulk and self.confirm_when(submission):
            return gettext(
                "it names its submitter, who asked not to be named: decide from its page, "
                "after looking at where"
            )
        return None


DECISIONS: dict[str, Decision] = {
    d.name: d
    for d in (
        Decision(
            name="accept",
            label=_("Accept"),
            done=ngettext_lazy(
                "%(count)s submission accepted.",
                "%(count)s submissions accepted.",
                "count",
            ),
            permission=TRIAGE,
            states=State.ACCEPTABLE,
            apply=lambda s, user, reason, confirmed: services.submission_accept(
                submission=s, actor=user, reason=reason
            ),
            reason_label=_(
                "Reason, required to override a finding (e.g. “5,120 words: within tolerance”). "
                "It is kept in the history and sent to the submitter."
            ),
            reason_optional=True,
            when=services.can_accept,
            not_when=_("it is to be kept private and is accepted already"),
        ),
        Decision(
            name="request_fix",
            label=_("Ask for a fix"),
            done=ngettext_lazy(
                "%(count)s submitter asked for a new version.",
                "%(count)s submitters asked for a new version.",
                "count",
            ),
            permission=TRIAGE,
            states=State.REPLACEABLE - {State.RECEIVED},
            # Only while the submitter can still send one (the deadline, a late code).
            when=services.can_replace,
            not_when=_("its submitter can no longer send a new version (the deadline has passed)"),
            apply=lambda s, user, reason, confirmed: services.submission_request_fix(
                submission=s, actor=user, message=reason
            ),
            reason_label=_("What the submitter should change (sent to them by e-mail)"),
        ),
        Decision(
            name="reject",
            label=_("Reject"),
            done=ngettext_lazy(
                "%(count)s submission rejected.",
                "%(count)s submissions rejected.",
                "count",
            ),
            permission=TRIAGE,
            states=State.REJECTABLE,
            apply=lambda s, user, reason, confirmed: services.submission_reject(
                submission=s, actor=user, reason=reason
            ),
            reason_label=_("Reason (kept in the history and sent to the submitter)"),
        ),
        Decision(
            name="post",
            label=_("Post publicly"),
            done=ngettext_lazy(
                "%(count)s submission posted.",
                "%(count)s submissions posted.",
                "count",
            ),
            permission=PUBLISH,
            states=State.POSTABLE,
            apply=lambda s, user, reason, confirmed: services.submission_post(
                submission=s, actor=user, names_seen=confirmed
            ),
            when=lambda s: s.publication != Publication.DO_NOT_PUBLISH,
            not_when=_("its submitter asked for it not to be published"),
            refusal=_post_refusal,
            confirm_label=_(
                "I have looked at where the document names its submitter, who asked not to "
                "be named: post the copy in which each occurrence reads “[name withheld]”."
            ),
            confirm_when=services.names_withheld_submitter,
        ),
        Decision(
            name="unpost",
            label=_("Withdraw from posting"),
            done=ngettext_lazy(
                "%(count)s submission withdrawn from posting.",
                "%(count)s submissions withdrawn from posting.",
                "count",
            ),
            permission=PUBLISH,
            states=State.UNPOSTABLE,
            apply=lambda s, user, reason, confirmed: services.submission_unpost(
                submission=s, actor=user, reason=reason
            ),
            reason_label=_("Reason (kept in the history and sent to the submitter)"),
        ),
        # Staff never hold a submitter's private link: asked to withdraw, they do it
        # here, under their own name.
        Decision(
            name="withdraw_for_submitter",
            label=_("Withdraw at the submitter's request"),
            done=ngettext_lazy(
                "%(count)s submission withdrawn at the submitter's request.",
                "%(count)s submissions withdrawn at the submitter's request.",
                "count",
            ),
            permission=TRIAGE,
            states=State.WITHDRAWABLE,
            # A posted one is taken down first, which is the Publishing group's to do.
            also_needs=lambda s: (
                frozenset({TRANSITION_PERMISSIONS[State.UNPOSTED]})
                if s.state == State.POSTED
                else frozenset()
            ),
            apply=lambda s, user, reason, confirmed: services.submission_withdraw_for_submitter(
                submission=s, actor=user, reason=reason
            ),
            reason_label=_("How the submitter asked (kept in the history)"),
        ),
    )
}
