"""What an e-mailed submission lacks: the Secretariat completes it on its page.

The form asks a submitter for their name, category and country; an e-mail tells only
its sender. Those fields (`Submission.to_complete`) are editable on the submission's
page until saved; every other field stays read-only (decisions change them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.enums import Channel
from submissions.models import Submission

if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object

# What may be completed: the submitter's own details, never the check's or a decision's.
COMPLETABLE = frozenset(
    {"stakeholder_name", "category", "country", "language", "publication", "contact_name"}
)


class CompletionMixin(_AdminBase):
    def get_readonly_fields(self, request: HttpRequest, obj: Submission | None = None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or not obj.to_complete or not self.has_change_permission(request, obj):
            return fields
        open_fields = COMPLETABLE & set(obj.to_complete)
        return tuple(f for f in fields if f not in open_fields)

    def save_model(self, request: HttpRequest, obj: Submission, form, change: bool) -> None:
        # Saved with the fields open: the Secretariat has completed (or confirmed) them.
        completed = COMPLETABLE & set(form.fields)
        obj.to_complete = [f for f in obj.to_complete if f not in completed]
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("How it came in"))
    def received_by(self, obj: Submission) -> str:
        if obj.channel != Channel.EMAIL:
            return obj.get_channel_display()
        message = obj.mail_message
        text = _("E-mail from %(sender)s, “%(subject)s”") % {
            "sender": message.sender if message else "?",
            "subject": message.subject if message else "",
        }
        if not obj.to_complete:
            return text
        return format_html(
            '{}<br><strong class="gc6-badge gc6-warning">{}</strong>',
            text,
            _("To complete: %(fields)s")
            % {
                "fields": ", ".join(
                    str(getattr(Submission._meta.get_field(f), "verbose_name", f))
                    for f in obj.to_complete
                )
            },
        )
