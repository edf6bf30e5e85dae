"""One id per request, carried into the Celery tasks it queues, for the logs.

`RequestIdMiddleware` takes the id from our proxy's `X-Request-ID` header (only when
the connection comes from one of GC6_TRUSTED_PROXIES, and only in the format
[A-Za-z0-9-]{8,64}), or makes one (a uuid4's hex), keeps it in a context variable for
the request's duration and sends it back in the response's `X-Request-ID`. A task
queued meanwhile gets it in a message header (`before_task_publish`); the worker puts
it back in the context variable while the task runs (`task_prerun`, `task_postrun`),
together with the task's id. gc6portal/logging_json.py writes both on every line.

The Celery signals are connected by `connect_signals()`, called from
gc6portal.metrics.ObservabilityConfig.ready() in every process (web and worker).
"""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from celery import signals
from django.conf import settings

from gc6portal.client_address import is_trusted, parse_address, trusted_networks
from gc6portal.logging_json import request_id_var, task_id_var

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# The Celery message header that carries the id from the web process to the worker.
TASK_HEADER = "gc6_request_id"
_VALID = re.compile(r"[A-Za-z0-9-]{8,64}")


def valid_request_id(value: object) -> bool:
    return isinstance(value, str) and _VALID.fullmatch(value) is not None


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_request_id(request: HttpRequest) -> str | None:
    """The proxy's X-Request-ID, if a trusted proxy sent it and it has the format.

    From anyone else the header is ignored: a client must not be able to make its
    requests' log lines look like someone else's.
    """
    value = request.META.get("HTTP_X_REQUEST_ID")
    if not valid_request_id(value):
        return None
    peer = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None or not is_trusted(peer, trusted_networks(settings.GC6_TRUSTED_PROXIES)):
        return None
    return value


@contextmanager
def bound_request_id(value: str) -> Iterator[str]:
    """`value` is the current request id inside the block (management commands, tests)."""
    token = request_id_var.set(value)
    try:
        yield value
    finally:
        request_id_var.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every later middleware's log lines carry the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = incoming_request_id(request) or new_request_id()
        request.request_id = value  # type: ignore[attr-defined]
        with bound_request_id(value):
            response = self.get_response(request)
        response[HEADER] = value
        return response


# Celery: the id travels in the message's headers.


def _add_to_message(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """before_task_publish: the current request's id goes with the task (a task queued
    by a task keeps the id of the request that started the chain)."""
    value = request_id_var.get()
    if value and headers is not None:
        headers.setdefault(TASK_HEADER, value)


# The tokens to restore the context when each running task ends, by task id.
_running: dict[str, tuple[contextvars.Token[str | None], contextvars.Token[str | None]]] = {}


def _enter_task(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """task_prerun: the message's request id and the task's id, for its log lines.

    A task run eagerly (in the caller's process, no message) keeps the caller's id.
    """
    request = getattr(task, "request", None)
    carried = request.get(TASK_HEADER) if request is not None else None
    if valid_request_id(carried):
        value: str | None = carried
    elif request is not None and getattr(request, "is_eager", False):
        value = request_id_var.get()
    else:
        value = None  # queued without a request (the sweeper): no id
    if task_id is not None:
        _running[task_id] = (request_id_var.set(value), task_id_var.set(task_id))


def _leave_task(task_id: str | None = None, **_: Any) -> None:
    """task_postrun: the context as it was before the task."""
    tokens = _running.pop(task_id, None) if task_id is not None else None
    if tokens is None:
        return
    for var, token in zip((request_id_var, task_id_var), tokens, strict=True):
        try:
            var.reset(token)
        except ValueError:  # set in another context: nothing to restore there
            var.set(None)


def connect_signals() -> None:
    signals.before_task_publish.connect(_add_to_message, weak=False, dispatch_uid="gc6_rid_pub")
    signals.task_prerun.connect(_enter_task, weak=False, dispatch_uid="gc6_rid_prerun")
    signals.task_postrun.connect(_leave_task, weak=False, dispatch_uid="gc6_rid_postrun")
