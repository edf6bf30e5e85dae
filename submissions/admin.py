"""The Secretariat's triage. State is read-only here: actions call the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import services
from submissions.findings import finding_message
from submissions.forms import ReasonForm
from submissions.models import (
    Call,
    EmailLog,
    LateAccessCode,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "tracking_prefix", "deadline", "word_limit")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(LateAccessCode)
class LateAccessCodeAdmin(admin.ModelAdmin):
    """Codes are made here and sent by the Secretariat to the stakeholder named."""

    list_display = ("stakeholder_name", "call", "code", "valid_until", "used_by", "created_by")
    list_filter = ("call",)
    search_fields = ("stakeholder_name", "code")
    fields = ("call", "stakeholder_name", "valid_until", "note", "code", "used_by", "created_by")
    readonly_fields = ("code", "used_by", "created_by")

    def save_model(self, request: HttpRequest, obj: LateAccessCode, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyInline(admin.TabularInline):
    """History shown on a submission's page: nothing here is edited by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ("at", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("History")


class VersionInline(ReadOnlyInline):
    model = SubmissionVersion
    fields = ("number", "original_filename", "file_size", "sha256", "received_at")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Versions (the last one is checked and posted)")


class EmailInline(ReadOnlyInline):
    model = EmailLog
    fields = ("key", "to", "subject", "language", "created_at", "sent_at", "error")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("E-mails to the submitter")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "tracking",
        "stakeholder_name",
        "category",
        "country",
        "language",
        "word_count",
        "state",
        "flags",
        "received_at",
    )
    list_filter = (
        "call",
        "state",
        "category",
        "language",
        "received_on_time",
        "name_on_first_page",
        "publication",
    )
    search_fields = ("stakeholder_name", "contact_name", "contact_email", "=number")
    list_select_related = ("call",)
    date_hierarchy = "received_at"
    inlines = [VersionInline, EmailInline, EventInline]
    actions = ["post_publicly", "withdraw_from_posting", "reject"]
    readonly_fields = (
        "tracking",
        "call",
        "state",
        "received_at",
        "original_filename",
        "file_size",
        "sha256",
        "download",
        "checked_at",
        "check_attempts",
        "word_count",
        "word_count_main",
        "name_on_first_page",
        "first_page_method",
        "received_on_time",
        "detected_language",
        "findings_list",
        "posted_at",
        "text",
    )
    fieldsets = (
        (None, {"fields": ("tracking", "call", "state", "received_at")}),
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
            gettext_lazy("File"),
            {"fields": ("original_filename", "file_size", "sha256", "download")},
        ),
        (
            gettext_lazy("Check"),
            {
                "fields": (
                    "findings_list",
                    "word_count",
                    "word_count_main",
                    "name_on_first_page",
                    "first_page_method",
                    "received_on_time",
                    "detected_language",
                    "checked_at",
                    "check_attempts",
                    "posted_at",
                )
            },
        ),
        (gettext_lazy("Text"), {"fields": ("text",), "classes": ("collapse",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions arrive through the public form

    @admin.display(description=gettext_lazy("Tracking number"), ordering="number")
    def tracking(self, obj: Submission) -> str:
        return obj.tracking_number

    @admin.display(description=gettext_lazy("Findings"))
    def flags(self, obj: Submission) -> str:
        return format_html_join(
            " ",
            '<span class="gc6-flag gc6-{}" title="{}">{}</span>',
            ((f["severity"], f["severity"], f["code"]) for f in obj.findings),
        )

    @admin.display(description=gettext_lazy("Findings"))
    def findings_list(self, obj: Submission) -> str:
        if not obj.findings:
            return _("None") if obj.checked_at else _("Not checked yet")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}): {}</li>",
                ((f.code, f.severity, finding_message(f)) for f in obj.finding_objects()),
            ),
        )

    @admin.display(description=gettext_lazy("File"))
    def download(self, obj: Submission) -> str:
        url = reverse("admin:submissions_submission_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the original"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/file/",
                self.admin_site.admin_view(self.file_view),
                name="submissions_submission_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = Submission.objects.filter(pk=pk).first()
        if submission is None or not self.has_view_permission(request, submission):
            raise Http404
        return FileResponse(
            submission.file.open("rb"), as_attachment=True, filename=submission.original_filename
        )

    def _each(self, request: HttpRequest, queryset: QuerySet, action, done: str) -> None:
        count = 0
        for submission in queryset.select_related("call"):
            try:
                action(submission)
                count += 1
            except services.ServiceError as error:
                self.message_user(request, str(error), messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Post publicly"), permissions=["change"])
    def post_publicly(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda s: services.submission_post(submission=s, actor=request.user),
            _("%(count)s submission(s) posted."),
        )

    @admin.action(description=gettext_lazy("Withdraw from posting"), permissions=["change"])
    def withdraw_from_posting(self, request: HttpRequest, queryset: QuerySet):
        return self._with_reason(
            request,
            queryset,
            "withdraw_from_posting",
            _("Withdraw from posting"),
            services.submission_unpost,
            _("%(count)s submission(s) withdrawn from posting."),
        )

    @admin.action(description=gettext_lazy("Reject with a reason"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet):
        return self._with_reason(
            request,
            queryset,
            "reject",
            _("Reject"),
            services.submission_reject,
            _("%(count)s submission(s) rejected."),
        )

    def _with_reason(self, request, queryset, action_name, title, service, done):
        """Ask for a reason on an intermediate page, then apply `service` to each."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda s: service(submission=s, actor=request.user, reason=reason),
                done,
            )
            return None
        return TemplateResponse(
            request,
            "admin/submissions/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "queryset": queryset,
                "action_name": action_name,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )
