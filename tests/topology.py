"""Production's topology without Docker: nginx in front of two gunicorn web processes,
two Celery workers, and between them only PostgreSQL, Redis and an S3 object store.

Each web and worker process is a machine of its own as far as files go: its own
GC6_VAR_DIR, TMPDIR and private folder, all empty at the start; the files are in
moto's S3 server (tests/s3.py). PostgreSQL is the test session's when it is one (as
tests/stack.py does), else a throwaway cluster started here. `Topology.manage()` runs
Django code on a fifth "machine" (the Secretariat's service calls).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.proxy import PROXY_ADDRESS, start_nginx
from tests.s3 import S3Server
from tests.stack import (
    ROOT,
    Process,
    _database_url,
    free_port,
    start_redis,
    start_web,
    start_worker,
    wait_for,
)
from tests.tools import require_tool


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as .ci/run does, run it as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def private_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free port (fsync off), migrated; its URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = found[-1] if found else require_tool("initdb")
    bin_dir = Path(initdb).parent
    # Not under pytest's folders: they are private to the user running the tests.
    root = Path(tempfile.mkdtemp(prefix="gc6-topology-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = free_port()
    data = root / "data"
    subprocess.run(
        [
            *_as_postgres(
                [initdb, "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8"]
            ),
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    started = subprocess.run(
        [
            *_as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w"]),
            "start",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    try:
        assert started.returncode == 0, started.stderr.decode() + (root / "log").read_text()
        subprocess.run(
            [
                *_as_postgres([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port)]),
                "-U",
                "postgres",
                "gc6",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        url = f"postgres://postgres@127.0.0.1:{port}/gc6"
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
        yield url
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def shared_database() -> Iterator[str]:
    """The session's PostgreSQL test database if it is one, else a cluster of our own."""
    from django.db import connection

    if connection.vendor == "postgresql":
        yield _database_url()
    else:
        with private_postgres() as url:
            yield url


@dataclass
class Machine:
    """A web or worker process and the folders that only it sees."""

    name: str
    root: Path
    process: Process | None = None
    url: str = ""  # a web's own address
    metrics_port: int = 0  # a worker's metrics endpoint

    def env(self) -> dict[str, str]:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        return {
            "GC6_VAR_DIR": str(self.root / "var"),
            "TMPDIR": str(self.root / "tmp"),
            "GC6_PRIVATE_MEDIA_ROOT": str(self.root / "private"),
        }

    def log(self) -> str:
        assert self.process is not None
        return self.process.log.read_text(errors="replace")

    def private_files(self) -> list[Path]:
        """What this machine holds on its own disk of the portal's files: nothing."""
        return [p for folder in ("private", "var") for p in (self.root / folder).rglob("*.docx")]


@dataclass
class Topology:
    env: dict[str, str]
    s3: S3Server
    bucket: str
    proxy_url: str = ""
    webs: list[Machine] = field(default_factory=list)
    workers: list[Machine] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    log_dir: Path = Path()

    def manage(self, code: str) -> object:
        """Run `code` with Django set up, on a machine of its own; what it prints as JSON."""
        admin = Machine("secretariat", self.log_dir / "secretariat")
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", textwrap.dedent(code)],
            cwd=ROOT,
            env={**self.env, **admin.env()},
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-4000:]
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def answered(self, request_line: str) -> list[int]:
        """How many times each web's access log has `request_line` ("POST /path")."""
        return [web.log().count(f'"{request_line} HTTP/1.') for web in self.webs]

    def answered_by(self, request_line: str, times: int = 1) -> list[int]:
        """`answered()` once the webs logged it `times` times in all (gunicorn writes
        its access line after the answer)."""
        wait_for(lambda: sum(self.answered(request_line)) >= times, 10, request_line)
        return self.answered(request_line)


@contextmanager
def topology(
    stack_env: dict[str, str], s3: S3Server, log_dir: Path, database_url: str
) -> Iterator[Topology]:
    """Two webs and two workers (started at once), then nginx in front of the webs."""
    redis, redis_port = start_redis(log_dir)
    bucket = s3.new_bucket()
    env = {
        **stack_env,
        **s3.environment(bucket),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "GC6_CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "GC6_TRUSTED_PROXIES": PROXY_ADDRESS,
        # The check's own work is tested elsewhere; here, where the file goes.
        "GC6_RENDER_FIRST_PAGE": "False",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    shape = Topology(env=env, s3=s3, bucket=bucket, log_dir=log_dir, processes=[redis])
    shape.webs = [Machine(f"web-{n}", log_dir / f"web-{n}") for n in (1, 2)]
    shape.workers = [Machine(f"worker-{n}", log_dir / f"worker-{n}") for n in (1, 2)]

    def start(machine: Machine) -> None:
        own = {**env, **machine.env()}
        if machine in shape.webs:
            own["GUNICORN_CMD_ARGS"] = "--access-logfile -"  # who answered what
            machine.process, machine.url = start_web(own, machine.root)
        else:
            machine.metrics_port = free_port()
            own["GC6_WORKER_METRICS_PORT"] = str(machine.metrics_port)
            machine.process = start_worker(own, machine.root, machine.name)

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            for started in [pool.submit(start, m) for m in shape.webs + shape.workers]:
                started.result()
        upstreams = [web.url.removeprefix("http://") for web in shape.webs]
        proxy, shape.proxy_url = start_nginx(log_dir / "nginx", upstreams, dict(env))
        shape.processes.append(proxy)
        yield shape
    finally:
        for machine in shape.webs + shape.workers:
            if machine.process is not None:
                machine.process.stop()
        for process in reversed(shape.processes):
            process.stop()
