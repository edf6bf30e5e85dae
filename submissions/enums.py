"""Every fact about states in one place: the states, their groups, the one table of
transitions, the permission each needs and the e-mail each decision sends.

Adding a state: add it to `State`, to `ALLOWED_TRANSITIONS` and `TRANSITION_PERMISSIONS`,
and to the groups it belongs to (below the table); a migration records the choices.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions import compliance


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    CHECKING = "checking", _("Being checked")
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    CHECK_FAILED = "check_failed", _("Check failed")
    # The malware scanner did not answer: the file waits, unchecked, for the sweeper.
    WAITING_FOR_SCAN = "waiting_scan", _("Waiting for the malware scan")
    # The scanner found malware: the file is kept apart, never served or converted.
    QUARANTINED = "quarantined", _("Quarantined: malware found")
    READY_TO_POST = "ready_to_post", _("Ready to post")
    POSTED = "posted", _("Posted")
    UNPOSTED = "unposted", _("Withdrawn from posting")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the submitter")

    # Groups of states, set below the table (annotations only: not members).
    AWAITING_CHECK: ClassVar[frozenset[State]]
    NEEDS_A_PERSON: ClassVar[frozenset[State]]
    REPLACEABLE: ClassVar[frozenset[State]]
    ACCEPTABLE: ClassVar[frozenset[State]]
    POSTABLE: ClassVar[frozenset[State]]
    NEEDS_APPROVAL_TO_POST: ClassVar[frozenset[State]]
    CLOSED: ClassVar[frozenset[State]]
    SETTLED: ClassVar[frozenset[State]]
    REJECTABLE: ClassVar[frozenset[State]]
    WITHDRAWABLE: ClassVar[frozenset[State]]
    UNPOSTABLE: ClassVar[frozenset[State]]
    NOT_GROUPED: ClassVar[frozenset[State]]


ALLOWED_TRANSITIONS: dict[State, frozenset[State]] = {
    State.RECEIVED: frozenset({State.CHECKING, State.REJECTED, State.WITHDRAWN}),
    # CHECKING -> RECEIVED: a check given up on (worker lost) is queued again.
    # -> WITHDRAWN: a submitter may withdraw while the check runs; its result is dropped.
    State.CHECKING: frozenset(
        {
            State.ACCEPTED,
            State.NEEDS_ATTENTION,
            State.CHECK_FAILED,
            State.RECEIVED,
            State.WITHDRAWN,
            State.WAITING_FOR_SCAN,
            State.QUARANTINED,
        }
    ),
    # -> CHECKING: the sweeper tries the scan again; -> RECEIVED: a new version.
    State.WAITING_FOR_SCAN: frozenset({State.CHECKING, State.RECEIVED, State.WITHDRAWN}),
    # Never accepted or posted: a clean new version, or a rejection.
    State.QUARANTINED: frozenset({State.RECEIVED, State.REJECTED, State.WITHDRAWN}),
    # -> RECEIVED: the submitter sent a new version, to be checked again.
    State.ACCEPTED: frozenset(
        {State.READY_TO_POST, State.REJECTED, State.WITHDRAWN, State.RECEIVED}
    ),
    State.NEEDS_ATTENTION: frozenset(
        {State.ACCEPTED, State.READY_TO_POST, State.REJECTED, State.WITHDRAWN, State.RECEIVED}
    ),
    State.CHECK_FAILED: frozenset(
        {State.RECEIVED, State.ACCEPTED, State.REJECTED, State.WITHDRAWN}
    ),
    State.READY_TO_POST: frozenset({State.POSTED, State.REJECTED, State.WITHDRAWN, State.RECEIVED}),
    State.POSTED: frozenset({State.UNPOSTED}),
    State.UNPOSTED: frozenset({State.POSTED, State.REJECTED, State.WITHDRAWN}),
    State.REJECTED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# The permission a person needs to move a submission into each state (the worker
# and the submitter, who act without a staff account, are not asked). Two staff
# groups hold them: Triage (decide) and Publishing (post, take down).
TRIAGE = "submissions.triage_submission"
PUBLISH = "submissions.publish_submission"
TRANSITION_PERMISSIONS: dict[State, str] = {
    State.ACCEPTED: TRIAGE,
    State.NEEDS_ATTENTION: TRIAGE,
    State.READY_TO_POST: TRIAGE,
    State.REJECTED: TRIAGE,
    State.RECEIVED: TRIAGE,
    State.CHECKING: TRIAGE,
    State.CHECK_FAILED: TRIAGE,
    State.WAITING_FOR_SCAN: TRIAGE,
    State.QUARANTINED: TRIAGE,
    State.WITHDRAWN: TRIAGE,
    State.POSTED: PUBLISH,
    State.UNPOSTED: PUBLISH,
}


def _from(to: State) -> frozenset[State]:
    """The states the table lets a submission leave for `to`."""
    return frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if to in targets)


# Waiting for the worker: the sweeper requeues these when they sit too long.
State.AWAITING_CHECK = frozenset({State.RECEIVED, State.CHECKING, State.WAITING_FOR_SCAN})
# A person has something to do (the work queue's default view).
State.NEEDS_A_PERSON = frozenset(
    {State.NEEDS_ATTENTION, State.CHECK_FAILED, State.READY_TO_POST, State.QUARANTINED}
)
# The submitter may send a new version until the submission is posted or closed.
State.REPLACEABLE = frozenset(
    {
        State.RECEIVED,
        State.ACCEPTED,
        State.NEEDS_ATTENTION,
        State.CHECK_FAILED,
        State.READY_TO_POST,
        State.WAITING_FOR_SCAN,
        State.QUARANTINED,
    }
)
# A person may accept from these: the check's doubts, a failed check, or a file
# accepted by the check whose submitter asked for anonymity (someone must look).
State.ACCEPTABLE = frozenset({State.NEEDS_ATTENTION, State.CHECK_FAILED, State.ACCEPTED})
# "Post" may be asked for from these; the first two need approving on the way.
State.NEEDS_APPROVAL_TO_POST = frozenset({State.ACCEPTED, State.NEEDS_ATTENTION})
State.POSTABLE = State.NEEDS_APPROVAL_TO_POST | _from(State.POSTED)
# Nothing more happens to these (no transition leaves them).
State.CLOSED = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)
# Nobody waits for the submitter's new version of these any more.
State.SETTLED = State.CLOSED | {State.POSTED}
State.REJECTABLE = _from(State.REJECTED)
State.UNPOSTABLE = _from(State.UNPOSTED)
# A posted submission is taken down on the way.
State.WITHDRAWABLE = _from(State.WITHDRAWN) | {State.POSTED}
# Left out of the duplicate groups: a withdrawn file is nobody's duplicate.
State.NOT_GROUPED = frozenset({State.WITHDRAWN})


class Category(models.TextChoices):
    STATE = "state", _("State")
    UN_ENTITY = "un_entity", _("UN agency or entity")
    NHRI = "nhri", _("National human rights institution")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class Publication(models.TextChoices):
    PUBLISH = compliance.PUBLISH, _("Post it publicly, with our name")
    PUBLISH_ANONYMOUS = (
        compliance.PUBLISH_ANONYMOUS,
        _("Post it publicly without our name (the Secretariat checks the document first)"),
    )
    DO_NOT_PUBLISH = compliance.DO_NOT_PUBLISH, _("Do not post it")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    AR = "ar", _("Arabic")
    ZH = "zh", _("Chinese")
    RU = "ru", _("Russian")
    OTHER = "other", _("Another language")


class CallKind(models.TextChoices):
    """What a call asks for: written inputs (a Word file each), or comments on a draft."""

    INPUTS = "inputs", _("Written inputs")
    COMMENTS = "comments", _("Comments on a draft, paragraph by paragraph")


class Channel(models.TextChoices):
    """How a submission came in."""

    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail to the call's address")


class MailOutcome(models.TextChoices):
    """What became of a message read from a call's mailbox."""

    SUBMITTED = "submitted", _("Became submissions")
    NO_WORD_FILE = "no_word_file", _("No Word file: the sender was told what is needed")
    TOO_MANY_FILES = "too_many_files", _("Too many Word files: the sender was asked to split them")
    TOO_LARGE = "too_large", _("Too large to read: the sender was told")
    AUTOMATIC = "automatic", _("An automatic message (bounce, auto-reply, list): no reply")


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refuse late files at the form (late access codes still work)")
    ACCEPT = "accept", _("Accept late files, flagged for the Secretariat to decide")


class EmailKind(models.TextChoices):
    """The e-mails a submitter may get; each has an editable template per call and language."""

    CONFIRMATION = "confirmation", _("Receipt")
    VERSION = "version", _("New version received")
    ACCEPTED = "accepted", _("Accepted")
    FIX_REQUESTED = "fix_requested", _("Asked to fix")
    REJECTED = "rejected", _("Rejected")
    POSTED = "posted", _("Posted")
    UNPOSTED = "unposted", _("Withdrawn from posting")
    # Sent by the check (not a decision) when it finds what the submitter can fix.
    REPORT = "report", _("Check result")


# The e-mail each of the Secretariat's decisions sends (None: none). The admin shows
# it before the person decides; the services queue it with the decision's event.
DECISION_EMAILS: dict[str, EmailKind | None] = {
    "accept": EmailKind.ACCEPTED,
    "request_fix": EmailKind.FIX_REQUESTED,
    "reject": EmailKind.REJECTED,
    "post": EmailKind.POSTED,
    "unpost": EmailKind.UNPOSTED,
    # Asked by e-mail, answered by the Secretariat in person.
    "withdraw_for_submitter": None,
}


class DuplicateReason(models.TextChoices):
    SAME_FILE = "same_file", _("Same file")
    SAME_STAKEHOLDER = "same_stakeholder", _("Same stakeholder")
    SIMILAR_TEXT = "similar_text", _("Near-identical text")
