"""How posted submissions are shown to the public: names, file names, records, charts.

Pure helpers for the public views, the feed, the API, the ZIP and the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django_countries import countries

from submissions.enums import Category, Language
from submissions.models import Submission


@lru_cache(maxsize=8)
def _labels_in(language: str) -> dict[str, dict[str, str]]:
    with translation.override(language):
        return {
            "category": {value: str(label) for value, label in Category.choices},
            "language": {value: str(label) for value, label in Language.choices},
            "country": {str(code): str(name) for code, name in countries},
        }


def labels() -> dict[str, dict[str, str]]:
    """The category, language and country labels in the active language, built once
    per language (a row's get_*_display rebuilt and translated its field's choices:
    14% of the posted list's time)."""
    return _labels_in(translation.get_language() or settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class PostedRow:
    """A posted submission as a row of the public list, its labels in the reader's
    language."""

    submission: Submission
    category: str
    country: str
    language: str


def posted_rows(submissions: Iterable[Submission]) -> list[PostedRow]:
    named = labels()
    return [
        PostedRow(
            submission=s,
            category=named["category"].get(s.category, s.category),
            country=named["country"].get(str(s.country), ""),
            language=named["language"].get(s.language, s.language),
        )
        for s in submissions
    ]


def public_name(submission: Submission) -> str | None:
    return submission.stakeholder_name if submission.shows_name else None


def download_name(submission: Submission, extension: str = ".docx") -> str:
    """GC6-0042_Stakeholder_Name.docx; the number alone when the name is withheld."""
    name = submission.tracking_number
    if submission.shows_name:
        name = f"{name} {submission.stakeholder_name}"
    return get_valid_filename(name)[:150] + extension


def chart_label(key: str, value: str) -> str:
    """A bar's label in the active language ("Not given" for a missing country)."""
    if key == "country":
        return labels()["country"].get(value) or _("Not given")
    return labels()[key].get(value, value)


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
