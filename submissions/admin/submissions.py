"""The Secretariat's work queue and a submission's page. State is read-only here:
decisions call the services (admin/decide.py).
"""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.filters import CountryFilter

from submissions.admin.completing import CompletionMixin
from submissions.admin.decide import DecisionsMixin
from submissions.admin.display import marked, override_time, withheld_names
from submissions.admin.files import FilesMixin
from submissions.admin.filters import (
    AssigneeFilter,
    DuplicateFilter,
    FindingFilter,
    LateFilter,
    QueueFilter,
)
from submissions.admin.inlines import (
    CommentInline,
    EmailInline,
    EventInline,
    NoteInline,
    VersionInline,
)
from submissions.admin.register_views import RegisterMixin
from submissions.admin.times import local_time
from submissions.decisions import DECISIONS
from submissions.findings import finding_label, finding_message
from submissions.models import InternalNote, Submission

# The class that marks the document's fieldset, which the page shows last.
DOCUMENT_FIELDSET = "submission-document"


@admin.register(Submission)
class SubmissionAdmin(CompletionMixin, DecisionsMixin, FilesMixin, RegisterMixin, admin.ModelAdmin):
    list_display = (
        "tracking",
        "stakeholder_name",
        "country",
        "word_count",
        "state_badge",
        "flags",
        "group",
        "assignee",
        "received",
    )
    list_filter = (
        QueueFilter,
        "call",
        "state",
        FindingFilter,
        "category",
        ("country", CountryFilter),
        "language",
        LateFilter,
        DuplicateFilter,
        AssigneeFilter,
        "publication",
        "channel",
    )
    search_fields = ("stakeholder_name", "contact_name", "contact_email", "text")
    list_select_related = ("call", "assignee")
    # A work queue: the oldest first.
    ordering = ("received_at", "pk")
    list_per_page = 50
    date_hierarchy = "received_at"
    inlines = [NoteInline, VersionInline, EmailInline, EventInline]
    actions = [  # and the decisions, from `get_actions`
        "assign_to_me",
        "export_csv",
        "export_xlsx",
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "tracking",
                    "call",
                    "state_badge",
                    "received",
                    "received_by",
                    "assignee",
                )
            },
        ),
        (
            gettext_lazy("Submitter"),
            {
                "fields": (
                    "stakeholder_name",
                    "category",
                    "country",
                    "language",
                    "publication",
                    "contact_name",
                    "contact_email",
                    "interface_language",
                )
            },
        ),
        (
            gettext_lazy("Check"),
            {
                "fields": (
                    "findings_list",
                    "overrides_list",
                    "duplicates",
                    "waiting_for_submitter",
                    "word_count",
                    "word_count_main",
                    "name_on_first_page",
                    "first_page_method",
                    "received_on_time",
                    "detected_language",
                    "checked",
                    "check_attempts",
                    "posted",
                )
            },
        ),
        (
            gettext_lazy("File"),
            {"fields": ("original_filename", "file_size", "sha256"), "classes": ("collapse",)},
        ),
        # The long text last, below the notes, versions, e-mails and history: the
        # change form's template puts this fieldset after the inlines.
        (
            gettext_lazy("Document"),
            {"fields": ("document",), "classes": (DOCUMENT_FIELDSET,)},
        ),
    )

    # Everything on the page is read-only but the assignee: decisions change the rest.
    readonly_fields = tuple(
        name
        for _title, options in fieldsets
        for name in cast(tuple[str, ...], options["fields"])
        if name != "assignee"
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions arrive through the public form

    def get_inlines(self, request: HttpRequest, obj: Submission | None):
        # A call for comments: its comments first, above the notes and history.
        if obj is not None and obj.call.takes_comments:
            return [CommentInline, *self.inlines]
        return self.inlines

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The list shows no text: 50 rows of 5,000-word texts are not loaded for it.
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and (match.url_name or "").endswith("changelist"):
            queryset = queryset.defer(*Submission.SECRETARIAT_TEXT, "public_text")
        return queryset

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """A tracking number (GC6-0042, or 42) finds its submission."""
        term = search_term.strip()
        number = term.rsplit("-", 1)[-1]
        if number.isdigit():
            prefix = term[: -len(number)].rstrip("-")
            found = queryset.filter(number=int(number))
            if prefix:
                found = found.filter(call__tracking_prefix__iexact=prefix)
            if found.exists():
                return found, False
        return super().get_search_results(request, queryset, search_term)

    # What the lists and pages show.

    @admin.display(description=gettext_lazy("Tracking number"), ordering="number")
    def tracking(self, obj: Submission) -> str:
        return obj.tracking_number

    @admin.display(description=gettext_lazy("Received"), ordering="received_at")
    def received(self, obj: Submission) -> str:
        return local_time(obj.received_at, obj.call)

    @admin.display(description=gettext_lazy("Checked"))
    def checked(self, obj: Submission) -> str:
        return local_time(obj.checked_at, obj.call)

    @admin.display(description=gettext_lazy("Posted"))
    def posted(self, obj: Submission) -> str:
        return local_time(obj.posted_at, obj.call)

    @admin.display(description=gettext_lazy("State"), ordering="state")
    def state_badge(self, obj: Submission) -> str:
        waiting = (
            format_html(
                ' <span class="gc6-badge gc6-wait">{}</span>', _("waiting for the submitter")
            )
            if obj.waiting_for_submitter
            else ""
        )
        return format_html(
            '<span class="gc6-badge gc6-state-{}">{}</span>{}',
            obj.state,
            obj.get_state_display(),
            waiting,
        )

    @admin.display(description=gettext_lazy("Findings"))
    def flags(self, obj: Submission) -> str:
        overridden = obj.overridden_codes()
        return format_html_join(
            " ",
            '<span class="gc6-badge gc6-{}{}" title="{}">{}</span>',
            (
                (
                    f.severity,
                    " gc6-overridden" if f.code in overridden else "",
                    finding_message(f),
                    finding_label(f.code),
                )
                for f in obj.finding_objects()
            ),
        )

    @admin.display(description=gettext_lazy("Group"), ordering="duplicate_group")
    def group(self, obj: Submission) -> str:
        if obj.duplicate_group is None:
            return ""
        url = reverse("admin:submissions_submission_changelist")
        return format_html(
            '<a href="{}?queue=all&call__id__exact={}&duplicate_group={}" title="{}">#{}</a>',
            url,
            obj.call_id,
            obj.duplicate_group,
            "; ".join(obj.duplicate_reason_labels()),
            obj.duplicate_group,
        )

    @admin.display(description=gettext_lazy("Findings"))
    def findings_list(self, obj: Submission) -> str:
        if not obj.findings:
            return _("None") if obj.checked_at else _("Not checked yet")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><span class="gc6-badge gc6-{}">{}</span> {}</li>',
                (
                    (f.severity, finding_label(f.code), finding_message(f))
                    for f in obj.finding_objects()
                ),
            ),
        )

    @admin.display(description=gettext_lazy("Overridden"))
    def overrides_list(self, obj: Submission) -> str:
        if not obj.overrides:
            return "-"
        return format_html_join(
            "",
            "<p>{}: {} ({}, {})</p>",
            (
                (finding_label(o["code"]), o["reason"], o["by"], override_time(o["at"], obj))
                for o in obj.overrides
            ),
        )

    @admin.display(description=gettext_lazy("Duplicates"))
    def duplicates(self, obj: Submission) -> str:
        if obj.duplicate_group is None:
            return "-"
        others = Submission.objects.filter(
            call_id=obj.call_id, duplicate_group=obj.duplicate_group
        ).exclude(pk=obj.pk)
        return format_html(
            '<div class="gc6-links"><p>{} {}</p><ul>{}</ul></div>',
            "; ".join(obj.duplicate_reason_labels()),
            self.group(obj),
            format_html_join(
                "",
                '<li><a href="{}">{}</a> {} ({})</li>',
                (
                    (
                        reverse("admin:submissions_submission_change", args=[o.pk]),
                        o.tracking_number,
                        o.stakeholder_name,
                        o.get_state_display(),
                    )
                    for o in others.select_related("call")
                ),
            ),
        )

    @admin.display(description=gettext_lazy("Document"))
    def document(self, obj: Submission) -> str:
        """The file to open on one side, the text the rules read on the other."""
        links = [
            (
                reverse("admin:submissions_submission_file", args=[obj.pk, "original"]),
                _("The original, as sent (private)"),
            )
        ]
        if obj.public_file:
            links.append(
                (
                    reverse("admin:submissions_submission_file", args=[obj.pk, "public"]),
                    _("The public copy (.docx)"),
                )
            )
        if not obj.shows_name and obj.file:
            links.append(
                (
                    reverse("admin:submissions_submission_file", args=[obj.pk, "preview"]),
                    _("The copy posting would make (name withheld), to check first"),
                )
            )
        if obj.public_pdf:
            links.append(
                (
                    reverse("admin:submissions_submission_file", args=[obj.pk, "pdf"]),
                    _("The public copy (PDF)"),
                )
            )
        return format_html(
            '<div class="gc6-side-by-side"><ul class="gc6-files">{}</ul>'
            '<div class="gc6-text" role="region" tabindex="0" aria-label="{}">{}</div></div>',
            format_html_join("", '<li><a href="{}">{}</a></li>', links),
            _("Text as read by the checks"),
            marked(obj.text, withheld_names(obj))
            or (
                _("The checks found no text a reader reads in this file.")
                if obj.checked_at
                else _("No text yet: the file has not been checked.")
            ),
        )

    # Pages of its own: files, decisions, the register.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/file/<str:which>/",
                view(self.file_view),
                name="submissions_submission_file",
            ),
            path(
                "<int:pk>/version/<int:number>/",
                view(self.version_view),
                name="submissions_submission_version",
            ),
            path(
                "<int:pk>/decide/<str:decision>/",
                view(self.decide_view),
                name="submissions_submission_decide",
            ),
            path("register/", view(self.register_view), name="submissions_submission_register"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        # Each decision the reader may take here, with why it would be refused now (a
        # button shown disabled, with its reason, rather than a refusal after the click).
        offered = [
            (
                d,
                reverse("admin:submissions_submission_decide", args=[submission.pk, d.name]),
                d.refusal(submission),
            )
            for d in DECISIONS.values()
            if submission is not None and d.offered_for(submission, request.user)
        ]
        context = {"decisions": offered, "document_fieldset": DOCUMENT_FIELDSET}
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **context}
        )

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, InternalNote) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        formset.save_m2m()
