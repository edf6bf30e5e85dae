"""The public pages: the calls, and what has been posted (to read and download)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import selectors
from submissions.enums import Category, Language
from submissions.models import Call
from submissions.presentation import download_name


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/home.html", {"calls": selectors.calls_for_home()})


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    return render(
        request,
        "submissions/call_detail.html",
        {
            "call": call,
            "is_open": selectors.call_open_now(call),
            "has_draft": call.takes_comments
            and call.draft_texts.filter(published_at__isnull=False).exists(),
            "max_upload_bytes": settings.GC6_MAX_UPLOAD_BYTES,
        },
    )


PAGE_SIZE = 25


def posted_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    filters = selectors.public_filters(request.GET)
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "newest")
    submissions = selectors.posted_submissions(call=call, filters=filters, query=query, sort=sort)
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "submissions/posted_list.html",
        {
            "call": call,
            "page": page,
            "filters": filters,
            "query": query,
            "sort": sort,
            "sorts": SORT_LABELS,
            "categories": Category.choices,
            "countries": selectors.posted_countries(call, keep=filters["country"]),
            "languages": Language.choices,
            "querystring": keep.urlencode(),
        },
    )


SORT_LABELS = [
    ("newest", gettext_lazy("Newest first")),
    ("oldest", gettext_lazy("Oldest first")),
    ("number", gettext_lazy("Tracking number")),
    ("stakeholder", gettext_lazy("Stakeholder")),
]


def posted_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    submission = selectors.posted_submission(call=call, number=number)
    if submission is None:
        raise Http404(_("No posted submission has this number."))
    return render(
        request,
        "submissions/posted_detail.html",
        {
            "call": call,
            "submission": submission,
            # A call for comments: what the public reads of each (names withheld as asked).
            "comments": list(submission.comments.all()) if call.takes_comments else [],
        },
    )


def posted_file(request: HttpRequest, slug: str, number: int) -> FileResponse:
    """The public copy (.docx): never the original."""
    return _public_file(slug, number, "public_file", ".docx", DOCX_TYPE)


def posted_pdf(request: HttpRequest, slug: str, number: int) -> FileResponse:
    """The PDF LibreOffice made of the public copy."""
    return _public_file(slug, number, "public_pdf", ".pdf", "application/pdf")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _public_file(slug: str, number: int, field: str, extension: str, content_type: str):
    call = get_object_or_404(Call, slug=slug)
    submission = selectors.posted_submission(call=call, number=number)
    file = getattr(submission, field, None)
    if submission is None or not file:
        raise Http404(_("No posted submission has this number."))
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=download_name(submission, extension)
    )
    response["Content-Type"] = content_type
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing CSRF token: say so plainly, in the reader's language."""
    return render(request, "403_csrf.html", status=403)
