"""The public pages: the calls, and what has been posted (to read and download)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import selectors
from submissions.enums import Category, Language
from submissions.models import Call
from submissions.presentation import download_name, posted_rows
from submissions.public_cache import cached_page


@cached_page(until=selectors.next_call_change)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/home.html", {"calls": selectors.calls_for_home()})


@cached_page(until=selectors.next_call_change)
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
LIST_PARAMS = ("q", *selectors.PUBLIC_FILTERS, "sort")
LIST_COLUMNS = (
    "number",
    "stakeholder_name",
    "publication",
    "category",
    "country",
    "language",
    "posted_at",
    "call__tracking_prefix",
)


class CountedPaginator(Paginator):
    """A paginator told its count (see selectors.posted_count) instead of counting."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@cached_page(params=(*LIST_PARAMS, "page"))
def posted_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    filters = selectors.public_filters(request.GET)
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "newest")
    submissions = selectors.posted_submissions(call=call, filters=filters, query=query, sort=sort)
    # Only the columns a row shows: not its public text, nor the call's texts (about 4 KB
    # a row, most of a new search's time after the template).
    submissions = submissions.only(*LIST_COLUMNS)
    count = selectors.posted_count(call=call, filters=filters, query=query, queryset=submissions)
    more_than = selectors.SEARCH_COUNT_CAP if query and count > selectors.SEARCH_COUNT_CAP else None
    count = min(count, selectors.SEARCH_COUNT_CAP) if more_than else count
    page = CountedPaginator(submissions, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    # Only what the list reads is carried to the other pages (and splits the cache).
    keep = QueryDict(mutable=True)
    for name in LIST_PARAMS:
        if name in request.GET:
            keep[name] = request.GET[name]
    return render(
        request,
        "submissions/posted_list.html",
        {
            "call": call,
            "page": page,
            "rows": posted_rows(page),
            "filters": filters,
            "query": query,
            "sort": sort,
            "sorts": SORT_LABELS,
            "categories": Category.choices,
            "countries": selectors.posted_countries(call, keep=filters["country"]),
            "languages": Language.choices,
            "querystring": keep.urlencode(),
            "more_than": more_than,
        },
    )


SORT_LABELS = [
    ("newest", gettext_lazy("Newest first")),
    ("oldest", gettext_lazy("Oldest first")),
    ("number", gettext_lazy("Tracking number")),
    ("stakeholder", gettext_lazy("Stakeholder")),
]


@cached_page()
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
