"""The portal over HTTP against a bare Django 5.2 project, interleaved in one run.

Both run under gunicorn on free loopback ports with the same settings (2 sync workers,
timeout 60 s, DEBUG off, a secret key), each on a SQLite database in a temporary folder
seeded with the same 100,000 posted rows (the portal's by bench_public_pages.fill(), on
one call, "bench"; the bare project's by seed.py). The portal also gets its static
files collected and a Redis on a free port as its broker, so that queuing the check and
the receipt after an upload's commit costs what it costs in production; no Celery worker
runs (the checks would take the CPU the servers are measured on; the queue just grows),
and no clamd (only the worker scans). Its limits per client and hour
(GC6_SUBMISSIONS_PER_HOUR, GC6_HELD_FILES_PER_HOUR) are raised for the run: every
upload comes from 127.0.0.1.

Figures, each bare then portal (portal first in every other round), ROUNDS times; the
median of each is kept:
  home           the portal's home page  vs  the bare hello view (a string)
  posted list    /calls/bench/submissions/ (25 a page, counts, filters)  vs  /list/ (50 rows)
  search         the posted list with ?q=remittances (a word in every text)  vs  /list/
                 (the same round's bare list: measured once)
  search, uncached  the same, each request a new query ("remittances or zz1x42": every
                 text matches, no page cache has it)  vs  the same bare list
  uploads        load.py: the form's GET and POST  vs  the bare upload view's single POST
Pages are measured with wrk (DURATION seconds, CONNECTIONS connections, 2 threads, 30 s
timeout), uploads by load.py (CONNECTIONS client threads for DURATION seconds).
wrk, the load generator and the servers share the machine's cores, both sides alike.
docker-compose's --max-requests 2000 and access log are left out (a worker restarting
mid-measurement is noise), and both keep Django's CONN_MAX_AGE of 0 (compose sets 60).

--database postgresql starts a throwaway PostgreSQL cluster (initdb in the temporary
folder, a free port, fsync off, as the `postgres` user when run as root) and seeds both
projects into it, a database each; the search goal is PostgreSQL's.

Run: .venv/bin/python bench/http/run.py [--duration 15] [--connections 16] [--rounds 3]
     [--quick] [--keep] [--database sqlite|postgresql]
About 6 minutes with the defaults on 2 cores; --quick (5 s, 2 rounds) under 2. --keep
leaves the temporary folder (databases, logs) and prints where it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
ROWS = 100_000
SEARCH_WORD = "remittances"


@dataclass(frozen=True)
class Figure:
    name: str
    bare: str  # the bare project's path, or "upload"
    portal: str
    goal: float | None
    goal_text: str
    shares_bare_of: str = ""  # another figure whose bare measurement (same round) is its own
    script: str = "wrk_report.lua"  # wrk's script (in this folder)


FIGURES = [
    Figure("home vs a hello view", "/hello/", "/", None, "record it"),
    Figure("posted list vs a bare 50-row list", "/list/", "/calls/bench/submissions/", 1.0, "≥ 1×"),
    Figure(
        "full-text search vs the bare list",
        "/list/",
        f"/calls/bench/submissions/?q={SEARCH_WORD}",
        0.5,
        "≥ 0.5× on PostgreSQL",
        shares_bare_of="posted list vs a bare 50-row list",
    ),
    # The page cache answers the figure above after the first request: this one's
    # searches are all new (all rows match, as above), so the full-text index answers.
    Figure(
        "full-text search, uncached, vs the bare list",
        "/list/",
        f"/calls/bench/submissions/?q={SEARCH_WORD}+or+",
        0.5,
        "≥ 0.5× on PostgreSQL",
        shares_bare_of="posted list vs a bare 50-row list",
        script="wrk_search.lua",
    ),
    Figure("uploads (form GET + POST vs one POST)", "upload", "upload", 0.7, "≥ 0.7×"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child in a session of its own, its output in a log file; stopped by its group."""

    def __init__(self, name: str, args: list[str], env: dict, cwd: Path, logs: Path) -> None:
        self.name, self.log = name, logs / f"{name}.log"
        with self.log.open("wb") as log:
            self.popen = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def wait_for(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"{process.name} did not answer {url}:\n{process.tail()}")


def gunicorn(name: str, app: str, cwd: Path, env: dict, logs: Path) -> tuple[Process, str]:
    port = free_port()
    args = [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "2", "--worker-class", "sync", "--timeout", "60"]
    return Process(name, args, env, cwd, logs), f"http://127.0.0.1:{port}"


def wrk(url: str, duration: int, connections: int, script: str = "wrk_report.lua") -> dict:
    args = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
    args += ["-d", f"{duration}s", "--timeout", "30s", "-s", script, url]
    # In this folder: a script loads wrk_report.lua by its name.
    output = subprocess.run(args, capture_output=True, text=True, check=True, cwd=HERE).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return {
        "per_second": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "errors": {
            kind: report[kind]
            for kind in ("connect", "read", "write", "status", "timeout")
            if report[kind]
        },
    }


def uploads(kind: str, url: str, duration: int, connections: int) -> dict:
    args = [sys.executable, str(HERE / "load.py"), kind, url]
    args += ["--clients", str(connections), "--duration", str(duration)]
    report = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    return {
        "per_second": report["per_second"],
        "p50_ms": report["upload_p50_ms"],
        "p99_ms": report["upload_p99_ms"],
        "errors": report["failures"],
        "detail": report,
    }


def measure(side: str, figure: Figure, base: str, args: argparse.Namespace) -> dict:
    path = getattr(figure, side)
    if path == "upload":
        return uploads(side, base, args.duration, args.connections)
    script = figure.script if side == "portal" else "wrk_report.lua"
    return wrk(base + path, args.duration, args.connections, script)


class PostgreSQL:
    """A throwaway cluster in `folder`, on a free loopback port, with two databases."""

    def __init__(self, logs: Path) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            raise SystemExit("PostgreSQL is needed: apt-get install -y postgresql")
        # A folder of its own: the run's temporary folder is closed to other users.
        folder = Path(tempfile.mkdtemp(prefix="gc6-http-bench-pg-"))
        self.bin, self.folder, self.port = found[-1].parent, folder, free_port()
        if os.geteuid() == 0:  # initdb refuses root: the cluster is the postgres user's
            shutil.chown(folder, "postgres")
        self.run(
            "initdb", "-D", str(folder / "data"), "--auth=trust", "-U", "postgres", "-E", "UTF8"
        )
        options = f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(folder / "server.log")
        self.run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", log, "-w", "start")
        for name in ("portal", "bare"):
            self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        self.version = self.run("postgres", "--version").strip()
        (logs / "postgresql.log").symlink_to(log)

    def run(self, tool: str, *args: str) -> str:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self, keep: bool) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "stop")
        if keep:
            print(f"kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def seed(tmp: Path, rows: int, logs: Path, postgres: PostgreSQL | None) -> tuple[str, str]:
    portal_url = f"sqlite:///{tmp / 'portal.sqlite3'}"
    bare_path = str(tmp / "bare.sqlite3")
    if postgres:
        portal_url, bare_path = postgres.url("portal"), postgres.url("bare")
    env = {**os.environ, "BARE_MEDIA_ROOT": str(tmp / "bare-media")}
    script = str(HERE / "seed.py")
    jobs = [
        Process(
            "seed-portal",
            [sys.executable, script, "portal", portal_url, str(rows)],
            env,
            ROOT,
            logs,
        ),
        Process(
            "seed-bare", [sys.executable, script, "bare", bare_path, str(rows)], env, ROOT, logs
        ),
    ]
    for job in jobs:
        if job.popen.wait() != 0:
            raise SystemExit(f"{job.name} failed:\n{job.tail()}")
    return portal_url, bare_path


def environments(tmp: Path, portal_db: str, bare_db: str, broker: str) -> tuple[dict, dict]:
    common = {**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    common.pop("DJANGO_SETTINGS_MODULE", None)
    portal = {
        **common,
        "DJANGO_SETTINGS_MODULE": "gc6portal.settings",
        "DJANGO_DEBUG": "False",
        "DATABASE_URL": portal_db,
        "GC6_VAR_DIR": str(tmp / "var"),
        "GC6_PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback, as `make run` serves it.
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "CELERY_BROKER_URL": broker,
        # The cache production has: the same Redis, another database.
        "GC6_CACHE_URL": broker.rsplit("/", 1)[0] + "/1",
        "GC6_LOG_FORMAT": "json",
        # Every upload comes from 127.0.0.1: the hourly allowances would stop them.
        "GC6_SUBMISSIONS_PER_HOUR": "1000000000",
        "GC6_HELD_FILES_PER_HOUR": "1000000000",
    }
    bare = {
        **common,
        "DJANGO_SETTINGS_MODULE": "bare.settings",
        "BARE_DATABASE": bare_db,
        "BARE_MEDIA_ROOT": str(tmp / "bare-media"),
    }
    return portal, bare


def start_redis(tmp: Path, logs: Path) -> tuple[Process | None, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        print("no redis-server: the broker is down, each upload's queuing fails fast")
        return None, "redis://127.0.0.1:1/0"
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp)]
    args += ["--save", "", "--appendonly", "no"]
    redis = Process("redis", args, dict(os.environ), tmp, logs)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            break
        except OSError:
            time.sleep(0.1)
    return redis, f"redis://127.0.0.1:{port}/0"


def check_upload(kind: str, base: str) -> None:
    """One upload each way before measuring: a form that refuses it fails here, loudly."""
    report = json.loads(
        subprocess.run(
            [
                sys.executable,
                str(HERE / "load.py"),
                kind,
                base,
                "--clients",
                "1",
                "--duration",
                "1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    if report["failures"] or not report["uploads"]:
        raise SystemExit(f"the {kind} upload does not work: {report}")


def machine_line(database: str) -> str:
    versions = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    import django
    import gunicorn

    return (
        f"{date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.__version__}, gunicorn {gunicorn.__version__}, "
        f"{versions.split(' [')[0].strip() or 'wrk'}, {database}"
    )


def table(results: dict, args: argparse.Namespace) -> str:
    lines = [
        f"{args.rounds} rounds, {args.duration} s × {args.connections} connections; medians; "
        f"{args.database}.",
        "",
        "| figure | bare req/s | portal req/s | ratio | issue's goal | met? "
        "| bare p99 ms | portal p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for figure in FIGURES:
        bare = results[figure.name]["bare"]
        portal = results[figure.name]["portal"]
        b = statistics.median(r["per_second"] for r in bare)
        p = statistics.median(r["per_second"] for r in portal)
        ratio = p / b if b else 0.0
        if figure.goal is None:
            met = "—"
        elif "PostgreSQL" in figure.goal_text and args.database != "postgresql":
            met = f"not measured (SQLite: {'yes' if ratio >= figure.goal else 'no'})"
        else:
            met = "yes" if ratio >= figure.goal else "no"
        b99 = statistics.median(r["p99_ms"] for r in bare)
        p99 = statistics.median(r["p99_ms"] for r in portal)
        lines.append(
            f"| {figure.name} | {b:,.1f} | {p:,.1f} | {ratio:.3f}× | {figure.goal_text} | {met} "
            f"| {b99:,.0f} | {p99:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, clients")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS, help="posted submissions seeded")
    parser.add_argument("--quick", action="store_true", help="5 s a measurement, 2 rounds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds = 5, 2
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    tmp = Path(tempfile.mkdtemp(prefix="gc6-http-bench-"))
    logs = tmp / "logs"
    logs.mkdir()
    processes: list[Process] = []
    postgres: PostgreSQL | None = None
    database = f"SQLite {sqlite3.sqlite_version}"
    results: dict[str, dict[str, list[dict]]] = {
        f.name: {"bare": [], "portal": []} for f in FIGURES
    }
    try:
        started = time.monotonic()
        if args.database == "postgresql":
            postgres = PostgreSQL(logs)
            database = postgres.version.replace("postgres (PostgreSQL)", "PostgreSQL")
        portal_db, bare_db = seed(tmp, args.rows, logs, postgres)
        print(
            f"seeded {args.rows:,} posted rows on each side in {time.monotonic() - started:.0f} s"
        )
        redis, broker = start_redis(tmp, logs)
        if redis:
            processes.append(redis)
        portal_env, bare_env = environments(tmp, portal_db, bare_db, broker)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=portal_env,
            check=True,
        )
        bare, bare_url = gunicorn("bare", "bare.wsgi:application", HERE, bare_env, logs)
        portal, portal_url = gunicorn(
            "portal", "gc6portal.wsgi:application", ROOT, portal_env, logs
        )
        processes += [bare, portal]
        wait_for(bare_url + "/hello/", bare)
        wait_for(portal_url + "/", portal)
        bases = {"bare": bare_url, "portal": portal_url}
        for figure in FIGURES:  # every page answers 200, and warms up
            for side in ("bare", "portal"):
                path = getattr(figure, side)
                if path == "upload":
                    check_upload(side, bases[side])
                else:
                    for _ in range(3):
                        url = bases[side] + path
                        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                            assert response.status == 200, (side, path)
        for number in range(args.rounds):
            sides = ("bare", "portal") if number % 2 == 0 else ("portal", "bare")
            for figure in FIGURES:
                for side in sides:
                    if side == "bare" and figure.shares_bare_of:
                        # The bare list is the baseline of two figures: measured once a round.
                        shared = results[figure.shares_bare_of]["bare"][-1]
                        results[figure.name]["bare"].append(shared)
                        continue
                    result = measure(side, figure, bases[side], args)
                    results[figure.name][side].append(result)
                    errors = f"  errors {result['errors']}" if result["errors"] else ""
                    print(
                        f"round {number + 1} {figure.name:<40} {side:<6} "
                        f"{result['per_second']:9.1f}/s  p50 {result['p50_ms']:8.1f} ms  "
                        f"p99 {result['p99_ms']:8.1f} ms{errors}",
                        flush=True,
                    )
                    if "detail" in result and side == "portal":
                        d = result["detail"]
                        print(
                            f"{'':56}GET p50 {d['get_p50_ms']:.1f} ms p99 {d['get_p99_ms']:.1f}"
                            f" ms, POST p50 {d['post_p50_ms']:.1f} ms p99 {d['post_p99_ms']:.1f} ms"
                        )
        print(f"total {time.monotonic() - started:.0f} s")
    finally:
        for process in reversed(processes):
            process.stop()
        if postgres:
            postgres.stop(args.keep)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(machine_line(database))
    print()
    print(table(results, args))


if __name__ == "__main__":
    main()
