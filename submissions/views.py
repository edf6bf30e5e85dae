"""Thin views: read with selectors, write with services, render."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from submissions import selectors, services
from submissions.enums import Category, Language
from submissions.forms import SubmissionForm
from submissions.models import Call
from submissions.open_data import download_name


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
            "max_upload_bytes": settings.GC6_MAX_UPLOAD_BYTES,
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    code = (request.POST.get("late_code") or request.GET.get("code") or "").strip()
    late_access = selectors.late_access_for(call=call, code=code)
    now = timezone.now()
    if not (call.is_open(now) or call.accepts_late(now) or late_access):
        return render(
            request, "submissions/call_closed.html", {"call": call, "code": code}, status=403
        )
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=call, initial={"late_code": code}
    )
    client = selectors.client_hash(request)
    if request.method == "POST" and selectors.client_over_rate(client):
        form.add_error(
            None,
            _(
                "Many submissions have come from your connection in the last hour. Please wait "
                "an hour before sending another, or write to the Secretariat."
            ),
        )
        return render(request, "submissions/submit.html", {"call": call, "form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            _submission, token = services.submission_create(
                call=call,
                details=form.details(),
                upload=form.cleaned_data["file"],
                interface_language=get_language() or settings.LANGUAGE_CODE,
                late_access=late_access,
                client_hash=client,
            )
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect(f"{_status_url(token)}?notice=received")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "submissions/submit.html",
        {
            "call": call,
            "form": form,
            "late": now > call.deadline,
            "late_access": late_access,
        },
        status=status,
    )


def _status_url(token: str) -> str:
    return reverse("submissions:status", kwargs={"token": token})


PAGE_SIZE = 25


def posted_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    filters = {k: request.GET.get(k, "").strip() for k in selectors.PUBLIC_FILTERS}
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
