"""A message of a call's mailbox, once: its Word files become submissions, or its
sender is told what is needed; either way it is recorded and never acted on twice.

The worker (`manage.py read_mailbox`) hands each message here, then moves it to the
processed folder. The row written here, in the same transaction as the submissions
and the replies' outbox rows, is what makes a second reading, or a reading after a
crash, change nothing: a message already recorded (same Message-ID, or the same bytes)
is only moved again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from submissions import notifications
from submissions.compliance.consent import find_objection
from submissions.compliance.package import UnreadableDocument
from submissions.config import package_limits
from submissions.draft_selectors import published_drafts
from submissions.drafts.comment_files import read_comments
from submissions.enums import Category, Language, MailOutcome, Publication
from submissions.mailbox.message import TOO_MANY_FILES, Incoming, parse_message
from submissions.models import Call, EmailLog, MailMessage
from submissions.services.intake import (
    CommentDetails,
    MailOrigin,
    SubmitterDetails,
    submission_create,
)

SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}
KNOWN_LANGUAGES = {code for code, _name in Language.choices}
# What an e-mail cannot tell: the Secretariat completes it (the name is a proposal).
TO_COMPLETE = ("stakeholder_name", "category", "country")


@dataclass(frozen=True)
class Received:
    """What reading one message did: its row, and whether this reading made it."""

    message: MailMessage
    new: bool


def _reply_language(incoming: Incoming) -> str:
    return incoming.language if incoming.language in SITE_LANGUAGES else settings.LANGUAGE_CODE


def _replies_today(address: str) -> int:
    since = timezone.now() - timedelta(days=1)
    return EmailLog.objects.filter(to__iexact=address, created_at__gte=since).count()


def _may_reply(incoming: Incoming) -> bool:
    """Never to lists, bounces, autoresponders or ourselves, and a few times a day at most."""
    return (
        not incoming.automatic
        and bool(incoming.reply_to)
        and _replies_today(incoming.reply_to) < settings.GC6_MAIL_REPLIES_PER_DAY
    )


def _details(incoming: Incoming, call: Call) -> tuple[SubmitterDetails, tuple[str, ...]]:
    """The form's fields as far as a message tells them, and those left to complete."""
    name = incoming.signature_name or incoming.sender_name or incoming.sender
    language = incoming.language if incoming.language in KNOWN_LANGUAGES else ""
    # "Posted unless the submission says otherwise": the message may say it, too, in
    # explicit words ("please do not publish"); a mail footer's "confidential" is not.
    objection = find_objection(incoming.body, "")
    publication = Publication.DO_NOT_PUBLISH if objection else call.publication_default
    details = SubmitterDetails(
        stakeholder_name=" ".join(name.split())[:300] or incoming.sender,
        category=Category.OTHER,
        country="",
        contact_name=(incoming.sender_name or incoming.sender)[:200],
        contact_email=incoming.reply_to or incoming.sender,
        language=language or settings.LANGUAGE_CODE,
        publication=publication,
    )
    return details, TO_COMPLETE + (() if language else ("language",))


def mail_receive(*, call: Call, raw: bytes) -> Received:
    """Record the message and act on it once (see the module's docstring)."""
    incoming = parse_message(
        raw,
        own_address=settings.GC6_MAIL_ADDRESS,
        max_files=settings.GC6_MAIL_MAX_FILES,
        max_file_bytes=settings.GC6_MAX_UPLOAD_BYTES,
    )
    digest = hashlib.sha256(raw).hexdigest()
    seen = Q(raw_sha256=digest) | (
        Q(message_id=incoming.message_id) if incoming.message_id else Q(pk__in=[])
    )
    existing = MailMessage.objects.filter(call=call).filter(seen).first()
    if existing is not None:
        return Received(existing, new=False)
    try:
        with transaction.atomic():
            return Received(_act(call, incoming, digest, len(raw)), new=True)
    except IntegrityError:
        # Another reader recorded it meanwhile: its submissions and replies stand alone.
        found = MailMessage.objects.filter(call=call).filter(seen).first()
        if found is None:
            raise
        return Received(found, new=False)


def mail_too_large(*, call: Call, uid_key: str, size: int, sender: str, subject: str) -> Received:
    """A message too large to download: recorded by its mailbox key, its sender told."""
    digest = hashlib.sha256(uid_key.encode()).hexdigest()
    existing = MailMessage.objects.filter(call=call, raw_sha256=digest).first()
    if existing is not None:
        return Received(existing, new=False)
    with transaction.atomic():
        row = MailMessage.objects.create(
            call=call,
            raw_sha256=digest,
            sender=sender[:320],
            subject=subject[:300],
            size=size,
            outcome=MailOutcome.TOO_LARGE,
        )
        if sender and _replies_today(sender) < settings.GC6_MAIL_REPLIES_PER_DAY:
            notifications.mail_reply(
                message=row,
                kind="too_large",
                to=sender,
                language=settings.LANGUAGE_CODE,
                limit=filesizeformat(settings.GC6_MAIL_MAX_BYTES),
            )
    return Received(row, new=True)


def _comments_in(call: Call, data: bytes, language: str, stakeholder: str) -> list[CommentDetails]:
    """On a call for comments: the comments the file carries, read as the form reads
    them (no review by e-mail: the Secretariat sees references the draft lacks in the
    compilation, apart). A file that cannot be read yields none; its check says why."""
    if not call.takes_comments:
        return []
    drafts = published_drafts(call)
    text = drafts.get(language) or next(iter(drafts.values()), None)
    if text is None:
        return []
    try:
        reading = read_comments(data, text.numbers(), package_limits(), stakeholder=stakeholder)
    except UnreadableDocument:
        return []
    if reading.refused:
        return []
    return [
        CommentDetails(c.paragraph, c.text, c.proposed_wording, language=text.language)
        for c in reading.comments
    ]


def _act(call: Call, incoming: Incoming, digest: str, size: int) -> MailMessage:
    files = incoming.word_files
    if files:
        outcome = MailOutcome.SUBMITTED
    elif incoming.automatic:
        outcome = MailOutcome.AUTOMATIC
    elif TOO_MANY_FILES in incoming.problems:
        outcome = MailOutcome.TOO_MANY_FILES
    else:
        outcome = MailOutcome.NO_WORD_FILE
    row = MailMessage.objects.create(
        call=call,
        message_id=incoming.message_id[:998],
        raw_sha256=digest,
        sender=incoming.sender[:320],
        subject=incoming.subject[:300],
        language=incoming.language[:8],
        size=size,
        outcome=outcome,
        automatic=incoming.automatic[:20],
        problems=list(incoming.problems),
    )
    reply = _may_reply(incoming)
    language = _reply_language(incoming)
    if files:
        details, to_complete = _details(incoming, call)
        origin = MailOrigin(message=row, to_complete=to_complete, reply=reply)
        for attachment in files:
            submission_create(
                call=call,
                details=details,
                upload=SimpleUploadedFile(attachment.filename[:255], attachment.data),
                interface_language=language,
                mail=origin,
                comments=_comments_in(
                    call, attachment.data, details.language, details.stakeholder_name
                ),
            )
    elif reply and outcome != MailOutcome.AUTOMATIC:
        with translation.override(language):
            kind = "too_many_files" if outcome == MailOutcome.TOO_MANY_FILES else "no_word_file"
            notifications.mail_reply(
                message=row,
                kind=kind,
                to=incoming.reply_to,
                language=language,
                # What it carried that is not taken: other files, and Word files refused
                # (too large, in a refused archive).
                other_files=", ".join(
                    [*incoming.other_files, *(name for name, _code in incoming.refused)]
                ),
                max_files=settings.GC6_MAIL_MAX_FILES,
            )
    return row
