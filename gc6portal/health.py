"""Health endpoints for the proxy and the orchestrator (django-health-check).

- `/health/live/`: the process is up and serving Django; asks nothing else (the
  orchestrator's liveness probe: a restart cannot fix the database).
- `/health/`: every part a submission needs, checked at once (readiness, the proxy's
  upstream check): the database (SELECT 1), Redis (the Celery broker at
  CELERY_BROKER_URL: PING), the private storage (a file written, read back and
  deleted), LibreOffice (the `soffice` the portal runs is found and starts; the answer
  is kept a minute) and clamd (PING). 200 when all pass, 503 when any fails.

The JSON says only each check's status, its kind of failure and its time: no host,
port, path or password (the details go to the log). Neither is cached or behind a
login, and both answer JSON, so the CSP has nothing to allow.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from health_check import checks as package_checks
from health_check.base import HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

# How long a LibreOffice answer is kept: starting soffice costs a few hundred ms.
SOFFICE_CACHE_SECONDS = 60
SOFFICE_START_TIMEOUT = 10


def broker_client() -> Any:
    """A client for the Celery broker, made at each check from the settings."""
    from redis.asyncio import Redis as AsyncRedis

    return AsyncRedis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )


@dataclasses.dataclass
class PrivateStorage(package_checks.Storage):
    """The package's storage check (save, read back, delete), with its file at the
    top of the storage: its own folder would stay behind on a disk."""

    def get_file_name(self) -> str:
        return f"health-check-{uuid.uuid4().hex}.txt"


class _SofficeAnswer:
    """The last answer about LibreOffice in this process, kept a minute."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.binary: str | None = None
        self.problem: str | None = None
        self.checked_at: float | None = None

    def clear(self) -> None:
        with self.lock:
            self.checked_at = None


soffice_answer = _SofficeAnswer()


def soffice_problem() -> str | None:
    """Why the portal's `soffice` cannot run, or None when it starts (kept a minute,
    by wall clock: time-machine can move it in tests)."""
    from submissions import rendering

    binary = rendering.soffice_path()
    with soffice_answer.lock:
        now = time.time()
        fresh = (
            soffice_answer.checked_at is not None
            and soffice_answer.binary == binary
            and 0 <= now - soffice_answer.checked_at < SOFFICE_CACHE_SECONDS
        )
        if not fresh:
            soffice_answer.problem = _start_soffice(binary)
            soffice_answer.binary = binary
            soffice_answer.checked_at = time.time()
        return soffice_answer.problem


def _start_soffice(binary: str | None) -> str | None:
    if binary is None:
        return "soffice is not installed"
    try:
        done = subprocess.run(  # noqa: S603
            [binary, "--headless", "--version"],
            capture_output=True,
            timeout=SOFFICE_START_TIMEOUT,
            start_new_session=True,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"soffice did not start within {SOFFICE_START_TIMEOUT}s"
    except OSError as error:
        return f"soffice cannot be run ({type(error).__name__})"
    if done.returncode != 0 or b"LibreOffice" not in done.stdout:
        return f"soffice --version failed (exit status {done.returncode})"
    return None


@dataclasses.dataclass
class LibreOffice(HealthCheck):
    timeout = datetime.timedelta(seconds=SOFFICE_START_TIMEOUT + 2)

    def run(self) -> None:
        problem = soffice_problem()
        if problem is not None:
            raise ServiceUnavailable(problem)


@dataclasses.dataclass
class Clamd(HealthCheck):
    # The PING waits up to GC6_CLAMD_TIMEOUT; the endpoint answers sooner.
    timeout = datetime.timedelta(seconds=5)

    def run(self) -> None:
        from submissions.scanning import scanner_available

        if not scanner_available():
            raise ServiceUnavailable("clamd does not answer PING")


# The checks, by the name the JSON gives them.
CHECKS: dict[str, tuple[type[HealthCheck], dict[str, Any]]] = {
    "database": (package_checks.Database, {}),
    "redis": (Redis, {"client_factory": broker_client}),
    "storage": (PrivateStorage, {}),
    "libreoffice": (LibreOffice, {}),
    "clamd": (Clamd, {}),
}


class HealthView(HealthCheckView):
    """Runs every check at once; always JSON, 503 if any fails."""

    checks = tuple(CHECKS.values())

    @contextlib.contextmanager
    def get_executor(self) -> Iterator[Executor | None]:
        # An executor of our own, not waited for at the end: a check that outlives its
        # timeout (a clamd that accepts and never answers) does not hold the response.
        executor = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="health")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        report: dict[str, dict[str, Any]] = {}
        for name, result in zip(CHECKS, results, strict=True):
            entry: dict[str, Any] = {
                "status": "ok" if result.error is None else "fail",
                "seconds": round(result.time_taken, 3),
            }
            if result.error is not None:
                entry["error"] = result.error.message_type  # "Unavailable"...: no details
            report[name] = entry
        healthy = all(entry["status"] == "ok" for entry in report.values())
        return JsonResponse(
            {"status": "ok" if healthy else "fail", "checks": report},
            status=200 if healthy else 503,
        )


health_view = HealthView.as_view()


@never_cache
def live_view(request: HttpRequest) -> HttpResponse:
    """The process answers: no database, no broker (liveness)."""
    return JsonResponse({"status": "ok"})
