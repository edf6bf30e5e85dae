"""A call for comments' compilation in the admin: the draft, paragraph by paragraph, with
every comment on it; filtered; exported as Word or Excel with the same filters.

The rows are read by `submissions.compiling`; the files are written by
`submissions.drafts.compilation`. The Secretariat's version names everyone (a withheld
name marked); the public version is the one to share.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from submissions import compiling
from submissions.admin.times import local_time
from submissions.draft_selectors import published_drafts, reading_language
from submissions.drafts.compilation import compilation_docx, compilation_xlsx
from submissions.enums import Category, State
from submissions.models import Call

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CompilationFilterForm(forms.Form):
    """The page's filters (GET). A value that is not a choice is left out, not an error."""

    language = forms.ChoiceField(label=gettext_lazy("Draft in"), required=False)
    state = forms.MultipleChoiceField(
        label=gettext_lazy("State"),
        choices=State.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    paragraph = forms.ChoiceField(label=gettext_lazy("Paragraph"), required=False)
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=200)
    posted_only = forms.BooleanField(label=gettext_lazy("Posted only"), required=False)
    public = forms.BooleanField(
        label=gettext_lazy("Public version (posted only, names withheld as asked)"),
        required=False,
    )

    def __init__(self, *args: Any, languages: list[str], numbers: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self._choices("language").choices = [(code, names.get(code, code)) for code in languages]
        every = _("Every one")
        self._choices("category").choices = [("", every), *Category.choices]
        self._choices("paragraph").choices = [
            ("", every),
            (compiling.GENERAL, _("General comments")),
            *((n, n) for n in numbers),
        ]
        self._choices("country").choices = [("", every)]  # filled by `with_countries`

    def _choices(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def with_countries(self, codes: list[str]) -> None:
        self._choices("country").choices = [
            ("", _("Every one")),
            *sorted(((c, countries.name(c)) for c in codes), key=lambda pair: pair[1]),
        ]

    def filters(self) -> compiling.CompilationFilters:
        self.is_valid()  # a value that is not a choice is dropped from cleaned_data
        data = self.cleaned_data
        return compiling.CompilationFilters(
            states=frozenset(data.get("state") or ()) or compiling.DEFAULT_STATES,
            category=data.get("category") or "",
            country=data.get("country") or "",
            paragraph=data.get("paragraph") or "",
            search=data.get("q") or "",
            posted_only=bool(data.get("posted_only")),
            public=bool(data.get("public")),
        )


def _described(filters: compiling.CompilationFilters) -> str:
    """The filters as the file's second line says them (none: every comment but the closed)."""
    parts = []
    if filters.public:
        parts.append(_("Public version: posted comments only, names withheld as asked."))
    elif filters.posted_only:
        parts.append(_("Posted comments only."))
    elif filters.states != compiling.DEFAULT_STATES:
        labels = [str(State(s).label) for s in State if s in filters.states]
        parts.append(_("States: %(states)s.") % {"states": ", ".join(labels)})
    if filters.category:
        parts.append(_("Category: %(category)s.") % {"category": Category(filters.category).label})
    if filters.country:
        parts.append(_("Country: %(country)s.") % {"country": countries.name(filters.country)})
    if filters.paragraph == compiling.GENERAL:
        parts.append(_("General comments only."))
    elif filters.paragraph:
        parts.append(_("Paragraph %(number)s only.") % {"number": filters.paragraph})
    if filters.search:
        parts.append(_("Containing “%(text)s”.") % {"text": filters.search})
    return " ".join(parts)


def export_filename(call: Call, extension: str, public: bool) -> str:
    """`GC6D-compilation-2026-12-01.docx`: only letters, digits and dashes from the call."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", call.tracking_prefix) or "call"
    kind = "compilation-public" if public else "compilation"
    return f"{prefix}-{kind}-{timezone.localdate():%Y-%m-%d}.{extension}"


# A mixin of the calls' ModelAdmin: typed as one, an object at run time.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class CompilationMixin(_AdminBase):
    """For CallAdmin: `<call id>/compilation/`."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/compilation/",
                self.admin_site.admin_view(self.compilation_view),
                name="submissions_call_compilation",
            ),
            *super().get_urls(),
        ]

    def compilation_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        call = get_object_or_404(Call, pk=pk)
        # The comments name their senders: whoever may see submissions may see this.
        allowed = request.user.has_perm("submissions.view_submission")
        if not (call.takes_comments and allowed and self.has_view_permission(request, call)):
            raise Http404
        drafts = published_drafts(call)
        form = CompilationFilterForm(
            request.GET, languages=list(drafts), numbers=compiling.commented_numbers(call)
        )
        form.with_countries(compiling.commenting_countries(call))
        filters = form.filters()
        wanted = form.cleaned_data.get("language") or translation.get_language() or "en"
        language = reading_language(drafts, wanted)
        text = drafts.get(language) if language else None
        lines = compiling.draft_lines(text)
        rows = compiling.compilation_rows(call, filters)

        extension = request.GET.get("format", "")
        if extension in FORMATS:
            return self._export(call, extension, lines, rows, filters, language)

        compilation = compiling.compile_comments(lines, rows)
        paragraphs = compilation.paragraphs
        if filters.paragraph == compiling.GENERAL:
            paragraphs = []
        elif filters.paragraph:
            paragraphs = [p for p in paragraphs if p.line.number == filters.paragraph and p.first]
        query = request.GET.copy()
        query.pop("format", None)
        return TemplateResponse(
            request,
            "admin/submissions/compilation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Compilation of the comments on %(call)s") % {"call": call.title},
                "opts": self.model._meta,
                "call": call,
                "form": form,
                "filters": filters,
                "text": text,
                "compilation": compilation,
                "paragraphs": paragraphs,
                "show_general": filters.paragraph in ("", compiling.GENERAL),
                "show_stray": filters.paragraph != compiling.GENERAL,
                "query": query.urlencode(),
                "described": _described(filters),
            },
        )

    def _export(
        self,
        call: Call,
        extension: str,
        lines: list,
        rows: list[compiling.CompilationRow],
        filters: compiling.CompilationFilters,
        language: str | None,
    ) -> HttpResponse:
        comments = [row.comment for row in rows]
        labels = language or translation.get_language() or "en"
        with translation.override(labels):
            if filters.public:
                title = _("Comments on the draft of %(call)s (public version)") % {
                    "call": call.title
                }
            else:
                title = _("Compilation of the comments on %(call)s") % {"call": call.title}
            generated = " ".join(
                part
                for part in (
                    _("Generated on %(time)s.") % {"time": local_time(timezone.now(), call)},
                    _described(filters),
                )
                if part
            )
        if extension == "docx":
            data = compilation_docx(
                title=title, draft=lines, comments=comments, language=labels, generated=generated
            )
        else:
            data = compilation_xlsx(title=title, draft=lines, comments=comments, language=labels)
        response = HttpResponse(data, content_type=FORMATS[extension])
        response["Content-Disposition"] = content_disposition_header(
            True, export_filename(call, extension, filters.public)
        )
        return response
