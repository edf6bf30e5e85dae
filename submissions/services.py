"""Writes. Every change of a submission's state goes through `submission_transition`."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import compliance, duplicates, notifications, rendering
from submissions.compliance.package import PackageLimits
from submissions.compliance.public_copy import public_copy
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    AWAITING_CHECK,
    TRANSITION_PERMISSIONS,
    TRIAGE,
    EmailKind,
    Publication,
    State,
)
from submissions.findings import finding_label
from submissions.models import (
    Call,
    LateAccessCode,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)

logger = logging.getLogger(__name__)

# A file whose check has been started this many times without finishing (the
# worker died each time) is handed to a person instead of being tried forever.
MAX_CHECK_ATTEMPTS = 3


class ServiceError(Exception):
    """A refused action, with a message for the person who asked for it."""


class TransitionNotAllowed(ServiceError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SubmitterDetails:
    stakeholder_name: str
    category: str
    country: str
    contact_name: str
    contact_email: str
    language: str
    publication: str


def submission_create(
    *,
    call: Call,
    details: SubmitterDetails,
    upload: UploadedFile,
    interface_language: str,
    received_at: datetime | None = None,
    late_access: LateAccessCode | None = None,
    client_hash: str = "",
) -> tuple[Submission, str]:
    """Store the file and the row in one transaction; queue the check on commit.

    A late access code, if given, is used up by this submission. Returns the
    submission and its private status token (only its hash is stored).
    """
    received_at = received_at or timezone.now()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    token = secrets.token_urlsafe(24)
    for attempt in range(5):
        try:
            with transaction.atomic():
                # Lock the call so two uploads cannot take the same number.
                Call.objects.select_for_update().filter(pk=call.pk).first()
                last = call.submissions.aggregate(last=Max("number"))["last"] or 0
                submission = Submission(
                    call=call,
                    number=last + 1,
                    **details.__dict__,
                    interface_language=interface_language,
                    original_filename=upload.name[:255],
                    file_size=upload.size,
                    sha256=digest.hexdigest(),
                    status_token_hash=hash_token(token),
                    received_at=received_at,
                    late_access=late_access,
                    client_hash=client_hash,
                )
                submission.file.save("upload.docx", upload, save=False)
                submission.save()
                _record_version(submission, 1)
                SubmissionEvent.objects.create(
                    submission=submission,
                    from_state=State.RECEIVED,
                    to_state=State.RECEIVED,
                    reason="received",
                    at=received_at,
                )
                transaction.on_commit(lambda pk=submission.pk: _queue_check(pk))
                transaction.on_commit(lambda s=submission: _confirm(s, token))
            return submission, token
        except IntegrityError:
            # Another upload took the number between our read and write (SQLite
            # has no row locks), or the late access code: the file saved above is
            # removed, and we try again or say why not.
            if submission.file.name:
                submission.file.storage.delete(submission.file.name)
            if late_access and Submission.objects.filter(late_access=late_access).exists():
                raise ServiceError(_("This late access code has already been used.")) from None
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _record_version(submission: Submission, number: int) -> SubmissionVersion:
    """The submission's current file, kept as version `number` (the file is shared)."""
    return SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        file=submission.file.name,
        original_filename=submission.original_filename,
        file_size=submission.file_size,
        sha256=submission.sha256,
        received_at=submission.received_at,
    )


def _confirm(submission: Submission, token: str) -> None:
    notifications.submission_email(
        submission=submission,
        kind=EmailKind.CONFIRMATION,
        status_url=notifications.status_url(token),
    )


# A new version may replace the file until the submission is posted or closed.
REPLACEABLE = frozenset(
    {State.RECEIVED, State.ACCEPTED, State.NEEDS_ATTENTION, State.CHECK_FAILED, State.READY_TO_POST}
)


def submission_new_version(
    *, submission: Submission, upload: UploadedFile, received_at: datetime | None = None
) -> SubmissionVersion:
    """Replace the submission's file with a new version, keep the old, check it again.

    The latest version is the one checked and posted; its time of receipt is the
    one the deadline applies to.
    """
    if submission.state not in REPLACEABLE:
        raise ServiceError(_("This submission can no longer be changed."))
    received_at = received_at or timezone.now()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state not in REPLACEABLE:
            raise ServiceError(_("This submission can no longer be changed."))
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        locked.file.save("upload.docx", upload, save=False)
        fields = {
            "file": locked.file.name,
            "original_filename": upload.name[:255],
            "file_size": upload.size,
            "sha256": digest.hexdigest(),
            "received_at": received_at,
            "checked_at": None,
            "check_attempts": 0,
            "word_count": None,
            "word_count_main": None,
            "name_on_first_page": None,
            "first_page_method": "",
            "received_on_time": None,
            "detected_language": "",
            "findings": [],
            "finding_codes": "",
            "text": "",
            "text_signature": [],
            # A new file: earlier overrides and requests for a fix no longer apply.
            "overrides": [],
            "waiting_for_submitter": False,
        }
        reason = f"version {number} received"
        if locked.state == State.RECEIVED:
            Submission.objects.filter(pk=locked.pk).update(**fields)
            SubmissionEvent.objects.create(
                submission=locked, from_state=State.RECEIVED, to_state=State.RECEIVED, reason=reason
            )
        elif not submission_transition(
            submission=locked, to=State.RECEIVED, reason=reason, changes=fields
        ):
            raise ServiceError(_("This submission can no longer be changed."))
        locked.refresh_from_db()
        version = _record_version(locked, number)
        transaction.on_commit(lambda: _queue_check(locked.pk))
        transaction.on_commit(
            lambda: notifications.submission_email(
                submission=locked,
                kind=EmailKind.VERSION,
                key=f"version-{number}",
                version=number,
            )
        )
    submission.refresh_from_db()
    return version


def submission_withdraw(*, submission: Submission) -> None:
    """The submitter withdraws: off the public site if posted, and out of the queue."""
    if submission.state == State.POSTED:
        submission_transition(
            submission=submission, to=State.UNPOSTED, reason="withdrawn by the submitter"
        )
    if State.WITHDRAWN not in ALLOWED_TRANSITIONS[State(submission.state)]:
        raise ServiceError(_("This submission can no longer be withdrawn."))
    submission_transition(
        submission=submission, to=State.WITHDRAWN, reason="withdrawn by the submitter"
    )
    _regroup(submission.call)


def submission_withdraw_for_submitter(
    *, submission: Submission, actor: AbstractBaseUser, reason: str
) -> None:
    """A staff member withdraws at the submitter's request (by e-mail, say), under their
    own name: the history shows who did it and why, never "the submitter". Side
    effects: off the public site first if posted (needs the Publishing permission),
    then withdrawn (Triage); duplicates regrouped."""
    if not reason.strip():
        raise ServiceError(_("Say how the submitter asked (e.g. their e-mail of 3 May)."))
    why = f"withdrawn at the submitter's request: {reason.strip()}"
    if submission.state == State.POSTED:
        submission_transition(submission=submission, to=State.UNPOSTED, actor=actor, reason=why)
    if State.WITHDRAWN not in ALLOWED_TRANSITIONS[State(submission.state)]:
        raise ServiceError(_("This submission can no longer be withdrawn."))
    submission_transition(submission=submission, to=State.WITHDRAWN, actor=actor, reason=why)
    _regroup(submission.call)


def _regroup(call: Call) -> None:
    """Group the call's duplicates again. An aid to the Secretariat, not part of the
    outcome: a failure is logged, and the next check of the call regroups it."""
    try:
        submission_group_duplicates(call=call)
    except Exception:
        logger.exception("could not group the duplicates of call %s", call.pk)


def _queue_check(submission_id: int) -> bool:
    from submissions.tasks import queue_check

    return queue_check(submission_id)


def submission_transition(
    *,
    submission: Submission,
    to: State,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> SubmissionEvent | None:
    """Move `submission` to `to` if the table allows it and nobody moved it first.

    The update is compare-and-set on the state the caller saw, so a redelivered
    task or a double click changes nothing the second time (returns None). Other
    fields in `changes` are written in the same update. Returns the event recorded.
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
    return event


def submission_check(*, submission_id: int) -> None:
    """Run the call's rules on the submission's file and record the outcome."""
    submission = (
        Submission.objects.select_related("call", "late_access").filter(pk=submission_id).first()
    )
    if submission is None or submission.state not in AWAITING_CHECK:
        return  # gone, or already checked: a redelivered task does nothing
    if submission.state == State.RECEIVED and not submission_transition(
        submission=submission, to=State.CHECKING, reason="check started"
    ):
        return
    Submission.objects.filter(pk=submission.pk).update(check_attempts=F("check_attempts") + 1)
    # Read the row again now that it is CHECKING: a new version may have replaced
    # the file after we loaded it, and none can while the check runs.
    submission.refresh_from_db()
    if submission.check_attempts > MAX_CHECK_ATTEMPTS:
        submission_transition(
            submission=submission,
            to=State.CHECK_FAILED,
            reason=f"the check did not finish after {MAX_CHECK_ATTEMPTS} attempts",
        )
        return

    with submission.file.open("rb") as handle:
        data = handle.read()
    report = compliance.evaluate(
        data,
        rules=submission.call.rules(
            extension_until=submission.late_access.valid_until if submission.late_access else None,
            limits=package_limits(),
        ),
        stakeholder_name=submission.stakeholder_name,
        received_at=submission.received_at,
        publication=submission.publication,
        declared_language=submission.language,
        render_first_page=first_page_renderer(),
        contact=(submission.contact_name, submission.contact_email),
    )
    outcome = State.ACCEPTED if report.ok else State.NEEDS_ATTENTION
    signature = duplicates.signature(report.text)
    # The outcome and, for a file to be posted, "ready to post" in one transaction:
    # nobody sees it accepted but not yet ready.
    with transaction.atomic():
        recorded = submission_transition(
            submission=submission,
            to=outcome,
            reason=", ".join(report.codes()) or "meets the call's rules",
            changes={
                "checked_at": timezone.now(),
                "word_count": report.word_count,
                "word_count_main": report.word_count_main,
                "name_on_first_page": report.name_on_first_page,
                "first_page_method": report.first_page_method or "",
                "received_on_time": report.received_on_time,
                "detected_language": report.language or "",
                "findings": [f.to_dict() for f in report.findings],
                "finding_codes": finding_codes(report.codes()),
                "text": report.text,
                "text_signature": signature,
            },
        )
        if recorded and outcome == State.ACCEPTED and submission.publication == Publication.PUBLISH:
            submission_transition(
                submission=submission,
                to=State.READY_TO_POST,
                reason="meets the rules; may be posted",
            )
    if recorded:
        _regroup(submission.call)


def package_limits() -> PackageLimits:
    """How large and complex an upload may be, from the settings."""
    return PackageLimits(
        max_file_bytes=settings.GC6_MAX_UPLOAD_BYTES,
        max_members=settings.GC6_ZIP_MAX_MEMBERS,
        max_member_bytes=settings.GC6_ZIP_MAX_MEMBER_BYTES,
        max_total_bytes=settings.GC6_ZIP_MAX_TOTAL_BYTES,
        max_xml_bytes=settings.GC6_ZIP_MAX_XML_BYTES,
        max_compression_ratio=settings.GC6_ZIP_MAX_RATIO,
    )


def first_page_renderer() -> Callable[[bytes], str | None] | None:
    """LibreOffice's page 1, if the settings ask for it and LibreOffice is installed."""
    if not settings.GC6_RENDER_FIRST_PAGE or rendering.soffice_path() is None:
        return None
    return partial(rendering.render_first_page, timeout=settings.GC6_RENDER_TIMEOUT)


def submission_fail_check(*, submission_id: int, reason: str) -> None:
    """The check could not run (the worker kept failing): a person takes over."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return
    if submission.state == State.RECEIVED:
        submission_transition(submission=submission, to=State.CHECKING, reason="check started")
    if submission.state == State.CHECKING:
        submission_transition(submission=submission, to=State.CHECK_FAILED, reason=reason[:500])


def submissions_stuck(*, older_than: timedelta) -> list[int]:
    """Submissions still waiting for their check after `older_than`, oldest first.

    The sweeper (management command `requeue_stuck`, from cron) queues them again;
    it reads the database only, so it works while the broker is down.
    """
    cutoff = timezone.now() - older_than
    return list(
        Submission.objects.filter(state__in=AWAITING_CHECK, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)
    )


def names_withheld_submitter(submission: Submission) -> bool:
    """Is it to be posted without its submitter's name, though the document names them?"""
    return submission.publication == Publication.PUBLISH_ANONYMOUS and any(
        f.code == "name_in_anonymous_document" for f in submission.finding_objects()
    )


def submission_post(
    *, submission: Submission, actor: AbstractBaseUser, names_seen: bool = False
) -> None:
    """Publish a submission on the public site, unless its submitter said not to.

    The public copy is made first (redacted when the name is withheld); the worker
    then makes its PDF. A document that names a submitter who asked not to be named
    is posted only by someone who has looked at where (`names_seen`).
    """
    if submission.publication == Publication.DO_NOT_PUBLISH:
        raise ServiceError(
            _("%(number)s cannot be posted: its submitter asked for it not to be published.")
            % {"number": submission.tracking_number}
        )
    current = State(submission.state)
    if current in (State.ACCEPTED, State.NEEDS_ATTENTION):
        _require_no_open_errors(submission)
        steps = [State.READY_TO_POST, State.POSTED]
    elif current in (State.READY_TO_POST, State.UNPOSTED):
        steps = [State.POSTED]
    else:
        raise TransitionNotAllowed(
            _("A submission that is “%(current)s” cannot become “%(to)s”.")
            % {"current": current.label, "to": State.POSTED.label}
        )
    # Every step's permission before the public copy is made, not halfway.
    for step in steps:
        if not actor.has_perm(TRANSITION_PERMISSIONS[step]):
            raise TransitionNotAllowed(
                _("Your account may not make a submission “%(to)s”.") % {"to": step.label}
            )
    if names_withheld_submitter(submission) and not names_seen:
        raise ServiceError(
            _(
                "%(number)s names its submitter, who asked not to be named: post it from its "
                "page, after looking at where (each occurrence is replaced in the copy posted)."
            )
            % {"number": submission.tracking_number}
        )
    _make_public_copy(submission)
    if State.READY_TO_POST in steps:
        submission_transition(
            submission=submission,
            to=State.READY_TO_POST,
            actor=actor,
            reason="approved for posting",
        )
    event = submission_transition(
        submission=submission,
        to=State.POSTED,
        actor=actor,
        reason="posted",
        changes={"posted_at": timezone.now(), "public_pdf": "", "public_pdf_attempts": 0},
    )
    if event:
        transaction.on_commit(lambda: _queue_pdf(submission.pk))
        _tell(submission, EmailKind.POSTED, event, posted_url=notifications.posted_url(submission))


def public_copy_of(submission: Submission, data: bytes) -> bytes:
    """The public copy of `data` as this submission would post it (and its preview)."""
    return public_copy(
        data,
        stakeholder=submission.stakeholder_name,
        number=submission.tracking_number,
        withheld=not submission.shows_name,
        contact=(submission.contact_name, submission.contact_email),
    )


def _make_public_copy(submission: Submission) -> None:
    """The cleaned copy of the current file, made before anything is posted; its
    properties (and so its PDF's) say only what the public page says."""
    with submission.file.open("rb") as handle:
        clean = public_copy_of(submission, handle.read())
    submission.public_file.save("public.docx", ContentFile(clean), save=False)
    submission.public_text = compliance.public_text(clean)
    Submission.objects.filter(pk=submission.pk).update(
        public_file=submission.public_file.name, public_text=submission.public_text
    )


def _queue_pdf(submission_id: int) -> None:
    from submissions.tasks import queue_public_pdf

    queue_public_pdf(submission_id)


# A PDF that failed this many times is left alone; the .docx stays on offer.
MAX_PDF_ATTEMPTS = 3


def submission_make_pdf(*, submission_id: int) -> bool:
    """Make the PDF of a posted submission's public copy with LibreOffice (the worker's).

    Returns whether a PDF was saved. Without LibreOffice, or when it fails, the
    public page offers the .docx alone.
    """
    submission = Submission.objects.select_related("call").filter(pk=submission_id).first()
    if (
        submission is None
        or submission.state != State.POSTED
        or submission.public_pdf
        or not submission.public_file
        or submission.public_pdf_attempts >= MAX_PDF_ATTEMPTS
    ):
        return False
    # Counted before trying, so a worker without LibreOffice, or one killed by a
    # file that crashes it, gives up after a few attempts.
    Submission.objects.filter(pk=submission.pk).update(
        public_pdf_attempts=F("public_pdf_attempts") + 1
    )
    if rendering.soffice_path() is None:
        return False
    with submission.public_file.open("rb") as handle:
        pdf = rendering.convert_to_pdf(handle.read(), timeout=settings.GC6_PDF_TIMEOUT)
    if pdf is None:
        return False
    name = submission.public_pdf.storage.save(
        submission.public_pdf.field.generate_filename(submission, "public.pdf"), ContentFile(pdf)
    )
    # Only while it is still posted, and from the same public copy.
    saved = Submission.objects.filter(
        pk=submission.pk,
        state=State.POSTED,
        public_file=submission.public_file.name,
        public_pdf="",
    ).update(public_pdf=name)
    if not saved:
        submission.public_pdf.storage.delete(name)
    return bool(saved)


def submissions_missing_pdf(*, older_than: timedelta) -> list[int]:
    """Posted submissions whose PDF is still to be made (for the sweeper)."""
    return list(
        Submission.objects.filter(
            state=State.POSTED,
            public_pdf="",
            public_pdf_attempts__lt=MAX_PDF_ATTEMPTS,
            posted_at__lt=timezone.now() - older_than,
        )
        .exclude(public_file="")
        .values_list("pk", flat=True)
    )


def submission_unpost(*, submission: Submission, actor: AbstractBaseUser, reason: str) -> None:
    """Take a submission off the public site, and tell the submitter why."""
    _require_reason(reason, _("Give a reason for taking it down."))
    event = submission_transition(
        submission=submission, to=State.UNPOSTED, actor=actor, reason=reason
    )
    if event:
        _tell(submission, EmailKind.UNPOSTED, event, reason=reason)


def submission_reject(*, submission: Submission, actor: AbstractBaseUser, reason: str) -> None:
    """Reject a submission; the reason is required, kept in its history and e-mailed."""
    _require_reason(reason, _("Give a reason for the rejection."))
    event = submission_transition(
        submission=submission, to=State.REJECTED, actor=actor, reason=reason
    )
    if event:
        _tell(submission, EmailKind.REJECTED, event, reason=reason)


def _tell(submission: Submission, kind: EmailKind, event: SubmissionEvent, **values) -> None:
    """E-mail the submitter about a decision: once per decision (its event)."""
    notifications.submission_email(
        submission=submission, kind=kind, key=f"{kind}-{event.pk}", **values
    )


def _require_reason(reason: str, message: str) -> None:
    if not reason.strip():
        raise ServiceError(message)


def _require_no_open_errors(submission: Submission) -> None:
    errors = submission.open_errors()
    if errors:
        raise ServiceError(
            _(
                "%(number)s has findings nobody has overridden (%(codes)s): accept it "
                "with a reason first."
            )
            % {
                "number": submission.tracking_number,
                "codes": ", ".join(finding_label(f.code) for f in errors),
            }
        )


# A person may accept from these: the check's doubts, a failed check, or a file
# accepted by the check whose submitter asked for anonymity (someone must look).
ACCEPTABLE = frozenset({State.NEEDS_ATTENTION, State.CHECK_FAILED, State.ACCEPTED})


def can_accept(submission: Submission) -> bool:
    """Accepting an accepted file only readies it for posting: not one kept private."""
    if submission.state == State.ACCEPTED:
        return submission.publication != Publication.DO_NOT_PUBLISH
    return submission.state in ACCEPTABLE


def submission_accept(*, submission: Submission, actor: AbstractBaseUser, reason: str = "") -> None:
    """A person accepts the submission, overriding its error findings with a reason.

    The overrides are kept on the submission (who, when, why). A submission to be
    posted moves on to "ready to post"; the submitter is told.
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
        _require_reason(
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
    first = None
    if submission.state != State.ACCEPTED:
        first = submission_transition(
            submission=submission,
            to=State.ACCEPTED,
            actor=actor,
            reason=reason or "accepted",
            changes={"overrides": overrides, "waiting_for_submitter": False},
        )
        if first is None:
            return
    ready = None
    if submission.publication != Publication.DO_NOT_PUBLISH:
        ready = submission_transition(
            submission=submission,
            to=State.READY_TO_POST,
            actor=actor,
            reason="approved for posting",
        )
    event = first or ready
    if event:
        _tell(submission, EmailKind.ACCEPTED, event, reason=reason)


def can_replace(submission: Submission, at: datetime | None = None) -> bool:
    """A new version is welcome while the call takes files and nobody has posted this one."""
    now = at or timezone.now()
    access = submission.late_access
    in_time = (
        submission.call.is_open(now)
        or submission.call.accepts_late(now)
        or (access is not None and now <= access.valid_until)
    )
    return in_time and submission.state in REPLACEABLE


def submission_request_fix(
    *, submission: Submission, actor: AbstractBaseUser, message: str
) -> SubmissionEvent:
    """Ask the submitter to send a new version fixing `message`, before the deadline."""
    if not actor.has_perm(TRIAGE):
        raise TransitionNotAllowed(_("Your account may not ask submitters for changes."))
    _require_reason(message, _("Say what the submitter should change."))
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
    _tell(submission, EmailKind.FIX_REQUESTED, event, reason=message)
    return event


def finding_codes(codes: list[str]) -> str:
    """The codes as the admin's finding filter searches them: " a b " (spaces around)."""
    return f" {' '.join(codes)} " if codes else ""


def submission_group_duplicates(*, call: Call) -> None:
    """Group the call's submissions that repeat each other (same file, same stakeholder,
    near-identical text), so one decision can cover a group.

    The call's row is locked while the groups are rebuilt, so two checks finishing
    at once cannot write groups each computed without the other's submission.
    """
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        rows = list(
            Submission.objects.filter(call=call)
            .exclude(state__in=duplicates.IGNORED_STATES)
            .values("pk", "number", "sha256", "stakeholder_name", "text_signature")
        )
        groups = duplicates.group(rows)
        current = {
            pk: (group, reasons)
            for pk, group, reasons in Submission.objects.filter(call=call).values_list(
                "pk", "duplicate_group", "duplicate_reasons"
            )
        }
        for pk, (group, reasons) in current.items():
            wanted = groups.get(pk, (None, []))
            if (group, reasons) != wanted:
                Submission.objects.filter(pk=pk).update(
                    duplicate_group=wanted[0], duplicate_reasons=wanted[1]
                )
