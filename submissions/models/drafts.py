"""A draft general comment, per language, and the comments stakeholders make on it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.models.calls import Call
from submissions.models.submission import Submission


def _draft_upload_path(instance: DraftText, filename: str) -> str:
    return f"drafts/{instance.call.slug}/{uuid.uuid4().hex}.docx"


class DraftText(models.Model):
    """One language's draft, as uploaded and split into its numbered paragraphs.

    Each upload is a row of its own, first a preview for the Secretariat; publishing
    one replaces the language's published row, so the public never sees a draft
    nobody confirmed. Paragraph numbers are the keys comments use across languages.
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="draft_texts"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=_draft_upload_path)
    original_filename = models.CharField(_("file name"), max_length=255)
    # What the public downloads: made when published, without the file's personal
    # metadata, comments, tracked changes or hidden text (as a posted submission's).
    public_file = models.FileField(_("public copy"), upload_to=_draft_upload_path, blank=True)
    # As the splitter gives them: [{"number", "heading", "text", "footnotes", "sub"}].
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    # The splitter's problems with the numbering: [{"code", "numbers"}].
    problems = models.JSONField(_("problems"), default=list, blank=True)
    manual = models.BooleanField(_("numbered by the Secretariat"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["call", "language", "-uploaded_at"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "language"],
                condition=models.Q(published_at__isnull=False),
                name="one_published_draft_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call.tracking_prefix} {self.get_language_display()}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def numbers(self) -> list[str]:
        return [p["number"] for p in self.paragraphs if p.get("number")]

    def paragraph(self, number: str) -> dict | None:
        return next((p for p in self.paragraphs if p.get("number") == number), None)


class Comment(models.Model):
    """One comment of a submission on a draft: on a paragraph, or general (no paragraph)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="comments"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)  # "" = general
    text = models.TextField(_("comment"), blank=True)
    proposed_wording = models.TextField(_("proposed wording"), blank=True)
    # The draft's language the wording was written against: its difference is shown
    # against that language's paragraph (none when that draft is not published).
    language = models.CharField(_("language of the draft"), max_length=8, blank=True)
    # What the public reads once posted: made with the public copy, the submitter's
    # name withheld in it when they asked (see services.publishing).
    public_text = models.TextField(blank=True)
    public_wording = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "position"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "position"], name="unique_comment_position"
            )
        ]
        indexes = [models.Index(fields=["paragraph"], name="comment_paragraph")]

    def __str__(self) -> str:
        return f"{self.submission.tracking_number} ¶{self.paragraph or '-'}"

    @property
    def is_general(self) -> bool:
        return not self.paragraph
