"""The work queue's filters in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from submissions.enums import DuplicateReason, Publication, State
from submissions.findings import FINDING_LABELS

# Accepted by the check, but its submitter asked for anonymity: someone must look.
TO_DO = Q(state__in=State.NEEDS_A_PERSON) | Q(
    state=State.ACCEPTED, publication=Publication.PUBLISH_ANONYMOUS
)


class QueueFilter(admin.SimpleListFilter):
    """What needs a person is the default view; everything else is one click away."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, StrOrPromise]]:
        return [
            ("todo", _("Needs a person")),
            ("waiting", _("Waiting for the submitter")),
            ("checking", _("Being checked")),
            ("all", _("All")),
        ]

    def choices(self, changelist):
        value = self.value() or "todo"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or "todo"
        if request.method == "POST" and request.POST.get("select_across", "0") == "0":
            # An action on ticked rows: they are named, whatever the queue shows.
            return queryset
        if value == "todo":
            return queryset.filter(TO_DO, waiting_for_submitter=False)
        if value == "waiting":
            return queryset.filter(waiting_for_submitter=True).exclude(state__in=State.SETTLED)
        if value == "checking":
            return queryset.filter(state__in=State.AWAITING_CHECK)
        return queryset


class FindingFilter(admin.SimpleListFilter):
    title = _("finding")
    parameter_name = "finding"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, StrOrPromise]]:
        return [("none", _("No finding")), *FINDING_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "none":
            return queryset.filter(finding_codes="", checked_at__isnull=False)
        if value:
            return queryset.filter(finding_codes__contains=f" {value} ")
        return queryset


class LateFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "late"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, StrOrPromise]]:
        return [
            ("late", _("After the deadline")),
            ("code", _("With a late access code")),
            ("on_time", _("On time")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "late":
            return queryset.filter(received_on_time=False)
        if self.value() == "code":
            return queryset.filter(late_access__isnull=False)
        if self.value() == "on_time":
            return queryset.filter(received_on_time=True)
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = _("duplicates")
    parameter_name = "duplicates"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, StrOrPromise]]:
        return [("any", _("In a group")), *DuplicateReason.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "any":
            return queryset.filter(duplicate_group__isnull=False)
        if value in DuplicateReason.values:
            # JSON lists are stored as text everywhere: '["same_file", ...]'.
            return queryset.filter(duplicate_reasons__icontains=f'"{value}"')
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, StrOrPromise]]:
        return [("me", _("Me")), ("nobody", _("Nobody"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset
