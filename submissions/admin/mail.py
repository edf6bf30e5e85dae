"""The messages read from the calls' mailbox, for the Secretariat: read-only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from submissions.admin.times import local_time
from submissions.models import MailMessage


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    list_display = ("read", "call", "sender", "subject", "outcome", "automatic", "made", "moved")
    list_filter = ("call", "outcome")
    search_fields = ("sender", "subject", "message_id")
    list_select_related = ("call",)
    readonly_fields = (
        "call",
        "message_id",
        "sender",
        "subject",
        "language",
        "size",
        "read_at",
        "outcome",
        "automatic",
        "problems",
        "moved_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailMessage]:
        return super().get_queryset(request).annotate(made_count=Count("submissions"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by the mailbox reader only

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the record of what came in stays

    @admin.display(description=gettext_lazy("Read"), ordering="read_at")
    def read(self, obj: MailMessage) -> str:
        return local_time(obj.read_at, obj.call)

    @admin.display(description=gettext_lazy("Submissions"), ordering="made_count")
    def made(self, obj: MailMessage) -> int:
        return getattr(obj, "made_count", 0)

    @admin.display(description=gettext_lazy("Moved"), boolean=True)
    def moved(self, obj: MailMessage) -> bool:
        return obj.moved_at is not None
