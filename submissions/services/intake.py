"""What submitters do: send a file, send a new version, withdraw."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import notifications, private_links, statistics
from submissions.enums import ALLOWED_TRANSITIONS, Channel, EmailKind, State
from submissions.models import (
    Call,
    Comment,
    LateAccessCode,
    MailMessage,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)
from submissions.services import transition
from submissions.services.check import cleared_check_fields
from submissions.services.errors import ServiceError
from submissions.services.grouping import regroup_submission
from submissions.tokens import hash_token


@dataclass(frozen=True)
class SubmitterDetails:
    """What the submitter types in the form, the file aside."""

    stakeholder_name: str
    category: str
    country: str
    contact_name: str
    contact_email: str
    language: str
    publication: str


@dataclass(frozen=True)
class CommentDetails:
    """One comment on a draft, as the submitter confirmed it: `paragraph` None is general."""

    paragraph: str | None
    text: str
    proposed_wording: str = ""
    language: str = ""  # of the draft it was written against


@dataclass(frozen=True)
class MailOrigin:
    """A submission e-mailed to the call's address: the message it came in, the fields
    the Secretariat must complete, and whether its sender may get automatic replies
    (not a list, a bounce or an autoresponder: RFC 3834)."""

    message: MailMessage
    to_complete: tuple[str, ...] = ()
    reply: bool = True


def _save_comments(submission: Submission, comments: Sequence[CommentDetails]) -> None:
    submission.comments.all().delete()
    Comment.objects.bulk_create(
        Comment(
            submission=submission,
            position=position,
            paragraph=comment.paragraph or "",
            text=comment.text,
            proposed_wording=comment.proposed_wording,
            language=comment.language,
        )
        for position, comment in enumerate(comments, start=1)
    )


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def submission_create(
    *,
    call: Call,
    details: SubmitterDetails,
    upload: UploadedFile,
    interface_language: str,
    received_at: datetime | None = None,
    late_access: LateAccessCode | None = None,
    client_hash: str = "",
    comments: Sequence[CommentDetails] = (),
    mail: MailOrigin | None = None,
) -> tuple[Submission, str]:
    """Store the file and the row in one transaction; queue the check on commit.

    On a call for comments, `comments` are the ones the submitter confirmed (the
    file is theirs, or the portal's Word copy of what they typed). `mail`: it came
    by e-mail (the receipt is then the automatic reply, unless `mail.reply` is off).
    Side effects: the file in storage, version 1, a "received" event, the receipt
    (with the private link) in the outbox, the check and the statistics' refresh
    queued; a late access code, if given, used up. Returns the submission and its
    private status token (only its hash is stored).
    """
    received_at = received_at or timezone.now()
    sha256 = _sha256(upload)
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
                    original_filename=(upload.name or "upload.docx")[:255],
                    file_size=upload.size or 0,
                    sha256=sha256,
                    status_token_hash=hash_token(token),
                    received_at=received_at,
                    late_access=late_access,
                    client_hash=client_hash,
                    **_origin(mail),
                )
                submission.file.save("upload.docx", upload, save=False)
                submission.save()
                _record_version(submission, 1)
                _save_comments(submission, comments)
                SubmissionEvent.objects.create(
                    submission=submission,
                    from_state=State.RECEIVED,
                    to_state=State.RECEIVED,
                    reason="received",
                    at=received_at,
                )
                if mail is None or mail.reply:
                    notifications.submission_email(
                        submission=submission,
                        kind=EmailKind.CONFIRMATION,
                        status_url=notifications.status_url(token),
                    )
                transaction.on_commit(partial(_queue_check, submission.pk))
                statistics.queue_refresh(call.pk)  # the week's count of received
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


def _origin(mail: MailOrigin | None) -> dict[str, Any]:
    if mail is None:
        return {}
    return {
        "channel": Channel.EMAIL,
        "mail_message": mail.message,
        "to_complete": list(mail.to_complete),
    }


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


def _queue_check(submission_id: int) -> bool:
    from submissions.tasks import queue_check

    return queue_check(submission_id)


def can_replace(submission: Submission, at: datetime | None = None) -> bool:
    """A new version is welcome while the call takes files and nobody has posted this one."""
    now = at or timezone.now()
    access = submission.late_access
    in_time = (
        submission.call.is_open(now)
        or submission.call.accepts_late(now)
        or (access is not None and now <= access.valid_until)
    )
    return in_time and submission.state in State.REPLACEABLE


def submission_new_version(
    *,
    submission: Submission,
    upload: UploadedFile,
    received_at: datetime | None = None,
    comments: Sequence[CommentDetails] | None = None,
) -> SubmissionVersion:
    """Replace the submission's file with a new version, keep the old, check it again.

    The latest version is the one checked and posted; its time of receipt is the
    one the deadline applies to. On a call for comments, `comments` replace the
    earlier version's. Side effects: the check's fields, overrides and a
    request for a fix cleared; back to "received"; the check queued; an e-mail.
    """
    if submission.state not in State.REPLACEABLE:
        raise ServiceError(_("This submission can no longer be changed."))
    received_at = received_at or timezone.now()
    sha256 = _sha256(upload)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state not in State.REPLACEABLE:
            raise ServiceError(_("This submission can no longer be changed."))
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        locked.file.save("upload.docx", upload, save=False)
        fields = {
            **cleared_check_fields(),
            "file": locked.file.name,
            "original_filename": (upload.name or "upload.docx")[:255],
            "file_size": upload.size or 0,
            "sha256": sha256,
            "received_at": received_at,
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
        elif not transition.submission_transition(
            submission=locked, to=State.RECEIVED, reason=reason, changes=fields
        ):
            raise ServiceError(_("This submission can no longer be changed."))
        locked.refresh_from_db()
        version = _record_version(locked, number)
        if comments is not None:
            _save_comments(locked, comments)
        notifications.submission_email(
            submission=locked,
            kind=EmailKind.VERSION,
            key=f"version-{number}",
            version=number,
            status_url=private_links.new_link(locked),
        )
        transaction.on_commit(lambda: _queue_check(locked.pk))
        statistics.queue_refresh(locked.call_id)  # received again: maybe another week
    submission.refresh_from_db()
    return version


def submission_withdraw(*, submission: Submission) -> None:
    """The submitter withdraws: off the public site if posted, and out of the queue."""
    if submission.state == State.POSTED:
        transition.submission_transition(
            submission=submission, to=State.UNPOSTED, reason="withdrawn by the submitter"
        )
    if State.WITHDRAWN not in ALLOWED_TRANSITIONS[State(submission.state)]:
        raise ServiceError(_("This submission can no longer be withdrawn."))
    transition.submission_transition(
        submission=submission, to=State.WITHDRAWN, reason="withdrawn by the submitter"
    )
    regroup_submission(submission)
