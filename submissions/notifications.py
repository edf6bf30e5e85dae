"""E-mails to submitters, in their language, from each call's templates; each sent once.

A call may have its own wording of any e-mail in any language (`EmailTemplate`,
edited in the admin); otherwise the default under `templates/emails/` is used.
Both are plain text with $placeholders, filled in at sending time.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from string import Template

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from submissions.enums import EmailKind
from submissions.models import Call, EmailLog, EmailTemplate, MailMessage, Submission

logger = logging.getLogger(__name__)

# What the log shows where the e-mail had the private link: staff never see a working
# one (with it they could act as the submitter). Not translated: it stands in the
# log, between texts in the submitter's language, for the Secretariat.
PRIVATE_LINK_MASK = "[private link, sent to the submitter only]"

# What a template may say, and what each placeholder stands for (shown to editors).
PLACEHOLDERS: dict[str, StrOrPromise] = {
    "contact_name": _("the contact person"),
    "stakeholder_name": _("the stakeholder"),
    "tracking_number": _("the tracking number, as GC6-0042"),
    "call_title": _("the call's title"),
    "original_filename": _("the file's name"),
    "received_at": _("when the latest version was received, Geneva time"),
    "deadline": _(
        "the deadline for this submission (the call's, or its late access code's), Geneva time"
    ),
    "deadline_utc": _("the same deadline in UTC"),
    "status_url": _(
        "the submitter's private link to their status page (every e-mail; a new one each time)"
    ),
    "posted_url": _("the public page (posted only)"),
    "version": _("the version's number (new version only)"),
    "reason": _("the Secretariat's reason or request"),
    "findings": _("what the check found that the submitter can fix, one per line (check result)"),
}


@lru_cache(maxsize=128)
def default_text(kind: str, language: str) -> tuple[str, str]:
    """The default subject and body of `kind` in `language`, placeholders unfilled:
    rendered once per process (the receipt's templates were most of its cost in the
    upload's request)."""
    context = {name: f"${name}" for name in PLACEHOLDERS}
    with translation.override(language):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        body = render_to_string(f"emails/{kind}.txt", context)
    return _one_line(subject), body


def _one_line(text: str) -> str:
    """A subject on one line; a non-breaking space (French "Objet :") stays."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def template_text(call: Call, kind: str, language: str) -> tuple[str, str]:
    """The call's own wording if it has one, else the default."""
    own = EmailTemplate.objects.filter(call=call, kind=kind, language=language).first()
    if own is not None:
        return own.subject, own.body
    return default_text(kind, language)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that nothing fills (a typo an editor should hear about)."""
    return sorted(set(Template(text).get_identifiers()) - PLACEHOLDERS.keys())


def when(moment: datetime, zone: tzinfo) -> str:
    """`moment` on a clock of `zone`, written as the active language writes dates
    ("30 January 2027", "30 janvier 2027", "30 de enero de 2027") and times."""
    local = timezone.localtime(moment, zone)
    date = formats.date_format(local, "DATE_FORMAT")
    return f"{date}, {formats.time_format(local, 'TIME_FORMAT')}"


def submitter_deadline(submission: Submission) -> datetime:
    """The last moment this submitter may send a file: the call's deadline, or their late
    access code's if later."""
    access = submission.late_access
    deadline = submission.call.deadline
    return max(deadline, access.valid_until) if access is not None else deadline


def _values(submission: Submission, extra: dict[str, object]) -> dict[str, str]:
    """The placeholders' values, in the active language. Where no link is given (the
    admin's preview of a decision's e-mail), the private link reads as the mask."""
    call = submission.call
    deadline = submitter_deadline(submission)
    values = {
        "contact_name": submission.contact_name,
        "stakeholder_name": submission.stakeholder_name,
        "tracking_number": submission.tracking_number,
        "call_title": call.title,
        "original_filename": submission.original_filename,
        "received_at": when(submission.received_at, call.zone),
        "deadline": when(deadline, call.zone),
        "deadline_utc": when(deadline, UTC),
        "status_url": PRIVATE_LINK_MASK,
        "posted_url": "",
        "version": "",
        "reason": "",
        "findings": "",
    }
    values.update({k: str(v) for k, v in extra.items()})
    return values


def compose(submission: Submission, kind: EmailKind | str, **values: object) -> tuple[str, str]:
    """The subject and text of the `kind` e-mail to this submitter, in their language."""
    language = submission.interface_language
    with translation.override(language):
        subject, body = template_text(submission.call, kind, language)
        filled = _values(submission, values)
        subject = _one_line(Template(subject).safe_substitute(filled))[:300]
        return subject, Template(body).safe_substitute(filled)


def submission_email(
    *, submission: Submission, kind: EmailKind | str, key: str = "", **values: object
) -> EmailLog | None:
    """Put the `kind` e-mail to the submitter in the outbox, unless one with `key` is there.

    `key` defaults to the kind; decisions pass one of their own (the event's) so the
    same decision never e-mails twice while a later decision of the same kind can.
    The log row is the outbox: written in the caller's transaction (unique per
    submission and key), composed now in the submitter's language, and sent by the
    worker once the transaction commits (`send_logged`), so no request waits on
    SMTP. The private link is logged masked; the working link is kept beside the
    row only until the e-mail has gone. Returns the row, or None if already there.
    """
    key = key or str(kind)
    language = submission.interface_language
    link = str(values.pop("status_url", "") or "")
    subject, body = compose(
        submission, kind, status_url=PRIVATE_LINK_MASK if link else "", **values
    )
    try:
        with transaction.atomic():
            log = EmailLog.objects.create(
                submission=submission,
                key=key,
                to=submission.contact_email,
                subject=subject,
                language=language,
                body=body,
                private_link=link,
            )
    except IntegrityError:
        return None
    _send_after_commit(log.pk)
    return log


def _send_after_commit(log_id: int) -> None:
    """Hand the e-mail to the worker once it is committed (never before: a rolled-back
    decision sends nothing). If the broker is down, the sweeper sends it later."""
    from submissions.tasks import queue_email

    transaction.on_commit(lambda: queue_email(log_id))


# An e-mail that failed is tried again by the sweeper: this many tries in all.
MAX_EMAIL_ATTEMPTS = 5


def send_logged(log_id: int) -> bool:
    """Send an e-mail of the outbox, unless it went already or was given up on.

    Each try is claimed first (compare-and-set on the attempt count), so two workers
    or a worker and the sweeper cannot both send one. A failure is recorded, never
    raised: an e-mail problem must not undo a submission.
    """
    log = (
        EmailLog.objects.select_related("mail_message", "submission__mail_message")
        .filter(pk=log_id, sent_at__isnull=True)
        .first()
    )
    if log is None or log.attempts >= MAX_EMAIL_ATTEMPTS:
        return False
    claimed = EmailLog.objects.filter(pk=log.pk, attempts=log.attempts, sent_at__isnull=True)
    if not claimed.update(attempts=F("attempts") + 1):
        return False
    if _send(log):
        return True
    if log.attempts + 1 >= MAX_EMAIL_ATTEMPTS:
        EmailLog.objects.filter(pk=log.pk).update(private_link="")  # given up: forget it
    return False


def headers(log: EmailLog) -> dict[str, str]:
    """RFC 3834: every e-mail says it is automatic, so that autoresponders do not answer
    it; the receipt of an e-mailed submission (and a reply to a message that made
    none) is an automatic reply to that message, threaded under it."""
    message = log.mail_message
    if message is None and log.submission is not None and log.key == EmailKind.CONFIRMATION:
        message = log.submission.mail_message
    out = {"Auto-Submitted": "auto-replied" if message else "auto-generated"}
    if message is not None and message.message_id:
        out["In-Reply-To"] = out["References"] = f"<{message.message_id}>"
    if settings.GC6_MAIL_ADDRESS:
        out["X-Loop"] = settings.GC6_MAIL_ADDRESS
    return out


def _send(log: EmailLog) -> bool:
    """Send a logged e-mail with its private link put back; forget the link once sent."""
    body = log.body.replace(PRIVATE_LINK_MASK, log.private_link) if log.private_link else log.body
    try:
        EmailMessage(log.subject, body, None, [log.to], headers=headers(log)).send()
    except Exception as error:  # SMTP down, refused address...: keep the submission
        logger.warning("e-mail %s for %s not sent: %s", log.key, log.submission_id, error)
        EmailLog.objects.filter(pk=log.pk).update(error=str(error)[:1000])
        return False
    EmailLog.objects.filter(pk=log.pk).update(sent_at=timezone.now(), error="", private_link="")
    return True


def retry_failed(*, older_than: timedelta, never_tried: bool = False) -> int:
    """Send the outbox's e-mails still unsent `older_than` after they were written
    (SMTP down, or the broker down when they were queued), as written; `never_tried`:
    only those no worker has tried. Returns how many went."""
    cutoff = timezone.now() - older_than
    unsent = EmailLog.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS, created_at__lt=cutoff
    ).exclude(body="")
    if never_tried:
        unsent = unsent.filter(attempts=0)
    return sum(send_logged(pk) for pk in unsent.values_list("pk", flat=True))


def mail_reply(
    *, message: MailMessage, kind: str, to: str, language: str, **values: object
) -> EmailLog | None:
    """The automatic reply to a mailbox message that made no submission, in the outbox
    once per message (sent after the commit like every e-mail)."""
    context = {
        "call_title": message.call.title,
        "call_url": absolute(reverse("submissions:call", args=[message.call.slug])),
        "subject": message.subject or "",
        **values,
    }
    with translation.override(language):
        subject = _one_line(render_to_string(f"emails/mail_{kind}_subject.txt", context))
        body = render_to_string(f"emails/mail_{kind}.txt", context)
    try:
        with transaction.atomic():
            log = EmailLog.objects.create(
                mail_message=message,
                key=f"reply-{kind}",
                to=to,
                subject=subject[:300],
                language=language,
                body=body,
            )
    except IntegrityError:
        return None
    _send_after_commit(log.pk)
    return log


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def status_url(token: str) -> str:
    return absolute(reverse("submissions:status", kwargs={"token": token}))


def posted_url(submission: Submission) -> str:
    return absolute(reverse("submissions:posted", args=[submission.call.slug, submission.number]))
