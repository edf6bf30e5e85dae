"""What the submitter is told of their submission, in their words (never the staff's).

One pure function, `submitter_status`: a submission and its history in, what its
private status page says out (the step, its label, what to fix, the Secretariat's
request or reason, the public link, whether a new version or a withdrawal can be
sent). The page, its `state.json` and the report e-mail read it; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from submissions import compliance
from submissions.compliance import FindingCode
from submissions.enums import Publication, State
from submissions.models import Submission, SubmissionEvent

# How each state reads to the submitter. The staff's labels (`State.label`: "Needs
# attention", "Ready to post"...) are for the Secretariat's queue, never for them.
SUBMITTER_LABELS: dict[State, StrOrPromise] = {
    State.RECEIVED: _("Received"),
    State.CHECKING: _("Being checked"),
    State.ACCEPTED: _("Accepted"),
    State.NEEDS_ATTENTION: _("Being looked at by the Secretariat"),
    State.CHECK_FAILED: _("Being looked at by the Secretariat"),
    State.WAITING_FOR_SCAN: _("Received, waiting for the malware scan"),
    State.QUARANTINED: _("Not taken: our scanner found malware"),
    State.READY_TO_POST: _("Accepted, waiting to be posted"),
    State.POSTED: _("Posted on the website"),
    State.UNPOSTED: _("Taken off the website"),
    State.REJECTED: _("Not accepted"),
    State.WITHDRAWN: _("Withdrawn"),
}

# The findings a submitter can act on by sending a new version: the length, the name
# on page 1, and a file that could not be read or was refused. Left out on purpose:
# what is their own choice (`publication_anonymous`, `publication_withheld`), what a
# new file cannot change (`received_after_deadline`, a late access code), and what
# the Secretariat settles itself (a request not to publish in the text, the name in
# a document to be posted without it, the declared language, notes). Only error and
# warning findings count (see `fixable_findings`).
FIXABLE_CODES: frozenset[str] = frozenset(
    {
        FindingCode.OVER_WORD_LIMIT,
        FindingCode.EMPTY_DOCUMENT,
        FindingCode.NAME_NOT_ON_FIRST_PAGE,
        FindingCode.NAME_NOT_ON_FIRST_PAGE_ESTIMATED,
        FindingCode.NAME_NEAR_MATCH,
        FindingCode.NAME_NEAR_PAGE_END,
        # The file itself: not a Word document, damaged, or carrying a program.
        FindingCode.MALWARE_FOUND,
        FindingCode.EMPTY_FILE,
        FindingCode.LEGACY_DOC,
        FindingCode.ENCRYPTED_DOCUMENT,
        FindingCode.PDF_FILE,
        FindingCode.RTF_FILE,
        FindingCode.IMAGE_FILE,
        FindingCode.HTML_FILE,
        FindingCode.TEXT_FILE,
        FindingCode.ODT_FILE,
        FindingCode.SPREADSHEET_FILE,
        FindingCode.PRESENTATION_FILE,
        FindingCode.WORD_TEMPLATE,
        FindingCode.NOT_A_WORD_FILE,
        FindingCode.DAMAGED_FILE,
        FindingCode.FILE_TOO_LARGE,
        FindingCode.PACKAGE_TOO_LARGE,
        FindingCode.PACKAGE_TOO_COMPLEX,
        FindingCode.PACKAGE_UNSAFE,
        FindingCode.XML_DECLARATIONS,
        FindingCode.PACKAGE_AMBIGUOUS,
        FindingCode.MACRO_ENABLED_DOCUMENT,
        FindingCode.ACTIVEX_CONTENT,
        FindingCode.EMBEDDED_PROGRAM,
    }
)
SERIOUS = (compliance.Severity.ERROR, compliance.Severity.WARNING)

# What the Secretariat's request for a fix is recorded as (services/triage.py).
FIX_REQUEST_PREFIX = "asked to fix: "


class Step(StrEnum):
    """Where the submission stands, as the submitter sees it."""

    RECEIVED = "received"
    CHECKING = "checking"
    WAITING_FOR_SCAN = "waiting_scan"  # kept safe; the scan runs when the scanner is back
    REVIEWING = "reviewing"  # a person looks; nothing is asked of the submitter
    TO_FIX = "to_fix"  # the report or the Secretariat asks for a new version
    ACCEPTED = "accepted"  # accepted; to be posted without the name once looked at
    WAITING_TO_POST = "waiting_to_post"
    KEPT_PRIVATE = "kept_private"  # accepted; not to be posted, as they asked
    POSTED = "posted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    TAKEN_DOWN = "taken_down"


# The label of a step that the state alone does not say.
STEP_LABELS: dict[Step, StrOrPromise] = {
    Step.REVIEWING: SUBMITTER_LABELS[State.NEEDS_ATTENTION],
    Step.TO_FIX: _("Please send a new version"),
    Step.KEPT_PRIVATE: _("Accepted, not to be posted"),
}


@dataclass(frozen=True)
class SubmitterStatus:
    step: Step
    label: StrOrPromise
    waiting: bool  # the check runs: the page follows it by itself
    fixable: list[compliance.Finding] = field(default_factory=list)
    notes: list[compliance.Finding] = field(default_factory=list)
    request: str = ""  # the Secretariat's request for a fix
    reason: str = ""  # the Secretariat's reason (not accepted, taken down)
    accepted_by_a_person: bool = False
    can_replace: bool = False
    can_withdraw: bool = False


def fixable_findings(
    findings: Iterable[compliance.Finding], overridden: Iterable[str] = ()
) -> list[compliance.Finding]:
    """The findings the submitter can fix with a new version (none a person overrode)."""
    done = set(overridden)
    return [
        f
        for f in findings
        if f.severity in SERIOUS and f.code in FIXABLE_CODES and f.code not in done
    ]


def _latest(events: Sequence[SubmissionEvent], test) -> SubmissionEvent | None:
    return next((e for e in reversed(events) if test(e)), None)


def fix_request(submission: Submission, events: Sequence[SubmissionEvent]) -> str:
    """The Secretariat's request for a fix, while the submission waits for it ("" if none)."""
    if not submission.waiting_for_submitter:
        return ""
    event = _latest(events, lambda e: e.reason.startswith(FIX_REQUEST_PREFIX))
    return event.reason.removeprefix(FIX_REQUEST_PREFIX) if event else ""


def _reason_into(state: State, events: Sequence[SubmissionEvent]) -> str:
    event = _latest(events, lambda e: e.to_state == state and e.from_state != state)
    return event.reason if event else ""


def _accepted_by_a_person(events: Sequence[SubmissionEvent]) -> bool:
    """Was it a person who accepted it last (the check's own steps have no actor)?"""
    into = (State.ACCEPTED, State.READY_TO_POST)
    event = _latest(events, lambda e: e.to_state in into and e.from_state != e.to_state)
    return event is not None and event.actor_id is not None


def submitter_status(
    submission: Submission,
    events: Sequence[SubmissionEvent] | None = None,
    *,
    can_replace: bool,
) -> SubmitterStatus:
    """What the private status page says of `submission`, given its history (oldest
    first; read from the database if not given) and whether a new version can be sent
    now (`services.can_replace`). Pure: no write, no clock of its own."""
    history = list(submission.events.all()) if events is None else list(events)
    state = State(submission.state)
    findings = submission.finding_objects()
    overridden = submission.overridden_codes()
    fixable = fixable_findings(findings, overridden)
    notes = [f for f in findings if f not in fixable and f.code not in overridden]
    request = fix_request(submission, history)
    common = {
        "can_replace": can_replace and state in State.REPLACEABLE,
        "can_withdraw": state in State.WITHDRAWABLE,
    }

    def status(step: Step, **more) -> SubmitterStatus:
        label = more.pop("label", None) or STEP_LABELS.get(step, SUBMITTER_LABELS[state])
        return SubmitterStatus(
            step=step,
            label=label,
            waiting=state in State.AWAITING_CHECK,
            **{**common, **more},
        )

    if state == State.RECEIVED:
        return status(Step.RECEIVED)
    if state == State.CHECKING:
        return status(Step.CHECKING)
    if state == State.WAITING_FOR_SCAN:
        return status(Step.WAITING_FOR_SCAN)
    if state == State.REJECTED:
        return status(Step.REJECTED, reason=_reason_into(State.REJECTED, history))
    if state == State.WITHDRAWN:
        return status(Step.WITHDRAWN)
    if state == State.UNPOSTED:
        return status(Step.TAKEN_DOWN, reason=_reason_into(State.UNPOSTED, history))
    if state == State.POSTED:
        return status(Step.POSTED)
    # Open states: the Secretariat's request, or the report's findings, come first;
    # once no new version can be sent, they are only what the Secretariat decides on.
    # Else the report raised nothing to fix (malware is reported as well as refused).
    reported = state in (State.NEEDS_ATTENTION, State.QUARANTINED)
    asked = {
        "fixable": fixable if reported else [],
        "notes": notes if reported or state == State.CHECK_FAILED else [],
        "request": request,
    }
    if state == State.QUARANTINED:  # refused whatever else: said in its own words
        step = Step.TO_FIX if common["can_replace"] else Step.REVIEWING
        return status(step, label=SUBMITTER_LABELS[state], **asked)
    if request or asked["fixable"]:
        return status(Step.TO_FIX if common["can_replace"] else Step.REVIEWING, **asked)
    if state in (State.NEEDS_ATTENTION, State.CHECK_FAILED, State.QUARANTINED):
        return status(Step.REVIEWING, **asked)
    by_a_person = _accepted_by_a_person(history)
    if submission.publication == Publication.DO_NOT_PUBLISH:
        return status(Step.KEPT_PRIVATE, accepted_by_a_person=by_a_person)
    if state == State.ACCEPTED and submission.publication == Publication.PUBLISH_ANONYMOUS:
        return status(Step.ACCEPTED, accepted_by_a_person=by_a_person)
    return status(Step.WAITING_TO_POST, accepted_by_a_person=by_a_person)
