"""The draft general comment in the admin: uploaded per language, previewed as the public
will read it, numbered by hand where the file's numbering fails, published.

An upload is a preview until someone who may post submissions publishes it; it then
replaces the language's published draft. Every change goes through
`services.drafts`; this module asks, shows and reports.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import services
from submissions.admin.staff import staff_user
from submissions.admin.times import local_time
from submissions.enums import PUBLISH, CallKind
from submissions.forms import check_word_file
from submissions.models import Call, DraftText


def problem_messages(text: DraftText) -> list[str]:
    """What is wrong with the draft's numbering, in the reader's words."""
    from submissions.drafts.split import Problem, problem_message

    return [
        problem_message(Problem(p["code"], tuple(p.get("numbers") or ()))) for p in text.problems
    ]


class DraftUploadForm(forms.Form):
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=gettext_lazy("Call"), queryset=Call.objects.filter(kind=CallKind.COMMENTS)
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=gettext_lazy("The draft (Word .docx file)"))
    manual = forms.BooleanField(
        label=gettext_lazy("Manual mode"),
        required=False,
        help_text=gettext_lazy(
            "Every paragraph is numbered 1, 2, 3… in order, whatever the file's numbering; "
            "you then correct the numbers by hand."
        ),
    )

    def clean_file(self) -> UploadedFile:
        return check_word_file(self.cleaned_data["file"], [".docx"])


def paragraph_lines(paragraph: dict[str, Any]) -> list[tuple[bool, str, str]]:
    """A paragraph's lines as (is a sub-paragraph, its label, text), in the text's order."""
    sub = [tuple(s) for s in paragraph.get("sub") or ()]
    lines, next_sub = [], 0
    for line in (paragraph.get("text") or "").split("\n"):
        if next_sub < len(sub) and line == f"{sub[next_sub][0]} {sub[next_sub][1]}":
            lines.append((True, sub[next_sub][0], sub[next_sub][1]))
            next_sub += 1
        else:
            lines.append((False, "", line))
    return lines


def number_comparisons(text: DraftText) -> list[dict[str, Any]]:
    """This draft's numbers against each other published draft of its call (comments use
    the numbers across languages): the numbers one has and the other lacks."""
    mine = text.numbers()
    others = DraftText.objects.filter(call_id=text.call_id, published_at__isnull=False).exclude(
        pk=text.pk
    )
    rows = []
    for other in others:
        theirs = other.numbers()
        rows.append(
            {
                "draft": other,
                "lacking_here": [n for n in theirs if n not in set(mine)],
                "lacking_there": [n for n in mine if n not in set(theirs)],
            }
        )
    return rows


class PublishedFilter(admin.SimpleListFilter):
    title = gettext_lazy("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Published")), ("no", _("Previews"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


ACTIONS = ("publish", "unpublish", "split_manual", "split_file", "renumber")


@admin.register(DraftText)
class DraftTextAdmin(admin.ModelAdmin):
    list_display = (
        "call",
        "language",
        "original_filename",
        "paragraph_count",
        "problem_list",
        "published",
        "uploaded",
        "uploaded_by",
    )
    list_filter = (("call", admin.RelatedOnlyFieldListFilter), "language", PublishedFilter)
    list_select_related = ("call", "uploaded_by")
    actions: list = []  # deleting in bulk could take a published draft offline unseen

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_actions(self, request: HttpRequest):
        return {}

    def has_delete_permission(self, request: HttpRequest, obj: DraftText | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False  # unpublished first: the public's draft is never deleted unseen
        return super().has_delete_permission(request, obj)

    # The list.

    @admin.display(description=gettext_lazy("Numbered paragraphs"))
    def paragraph_count(self, obj: DraftText) -> int:
        return len(obj.numbers())

    @admin.display(description=gettext_lazy("Problems"))
    def problem_list(self, obj: DraftText) -> str:
        if not obj.problems:
            return "-"
        return format_html_join(
            "",
            '<span class="gc6-badge gc6-warning">{}</span> ',
            ((m,) for m in problem_messages(obj)),
        )

    @admin.display(description=gettext_lazy("Published"), boolean=True, ordering="published_at")
    def published(self, obj: DraftText) -> bool:
        return obj.is_published

    @admin.display(description=gettext_lazy("Uploaded"), ordering="uploaded_at")
    def uploaded(self, obj: DraftText) -> str:
        return local_time(obj.uploaded_at, obj.call)

    # Pages.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/do/<str:action>/", view(self.action_view), name="submissions_drafttext_do"
            ),
            path("<int:pk>/file/", view(self.file_view), name="submissions_drafttext_file"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """The upload: the service splits the file; a file it cannot read is the file's error."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {k: v for k, v in request.GET.items() if k in ("call", "language")}
        form = DraftUploadForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                text = services.draft_upload(
                    call=form.cleaned_data["call"],
                    language=form.cleaned_data["language"],
                    upload=form.cleaned_data["file"],
                    actor=staff_user(request),
                    manual=form.cleaned_data["manual"],
                )
            except services.ServiceError as problem:
                form.add_error("file", str(problem))
            else:
                self.log_addition(request, text, [{"added": {}}])
                messages.success(
                    request, _("The draft is uploaded: check the preview below, then publish it.")
                )
                if text.problems:
                    messages.warning(
                        request, _("Its numbering has problems: they are listed at the top.")
                    )
                return HttpResponseRedirect(self._page(text))
        return TemplateResponse(
            request,
            "admin/submissions/drafttext/upload.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Upload a draft"),
                "opts": self.model._meta,
                "form": form,
            },
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ):
        """The preview: the draft as the public will read it, and what to do with it."""
        text = self.get_object(request, object_id)
        if text is None or not self.has_view_permission(request, text):
            raise Http404
        replaced = (
            DraftText.objects.filter(
                call_id=text.call_id, language=text.language, published_at__isnull=False
            )
            .exclude(pk=text.pk)
            .first()
        )
        paragraphs = [{**p, "lines": paragraph_lines(p)} for p in text.paragraphs]
        return TemplateResponse(
            request,
            "admin/submissions/drafttext/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("The %(language)s draft of %(call)s")
                % {"language": text.get_language_display(), "call": text.call.title},
                "opts": self.model._meta,
                "original": text,
                "text": text,
                "paragraphs": paragraphs,
                "problems": problem_messages(text),
                "comparisons": number_comparisons(text),
                "replaced": replaced,
                "uploaded": local_time(text.uploaded_at, text.call),
                "published_at": local_time(text.published_at, text.call),
                "replaced_at": local_time(replaced.uploaded_at, text.call) if replaced else "",
                "can_publish": request.user.has_perm(PUBLISH),
                "can_change": self.has_change_permission(request, text),
                "can_delete": self.has_delete_permission(request, text),
                "actions": {
                    a: reverse("admin:submissions_drafttext_do", args=[text.pk, a]) for a in ACTIONS
                },
            },
        )

    def file_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        text = get_object_or_404(DraftText.objects.select_related("call"), pk=pk)
        if not self.has_view_permission(request, text) or not text.file:
            raise Http404
        return FileResponse(
            text.file.open("rb"), as_attachment=True, filename=text.original_filename
        )

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        """The preview's buttons (POST): publish, unpublish, split again, renumber."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        text = get_object_or_404(DraftText.objects.select_related("call"), pk=pk)
        if action not in ACTIONS:
            raise Http404
        needs_publish = action in ("publish", "unpublish")
        allowed = (
            self.has_view_permission(request, text) and request.user.has_perm(PUBLISH)
            if needs_publish
            else self.has_change_permission(request, text)
        )
        if not allowed:
            raise PermissionDenied
        language = text.get_language_display()
        try:
            if action == "publish":
                replaced = (
                    DraftText.objects.filter(
                        call_id=text.call_id, language=text.language, published_at__isnull=False
                    )
                    .exclude(pk=text.pk)
                    .exists()
                )
                services.draft_publish(text=text, actor=staff_user(request))
                done = (
                    _("The %(language)s draft is published; it replaces the one published before.")
                    if replaced
                    else _("The %(language)s draft is published.")
                ) % {"language": language}
            elif action == "unpublish":
                services.draft_unpublish(text=text)
                done = _("The %(language)s draft is no longer published.") % {"language": language}
            elif text.is_published:
                raise services.ServiceError(
                    _("A published draft is not changed: unpublish it first, or upload it again.")
                )
            elif action == "renumber":
                services.draft_renumber(
                    text=text,
                    numbers=request.POST.getlist("number"),
                    headings={int(i) for i in request.POST.getlist("heading") if i.isdigit()},
                )
                done = _("The paragraphs are numbered as you gave them.")
            else:
                manual = action == "split_manual"
                services.draft_split_again(text=text, manual=manual)
                done = (
                    _("Split again in manual mode: every paragraph is numbered in order.")
                    if manual
                    else _("Split again with the file's numbering.")
                )
        except services.ServiceError as problem:
            messages.error(request, str(problem))
        else:
            # The admin's history of the draft says who did what (its message, in English).
            self.log_change(request, text, action)
            messages.success(request, done)
        return HttpResponseRedirect(self._page(text))

    def _page(self, text: DraftText) -> str:
        return reverse("admin:submissions_drafttext_change", args=[text.pk])
