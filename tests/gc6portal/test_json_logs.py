"""JSON log lines, the request id, and the id carried into the Celery task."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import textwrap

import pytest
import requests
from celery import shared_task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gc6portal.logging_json import JsonFormatter, RequestContextFilter, logging_config
from gc6portal.request_id import bound_request_id, request_id_var, task_id_var
from submissions.enums import State
from submissions.models import Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx
from tests.helpers import submit_form
from tests.stack import ROOT, Stack, wait_for

PROXY_ID = "proxy-given-id-0001"
logger = logging.getLogger("tests.json_logs")


class JsonLines(logging.Handler):
    """Keeps each record as the JSON line the production formatter writes."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def objects(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def json_lines():
    handler = JsonLines()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def behind_proxy(settings):
    """The test client's address (127.0.0.1) is our trusted proxy."""
    settings.GC6_TRUSTED_PROXIES = ["127.0.0.1"]
    return settings


@pytest.fixture
def eager():
    """Tasks run at once in the caller's process (task_always_eager), as `make run`
    could; the project's Celery app as it was afterwards."""
    from gc6portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@shared_task(name="tests.json_logs.log_a_line")
def log_a_line() -> None:
    logger.info("inside the task")


# The formatter.


def test_json_formatter_writes_one_object_a_line_with_the_ids():
    record = logging.LogRecord(
        "gc6.test", logging.WARNING, __file__, 1, "two\nlines %s", ("é",), None
    )
    with bound_request_id("abcdef12"):
        token = task_id_var.set("task-1")
        try:
            line = JsonFormatter().format(record)
        finally:
            task_id_var.reset(token)
    assert "\n" not in line
    assert line.isascii()
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "gc6.test"
    assert entry["message"] == "two\nlines é"
    assert entry["request_id"] == "abcdef12"
    assert entry["task_id"] == "task-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    assert "exc_info" not in entry


def test_json_formatter_gives_the_traceback_and_no_task_id_outside_a_task():
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] is None
    assert "task_id" not in entry
    assert entry["exc_info"].startswith("Traceback (most recent call last):")
    assert "ValueError: bad value" in entry["exc_info"]


def test_text_format_carries_the_request_id():
    formatter = logging.Formatter(logging_config("text", "INFO")["formatters"]["text"]["format"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    with bound_request_id("abcdef12"):
        RequestContextFilter().filter(record)
    assert formatter.format(record).endswith("INFO x [abcdef12] hello")


def test_log_format_other_than_text_or_json_stops_the_start_up():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="GC6_LOG_FORMAT"):
        logging_config("JSON ", "INFO")


# The request id of a request.


@pytest.mark.django_db
def test_request_id_from_the_trusted_proxy_is_kept(client, behind_proxy):
    response = client.get(reverse("health-live"), HTTP_X_REQUEST_ID=PROXY_ID)
    assert response["X-Request-ID"] == PROXY_ID


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given",
    ["short", "has space-0001", "x" * 65, "id;drop-0001", "ïd-with-accent", "abc_def_0001"],
)
def test_request_id_in_another_format_is_replaced(client, behind_proxy, given):
    response = client.get(reverse("health-live"), HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_request_id_from_a_client_that_is_not_our_proxy_is_ignored(client, settings):
    settings.GC6_TRUSTED_PROXIES = []
    response = client.get(reverse("health-live"), HTTP_X_REQUEST_ID=PROXY_ID)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_request_id_is_made_for_each_request_without_one(client):
    first = client.get(reverse("health-live"))["X-Request-ID"]
    second = client.get(reverse("health-live"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    assert request_id_var.get() is None  # nothing left behind after the request


@pytest.mark.django_db
def test_log_line_written_during_a_request_carries_its_id(client, json_lines, behind_proxy):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=PROXY_ID)
    assert response.status_code == 404
    (entry,) = [e for e in json_lines.objects() if e["logger"] == "django.request"]
    assert entry["message"] == "Not Found: /no-such-page/"
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == PROXY_ID


_LOG_IN_A_REQUEST = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    # No collected static files here: the 404 page's CSS links come unhashed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    response = Client(REMOTE_ADDR="203.0.113.5").get("/no-such-page/")
    assert response.status_code == 404, response.status_code
    print(response["X-Request-ID"])
    """
)


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_settings_log_format_is_what_the_process_writes(log_format):
    done = subprocess.run(
        [sys.executable, "-c", _LOG_IN_A_REQUEST],
        cwd=ROOT,
        env={
            **os.environ,
            "GC6_LOG_FORMAT": log_format,
            "DJANGO_SETTINGS_MODULE": "gc6portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    request_id = done.stdout.strip()
    lines = [line for line in done.stderr.splitlines() if "Not Found" in line]
    assert len(lines) == 1, done.stderr
    if log_format == "json":
        entry = json.loads(lines[0])
        assert entry["request_id"] == request_id
        assert entry["logger"] == "django.request"
    else:
        assert f"WARNING django.request [{request_id}] Not Found: /no-such-page/" in lines[0]


# Into the task.


def test_request_id_goes_into_a_task_run_eagerly_with_its_task_id(json_lines, eager):
    with bound_request_id("request-0042"):
        result = log_a_line.apply_async()
        assert request_id_var.get() == "request-0042"  # the request's again after the task
        assert task_id_var.get() is None
    (entry,) = [e for e in json_lines.objects() if e["message"] == "inside the task"]
    assert entry["request_id"] == "request-0042"
    assert entry["task_id"] == result.id


def test_task_queued_without_a_request_runs_without_an_id(json_lines):
    log_a_line.apply()
    (entry,) = [e for e in json_lines.objects() if e["message"] == "inside the task"]
    assert entry["request_id"] is None
    assert entry["task_id"]


def test_request_id_rides_in_the_message_headers_to_the_worker(json_lines, redis_url, monkeypatch):
    """Published to the real Redis, received by a Celery worker in this process (a
    thread, whose context starts empty): only the message carries the id."""
    from celery import Celery, _state
    from celery.contrib.testing.worker import start_worker

    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # Celery reads it before its conf
    previous_current, previous_default = _state.get_current_app(), _state.default_app
    # No Django fixup: its worker start would configure logging again, and drop the
    # handler that reads the lines.
    own = Celery("json-logs-test", broker=redis_url, set_as_current=False, fixups=[])
    # As the JSON setting does (CELERY_WORKER_HIJACK_ROOT_LOGGER): our handlers stay.
    own.conf.update(
        task_default_queue="json-logs-test",
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )

    @own.task(name="tests.json_logs.in_worker")
    def in_worker() -> None:
        logger.info("inside the worker's task")

    try:
        with start_worker(
            own, pool="solo", loglevel="INFO", perform_ping_check=False, shutdown_timeout=10
        ):
            with bound_request_id("request-0099"):
                result = in_worker.apply_async()
            wait_for(
                lambda: any(
                    e["message"] == "inside the worker's task" for e in json_lines.objects()
                ),
                20,
                "the task in the worker",
            )
    finally:
        previous_current.set_current()
        _state.default_app = previous_default
    (entry,) = [e for e in json_lines.objects() if e["message"] == "inside the worker's task"]
    assert entry["request_id"] == "request-0099"
    assert entry["task_id"] == result.id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_checked_eagerly_logs_the_check_with_the_upload_request_id(
    client, open_call, json_lines, behind_proxy, eager
):
    """The real path in one process: the upload commits, its check is queued on commit
    and runs at once (eager), inside the request."""
    response = client.post(
        reverse("submissions:submit", args=[open_call.slug]),
        {**SUBMITTER_FORM, "file": SimpleUploadedFile("input.docx", make_docx("Global Alliance"))},
        HTTP_X_REQUEST_ID=PROXY_ID,
    )
    assert response.status_code == 302
    assert Submission.objects.get().state != State.RECEIVED  # checked already
    in_task = [e for e in json_lines.objects() if "task_id" in e]
    assert in_task, json_lines.lines
    assert {e["request_id"] for e in in_task} == {PROXY_ID}


# The whole stack: gunicorn, Redis and a real worker process, logging JSON.


@pytest.mark.integration
@pytest.mark.xdist_group("stack")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_logs_the_check_with_the_request_id_of_the_upload(
    stack_env, tmp_path, open_call, lo_docs
):
    stack = Stack(
        {**stack_env, "GC6_LOG_FORMAT": "json", "GC6_TRUSTED_PROXIES": "127.0.0.1"}, tmp_path
    )
    try:
        worker = stack.start_worker("worker-json")
        url = f"{stack.url}/calls/{open_call.slug}/submit/"
        response = submit_form(
            requests.Session(),
            url,
            SUBMITTER_FORM,
            files={"file": ("input.docx", lo_docs["ordinary"].read_bytes())},
            headers={"X-Request-ID": PROXY_ID},
        )
        assert response.status_code == 200, response.text[:1000]
        assert response.history[0].headers["X-Request-ID"] == PROXY_ID

        def logged() -> list[dict]:
            assert worker.alive(), worker.output()
            entries = []
            for line in worker.log.read_text(errors="replace").splitlines():
                if line.startswith("{") and PROXY_ID in line:
                    entries.append(json.loads(line))
            return [
                e
                for e in entries
                if e["message"].startswith("Task submissions.check_submission[")
                and "succeeded" in e["message"]
            ]

        wait_for(lambda: bool(logged()), 60, "the worker's line for the check")
        (entry,) = logged()
        assert entry["request_id"] == PROXY_ID
        assert entry["logger"] == "celery.app.trace"
        assert entry["task_id"] in entry["message"]
    finally:
        stack.stop()
