"""The health endpoints, against the suite's real Redis, clamd and LibreOffice."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from gc6portal import health
from submissions import rendering
from tests.stack import free_port
from tests.tools import require_tool

CHECK_NAMES = {"database", "redis", "storage", "libreoffice", "clamd"}


@pytest.fixture
def healthy(settings, redis_url, scanner):
    """Every part up: the suite's Redis as the broker, its clamd, this machine's soffice."""
    require_tool("soffice")
    settings.CELERY_BROKER_URL = redis_url
    health.soffice_answer.clear()
    yield settings
    health.soffice_answer.clear()


def _report(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.django_db
def test_health_is_200_with_every_check_ok(client, healthy):
    response = client.get(reverse("health"))
    report = _report(response)
    assert response.status_code == 200, report
    assert report["status"] == "ok"
    assert set(report["checks"]) == CHECK_NAMES
    assert {entry["status"] for entry in report["checks"].values()} == {"ok"}


@pytest.mark.django_db
def test_health_is_not_cached_nor_behind_a_login(client, healthy):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    assert "Content-Security-Policy" in response.headers  # the site's own, unchanged


@pytest.mark.django_db
def test_health_fails_on_clamd_stopped_then_passes_once_started(client, healthy, scanner):
    scanner.stop()
    try:
        response = client.get(reverse("health"))
        report = _report(response)
        assert response.status_code == 503
        assert report["status"] == "fail"
        assert report["checks"]["clamd"] == {
            "status": "fail",
            "error": "Unavailable",
            "seconds": report["checks"]["clamd"]["seconds"],
        }
        others = {name: entry["status"] for name, entry in report["checks"].items()}
        assert others == {**dict.fromkeys(CHECK_NAMES, "ok"), "clamd": "fail"}
    finally:
        scanner.start()
    response = client.get(reverse("health"))
    assert response.status_code == 200, _report(response)


@pytest.mark.django_db
def test_health_answers_in_seconds_when_clamd_accepts_and_never_replies(client, healthy):
    # A socket that listens and never answers: the PING would wait GC6_CLAMD_TIMEOUT.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        healthy.GC6_CLAMD_HOST, healthy.GC6_CLAMD_PORT = silent.getsockname()
        healthy.GC6_CLAMD_TIMEOUT = 30
        started = time.monotonic()
        response = client.get(reverse("health"))
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert _report(response)["checks"]["clamd"]["status"] == "fail"
    assert elapsed < health.Clamd.timeout.total_seconds() + 3


@pytest.mark.django_db
def test_health_fails_on_redis_down_without_naming_host_port_or_password(client, healthy):
    port = free_port()  # nothing listens there
    healthy.CELERY_BROKER_URL = f"redis://:s3cret-broker-pw@127.0.0.1:{port}/0"
    response = client.get(reverse("health"))
    report = _report(response)
    assert response.status_code == 503
    assert report["checks"]["redis"]["status"] == "fail"
    assert report["checks"]["database"]["status"] == "ok"
    body = response.content.decode()
    for secret in ("s3cret-broker-pw", str(port), "127.0.0.1", "redis://"):
        assert secret not in body


def _storage_at(settings, location: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(location)}},
    }


@pytest.mark.django_db
def test_health_storage_check_leaves_no_file_or_folder_behind(client, healthy, tmp_path):
    root = tmp_path / "private"
    root.mkdir()
    _storage_at(healthy, root)
    for _ in range(2):
        assert client.get(reverse("health")).status_code == 200
    assert list(root.rglob("*")) == []


@pytest.mark.django_db
def test_health_fails_when_the_private_storage_cannot_be_written(client, healthy, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage's folder should be")
    _storage_at(healthy, blocker)
    response = client.get(reverse("health"))
    report = _report(response)
    assert response.status_code == 503
    assert report["checks"]["storage"]["status"] == "fail"
    assert str(tmp_path) not in response.content.decode()


@pytest.mark.django_db
def test_health_fails_without_soffice(client, healthy, monkeypatch):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert _report(response)["checks"]["libreoffice"]["status"] == "fail"


def test_soffice_answer_is_kept_a_minute(healthy, tmp_path, monkeypatch):
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    real = rendering.soffice_path()
    with time_machine.travel("2026-01-05 10:00:00", tick=False) as traveller:
        assert health.soffice_problem() is None  # the real soffice starts
        # The same binary stops starting (a broken upgrade): the answer stands a minute.
        monkeypatch.setattr(health, "_start_soffice", lambda binary: "broken")
        traveller.shift(59)
        assert health.soffice_problem() is None
        traveller.shift(2)
        assert health.soffice_problem() == "broken"
    monkeypatch.undo()
    # Another binary is checked at once, and one that exits non-zero fails.
    monkeypatch.setattr(rendering, "soffice_path", lambda: str(broken))
    assert health.soffice_problem() == "soffice --version failed (exit status 3)"
    monkeypatch.setattr(rendering, "soffice_path", lambda: real)
    assert health.soffice_problem() is None


def test_live_answers_without_the_database_or_the_broker(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get(reverse("health-live"))  # no django_db: a query would fail
    assert response.status_code == 200
    assert _report(response) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_paths_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health-live")).status_code == 200
    assert client.get("/").status_code == 301  # the rest of the site still redirects
