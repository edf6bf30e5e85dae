"""The anonymous public pages, kept in the shared cache until what the public sees changes.

A kept page's key is the public *generation* (a number), the active language, the
path and the query parameters the view reads. The generation is bumped (`bump`),
after the commit, whenever anything the public can see changes: a submission posted,
taken down or withdrawn after posting (`services.transition`), its PDF made, a posted
submission, a call, a draft or a comment saved (the signals below, which cover the
admin's edits). A bump makes every kept page unreachable at once, so a page is never
served stale after a decision; the old entries expire by themselves.

Only anonymous GETs are served from or written to the cache: a request with any
cookie but the CSRF and language cookies (a session: a member of staff, messages)
goes to the view. A response is kept only if it is a plain 200 that set no cookie,
rendered no CSRF token and touched neither the session nor the messages. What the
middleware adds (the CSP, Content-Language, security headers) is added on the way
out of every response, kept or not, since the view's response is what is kept.

Several processes must share the cache (Redis, GC6_CACHE_URL) for a bump to reach
them all; with a cache of its own per process (LocMem) a page is kept a minute only.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "public:generation"
# How long a kept page or figure lives at most: a shared cache keeps it until the
# next bump (an hour bounds what a change made outside the services would leave);
# a cache of one process cannot hear the others' bumps: a minute.
SHARED_SECONDS = 3600
LOCAL_SECONDS = 60

T = TypeVar("T")


def _seconds() -> int:
    if settings.GC6_PUBLIC_CACHE_SECONDS is not None:  # the operator's (0: nothing kept)
        return settings.GC6_PUBLIC_CACHE_SECONDS
    # `cache` is a proxy: the backend itself tells which kind it is.
    return LOCAL_SECONDS if isinstance(caches["default"], LocMemCache) else SHARED_SECONDS


def generation() -> int:
    """The current public generation (started from the clock if the cache lost it, so
    that a number is never reused)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, time.time_ns())
    return int(value)


def bump() -> None:
    """What the public sees has changed: every kept page and figure is left behind."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # lost (a restart, an eviction): a new number, never an old one
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def bump_after_commit() -> None:
    """Bump once the change is committed: before, a request could keep the old page
    under the new number."""
    transaction.on_commit(bump)


def remember(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept for the current generation under `name` (for figures that
    only change with what is posted: a list's count, the countries posted)."""
    key = f"public:{generation()}:value:{_digest(name)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, _seconds())
    return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def page_key(request: HttpRequest, params: Iterable[str], variant: str = "") -> str:
    """The kept page's key: generation, language, path and the parameters the view
    reads (each as the view reads it: the last value), in a fixed order."""
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in sorted(params))
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Scheme and host too: the feed and the API write absolute links.
    where = _digest(f"{request.build_absolute_uri(request.path)}?{query}#{variant}")
    return f"public:{generation()}:page:{language}:{where}"


def anonymous_get(request: HttpRequest) -> bool:
    """A GET from someone with no cookie of their own (a session, messages)."""
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return request.method == "GET" and set(request.COOKIES) <= allowed


def _may_keep(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not isinstance(response, HttpResponse) or "Cache-Control" in response:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token was rendered
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and (messages.used or messages._queued_messages))


def cached_page(
    *,
    params: Iterable[str] = (),
    until: Callable[[], datetime | None] | None = None,
    variant: Callable[..., str] | None = None,
) -> Callable:
    """Keep the view's page for anonymous GETs (see the module's docstring).

    `params`: the query parameters the view reads (others do not split the cache);
    `until`: when the page changes by itself (a call opening or closing), if ever;
    `variant(request, *args, **kwargs)`: a part of the key of the view's own (a
    figure refreshed apart from the generation, such as the statistics').
    """
    names = tuple(params)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not anonymous_get(request):
                return _vary(view(request, *args, **kwargs))
            extra = variant(request, *args, **kwargs) if variant else ""
            key = page_key(request, names, extra)
            kept = cache.get(key)
            if kept is not None:
                status, headers, content = kept
                return _vary(HttpResponse(content, status=status, headers=headers))
            response = view(request, *args, **kwargs)
            if _may_keep(request, response):
                seconds = _seconds()
                changes = until() if until else None
                if changes is not None:
                    seconds = min(seconds, int((changes - timezone.now()).total_seconds()))
                if seconds > 0:
                    assert isinstance(response, HttpResponse)
                    stored = (response.status_code, dict(response.items()), response.content)
                    cache.set(key, stored, seconds)
            return _vary(response)

        return wrapped

    return decorator


def _vary(response: HttpResponseBase) -> HttpResponseBase:
    # The language may come from a cookie, and a session cookie bypasses the cache.
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


# The admin's edits, a draft's publication, a posted submission's fields: any save of
# what the public may read (a submission only while posted: a receipt changes nothing
# public). QuerySet.update() sends no signal: the services bump where they use it.
def _on_save(sender: type, instance: Any, **kwargs: Any) -> None:
    from submissions.enums import State
    from submissions.models import Submission

    if sender is Submission:
        if instance.state != State.POSTED:
            return
        from submissions import statistics  # its category, country... may be edited

        statistics.queue_refresh(instance.call_id)
    bump_after_commit()


def _connect() -> None:
    from submissions.models import Call, Comment, DraftText, Submission

    for model in (Call, DraftText, Comment, Submission):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
        post_delete.connect(
            _on_save, sender=model, dispatch_uid=f"public-cache-del-{model.__name__}"
        )


_connect()
