"""/metrics/: who may read it, and what the counters and gauges say after real events."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import redis
from celery import shared_task
from django.http import HttpResponse
from django.urls import include, path
from prometheus_client.parser import text_string_to_metric_families

from gc6portal import metrics
from submissions.enums import State
from submissions.tasks import check_submission
from tests import factories
from tests.helpers import submit
from tests.stack import ROOT, free_port


def _boom(request):
    raise RuntimeError("a bug in a view")


def _unavailable(request):
    return HttpResponse("down for maintenance", status=503)


# The portal's URLs and two that answer 5xx (`pytest.mark.urls(__name__)`).
urlpatterns = [
    path("test-boom/", _boom),
    path("test-unavailable/", _unavailable),
    path("", include("gc6portal.urls")),
]


@shared_task(name="tests.metrics.always_fails", max_retries=0)
def always_fails() -> None:
    raise ValueError("this task fails")


def scrape(client, **extra) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics/, by (name, sorted labels)."""
    response = client.get("/metrics/", **extra)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def broker(settings, redis_url):
    """The suite's real Redis as the broker, its queue lists empty."""
    settings.CELERY_BROKER_URL = redis_url
    client = redis.Redis.from_url(redis_url)
    keys = [*metrics._priority_lists("celery"), "unacked"]
    client.delete(*keys)
    yield client
    client.delete(*keys)
    client.close()


@pytest.mark.django_db
def test_metrics_count_a_real_upload_by_its_channel(client, open_call):
    name = "gc6_submissions_received_total"
    before = scrape(client)
    response = submit(client, open_call)
    assert response.status_code == 302
    after = scrape(client)
    assert value(after, name, channel="web") == value(before, name, channel="web") + 1
    assert value(after, name, channel="email") == value(before, name, channel="email")
    assert (name, (("channel", "email"),)) in after  # shown at 0 before the first one


@pytest.mark.django_db
def test_metrics_gauge_submissions_by_state_with_one_query(
    client, open_call, django_assert_num_queries
):
    factories.SubmissionFactory.create_batch(2, call=open_call, state=State.POSTED)
    factories.SubmissionFactory(call=open_call, state=State.RECEIVED)
    with django_assert_num_queries(1):
        samples = scrape(client)
    assert value(samples, "gc6_submissions", state="posted") == 2
    assert value(samples, "gc6_submissions", state="received") == 1
    assert ("gc6_submissions", (("state", "quarantined"),)) in samples  # zero, not absent


@pytest.mark.django_db
def test_metrics_queue_length_is_read_from_the_real_broker(client, broker):
    broker.lpush("celery", "a", "b")
    broker.lpush(metrics._priority_lists("celery")[1], "c")  # a priority's own list
    broker.hset("unacked", "tag-1", "task")
    samples = scrape(client)
    assert value(samples, "gc6_broker_up") == 1
    assert value(samples, "gc6_celery_queue_length", queue="celery") == 3
    assert value(samples, "gc6_celery_unacked") == 1


@pytest.mark.django_db
def test_metrics_say_the_broker_is_down_and_still_answer(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    samples = scrape(client)
    assert value(samples, "gc6_broker_up") == 0
    assert ("gc6_celery_queue_length", (("queue", "celery"),)) not in samples
    assert ("gc6_submissions", (("state", "posted"),)) in samples


@pytest.mark.django_db
def test_metrics_time_a_real_check_run_as_the_worker_runs_it(client, make_submission, open_call):
    submission = make_submission(open_call)
    name = "gc6_check_duration_seconds_count"
    before = value(scrape(client), name, outcome="success")
    check_submission.apply(kwargs={"submission_id": submission.pk}).get()
    submission.refresh_from_db()
    assert submission.state != State.RECEIVED  # the check really ran
    after = scrape(client)
    assert value(after, name, outcome="success") == before + 1
    assert value(after, "gc6_check_duration_seconds_sum", outcome="success") > 0


@pytest.mark.django_db
def test_metrics_count_task_failures(client):
    name = "gc6_task_failures_total"
    before = value(scrape(client), name, task="tests.metrics.always_fails")
    result = always_fails.apply()
    assert result.failed()
    assert value(scrape(client), name, task="tests.metrics.always_fails") == before + 1


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_metrics_count_5xx_responses_not_4xx(client):
    client.raise_request_exception = False
    before = scrape(client)
    assert client.get("/test-boom/").status_code == 500
    assert client.get("/test-unavailable/").status_code == 503
    assert client.get("/no-such-page/").status_code == 404
    after = scrape(client)
    name = "gc6_http_server_errors_total"
    assert value(after, name, status="500") == value(before, name, status="500") + 1
    assert value(after, name, status="503") == value(before, name, status="503") + 1
    assert value(after, name, status="404") == 0


@pytest.mark.django_db
def test_metrics_are_a_404_for_addresses_not_allowed(client, settings):
    assert client.get("/metrics/", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.GC6_METRICS_ALLOWED = ["10.0.0.0/8"]
    assert client.get("/metrics/").status_code == 404  # 127.0.0.1 no longer allowed
    assert client.get("/metrics/", REMOTE_ADDR="10.1.2.3").status_code == 200


@pytest.mark.django_db
def test_metrics_through_our_proxy_are_judged_by_the_client_it_saw(client, settings):
    settings.GC6_TRUSTED_PROXIES = ["127.0.0.1"]
    outside = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/metrics/", **outside).status_code == 404
    inside = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 127.0.0.1"}
    assert client.get("/metrics/", **inside).status_code == 404
    assert client.get("/metrics/").status_code == 200  # the proxy's own scrape


def test_metrics_allowed_networks_refuse_a_typo():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="GC6_METRICS_ALLOWED"):
        metrics.allowed_networks(("10.0.0.0/8", "localhost"))


_COUNT_IN_ANOTHER_PROCESS = textwrap.dedent(
    """
    import django
    django.setup()
    from gc6portal import metrics
    metrics.SUBMISSIONS_RECEIVED.labels(channel="email").inc(2)
    metrics.CHECK_DURATION.labels(outcome="success").observe(0.3)
    """
)


@pytest.mark.django_db
def test_metrics_add_up_every_process_in_multiprocess_mode(client, tmp_path, monkeypatch):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gc6portal.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    for _ in range(2):  # two processes, as two gunicorn or Celery workers
        subprocess.run(
            [sys.executable, "-c", _COUNT_IN_ANOTHER_PROCESS],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape(client)
    assert value(samples, "gc6_submissions_received_total", channel="email") == 4
    assert value(samples, "gc6_check_duration_seconds_count", outcome="success") == 2
    # This process's own memory is not what the scrape shows in that mode.
    assert value(samples, "process_resident_memory_bytes") == 0
    assert ("gc6_submissions", (("state", "posted"),)) in samples
