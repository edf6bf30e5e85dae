"""What the portal read from a call's mailbox: each message once, and what became of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.enums import MailOutcome
from submissions.models.calls import Call


class MailMessage(models.Model):
    """A message read from a call's mailbox. One row per Message-ID (or, without one,
    per content): reading the mailbox again, or after a crash, finds the row and makes
    no second submission and no second reply."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="mail_messages"
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    raw_sha256 = models.CharField(max_length=64)
    sender = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    read_at = models.DateTimeField(_("read"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=MailOutcome.choices)
    # Why no automatic reply went (RFC 3834 and practice: a list, a bounce, a loop...).
    automatic = models.CharField(_("automatic message"), max_length=20, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # Set once the message is in the processed folder: never deleted.
    moved_at = models.DateTimeField(_("moved to the processed folder"), null=True, blank=True)

    class Meta:
        ordering = ["-read_at"]
        verbose_name = _("e-mail read")
        verbose_name_plural = _("e-mails read")
        constraints = [
            models.UniqueConstraint(fields=["call", "raw_sha256"], name="one_row_per_message"),
            models.UniqueConstraint(
                fields=["call", "message_id"],
                condition=~models.Q(message_id=""),
                name="one_row_per_message_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"[:120]
