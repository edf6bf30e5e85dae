"""The second round's public pages: the draft per language, its file, the comments template."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from submissions import draft_selectors, selectors
from submissions.drafts.comment_files import comments_template as template
from submissions.enums import CallKind
from submissions.models import Call, DraftText
from submissions.views.public import DOCX_TYPE


def call_title(call: Call, language: str) -> str:
    """The call's title in `language` where it has one (modeltranslation's field), else its own."""
    return getattr(call, f"title_{language}", "") or call.title


def _comments_call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug, kind=CallKind.COMMENTS)


def _published(call: Call, language: str) -> tuple[dict[str, DraftText], DraftText]:
    drafts = draft_selectors.published_drafts(call)
    if language not in drafts:
        raise Http404(_("The draft is not published in this language."))
    return drafts, drafts[language]


def draft_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The draft in the reader's language if published, else English, else any."""
    call = _comments_call(slug)
    language = draft_selectors.reading_language(
        draft_selectors.published_drafts(call), get_language() or "en"
    )
    if language is None:
        raise Http404(_("The draft is not published yet."))
    return redirect("submissions:draft", slug=slug, language=language)


def draft(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    call = _comments_call(slug)
    drafts, text = _published(call, language)
    by_paragraph, general = draft_selectors.posted_comments(call, drafts)
    paragraphs = [
        {**p, "posted": by_paragraph.get(p["number"], []) if p.get("number") else []}
        for p in text.paragraphs
    ]
    return render(
        request,
        "submissions/draft.html",
        {
            "call": call,
            "text": text,
            "paragraphs": paragraphs,
            "general": general,
            "languages": drafts,
            "is_open": selectors.call_open_now(call),
        },
    )


def _download(file, name: str) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = DOCX_TYPE
    return response


def draft_file(request: HttpRequest, slug: str, language: str) -> FileResponse:
    """The official file, as the public copy made when it was published."""
    call = _comments_call(slug)
    _drafts, text = _published(call, language)
    if not text.public_file:
        raise Http404(_("The draft is not published in this language."))
    name = get_valid_filename(f"{call.tracking_prefix} draft {language}")
    return _download(text.public_file, f"{name}.docx")


def comments_template(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The Word template for comments: one row per paragraph of the published draft."""
    call = _comments_call(slug)
    _drafts, text = _published(call, language)
    data = template(title=call_title(call, language), numbers=text.numbers(), language=language)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = get_valid_filename(f"{call.tracking_prefix} comments template {language}")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
