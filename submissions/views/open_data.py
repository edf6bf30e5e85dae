"""Posted submissions for everyone to reuse: statistics, an Atom feed, JSON, a ZIP."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from submissions import selectors
from submissions.enums import Category, Language
from submissions.models import Call, Submission
from submissions.presentation import chart, chart_label, download_name, public_name, public_record
from submissions.register import csv_cell

API_PAGE_SIZE = 100


def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    # Aggregates over every submission of the call: computed once a minute at most.
    stats = cache.get_or_set(
        f"statistics:{call.pk}", lambda: selectors.posted_statistics(call), timeout=60
    )
    labels = {
        "category": dict(Category.choices),
        "language": dict(Language.choices),
    }
    charts = []
    for key, title in (
        ("category", _("Posted submissions by category")),
        ("country", _("Posted submissions by country")),
        ("language", _("Posted submissions by language")),
    ):
        rows = [(chart_label(key, value, labels), count) for value, count in stats[key]]
        charts.append(chart(key, title, rows))
    weeks = [(week.strftime("%Y-%m-%d"), count) for week, count in stats["week"]]
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


def download_all(request: HttpRequest, slug: str) -> FileResponse:
    """Every posted file, named by tracking number and stakeholder, and a CSV list.

    Built once per state of the call's posted set and kept on disk (a new posting or
    a withdrawal makes a new one), so a busy or hostile public cannot make the
    server zip thousands of files per request.
    """
    call = get_object_or_404(Call, slug=slug)
    submissions = selectors.posted_submissions(call=call, sort="number")
    fingerprint = hashlib.sha256(
        repr(list(submissions.values_list("pk", "posted_at", "public_file"))).encode()
    ).hexdigest()[:16]
    folder = Path(default_storage.path("archives"))
    path = folder / f"{call.slug}-{fingerprint}.zip"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _build_archive(request, list(submissions), folder, path)
        for old in folder.glob(f"{call.slug}-*.zip"):
            if old != path:
                old.unlink(missing_ok=True)  # a download under way keeps its open file
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{call.tracking_prefix}-posted-submissions.zip",
    )


def _build_archive(
    request: HttpRequest, submissions: list[Submission], folder: Path, path: Path
) -> None:
    """Write the ZIP beside its final name, then rename it: readers never see half."""
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
        try:
            _write_archive(request, submissions, part)
        except BaseException:
            Path(part.name).unlink(missing_ok=True)
            raise
    os.replace(part.name, path)


def _write_archive(request: HttpRequest, submissions: list[Submission], target_file) -> None:
    with zipfile.ZipFile(target_file, "w", zipfile.ZIP_DEFLATED) as archive:
        listing = io.StringIO()
        writer = csv.writer(listing)
        writer.writerow(
            [
                "tracking_number",
                "stakeholder",
                "category",
                "country",
                "language",
                "word_count",
                "posted_at",
                "file",
            ]
        )
        for submission in submissions:
            name = download_name(submission)
            entry = zipfile.ZipInfo(name, date_time=submission.received_at.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            if not submission.public_file:
                continue  # posted before public copies existed: never the original
            with submission.public_file.open("rb") as source, archive.open(entry, "w") as target:
                for chunk in iter(lambda: source.read(1 << 16), b""):
                    target.write(chunk)
            record = public_record(request, submission)
            row = [
                record["tracking_number"],
                record["stakeholder"] or "",
                record["category"],
                record["country"] or "",
                record["language"],
                record["word_count"] or "",
                record["posted_at"],
                name,
            ]
            # A stakeholder named "=HYPERLINK(...)" stays text in a spreadsheet.
            writer.writerow([csv_cell(value) for value in row])
        # UTF-8 with a byte-order mark, so that spreadsheet programs keep accents.
        archive.writestr("submissions.csv", "\ufeff" + listing.getvalue())
