"""What a submission's page shows below it: notes, versions, e-mails, history."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from submissions.admin.forms import NoteForm
from submissions.models import EmailLog, InternalNote, SubmissionEvent, SubmissionVersion


class ReadOnlyInline(admin.TabularInline):
    """History shown on a submission's page: nothing here is edited by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Part of the submission: whoever may see it sees its history, versions, e-mails.
        return request.user.has_perm("submissions.view_submission")


class EventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ("at", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("History")


class VersionInline(ReadOnlyInline):
    model = SubmissionVersion
    fields = ("number", "download", "file_size", "sha256", "received_at")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Versions (the last one is checked and posted)")

    @admin.display(description=gettext_lazy("File"))
    def download(self, obj: SubmissionVersion) -> str:
        url = reverse("admin:submissions_submission_version", args=[obj.submission_id, obj.number])
        return format_html('<a href="{}">{}</a>', url, obj.original_filename)


class EmailInline(ReadOnlyInline):
    model = EmailLog
    fields = ("key", "to", "subject", "language", "created_at", "sent_at", "error", "body")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("E-mails to the submitter")


class NoteInline(admin.TabularInline):
    """Notes are added, never edited: each says who wrote it and when."""

    model = InternalNote
    form = NoteForm
    extra = 1
    can_delete = False
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("submissions.add_internalnote")
