"""Calls, their e-mail wording, and late access codes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from submissions import notifications
from submissions.admin.compilation import CompilationMixin
from submissions.admin.forms import EmailTemplateForm
from submissions.admin.staff import staff_user
from submissions.enums import EmailKind
from submissions.models import Call, EmailTemplate, LateAccessCode

# The call's own texts, each written in every language of the site (translation.py).
TRANSLATED = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "questions": gettext_lazy("Guiding questions"),
}


def _in_each_language(name: str) -> tuple[str, ...]:
    return tuple(f"{name}_{code}" for code, _name in settings.LANGUAGES)


def missing_texts(call: Call) -> list[tuple[str, list[str]]]:
    """For each language but English (required), the call's texts not written in it yet:
    [("French", ["Summary"]), ...]. Questions are missing only if English has some."""
    missing = []
    for code, language in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        absent = [
            str(label)
            for name, label in TRANSLATED.items()
            if (getattr(call, f"{name}_{settings.LANGUAGE_CODE}") or "").strip()
            and not (getattr(call, f"{name}_{code}") or "").strip()
        ]
        if absent:
            missing.append((str(language), absent))
    return missing


@admin.register(Call)
class CallAdmin(CompilationMixin, TranslationAdmin):
    list_display = ("title", "tracking_prefix", "deadline", "word_limit", "languages")
    # A call's page link typed without a scheme is https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    prepopulated_fields = {"slug": (f"title_{settings.LANGUAGE_CODE}",)}
    readonly_fields = ("languages", "email_wording", "second_round")
    # Each text in English, French and Spanish side by side; English is required.
    fieldsets = (
        (None, {"fields": ("languages", "kind", "slug", "tracking_prefix", "source_url")}),
        (TRANSLATED["title"], {"fields": (_in_each_language("title"),)}),
        (TRANSLATED["summary"], {"fields": (_in_each_language("summary"),)}),
        (
            TRANSLATED["questions"],
            {
                "fields": (_in_each_language("questions"),),
                "description": gettext_lazy("One guiding question per line."),
            },
        ),
        (
            gettext_lazy("Dates and rules"),
            {
                "fields": (
                    ("opens_at", "deadline"),
                    "time_zone",
                    "word_limit",
                    "word_limit_counts_notes",
                    "comment_word_limit",
                    "accepted_extensions",
                    "preferred_languages",
                    "publication_default",
                    "late_policy",
                )
            },
        ),
        (gettext_lazy("E-mails to submitters"), {"fields": ("email_wording",)}),
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A text's field in one language is labelled by its language: its fieldset names
        the text ("Title": English, French, Spanish side by side)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        base, _sep, code = db_field.name.rpartition("_")
        if field is not None and base in TRANSLATED and code in dict(settings.LANGUAGES):
            field.label = dict(settings.LANGUAGES)[code]
            field.help_text = ""  # said once, by the fieldset
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update({"rows": 8, "cols": 34})
            elif isinstance(field.widget, forms.TextInput):
                field.widget.attrs.update({"size": 30})
        return field

    def get_fieldsets(self, request: HttpRequest, obj: Call | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.takes_comments:
            return (
                *fieldsets,
                (gettext_lazy("The draft and the comments"), {"fields": ("second_round",)}),
            )
        return fieldsets

    @admin.display(description=gettext_lazy("Draft and comments"))
    def second_round(self, obj: Call) -> str:
        """A call for comments: its drafts (upload, preview, publish) and the compilation."""
        drafts = reverse("admin:submissions_drafttext_changelist")
        upload = reverse("admin:submissions_drafttext_add")
        return format_html(
            '<ul class="gc6-links"><li><a href="{}?call__id__exact={}">{}</a></li>'
            '<li><a href="{}?call={}">{}</a></li><li><a href="{}">{}</a></li></ul>',
            drafts,
            obj.pk,
            _("The drafts of this call"),
            upload,
            obj.pk,
            _("Upload a draft"),
            reverse("admin:submissions_call_compilation", args=[obj.pk]),
            _("The compilation of the comments"),
        )

    @admin.display(description=gettext_lazy("Languages"))
    def languages(self, obj: Call) -> str:
        """Which languages still lack a text of the call (English is always there)."""
        if not obj.pk:
            return _("English is required; French and Spanish may follow.")
        missing = missing_texts(obj)
        if not missing:
            return _("Written in every language of the site.")
        return format_html(
            '<span class="gc6-missing-languages">{}</span>',
            capfirst(
                "; ".join(
                    _("missing in %(language)s: %(texts)s")
                    % {"language": language, "texts": ", ".join(texts)}
                    for language, texts in missing
                )
            ),
        )

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
