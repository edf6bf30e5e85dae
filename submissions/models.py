"""Calls for input, the submissions made to them, and each submission's history."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from submissions import compliance
from submissions.compliance.package import PackageLimits
from submissions.enums import (
    Category,
    DuplicateReason,
    EmailKind,
    Language,
    LatePolicy,
    Publication,
    State,
)


class Call(models.Model):  # type: ignore[django-manager-missing]  # modeltranslation's
    """One call for written inputs, with the rules its files are checked against."""

    slug = models.SlugField(unique=True)
    tracking_prefix = models.CharField(
        max_length=12, unique=True, help_text=_("Starts tracking numbers, as in GC6-0042.")
    )
    title = models.CharField(max_length=300)
    summary = models.TextField()
    questions = models.TextField(blank=True, help_text=_("One guiding question per line."))
    source_url = models.URLField(blank=True)
    opens_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text=_("The last moment a file counts as on time."))
    time_zone = models.CharField(max_length=64, default="Europe/Zurich")
    word_limit = models.PositiveIntegerField(default=5000)
    word_limit_counts_notes = models.BooleanField(
        default=True, help_text=_("Whether footnotes, endnotes and text boxes count.")
    )
    accepted_extensions = models.CharField(max_length=100, default=".docx")
    preferred_languages = models.CharField(max_length=100, default="en,fr,es")
    publication_default = models.CharField(
        max_length=20, choices=Publication.choices, default=Publication.PUBLISH
    )
    late_policy = models.CharField(
        max_length=10, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )

    class Meta:
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_open(self, at: datetime | None = None) -> bool:
        """Before the deadline: anyone may submit."""
        at = at or timezone.now()
        return self.opens_at <= at <= self.deadline

    def accepts_late(self, at: datetime | None = None) -> bool:
        """After the deadline, the form stays open when the policy says so."""
        at = at or timezone.now()
        return at > self.deadline and self.late_policy == LatePolicy.ACCEPT

    def extensions(self) -> list[str]:
        return [e.strip().lower() for e in self.accepted_extensions.split(",") if e.strip()]

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    def rules(
        self,
        extension_until: datetime | None = None,
        limits: PackageLimits | None = None,
    ) -> compliance.CallRules:
        return compliance.CallRules(
            limits=limits or PackageLimits(),
            word_limit=self.word_limit,
            deadline=self.deadline,
            extension_until=extension_until,
            time_zone=self.time_zone,
            count_notes=self.word_limit_counts_notes,
            preferred_languages=tuple(self.preferred_language_codes()),
        )

    def preferred_language_codes(self) -> list[str]:
        return [c.strip() for c in self.preferred_languages.split(",") if c.strip()]


def _upload_path(instance: Submission, filename: str) -> str:
    # Never the submitter's file name on disk: it is kept in `original_filename`.
    return f"submissions/{instance.call.slug}/{uuid.uuid4().hex}.docx"


def _pdf_upload_path(instance: Submission, filename: str) -> str:
    return f"submissions/{instance.call.slug}/{uuid.uuid4().hex}.pdf"


class Submission(models.Model):
    """A written input sent to a call. `state` changes only through services."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
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
    interface_language = models.CharField(max_length=8, default="en")

    file = models.FileField(upload_to=_upload_path)
    original_filename = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    status_token_hash = models.CharField(max_length=64, unique=True)
    # A keyed hash of the sender's IP address: enough to limit a client's rate,
    # useless to learn who sent what.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    # The latest report, stored so the admin, the status page and the public page read it.
    checked_at = models.DateTimeField(null=True, blank=True)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    word_count = models.PositiveIntegerField(null=True, blank=True)
    word_count_main = models.PositiveIntegerField(null=True, blank=True)
    name_on_first_page = models.BooleanField(null=True)
    first_page_method = models.CharField(max_length=20, blank=True)
    received_on_time = models.BooleanField(null=True)
    detected_language = models.CharField(max_length=8, blank=True)
    findings = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    # What the public downloads: the latest version without personal metadata,
    # comments, tracked changes or hidden text. The original is never served publicly.
    public_file = models.FileField(upload_to=_upload_path, blank=True)
    # The public copy's text (hidden text and deletions gone): what the public reads
    # and searches. `text` above is the checked file's, for the Secretariat.
    public_text = models.TextField(blank=True)
    late_access = models.OneToOneField(
        "LateAccessCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="used_by"
    )
    # A LibreOffice PDF of the public copy, made by the worker after posting.
    public_pdf = models.FileField(upload_to=_pdf_upload_path, blank=True)
    public_pdf_attempts = models.PositiveSmallIntegerField(default=0)

    # Triage. `finding_codes` repeats the findings' codes (" words_over name_missing ")
    # so the admin can filter on them on every database.
    finding_codes = models.TextField(blank=True)
    # Findings a person overrode: [{"code", "reason", "by", "at"}].
    overrides = models.JSONField(default=list, blank=True)
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
    duplicate_group = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    duplicate_reasons = models.JSONField(default=list, blank=True)
    # MinHash of the text's word shingles, to find near-identical texts (campaigns).
    text_signature = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at"]
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


def _new_code() -> str:
    return secrets.token_urlsafe(9)


class LateAccessCode(models.Model):
    """Lets one named stakeholder submit after the deadline, until `valid_until`.

    Conference systems do the same for late speakers. A code is used once.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="late_access_codes")
    stakeholder_name = models.CharField(_("for"), max_length=300)
    code = models.CharField(max_length=32, unique=True, default=_new_code, editable=False)
    valid_until = models.DateTimeField(_("valid until"))
    note = models.TextField(_("internal note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stakeholder_name} ({self.call.tracking_prefix})"


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

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission.tracking_number} v{self.number}"


class EmailLog(models.Model):
    """An e-mail to the submitter, written down before it is sent: never sent twice."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="emails")
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
            models.UniqueConstraint(fields=["submission", "key"], name="one_email_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.to}"


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


class EmailTemplate(models.Model):
    """A call's own wording of one e-mail in one language, replacing the default.

    Placeholders are written $name (see `notifications.PLACEHOLDERS`).
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(_("e-mail"), max_length=20, choices=EmailKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "kind", "language"]
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "language"], name="one_template_per_kind_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
