"""The Secretariat's triage. State is read-only here: decisions call the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.filters import CountryFilter

from submissions import notifications, register, services
from submissions.admin_filters import (
    AssigneeFilter,
    DuplicateFilter,
    FindingFilter,
    LateFilter,
    QueueFilter,
)
from submissions.decisions import DECISIONS, Decision
from submissions.enums import EmailKind
from submissions.findings import finding_label, finding_message
from submissions.forms import DecisionForm, EmailTemplateForm, NoteForm
from submissions.models import (
    Call,
    EmailLog,
    EmailTemplate,
    InternalNote,
    LateAccessCode,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)
from submissions.open_data import chart


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "tracking_prefix", "deadline", "word_limit")
    # A call's page link typed without a scheme is https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("email_wording",)

    @admin.display(description=gettext_lazy("E-mails to submitters"))
    def email_wording(self, obj: Call) -> str:
        """Each e-mail in each language: the call's own wording or the default, to edit."""
        if not obj.pk:
            return "-"
        own = {(t.kind, t.language): t for t in obj.email_templates.all()}
        add = reverse("admin:submissions_emailtemplate_add")
        cells = []
        for kind, label in EmailKind.choices:
            links = []
            for language, _name in EmailTemplate._meta.get_field("language").choices:
                template = own.get((kind, language))
                if template:
                    url = reverse("admin:submissions_emailtemplate_change", args=[template.pk])
                    links.append(format_html('<a href="{}">{} ✎</a>', url, language))
                else:
                    url = f"{add}?call={obj.pk}&kind={kind}&language={language}"
                    links.append(format_html('<a href="{}">{}</a>', url, language))
            cells.append((label, format_html_join(" · ", "{}", ((link,) for link in links))))
        return format_html(
            "<p>{}</p><table><tbody>{}</tbody></table>",
            _("✎ marks the call's own wording; the others use the default."),
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", cells),
        )


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    """A call's wording of an e-mail; a new one starts from the default text."""

    form = EmailTemplateForm
    list_display = ("call", "kind", "language", "subject", "updated_at")
    list_filter = ("call", "kind", "language")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        kind, language = initial.get("kind"), initial.get("language")
        if kind in EmailKind.values and language:
            initial["subject"], initial["body"] = notifications.default_text(kind, language)
        return initial


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


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
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
    fields_shown = (
        "tracking",
        "call",
        "state_badge",
        "received_at",
        "waiting_for_submitter",
        "document",
        "findings_list",
        "overrides_list",
        "duplicates",
        "word_count",
        "word_count_main",
        "name_on_first_page",
        "first_page_method",
        "received_on_time",
        "detected_language",
        "checked_at",
        "check_attempts",
        "posted_at",
        "stakeholder_name",
        "category",
        "country",
        "language",
        "publication",
        "contact_name",
        "contact_email",
        "interface_language",
        "original_filename",
        "file_size",
        "sha256",
    )
    readonly_fields = fields_shown
    fieldsets = (
        (
            None,
            {"fields": ("tracking", "call", "state_badge", "received_at", "assignee")},
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
                    "checked_at",
                    "check_attempts",
                    "posted_at",
                )
            },
        ),
        (gettext_lazy("Document"), {"fields": ("document",)}),
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
            {"fields": ("original_filename", "file_size", "sha256"), "classes": ("collapse",)},
        ),
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions arrive through the public form

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

    @admin.display(description=gettext_lazy("Received (Geneva)"), ordering="received_at")
    def received(self, obj: Submission) -> str:
        return formats.date_format(timezone.localtime(obj.received_at, obj.call.zone), "Y-m-d H:i")

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
            ((finding_label(o["code"]), o["reason"], o["by"], o["at"][:16]) for o in obj.overrides),
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
            obj.text or _("No text yet: the file has not been checked."),
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

    def file_view(self, request: HttpRequest, pk: int, which: str) -> HttpResponse:
        submission = get_object_or_404(Submission, pk=pk)
        if not self.has_view_permission(request, submission):
            raise Http404
        field, filename = {
            "original": (submission.file, submission.original_filename),
            "public": (submission.public_file, f"{submission.tracking_number}.docx"),
            "pdf": (submission.public_pdf, f"{submission.tracking_number}.pdf"),
        }.get(which, (None, ""))
        if not field:
            raise Http404
        return FileResponse(field.open("rb"), as_attachment=True, filename=filename)

    def version_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        version = get_object_or_404(SubmissionVersion, submission_id=pk, number=number)
        if not self.has_view_permission(request, version.submission):
            raise Http404
        return FileResponse(
            version.file.open("rb"), as_attachment=True, filename=version.original_filename
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        offered = [
            (d, reverse("admin:submissions_submission_decide", args=[submission.pk, d.name]))
            for d in DECISIONS.values()
            if submission is not None and d.offered_for(submission, request.user)
        ]
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "decisions": offered}
        )

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, InternalNote) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        formset.save_m2m()

    def decide_view(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        """One decision on one submission, from the buttons on its page."""
        submission = get_object_or_404(Submission.objects.select_related("call"), pk=pk)
        if decision not in DECISIONS or not self.has_change_permission(request, submission):
            raise Http404
        queryset = Submission.objects.filter(pk=pk)
        response = self._decide(request, queryset, DECISIONS[decision], single=True)
        if response is None:
            return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[pk]))
        return response

    def _decide(
        self, request: HttpRequest, queryset: QuerySet, decision: Decision, single: bool = False
    ) -> HttpResponse | None:
        """Ask for the decision's reason if it needs one, then apply it to each."""
        applying = request.method == "POST" and "apply" in request.POST
        form = DecisionForm(request.POST if applying else None, decision=decision)
        if decision.reason_label is None and (applying or not single):
            form = DecisionForm({"reason": ""}, decision=decision)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            done = 0
            for submission in queryset.select_related("call"):
                try:
                    decision.apply(submission, request.user, reason)
                    done += 1
                    # Also in the admin's own log ("Recent actions", History button).
                    self.log_change(request, submission, f"{decision.label}: {reason}".strip(": "))
                except services.ServiceError as error:
                    if single:  # said on the form, which keeps what was typed
                        form.add_error(None, str(error))
                    else:
                        self.message_user(request, str(error), messages.ERROR)
            if done:
                self.message_user(request, decision.done % {"count": done}, messages.SUCCESS)
            if done or not single:
                return None
        preview = None
        if single and decision.email:
            submission = queryset.select_related("call").get()
            preview = notifications.compose(
                submission,
                decision.email,
                reason=_("[the reason you give above]"),
                posted_url=notifications.posted_url(submission),
            )
        return TemplateResponse(
            request,
            "admin/submissions/decision.html",
            {
                "preview": preview,
                **self.admin_site.each_context(request),
                "title": decision.label,
                "decision": decision,
                "form": form,
                "queryset": queryset.select_related("call"),
                "single": single,
                "action_name": f"decide_{decision.name}",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    # Bulk actions: the same decisions, on the ticked submissions, listed first.

    def get_actions(self, request: HttpRequest) -> dict:
        decisions = {}
        for decision in DECISIONS.values():
            name = f"decide_{decision.name}"

            def run(modeladmin, request, queryset, decision=decision):
                return modeladmin._decide(request, queryset, decision)

            decisions[name] = (run, name, decision.label)
        return {**decisions, **super().get_actions(request)}

    @admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(assignee=request.user)
        self.message_user(request, _("%(count)s submission(s) assigned to you.") % {"count": count})

    @admin.action(description=gettext_lazy("Export the register (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._csv(queryset, "register")

    @admin.action(description=gettext_lazy("Export the register (Excel)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._xlsx(queryset, "register")

    def _csv(self, queryset: QuerySet, name: str) -> HttpResponse:
        response = StreamingHttpResponse(
            register.csv_lines(register.rows(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def _xlsx(self, queryset: QuerySet, name: str) -> HttpResponse:
        handle = register.write_xlsx(register.rows(queryset), title=name)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def register_view(self, request: HttpRequest) -> HttpResponse:
        """A call's register: internal statistics and the whole export."""
        if not self.has_view_permission(request):
            raise Http404
        calls = Call.objects.annotate(n=Count("submissions")).order_by("-deadline")
        wanted = request.GET.get("call", "")
        call = (calls.filter(pk=wanted).first() if wanted.isdigit() else None) or calls.first()
        if call is None:
            raise Http404
        name = f"{call.tracking_prefix}-register-{timezone.localdate():%Y-%m-%d}"
        export = request.GET.get("export")
        if export == "csv":
            return self._csv(call.submissions.all(), name)
        if export == "xlsx":
            return self._xlsx(call.submissions.all(), name)
        numbers = register.internal_statistics(call)
        share = (
            round(100 * numbers["with_findings"] / numbers["checked"]) if numbers["checked"] else 0
        )
        return TemplateResponse(
            request,
            "admin/submissions/register.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Register of %(call)s") % {"call": call.title},
                "opts": self.model._meta,
                "call": call,
                "calls": calls,
                "numbers": numbers,
                "share": share,
                "per_day": chart(
                    "day",
                    _("Received per day"),
                    [(day.isoformat(), n) for day, n in numbers["per_day"]],
                ),
                "by_state": chart("state", _("By state"), numbers["by_state"]),
                "findings": chart("finding", _("Checked files by finding"), numbers["findings"]),
            },
        )
