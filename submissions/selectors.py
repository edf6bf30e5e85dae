"""Reads. Public selectors return only what may be shown to anyone."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from submissions.enums import State
from submissions.models import Call, LateAccessCode, Submission
from submissions.services import hash_token

PUBLIC_FILTERS = ("category", "country", "language")


def calls_for_home() -> QuerySet[Call]:
    return Call.objects.order_by("-deadline")


def call_open_now(call: Call) -> bool:
    return call.is_open(timezone.now())


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (behind a proxy, from the configured header)."""
    address = request.META.get(settings.GC6_CLIENT_IP_HEADER, "") or ""
    address = address.split(",")[0].strip()
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


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


def posted_submissions(*, call: Call, filters: dict[str, str] | None = None) -> QuerySet:
    """Posted submissions of a call, newest first, filtered by the public filters."""
    queryset = Submission.objects.filter(call=call, state=State.POSTED).select_related("call")
    for field in PUBLIC_FILTERS:
        value = (filters or {}).get(field)
        if value:
            queryset = queryset.filter(**{field: value})
    return queryset.order_by("-posted_at", "-pk")


def posted_submission(*, call: Call, number: int) -> Submission | None:
    return (
        Submission.objects.select_related("call")
        .filter(call=call, number=number, state=State.POSTED)
        .first()
    )


def submission_for_token(token: str) -> Submission | None:
    """The submission a private status link points at, if the link is real."""
    return (
        Submission.objects.select_related("call", "late_access")
        .filter(status_token_hash=hash_token(token))
        .first()
    )
