"""Reads. Public selectors return only what may be shown to anyone."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Case, Count, F, Min, QuerySet, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django_countries import countries

from submissions import public_cache
from submissions.enums import Publication, State
from submissions.models import Call, LateAccessCode, Submission

PUBLIC_FILTERS = ("category", "country", "language")


@dataclass
class HomeCalls:
    """The calls of the home page: open (soonest deadline first), not open yet, closed
    (latest deadline first)."""

    open: list[Call] = dataclass_field(default_factory=list)
    upcoming: list[Call] = dataclass_field(default_factory=list)
    closed: list[Call] = dataclass_field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.open or self.upcoming or self.closed)


def calls_for_home() -> HomeCalls:
    now = timezone.now()
    return HomeCalls(
        open=list(Call.objects.filter(opens_at__lte=now, deadline__gte=now).order_by("deadline")),
        upcoming=list(Call.objects.filter(opens_at__gt=now).order_by("opens_at")),
        closed=list(Call.objects.filter(deadline__lt=now).order_by("-deadline")),
    )


def next_call_change() -> datetime | None:
    """When a call next opens or closes: the home page's sections change then."""
    now = timezone.now()
    moments = [
        Call.objects.filter(**{f"{field}__gt": now}).aggregate(at=Min(field))["at"]
        for field in ("opens_at", "deadline")
    ]
    return min((at for at in moments if at is not None), default=None)


def call_open_now(call: Call) -> bool:
    return call.is_open(timezone.now())


def client_over_rate(client: str) -> bool:
    """Has this client sent its hour's allowance of submissions already?"""
    since = timezone.now() - timedelta(hours=1)
    recent = Submission.objects.filter(client_hash=client, received_at__gte=since)
    return recent.count() >= settings.GC6_SUBMISSIONS_PER_HOUR


def late_access_for(*, call: Call, code: str) -> LateAccessCode | None:
    """The unused, unexpired late access code `code` of `call`, if there is one."""
    if not code:
        return None
    return LateAccessCode.objects.filter(
        call=call, code=code, valid_until__gte=timezone.now(), used_by__isnull=True
    ).first()


def public_filters(raw: Mapping[str, str]) -> dict[str, str]:
    """The list's filters as the database holds them: a country code in capitals
    ("mx" is MX); the rest as given, trimmed."""
    filters = {key: (raw.get(key) or "").strip() for key in PUBLIC_FILTERS}
    filters["country"] = filters["country"].upper()
    return filters


def _collation_key(name: str) -> str:
    """Sorts "Égypte" with the Es and "Ísland" with the Is, case aside."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def posted_countries(call: Call, *, keep: str = "") -> list[tuple[str, str]]:
    """(code, name) of the countries of the call's posted submissions, named and
    sorted in the active language; `keep` (a code already chosen) is included."""
    codes = set(public_cache.remember(f"countries:{call.pk}", partial(_posted_codes, call)))
    if keep and keep in dict(countries):
        codes.add(keep)
    named = [(str(code), str(countries.name(code))) for code in codes]
    return sorted(named, key=lambda item: (_collation_key(item[1]), item[0]))


def _posted_codes(call: Call) -> list[str]:
    """Still a scan of the call's posted rows (kept per public generation)."""
    return list(
        Submission.objects.filter(call=call, state=State.POSTED)
        .exclude(country="")
        # No ordering: the model's (by time of receipt) would join the DISTINCT and
        # make it read every posted row (measured: 179 of the list's 200 ms at 100,000).
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )


def posted_count(*, call: Call, filters: Mapping[str, str], query: str, queryset: QuerySet) -> int:
    """How many posted submissions `queryset` (the list's, for these filters and
    query) holds: counted once per public generation, not on every page view
    (COUNT(*) was 27% of the list's time at 100,000)."""
    name = f"count:{call.pk}:{sorted(filters.items())}:{query}"
    if query:
        # A search is counted only up to SEARCH_COUNT_CAP + 1: every new query text
        # would otherwise count all its matches (52 ms for 100,000 on PostgreSQL).
        return public_cache.remember(name, queryset[: SEARCH_COUNT_CAP + 1].count)
    return public_cache.remember(name, queryset.count)


# The matches of a search counted and paged through at most; more say "more than".
SEARCH_COUNT_CAP = 1000


SORTS = {
    "newest": ("-posted_at", "-pk"),
    "oldest": ("posted_at", "pk"),
    "number": ("number",),
    # By the name as shown: a withheld name sorts as empty, never by what it hides.
    "stakeholder": ("shown_name", "number"),
}


def posted_submissions(
    *,
    call: Call,
    filters: dict[str, str] | None = None,
    query: str = "",
    sort: str = "newest",
) -> QuerySet:
    """Posted submissions of a call: filtered, searched (full text), sorted."""
    # The checked text (hidden runs and all) is never read by a public page: not loaded.
    queryset = (
        Submission.objects.filter(call=call, state=State.POSTED)
        .select_related("call")
        .defer(*Submission.SECRETARIAT_TEXT)
    )
    for field in PUBLIC_FILTERS:
        value = (filters or {}).get(field)
        if value:
            queryset = queryset.filter(**{field: value.upper() if field == "country" else value})
    if query.strip():
        queryset = _search(queryset, query.strip(), call=call)
    if sort == "stakeholder":
        shown = Case(
            When(publication=Publication.PUBLISH, then=F("stakeholder_name")), default=Value("")
        )
        queryset = queryset.annotate(shown_name=shown)
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


def tracking_number_in(query: str, call: Call) -> int | None:
    """The number a query names as a tracking number of `call` (see search.py)."""
    from submissions import search

    return search.tracking_number_in(query, call)


def _search(queryset: QuerySet, query: str, *, call: Call) -> QuerySet:
    """Words of the public text and of the name where it is shown, through the
    database's full-text index; a tracking number finds its submission (search.py)."""
    from submissions import search

    return search.search(queryset, query, call=call)


def posted_statistics(call: Call) -> dict[str, list[tuple[str, int]]]:
    """Counts of posted submissions by category, country and language; all received
    submissions by ISO week, up to the deadline (numbers only, nothing private)."""
    posted = Submission.objects.filter(call=call, state=State.POSTED)

    def count_by(field: str) -> list[tuple[str, int]]:
        rows = posted.values(field).annotate(n=Count("pk")).order_by("-n", field)
        return [(row[field], row["n"]) for row in rows]

    received = (
        Submission.objects.filter(call=call)
        .exclude(state=State.WITHDRAWN)
        .annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return {
        "category": count_by("category"),
        "country": count_by("country"),
        "language": count_by("language"),
        "week": [(row["week"], row["n"]) for row in received],
    }


def posted_submission(*, call: Call, number: int) -> Submission | None:
    return (
        Submission.objects.select_related("call")
        .filter(call=call, number=number, state=State.POSTED)
        .first()
    )
