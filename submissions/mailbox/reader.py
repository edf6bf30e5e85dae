"""One pass over the calls' mailbox folders: each message handed to the intake
service once, then moved to the processed folder (never deleted).

Order matters for "nothing twice": the service records the message (and makes its
submissions and replies) in one transaction before the message is moved. A crash
after the record and before the move leaves the message in the folder; the next pass
finds its record and only moves it.
"""

from __future__ import annotations

import email.policy
import logging
from dataclasses import dataclass, replace
from email.parser import BytesHeaderParser

from django.conf import settings
from django.utils import timezone

from submissions.mailbox.imap import Mailbox, MailboxError, MailboxSettings, MessageGone
from submissions.models import Call, MailMessage
from submissions.services.mail_intake import mail_receive, mail_too_large

logger = logging.getLogger(__name__)


def call_folders(value: str | None = None) -> list[tuple[str, str]]:
    """GC6_MAIL_CALLS ("gc6:INBOX,gc6-draft:Comments") as (call slug, folder) pairs."""
    pairs = []
    for item in (settings.GC6_MAIL_CALLS if value is None else value).split(","):
        slug, _sep, folder = item.strip().partition(":")
        if slug.strip():
            pairs.append((slug.strip(), folder.strip() or "INBOX"))
    return pairs


@dataclass
class Pass:
    """What one pass did, for the log and the tests."""

    read: int = 0
    new: int = 0
    moved: int = 0
    failed: int = 0


def read_folder(call: Call, config: MailboxSettings) -> Pass:
    done = Pass()
    with Mailbox(config) as box:
        for uid in box.uids():
            try:
                fetched = box.fetch(uid, settings.GC6_MAIL_MAX_BYTES)
                if fetched.raw is None:
                    sender, subject = _sender_and_subject(box.headers(uid))
                    received = mail_too_large(
                        call=call,
                        uid_key=f"{config.folder}:{box.uidvalidity}:{uid}",
                        size=fetched.size,
                        sender=sender,
                        subject=subject,
                    )
                else:
                    received = mail_receive(call=call, raw=fetched.raw)
                done.read += 1
                done.new += received.new
                box.move_processed(uid)
            except MessageGone:
                continue  # another reader took it: its record says what became of it
            except MailboxError:
                raise  # the connection: the whole folder waits for the next pass
            except Exception:
                # One message the intake cannot take (a bug, the database away) must not
                # hold up the others: it stays in the folder and is tried next pass.
                logger.exception("message %s of %r not taken; left in place", uid, config.folder)
                done.failed += 1
                continue
            MailMessage.objects.filter(pk=received.message.pk).update(moved_at=timezone.now())
            done.moved += 1
    return done


def read_all(config: MailboxSettings | None = None) -> Pass:
    """Every call's folder, once. A mailbox that cannot be reached is logged and left for
    the next pass (its messages wait on the server)."""
    config = config or MailboxSettings.from_settings()
    total = Pass()
    for slug, folder in call_folders():
        call = Call.objects.filter(slug=slug).first()
        if call is None:
            logger.error("GC6_MAIL_CALLS names %r, which is not a call", slug)
            continue
        try:
            done = read_folder(call, replace(config, folder=folder))
        except MailboxError as error:
            logger.warning("mailbox folder %r not read: %s", folder, error)
            total.failed += 1
            continue
        total.read += done.read
        total.new += done.new
        total.moved += done.moved
    return total


def _sender_and_subject(headers: bytes) -> tuple[str, str]:
    """From the headers of a message too large to download: whom to tell, about what."""
    try:
        parsed = BytesHeaderParser(policy=email.policy.default).parsebytes(headers)
        sender = parsed.get("Reply-To") or parsed.get("From") or ""
        addresses = getattr(sender, "addresses", ())
        address = addresses[0].addr_spec if addresses else ""
        return address, str(parsed.get("Subject") or "")
    except Exception:  # a header no parser reads: no reply, the record stays
        return "", ""
