"""A submission, its versions, its history and its further private links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from submissions import compliance
from submissions.enums import (
    Category,
    Channel,
    DuplicateReason,
    Language,
    Publication,
    State,
)
from submissions.models.calls import Call


def _upload_path(instance: Submission, filename: str) -> str:
    # Never the submitter's file name on disk: it is kept in `original_filename`.
    return f"submissions/{instance.call.slug}/{uuid.uuid4().hex}.docx"


def _pdf_upload_path(instance: Submission, filename: str) -> str:
    return f"submissions/{instance.call.slug}/{uuid.uuid4().hex}.pdf"


class Submission(models.Model):
    """A written input sent to a call. `state` changes only through services."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveIntegerField(
        _("number"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    stakeholder_name = models.CharField(_("stakeholder name"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    country = CountryField(_("country"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(
        _("language of the submission"), max_length=8, choices=Language.choices
    )
    publication = models.CharField(_("publication"), max_length=20, choices=Publication.choices)
    interface_language = models.CharField(
        _("language of the site and e-mails"), max_length=8, default="en"
    )

    file = models.FileField(_("file"), upload_to=_upload_path)
    original_filename = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(
        _("file size"),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status_token_hash = models.CharField(max_length=64, unique=True)
    # A keyed hash of the sender's IP address: enough to limit a client's rate,
    # useless to learn who sent what.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    channel = models.CharField(
        _("received by"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    # The message it came in, for a submission e-mailed to the call's address.
    mail_message = models.ForeignKey(
        "MailMessage",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    # Fields the portal could not know (an e-mailed file): the Secretariat completes them.
    to_complete = models.JSONField(_("to complete"), default=list, blank=True)

    # The latest report, stored so the admin, the status page and the public page read it.
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    # When the check was last handed to the broker; None: not yet, or the broker was
    # down (the sweeper queues those within seconds, not after the stuck threshold).
    check_queued_at = models.DateTimeField(null=True, blank=True, db_index=True)
    check_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0)
    word_count = models.PositiveIntegerField(_("word count"), null=True, blank=True)
    word_count_main = models.PositiveIntegerField(_("word count, main text"), null=True, blank=True)
    name_on_first_page = models.BooleanField(_("name on page 1"), null=True)
    first_page_method = models.CharField(_("page 1 found by"), max_length=20, blank=True)
    received_on_time = models.BooleanField(_("received on time"), null=True)
    detected_language = models.CharField(_("language detected"), max_length=8, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    # What the public downloads: the latest version without personal metadata,
    # comments, tracked changes or hidden text. The original is never served publicly.
    public_file = models.FileField(_("public copy"), upload_to=_upload_path, blank=True)
    # The public copy's text (hidden text and deletions gone): what the public reads
    # and searches. `text` above is the checked file's, for the Secretariat.
    public_text = models.TextField(_("public text"), blank=True)
    late_access = models.OneToOneField(
        "LateAccessCode",
        verbose_name=_("late access code"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="used_by",
    )
    # A LibreOffice PDF of the public copy, made by the worker after posting.
    public_pdf = models.FileField(_("public PDF"), upload_to=_pdf_upload_path, blank=True)
    public_pdf_attempts = models.PositiveSmallIntegerField(default=0)

    # Triage. `finding_codes` repeats the findings' codes (" words_over name_missing ")
    # so the admin can filter on them on every database.
    finding_codes = models.TextField(blank=True)
    # Findings a person overrode: [{"code", "reason", "by", "at"}].
    overrides = models.JSONField(_("overridden findings"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
        limit_choices_to={"is_staff": True},
    )
    # Set when the Secretariat asks for a fix; cleared by the next version.
    waiting_for_submitter = models.BooleanField(_("waiting for the submitter"), default=False)

    # Duplicates: submissions grouped under the number of the group's first one.
    duplicate_group = models.PositiveIntegerField(
        _("duplicate group"), null=True, blank=True, db_index=True
    )
    duplicate_reasons = models.JSONField(_("duplicate reasons"), default=list, blank=True)
    # MinHash of the text's word shingles, to find near-identical texts (campaigns).
    text_signature = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        permissions = [
            ("triage_submission", "Can accept, reject and send submissions back"),
            ("publish_submission", "Can post submissions and take them down"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="unique_number_per_call"),
        ]
        indexes = [
            # The public list's orders: newest first, and by number.
            models.Index(fields=["call", "state", "-posted_at", "-id"], name="submission_newest"),
            models.Index(fields=["call", "state", "number"], name="submission_call_state_number"),
            models.Index(fields=["call", "state", "category"], name="submission_by_category"),
            models.Index(fields=["call", "state", "language"], name="submission_by_language"),
        ]

    # Large fields only the Secretariat's page and the check read: lists leave them out.
    SECRETARIAT_TEXT = ("text", "text_signature")

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.stakeholder_name}"

    @property
    def tracking_number(self) -> str:
        return f"{self.call.tracking_prefix}-{self.number:04d}"

    @property
    def is_posted(self) -> bool:
        return self.state == State.POSTED

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    @property
    def shows_name(self) -> bool:
        return self.publication == Publication.PUBLISH

    def finding_objects(self) -> list[compliance.Finding]:
        return [compliance.Finding.from_dict(f) for f in self.findings]

    def overridden_codes(self) -> set[str]:
        return {o["code"] for o in self.overrides}

    def open_errors(self) -> list[compliance.Finding]:
        """Error findings nobody has overridden yet."""
        done = self.overridden_codes()
        return [
            f
            for f in self.finding_objects()
            if f.severity == compliance.Severity.ERROR and f.code not in done
        ]

    def duplicate_reason_labels(self) -> list[str]:
        return [str(DuplicateReason(r).label) for r in self.duplicate_reasons]


def _version_upload_path(instance: SubmissionVersion, filename: str) -> str:
    return _upload_path(instance.submission, filename)


class SubmissionVersion(models.Model):
    """One file a submitter sent; the submission's file is its latest version's."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=_version_upload_path)
    original_filename = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)
    # The scanner found malware in it: kept apart, never served.
    quarantined = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission.tracking_number} v{self.number}"


class SubmissionEvent(models.Model):
    """One state change: who, when, from what, to what, and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class PrivateLink(models.Model):
    """A further private status link of a submission, kept as its hash only: each e-mail
    after the receipt carries a link of its own (the receipt's is `status_token_hash`)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"link of {self.submission_id}"
