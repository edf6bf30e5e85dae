"""How posted submissions are shown to the public: names, file names, records, charts.

Pure helpers for the public views, the feed, the API, the ZIP and the register.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from submissions.models import Submission


def public_name(submission: Submission) -> str | None:
    return submission.stakeholder_name if submission.shows_name else None


def download_name(submission: Submission, extension: str = ".docx") -> str:
    """GC6-0042_Stakeholder_Name.docx; the number alone when the name is withheld."""
    name = submission.tracking_number
    if submission.shows_name:
        name = f"{name} {submission.stakeholder_name}"
    return get_valid_filename(name)[:150] + extension


def chart_label(key: str, value: str, labels: dict) -> str:
    if key == "country":
        from django_countries import countries

        return countries.name(value) or _("Not given")
    return str(labels[key].get(value, value))


def chart(key: str, title: str, rows: list[tuple[str, int]]) -> dict:
    """Bars sized in SVG attributes (no inline styles, so the CSP needs no exception)."""
    top = max((count for _label, count in rows), default=0) or 1
    bars = [
        {"label": label, "count": count, "width": round(300 * count / top), "y": 28 * index}
        for index, (label, count) in enumerate(rows)
    ]
    return {"key": key, "title": title, "bars": bars, "height": 28 * len(bars)}


def public_record(request: HttpRequest, submission: Submission) -> dict:
    slug = submission.call.slug
    return {
        "tracking_number": submission.tracking_number,
        "stakeholder": public_name(submission),
        "category": submission.category,
        "country": submission.country.code or None,  # type: ignore[attr-defined]  # a Country
        "language": submission.language,
        "word_count": submission.word_count,
        "posted_at": submission.posted_at.isoformat() if submission.posted_at else None,
        "url": request.build_absolute_uri(
            reverse("submissions:posted", args=[slug, submission.number])
        ),
        "file": request.build_absolute_uri(
            reverse("submissions:posted_file", args=[slug, submission.number])
        ),
        # Made by the worker shortly after posting: null until then.
        "pdf": request.build_absolute_uri(
            reverse("submissions:posted_pdf", args=[slug, submission.number])
        )
        if submission.public_pdf
        else None,
    }
