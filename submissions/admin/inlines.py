"""What a submission's page shows below it: notes, versions, e-mails, history."""

from __future__ import annotations

import re

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.admin.forms import NoteForm
from submissions.admin.times import local_time
from submissions.compliance import FindingCode
from submissions.enums import State
from submissions.findings import finding_label
from submissions.models import (
    Call,
    Comment,
    EmailLog,
    InternalNote,
    SubmissionEvent,
    SubmissionVersion,
)

# The reasons the submitter's own actions are recorded with (services/intake.py): they
# act without an account, as the worker does, so the reason tells them apart.
_SUBMITTER_REASONS = re.compile(r"received|withdrawn by the submitter|version \d+ received")
_FINDING_CODES = frozenset(str(code) for code in FindingCode)


def person_name(user) -> str:
    """A staff member as colleagues know them: their name, else their username."""
    return user.get_full_name() or user.get_username()


def event_actor(event: SubmissionEvent) -> str:
    """Who made the change: a staff member, the submitter, or the worker (the checks)."""
    if event.actor is not None:
        return person_name(event.actor)
    if _SUBMITTER_REASONS.fullmatch(event.reason):
        return _("the submitter")
    return _("the worker")


def event_reason(event: SubmissionEvent) -> str:
    """The reason as written; the check's list of finding codes as their badges' names."""
    codes = [c.strip() for c in event.reason.split(",")]
    if event.actor is None and codes and all(c in _FINDING_CODES for c in codes):
        return ", ".join(finding_label(c) for c in codes)
    return event.reason


def state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value  # a state no longer in the table: its code


# Django's tabular inline without each row's str() (its columns say it all).
TABULAR = "admin/submissions/edit_inline/tabular.html"


class ReadOnlyInline(admin.TabularInline):
    """History shown on a submission's page: nothing here is edited by hand."""

    template = TABULAR
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
    fields = ("when", "change", "by", "why")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("History")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("actor", "submission__call")

    @admin.display(description=gettext_lazy("When"))
    def when(self, obj: SubmissionEvent) -> str:
        return local_time(obj.at, obj.submission.call)

    @admin.display(description=gettext_lazy("Change"))
    def change(self, obj: SubmissionEvent) -> str:
        before, after = state_label(obj.from_state), state_label(obj.to_state)
        if obj.from_state == obj.to_state:
            return after
        return _("%(before)s → %(after)s") % {"before": before, "after": after}

    @admin.display(description=gettext_lazy("By"))
    def by(self, obj: SubmissionEvent) -> str:
        return event_actor(obj)

    @admin.display(description=gettext_lazy("Reason"))
    def why(self, obj: SubmissionEvent) -> str:
        return event_reason(obj)


class VersionInline(ReadOnlyInline):
    model = SubmissionVersion
    fields = ("number", "download", "file_size", "sha256", "received")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Versions (the last one is checked and posted)")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("submission__call")

    @admin.display(description=gettext_lazy("File"))
    def download(self, obj: SubmissionVersion) -> str:
        url = reverse("admin:submissions_submission_version", args=[obj.submission_id, obj.number])
        return format_html('<a href="{}">{}</a>', url, obj.original_filename)

    @admin.display(description=gettext_lazy("Received"))
    def received(self, obj: SubmissionVersion) -> str:
        return local_time(obj.received_at, obj.submission.call)


class EmailInline(ReadOnlyInline):
    model = EmailLog
    fields = ("key", "to", "subject", "language", "written", "sent", "error", "body")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("E-mails to the submitter")
    classes = ("collapse",)  # long texts: opened when needed

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("submission__call")

    @admin.display(description=gettext_lazy("Written"))
    def written(self, obj: EmailLog) -> str:
        return local_time(obj.created_at, self._call(obj))

    @admin.display(description=gettext_lazy("Sent"))
    def sent(self, obj: EmailLog) -> str:
        return local_time(obj.sent_at, self._call(obj)) if obj.sent_at else _("not yet")

    @staticmethod
    def _call(obj: EmailLog) -> Call:
        owner = obj.submission or obj.mail_message  # the inline lists a submission's
        assert owner is not None
        return owner.call


class CommentInline(ReadOnlyInline):
    """A call for comments: the submission's comments, as the submitter confirmed them."""

    model = Comment
    fields = ("position", "on", "text", "proposed_wording")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Comments on the draft")

    @admin.display(description=gettext_lazy("Paragraph"))
    def on(self, obj: Comment) -> str:
        return obj.paragraph or _("general")


class NoteInline(admin.TabularInline):
    """Notes are added, never edited: each says who wrote it and when."""

    model = InternalNote
    template = TABULAR
    form = NoteForm
    extra = 1
    can_delete = False
    fields = ("text", "written_by", "written")
    readonly_fields = ("written_by", "written")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("author", "submission__call")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("submissions.add_internalnote")

    @admin.display(description=gettext_lazy("Author"))
    def written_by(self, obj: InternalNote) -> str:
        return person_name(obj.author) if obj.author else "-"

    @admin.display(description=gettext_lazy("Written"))
    def written(self, obj: InternalNote) -> str:
        if obj.pk is None:
            return "-"  # the new note's row: written when saved
        return local_time(obj.created_at, obj.submission.call)
