"""Calls for input, their late access codes and their own e-mail wording."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions import compliance
from submissions.compliance.package import PackageLimits
from submissions.enums import (
    CallKind,
    EmailKind,
    LatePolicy,
    Publication,
)


class Call(models.Model):  # type: ignore[django-manager-missing]  # modeltranslation's
    """One call for written inputs, with the rules its files are checked against."""

    slug = models.SlugField(_("address name"), unique=True)
    tracking_prefix = models.CharField(
        _("tracking prefix"),
        max_length=12,
        unique=True,
        help_text=_("Starts tracking numbers, as in GC6-0042."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind of call"), max_length=10, choices=CallKind.choices, default=CallKind.INPUTS
    )
    summary = models.TextField(
        _("summary"),
    )
    questions = models.TextField(
        _("guiding questions"), blank=True, help_text=_("One guiding question per line.")
    )
    source_url = models.URLField(_("source (web address)"), blank=True)
    opens_at = models.DateTimeField(
        _("opens at"),
    )
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("The last moment a file counts as on time.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Zurich")
    word_limit = models.PositiveIntegerField(_("word limit"), default=5000)
    word_limit_counts_notes = models.BooleanField(
        _("notes count towards the limit"),
        default=True,
        help_text=_("Whether footnotes, endnotes and text boxes count."),
    )
    comment_word_limit = models.PositiveIntegerField(
        _("word limit per comment"),
        null=True,
        blank=True,
        help_text=_("Comments on a draft: the most words one comment may have (empty: none)."),
    )
    accepted_extensions = models.CharField(
        _("accepted file types"), max_length=100, default=".docx"
    )
    preferred_languages = models.CharField(
        _("preferred languages"), max_length=100, default="en,fr,es"
    )
    publication_default = models.CharField(
        _("default publication"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.PUBLISH,
    )
    late_policy = models.CharField(
        _("late files"), max_length=10, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

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

    @property
    def takes_comments(self) -> bool:
        return self.kind == CallKind.COMMENTS

    def preferred_language_codes(self) -> list[str]:
        return [c.strip() for c in self.preferred_languages.split(",") if c.strip()]


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
