"""States of a submission and the transitions allowed between them: one table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions import compliance


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    CHECKING = "checking", _("Being checked")
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    CHECK_FAILED = "check_failed", _("Check failed")
    READY_TO_POST = "ready_to_post", _("Ready to post")
    POSTED = "posted", _("Posted")
    UNPOSTED = "unposted", _("Withdrawn from posting")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the submitter")


ALLOWED_TRANSITIONS: dict[State, frozenset[State]] = {
    State.RECEIVED: frozenset({State.CHECKING, State.REJECTED, State.WITHDRAWN}),
    # CHECKING -> RECEIVED: a check given up on (worker lost) is queued again.
    # -> WITHDRAWN: a submitter may withdraw while the check runs; its result is dropped.
    State.CHECKING: frozenset(
        {State.ACCEPTED, State.NEEDS_ATTENTION, State.CHECK_FAILED, State.RECEIVED, State.WITHDRAWN}
    ),
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
    State.WITHDRAWN: TRIAGE,
    State.POSTED: PUBLISH,
    State.UNPOSTED: PUBLISH,
}

# Waiting for the worker: the sweeper requeues these when they sit too long.
AWAITING_CHECK = frozenset({State.RECEIVED, State.CHECKING})


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


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refuse late files at the form (late access codes still work)")
    ACCEPT = "accept", _("Accept late files, flagged for the Secretariat to decide")


# The states in which a person has something to do (the work queue's default view).
NEEDS_A_PERSON = frozenset({State.NEEDS_ATTENTION, State.CHECK_FAILED, State.READY_TO_POST})


class EmailKind(models.TextChoices):
    """The e-mails a submitter may get; each has an editable template per call and language."""

    CONFIRMATION = "confirmation", _("Receipt")
    VERSION = "version", _("New version received")
    ACCEPTED = "accepted", _("Accepted")
    FIX_REQUESTED = "fix_requested", _("Asked to fix")
    REJECTED = "rejected", _("Rejected")
    POSTED = "posted", _("Posted")
    UNPOSTED = "unposted", _("Withdrawn from posting")


class DuplicateReason(models.TextChoices):
    SAME_FILE = "same_file", _("Same file")
    SAME_STAKEHOLDER = "same_stakeholder", _("Same stakeholder")
    SIMILAR_TEXT = "similar_text", _("Near-identical text")
