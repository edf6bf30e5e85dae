"""What staff and the outbox keep about a submission: e-mails, notes, decision tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.models.submission import Submission


class EmailLog(models.Model):
    """An e-mail to the submitter, written down before it is sent: never sent twice."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    # A reply to a message of the call's mailbox that made no submission (no Word file).
    mail_message = models.ForeignKey(
        "MailMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    key = models.CharField(max_length=40)  # "confirmation", "version-2", "posted-17"...
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    language = models.CharField(max_length=8)
    # What was sent, as sent, but for the private link, masked: the Secretariat can
    # read what the submitter got without being able to act as the submitter.
    body = models.TextField(blank=True)
    # The working private link, only until the e-mail has gone (a retry needs it).
    private_link = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Tries to send it so far (each claimed before it is made); 0 while it waits.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="one_email_per_key"),
            models.UniqueConstraint(
                fields=["mail_message", "key"], name="one_reply_per_message_and_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.to}"


class DecisionToken(models.Model):
    """A decision form sent once: its token, so that sending it again (a double click, a
    retry) takes no second decision and sends no second e-mail."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class InternalNote(models.Model):
    """A Secretariat note on a submission: never shown to the submitter or the public."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return self.text[:60]
