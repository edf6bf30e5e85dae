"""Real processes for the integration and browser tests: Redis, Celery, gunicorn.

They share the test database (a file for SQLite, the test database on PostgreSQL)
and the test session's private storage, exactly as production's processes share
PostgreSQL and a volume.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Process:
    """A child process whose output goes to a log file that failures can show."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.alive():
            os.killpg(self.popen.pid, sig)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def redis_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.settimeout(0.5)
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(workdir: Path, port: int | None = None) -> tuple[Process, int]:
    """A Redis server on loopback that keeps nothing on disk."""
    binary = require_tool("redis-server")
    port = port or free_port()
    args = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(workdir),
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    server = Process(f"redis-{port}-{time.monotonic_ns()}", args, dict(os.environ), workdir)
    wait_for(lambda: redis_ready(port), 10, "redis-server")
    return server, port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    server, port = start_redis(tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    server.stop()


@pytest.fixture(scope="session")
def stack_env(
    django_db_setup, django_db_blocker, redis_url, tmp_path_factory, clamd
) -> dict[str, str]:
    """The environment every process of the stack runs with (its files scanned by this
    test worker's clamd, tests/clamd.py)."""
    static_root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "GC6_PRIVATE_MEDIA_ROOT": str(tmp_path_factory.getbasetemp() / "private"),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_DEBUG": "False",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "GC6_VISIBILITY_TIMEOUT": "20",
        # The tests write rows from their own process, whose cache the server's cannot
        # hear: it keeps no public page (the cache: tests/views/test_public_cache.py).
        "GC6_PUBLIC_CACHE_SECONDS": "0",
        "GC6_RENDER_FIRST_PAGE": "True",  # as in production: the worker has LibreOffice
        "PYTHONUNBUFFERED": "1",
        **clamd.environment(),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return env


def start_worker(
    env: dict[str, str], log_dir: Path, name: str = "worker", concurrency: int = 1
) -> Process:
    """A Celery worker of `concurrency` processes (prefork, as in production), once ready."""
    worker = Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "gc6portal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"{name}@%h",
        ],
        env,
        log_dir,
    )
    wait_for(
        lambda: "ready." in worker.log.read_text(errors="replace") or not worker.alive(),
        60,
        f"celery {name}",
    )
    assert worker.alive(), worker.output()
    return worker


@pytest.fixture(scope="session")
def worker(stack_env, tmp_path_factory) -> Iterator[Process]:
    process = start_worker(stack_env, tmp_path_factory.mktemp("worker"))
    yield process
    process.stop()


def start_web(env: dict[str, str], log_dir: Path) -> tuple[Process, str]:
    """gunicorn serving the portal on a free loopback port."""
    port = free_port()
    args = [
        str(BIN / "gunicorn"),
        "gc6portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "60",
    ]
    server = Process(f"web-{port}", args, env, log_dir)
    url = f"http://127.0.0.1:{port}"
    wait_serving(server, url, 60, "gunicorn")
    return server, url


def wait_serving(process: Process, url: str, timeout: float, what: str, log: str = "") -> None:
    """Until `url` answers its home page with a 200 (or `process` died: the assert says
    why, with its output and the `log` file's text, if one is named)."""

    def ready() -> bool:
        try:
            return requests.get(url + "/", timeout=2).status_code == 200
        except requests.RequestException:
            return not process.alive()

    wait_for(ready, timeout, what)
    assert process.alive(), process.output() + (Path(log).read_text() if log else "")


@pytest.fixture(scope="session")
def web(stack_env, tmp_path_factory) -> Iterator[str]:
    server, url = start_web(stack_env, tmp_path_factory.mktemp("web"))
    yield url
    server.stop()


class Stack:
    """A Redis, a web server and the workers a test starts, on the shared test database."""

    def __init__(self, base_env: dict[str, str], log_dir: Path) -> None:
        self.log_dir = log_dir
        self.redis, self.redis_port = start_redis(log_dir)
        self.env = {
            **base_env,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            # Recover a crashed worker's check in seconds, not minutes.
            "GC6_VISIBILITY_TIMEOUT": "4",
            "GC6_UNACKED_RESTORE_INTERVAL": "1",
            # The killed worker may die holding the sweep's lock (it sweeps every second).
            "GC6_UNACKED_MUTEX_EXPIRE": "3",
        }
        self.web, self.url = start_web(self.env, log_dir)
        self.workers: list[Process] = []

    def start_worker(self, name: str) -> Process:
        worker = start_worker(self.env, self.log_dir, name)
        self.workers.append(worker)
        return worker

    def restart_redis(self) -> None:
        self.redis, _ = start_redis(self.log_dir, self.redis_port)

    def stop(self) -> None:
        for process in [*self.workers, self.web, self.redis]:
            process.stop()


@pytest.fixture
def stack(stack_env, tmp_path) -> Iterator[Stack]:
    """A stack of this test's own, so that killing its parts harms no other test."""
    own = Stack(stack_env, tmp_path)
    yield own
    own.stop()
