"""Upload → report for a burst of uploads: LibreOffice kept running against one `soffice`
per check (today's one-shot), in the same run.

The real path, minus the browser: the intake service stores each upload (file, row,
receipt) and queues its check on commit, as the form's POST does; a real Redis; a
real Celery worker (prefork, concurrency 2, as on this 2-core machine) runs the
real check with page 1 rendered (GC6_RENDER_FIRST_PAGE on; clamd off). Latency is
the submission's `received_at` to its `checked_at` (the report stored). Each round
has its own worker (GC6_OFFICE_POOL on or off), its own call, and two unmeasured
uploads first, so neither pays a first start in the figures.

Then, kept LibreOffice only: uploads arriving at a steady rate, to find the rate
whose p95 stays under 1 s; and one check taken apart in this process (render ms
against the rest of the check).
Run: .venv/bin/python bench/bench_burst.py [--uploads 100] [--rates 2,3,4,5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-burst-"))

from tests import stack  # noqa: E402
from tests.stack import Process, free_port, start_redis, wait_for  # noqa: E402

REDIS_PORT = free_port()
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "gc6portal.settings",
    "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
    "GC6_PRIVATE_MEDIA_ROOT": str(WORK / "private"),
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    "DJANGO_DEBUG": "False",
    "GC6_RENDER_FIRST_PAGE": "True",
    "GC6_SCAN_ENABLED": "False",
    "PYTHONUNBUFFERED": "1",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from submissions import rendering  # noqa: E402
from submissions.compliance import CallRules, evaluate  # noqa: E402
from submissions.enums import State  # noqa: E402
from submissions.models import Call  # noqa: E402
from submissions.office import pool  # noqa: E402
from submissions.services.intake import SubmitterDetails, submission_create  # noqa: E402
from tests.documents import make_docx  # noqa: E402
from tests.factories import CallFactory  # noqa: E402

WARM_UPS = 2
# English words of many kinds (this project's README): texts drawn from a few words
# alike would all share the duplicate index's keys, and make regrouping the cost.
WORDS = sorted(set(re.findall(r"\b[a-z]{3,}\b", (ROOT / "README.md").read_text())))
TASK_TIME = re.compile(r"check_submission\[[^\]]+\] succeeded in ([0-9.]+)s")


def document(index: int) -> tuple[str, bytes]:
    """A distinct two-page submission (no two alike: the duplicate check groups copies),
    its stakeholder's name on page 1."""
    name = f"Burst Alliance {index} for Migrant Workers"
    rng = random.Random(index)  # noqa: S311 (the same texts every run)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(14)]
    return name, make_docx(f"Submission by {name}", *paragraphs)


def upload(call: Call, index: int) -> None:
    name, data = document(index)
    details = SubmitterDetails(
        stakeholder_name=name,
        category="civil_society",
        country="PH",
        contact_name="Bench Person",
        contact_email=f"bench{index}@example.org",
        language="en",
        publication="publish",
    )
    file = SimpleUploadedFile("submission.docx", data)
    submission_create(call=call, details=details, upload=file, interface_language="en")


def wait_checked(call: Call, count: int, timeout: float) -> None:
    def done() -> bool:
        waiting = call.submissions.filter(state__in=State.AWAITING_CHECK).count()
        return call.submissions.count() >= count and waiting == 0

    wait_for(done, timeout, f"{count} checks of {call.slug}")


def start_worker(kept: bool) -> Process:
    env = {**ENV, "GC6_OFFICE_POOL": "True" if kept else "False"}
    name = f"worker-{'kept' if kept else 'one-shot'}-{time.monotonic_ns()}"
    return stack.start_worker(env, WORK, name, concurrency=2)


def figures(call: Call, skip: int) -> dict[str, float]:
    rows = list(call.submissions.order_by("number").values_list("received_at", "checked_at"))
    rows = rows[skip:]
    checked = [(done - got).total_seconds() for got, done in rows if done]
    checked.sort()
    return {
        "n": len(rows),
        "failed": len(rows) - len(checked),
        "p50": statistics.median(checked),
        "p95": checked[int(0.95 * (len(checked) - 1))],
        "max": checked[-1],
        "drain": (max(d for _, d in rows if d) - min(g for g, _ in rows)).total_seconds(),
        "arrival": (max(g for g, _ in rows) - min(g for g, _ in rows)).total_seconds(),
    }


def task_seconds(worker: Process, skip: int) -> float:
    times = [float(t) for t in TASK_TIME.findall(worker.log.read_text(errors="replace"))]
    return statistics.median(times[skip:]) if times[skip:] else float("nan")


def burst(kept: bool, uploads: int) -> tuple[dict[str, float], float]:
    worker = start_worker(kept)
    try:
        call = CallFactory(slug=f"burst-{'kept' if kept else 'one-shot'}")
        for index in range(WARM_UPS):
            upload(call, 10_000 + index)
        wait_checked(call, WARM_UPS, 120)
        for index in range(uploads):  # as fast as the intake takes them
            upload(call, index)
        wait_checked(call, WARM_UPS + uploads, 30 + uploads * 5)
        return figures(call, WARM_UPS), task_seconds(worker, WARM_UPS)
    finally:
        worker.stop()


def paced(rates: list[float], uploads: int) -> list[tuple[float, dict[str, float]]]:
    worker = start_worker(True)
    results = []
    try:
        for rate in rates:
            call = CallFactory(slug=f"paced-{rate}")
            for index in range(WARM_UPS):
                upload(call, 20_000 + index)
            wait_checked(call, WARM_UPS, 120)
            start = time.monotonic()
            for index in range(uploads):
                time.sleep(max(0.0, start + index / rate - time.monotonic()))
                upload(call, 30_000 + index)
            wait_checked(call, WARM_UPS + uploads, 30 + uploads * 5)
            results.append((rate, figures(call, WARM_UPS)))
    finally:
        worker.stop()
    return results


def median_ms(fn, runs: int = 7) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def one_check_apart() -> dict[str, float]:
    name, data = document(1)
    rules = CallRules(word_limit=5000, deadline=datetime(2030, 1, 1, tzinfo=UTC))
    received = datetime(2026, 1, 1, tzinfo=UTC)

    def check(renderer):
        return lambda: evaluate(
            data,
            rules=rules,
            stakeholder_name=name,
            received_at=received,
            render_first_page=renderer,
        )

    kept = median_ms(lambda: rendering.render_first_page(data))
    pool.ENABLED = False
    try:
        one_shot = median_ms(lambda: rendering.render_first_page(data), runs=3)
    finally:
        pool.ENABLED = True
    return {
        "rules ms": median_ms(check(None)),
        "render kept ms": kept,
        "render one-shot ms": one_shot,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--rates", default="2,3,4,5")
    parser.add_argument("--paced-uploads", type=int, default=40)
    args = parser.parse_args()
    redis, _ = start_redis(WORK, REDIS_PORT)
    try:
        call_command("migrate", verbosity=0)
        kept, kept_task = burst(True, args.uploads)
        one_shot, one_shot_task = burst(False, args.uploads)
        print(f"\nBurst of {args.uploads} uploads, 2 worker processes:\n")
        print("| figure | one soffice per check | LibreOffice kept | ratio (kept / one-shot) |")
        print("|---|---|---|---|")
        for key in ("p50", "p95", "max", "drain"):
            ratio = kept[key] / one_shot[key]
            print(f"| {key} s | {one_shot[key]:.2f} | {kept[key]:.2f} | {ratio:.2f} |")
        print(
            f"| check task s (median, worker's log) | {one_shot_task:.2f} | {kept_task:.2f} "
            f"| {kept_task / one_shot_task:.2f} |"
        )
        print(f"| uploads arrived within s | {one_shot['arrival']:.2f} | {kept['arrival']:.2f} | |")
        print(f"| failed checks | {one_shot['failed']} | {kept['failed']} | |")
        rates = [float(r) for r in args.rates.split(",") if r]
        print(f"\nSteady arrivals, LibreOffice kept, {args.paced_uploads} uploads a rate:\n")
        print("| uploads/s | p50 s | p95 s | max s | p95 < 1 s |")
        print("|---|---|---|---|---|")
        for rate, got in paced(rates, args.paced_uploads):
            print(
                f"| {rate:g} | {got['p50']:.2f} | {got['p95']:.2f} | {got['max']:.2f} "
                f"| {'yes' if got['p95'] < 1 else 'no'} |"
            )
        print("\nOne check taken apart (this process, median):\n")
        for key, value in one_check_apart().items():
            print(f"- {key}: {value:.0f}")
    finally:
        pool.close_shared()
        redis.stop()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
