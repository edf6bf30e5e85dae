"""Prometheus metrics at /metrics/, and the app that wires metrics and request ids.

Counted as they happen (prometheus-client):

- `gc6_submissions_received_total{channel}`: submissions created, per channel (web
  form, e-mail), counted by a `post_save` signal.
- `gc6_check_duration_seconds{outcome}`: how long each check task ran
  (`submissions.check_submission`, between Celery's task_prerun and task_postrun);
  outcome is success, retry or failure.
- `gc6_http_server_errors_total{status}`: HTTP 5xx responses (`ServerErrorMiddleware`).
- `gc6_task_failures_total{task}`, `gc6_task_retries_total{task}`: Celery tasks that
  failed (task_failure) or will be tried again (task_retry).

Computed at each scrape, in the scraping process, at a bounded cost:

- `gc6_submissions{state}`: submissions by state (one GROUP BY query).
- `gc6_celery_queue_length{queue}`: tasks waiting in Redis (LLEN of the queue and
  its priority lists), `gc6_celery_unacked`: tasks handed to a worker and not yet
  acknowledged, `gc6_broker_up`: whether Redis answered (1 s timeouts).

Only clients whose address (gc6portal/client_address.py: behind our proxies, the
client the proxy saw) is in GC6_METRICS_ALLOWED (addresses and networks, default
127.0.0.1/32 and ::1) get an answer; anyone else gets a 404.

Several processes: gunicorn's workers and Celery's each count in their own memory.
With PROMETHEUS_MULTIPROC_DIR set (to an empty directory that all of one machine's
web and worker processes share, emptied before they start) prometheus-client writes
every process's counts there and the scrape adds them up (its "multiprocess mode");
without it (`make run`, the tests), the scrape shows the answering process's own.
A worker on a machine of its own serves its counts itself (GC6_WORKER_METRICS_PORT,
gc6portal/worker_metrics.py): scrape each worker there, and the web at /metrics/.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from celery import signals as celery_signals
from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_save
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from gc6portal.client_address import Network, client_address, parse_address

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

logger = logging.getLogger(__name__)

CHECK_TASK = "submissions.check_submission"
DEFAULT_ALLOWED = ("127.0.0.1/32", "::1")

SUBMISSIONS_RECEIVED = Counter(
    "gc6_submissions_received", "Submissions created, per channel.", ["channel"]
)
CHECK_DURATION = Histogram(
    "gc6_check_duration_seconds",
    "How long a check task ran, per outcome (success, retry, failure).",
    ["outcome"],
    # LibreOffice's page 1 takes a second or two; the task's hard limit is 120 s.
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
SERVER_ERRORS = Counter("gc6_http_server_errors", "HTTP responses with a 5xx status.", ["status"])
TASK_FAILURES = Counter("gc6_task_failures", "Celery tasks that failed, per task.", ["task"])
TASK_RETRIES = Counter("gc6_task_retries", "Celery tasks to be tried again, per task.", ["task"])


# Counted as it happens.


def _count_submission(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    """post_save: one more for the channel. Counted at the insert, not the commit (no
    callback of ours among the upload's own on-commit steps): an upload whose
    transaction then fails counts too, and shows as a 5xx as well."""
    if created:
        SUBMISSIONS_RECEIVED.labels(channel=str(instance.channel)).inc()


# When each running check started, by task id (a worker process runs one at a time).
_check_started: dict[str, float] = {}


def _check_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is not None and getattr(task, "name", None) == CHECK_TASK:
        _check_started[task_id] = time.perf_counter()


def _check_postrun(task_id: str | None = None, state: str | None = None, **_: Any) -> None:
    started = _check_started.pop(task_id, None) if task_id is not None else None
    if started is not None:
        outcome = (state or "unknown").lower()
        CHECK_DURATION.labels(outcome=outcome).observe(time.perf_counter() - started)


def _task_failed(sender: Any = None, **_: Any) -> None:
    TASK_FAILURES.labels(task=str(getattr(sender, "name", sender))).inc()


def _task_retried(sender: Any = None, **_: Any) -> None:
    TASK_RETRIES.labels(task=str(getattr(sender, "name", sender))).inc()


class ServerErrorMiddleware:
    """Counts 5xx responses. Near the top of MIDDLEWARE: an exception anywhere below
    has become its 500 response by the time it gets here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500:
            SERVER_ERRORS.labels(status=str(response.status_code)).inc()
        return response


# Computed at the scrape.


class ScrapeTimeCollector:
    """The gauges read from the database and Redis when Prometheus asks."""

    def collect(self) -> Iterator[Metric]:
        yield submissions_by_state()
        yield from broker_queue()

    def describe(self) -> Iterable[Metric]:
        return []  # nothing to compute when registered


def submissions_by_state() -> GaugeMetricFamily:
    from django.db.models import Count

    from submissions.enums import State
    from submissions.models import Submission

    counts = dict.fromkeys(State.values, 0)
    rows = Submission.objects.order_by().values_list("state").annotate(n=Count("pk"))
    for state, number in rows:
        counts[state] = number
    family = GaugeMetricFamily("gc6_submissions", "Submissions, by state.", labels=["state"])
    for state, number in counts.items():
        family.add_metric([state], number)
    return family


def _priority_lists(queue: str) -> list[str]:
    """The Redis lists kombu keeps for one queue: the queue, then a list per priority
    step ("celery\\x06\\x163"...)."""
    from kombu.transport.redis import PRIORITY_STEPS, Channel

    return [queue] + [f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS if step]


def broker_queue() -> Iterator[GaugeMetricFamily]:
    import redis

    queue = str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"))
    up = GaugeMetricFamily("gc6_broker_up", "Whether the Celery broker (Redis) answered.")
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            with client.pipeline(transaction=False) as pipe:
                for key in _priority_lists(queue):
                    pipe.llen(key)
                pipe.hlen("unacked")  # kombu's hash of delivered, unacknowledged tasks
                *lengths, unacked = pipe.execute()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        logger.warning("metrics: the broker did not answer: %s", type(error).__name__)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    waiting = GaugeMetricFamily(
        "gc6_celery_queue_length", "Tasks waiting in the broker, per queue.", labels=["queue"]
    )
    waiting.add_metric([queue], sum(lengths))
    yield waiting
    yield GaugeMetricFamily(
        "gc6_celery_unacked",
        "Tasks handed to a worker and not yet acknowledged.",
        value=unacked,
    )


class _Scrape:
    """What one scrape shows: every process's counts, and the scrape-time gauges."""

    def __init__(self, *sources: Collector) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def scrape_sources() -> _Scrape:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    counts: Collector = MultiProcessCollector(None, path=directory) if directory else REGISTRY
    return _Scrape(counts, ScrapeTimeCollector())


# Who may scrape.


@lru_cache(maxsize=16)
def allowed_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """GC6_METRICS_ALLOWED as networks; an entry that is neither an address nor a
    network stops the start-up (ObservabilityConfig.ready)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"GC6_METRICS_ALLOWED: {entry!r} is not an IP address or a network "
                "(write 10.0.0.5, 10.0.0.0/8 or 2001:db8::/32, separated by commas)"
            ) from None
    return tuple(networks)


def _configured_networks() -> tuple[Network, ...]:
    entries = getattr(settings, "GC6_METRICS_ALLOWED", DEFAULT_ALLOWED)
    return allowed_networks(tuple(entry for entry in entries if entry.strip()))


def may_scrape(request: HttpRequest) -> bool:
    address = parse_address(client_address(request))
    return address is not None and any(address in net for net in _configured_networks())


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format (or OpenMetrics, if asked for)."""
    if not may_scrape(request):
        raise Http404
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encoder(scrape_sources()), content_type=content_type)


class ObservabilityConfig(AppConfig):
    """Connects the metrics' and the request ids' signals in every process (web,
    worker, commands) and checks GC6_METRICS_ALLOWED at start-up. Has no models."""

    name = "gc6portal"
    label = "gc6portal"
    verbose_name = "GC6 portal: health, metrics and logs"

    def ready(self) -> None:
        from gc6portal import request_id
        from submissions.enums import Channel
        from submissions.models import Submission

        _configured_networks()
        request_id.connect_signals()
        post_save.connect(_count_submission, sender=Submission, dispatch_uid="gc6_count_sub")
        for channel in Channel.values:  # each channel shows 0 before its first submission
            SUBMISSIONS_RECEIVED.labels(channel=channel)
        for signal, receiver in (
            (celery_signals.task_prerun, _check_prerun),
            (celery_signals.task_postrun, _check_postrun),
            (celery_signals.task_failure, _task_failed),
            (celery_signals.task_retry, _task_retried),
        ):
            signal.connect(receiver, weak=False, dispatch_uid=f"gc6_{receiver.__name__}")
