"""Calls, their e-mail wording, and late access codes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import notifications
from submissions.admin.forms import EmailTemplateForm
from submissions.admin.staff import staff_user
from submissions.enums import EmailKind
from submissions.models import Call, EmailTemplate, LateAccessCode


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
            for language, _name in settings.LANGUAGES:
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
            initial["subject"], initial["body"] = notifications.default_text(kind, str(language))
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
            obj.created_by = staff_user(request)
        super().save_model(request, obj, form, change)
