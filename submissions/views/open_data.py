"""Posted submissions for everyone to reuse: statistics, an Atom feed, JSON, a ZIP."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from submissions import archive, selectors, tasks
from submissions import statistics as statistics_store
from submissions.models import Call, Submission
from submissions.presentation import chart, chart_label, public_name, public_record
from submissions.public_cache import cached_page

API_PAGE_SIZE = 100


def _statistics_version(request: HttpRequest, slug: str) -> str:
    return statistics_store.current_version(slug)


@cached_page(variant=_statistics_version)
def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    # Counted by the worker when they change (submissions.statistics): one read here.
    stats = statistics_store.figures(call)
    charts = []
    for key, title in (
        ("category", _("Posted submissions by category")),
        ("country", _("Posted submissions by country")),
        ("language", _("Posted submissions by language")),
    ):
        rows = [(chart_label(key, value), count) for value, count in stats[key]]
        charts.append(chart(key, title, rows))
    # The week's first day as the reader's language writes dates ("30 de enero de 2027").
    weeks = [(date_format(week, "DATE_FORMAT"), count) for week, count in stats["week"]]
    charts.append(chart("week", _("Submissions received per week (week starting)"), weeks))
    return render(request, "submissions/statistics.html", {"call": call, "charts": charts})


class PlainTextAtom(Atom1Feed):
    """Atom whose summaries are plain text: a submission's words never become markup
    in a feed reader (Django's Atom feed marks every summary as HTML)."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description"):
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class PostedFeed(Feed):
    """Atom: the newest posted submissions of a call."""

    feed_type = PlainTextAtom

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cached_page()(super().__call__)(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, slug: str) -> Call:
        return get_object_or_404(Call, slug=slug)

    def title(self, call: Call) -> str:
        return _("Posted submissions: %(title)s") % {"title": call.title}

    def link(self, call: Call) -> str:
        return reverse("submissions:posted_list", args=[call.slug])

    def subtitle(self, call: Call) -> str:
        return call.summary

    def items(self, call: Call):
        return selectors.posted_submissions(call=call)[:50]

    def item_title(self, item: Submission) -> str:
        name = public_name(item) or _("Name withheld at the submitter's request")
        return f"{item.tracking_number}: {name}"

    def item_description(self, item: Submission) -> str:
        return item.public_text[:500]

    def item_link(self, item: Submission) -> str:
        return reverse("submissions:posted", args=[item.call.slug, item.number])

    def item_pubdate(self, item: Submission):
        return item.posted_at


@cached_page(params=("page",))
def api_submissions(request: HttpRequest, slug: str) -> JsonResponse:
    """Read-only JSON of a call's posted submissions, a page of 100 at a time."""
    call = get_object_or_404(Call, slug=slug)
    submissions = selectors.posted_submissions(call=call, sort="number")
    raw = request.GET.get("page", "1")
    # Digits only, and few of them: a huge number must never reach the database (a 500).
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
    if page < 1:
        raise Http404("No such page")
    start = (page - 1) * API_PAGE_SIZE
    rows = list(submissions[start : start + API_PAGE_SIZE + 1])
    if page > 1 and not rows:
        raise Http404("No such page")  # past the last one (the first exists, if empty)
    has_next = len(rows) > API_PAGE_SIZE
    base = request.build_absolute_uri(reverse("submissions:api", args=[slug]))
    return JsonResponse(
        {
            "call": {"slug": call.slug, "title": call.title, "deadline": call.deadline.isoformat()},
            "page": page,
            "next": f"{base}?page={page + 1}" if has_next else None,
            "results": [public_record(request, s) for s in rows[:API_PAGE_SIZE]],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def download_all(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Every posted file, named by tracking number and stakeholder, and a CSV list.

    The worker builds the ZIP once per state of the call's posted set and keeps it
    in storage (a posting or a withdrawal queues a new one), so the public never
    makes the server zip thousands of files in a request. Until it is ready: 202,
    a page asking to come back, and the build queued (once per state, for a while).
    """
    call = get_object_or_404(Call, slug=slug)
    fingerprint = archive.fingerprint(call)
    name = archive.ready_archive(call, fingerprint)
    if name:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            pass  # deleted since, for a newer state: as if not built
        else:
            return FileResponse(
                handle,
                as_attachment=True,
                filename=f"{call.tracking_prefix}-posted-submissions.zip",
            )
    if cache.add(f"archive-queued:{call.pk}:{fingerprint}", 1, timeout=300):
        tasks.queue_archive(call.pk)
    response = render(request, "submissions/archive_pending.html", {"call": call}, status=202)
    response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response
