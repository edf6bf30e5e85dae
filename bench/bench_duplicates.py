"""What finding duplicates costs: the signature beside the check, the grouping per call.

1. The MinHash signature of a file's text, computed after each check, against the
   check itself on the same file (bench/data): the ratio says what it adds.
2. Grouping a call's submissions (same file, same stakeholder, near-identical text
   with LSH) at 200 and 2,000 submissions, against grouping by file hash alone (a
   dict, the floor) in the same run: near-linear growth is the target.
3. In the database (SQLite in a temporary file, or --database-url), a call of 10,000
   and of 100,000 submissions (a tenth of them copies of five campaign letters; the
   signatures made up, as a text's would be): what a check cost before (the whole
   call read, grouped and written under the lock) against what it costs now (one
   submission's keys looked up in the index, `submission_regroup`), for a new copy
   of a campaign letter, a new unrelated submission, and a withdrawal from a campaign.
Run: .venv/bin/python bench/bench_duplicates.py [--database-url URL] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from submissions.compliance import CallRules, evaluate
from submissions.duplicates import group, signature

DATA = Path(__file__).parent / "data"
RULES = CallRules(word_limit=5000, deadline=datetime(2030, 1, 1, tzinfo=UTC))
RUNS = 7


def run_check(data: bytes):
    return evaluate(data, rules=RULES, stakeholder_name="x", received_at=datetime.now(UTC))


def timed(fn, *args, runs: int = RUNS) -> float:
    fn(*args)  # warm up imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rows(count: int, seed: int = 1) -> list[dict]:
    """A call: a tenth of the submissions are copies of five campaign letters."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    vocabulary = [f"w{n}" for n in range(20_000)]
    letters = [" ".join(rng.choices(vocabulary, k=400)) for _ in range(5)]
    out = []
    for n in range(count):
        if n % 10 == 0:
            words = letters[n % 5].split()
            words[rng.randrange(len(words))] = "changed"
            text = " ".join(words)
        else:
            text = " ".join(rng.choices(vocabulary, k=400))
        out.append(
            {
                "pk": n,
                "number": n + 1,
                "sha256": f"{n:064x}",
                "stakeholder_name": f"Organisation {n}",
                "text_signature": signature(text),
            }
        )
    return out


def by_hash(rows: list[dict]) -> dict:
    seen: dict[str, list[int]] = {}
    for row in rows:
        seen.setdefault(row["sha256"], []).append(row["pk"])
    return seen


def fake_signature(rng: random.Random, base: list[int] | None = None) -> list[int]:
    """A signature as a text's would be: random values, or a campaign letter's with a
    few values changed (a few words edited)."""
    if base is None:
        return [rng.randrange(2**32) for _ in range(64)]
    copy = list(base)
    for _ in range(rng.randrange(4)):
        copy[rng.randrange(64)] = rng.randrange(2**32)
    return copy


def setup_django(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tempfile.mkdtemp()}/dup.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_call(count: int, rng: random.Random):
    """A call of `count` checked submissions, grouped and indexed."""
    from django.utils import timezone

    from submissions.enums import State
    from submissions.models import Call, Submission
    from submissions.services import grouping

    call = Call.objects.create(
        slug=f"dup-{count}",
        tracking_prefix=f"D{count}",
        title="Duplicates benchmark",
        summary="-",
        opens_at=timezone.now(),
        deadline=timezone.now(),
    )
    letters = [fake_signature(rng) for _ in range(5)]
    batch = []
    for number in range(1, count + 1):
        campaign = number % 10 == 0
        batch.append(
            Submission(
                call=call,
                number=number,
                state=State.ACCEPTED,
                stakeholder_name=f"Organisation {number // 2 if number % 97 == 0 else number}",
                category="other",
                contact_name="x",
                contact_email="x@example.org",
                language="en",
                publication="publish",
                file=f"dup/{count}/{number}.docx",
                original_filename="x.docx",
                file_size=1,
                sha256=f"{(number // 2) if number % 89 == 0 else number:064x}",
                status_token_hash=f"{count}-{number}",
                text_signature=fake_signature(rng, letters[number // 10 % 5] if campaign else None),
            )
        )
        if len(batch) == 2000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    grouping.submission_group_duplicates(call=call)
    return call, letters


def regroup_as_before(call) -> None:
    """What each check did before the index: the whole call read, grouped, written."""
    from django.db import transaction

    from submissions import duplicates
    from submissions.enums import State
    from submissions.models import Call, Submission
    from submissions.services.grouping import _write

    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        rows = list(
            Submission.objects.filter(call=call)
            .exclude(state__in=State.NOT_GROUPED)
            .values("pk", "number", "sha256", "stakeholder_name", "text_signature")
        )
        current = Submission.objects.filter(call=call).values_list(
            "pk", "duplicate_group", "duplicate_reasons"
        )
        _write(duplicates.group(rows), current)


def incremental(call, letters: list[list[int]], rng: random.Random) -> dict[str, float]:
    """Median ms of `submission_regroup` for a new campaign copy, a new unrelated
    submission and a campaign copy's withdrawal (a new row each time)."""
    from submissions.enums import State
    from submissions.models import Submission
    from submissions.services import grouping

    template = Submission.objects.filter(call=call).first()
    assert template is not None
    out: dict[str, list[float]] = {"campaign copy": [], "unrelated": [], "withdrawal": []}
    for run in range(RUNS):
        for kind in ("campaign copy", "unrelated"):
            new = Submission.objects.get(pk=template.pk)
            new.pk, new.number = None, 10_000_000 + run * 2 + (kind == "unrelated")
            new.status_token_hash = f"new-{call.pk}-{new.number}"
            new.sha256, new.stakeholder_name = f"new-{new.number}", f"New {new.number}"
            new.duplicate_group, new.duplicate_reasons = None, []
            new.text_signature = fake_signature(rng, letters[0] if kind != "unrelated" else None)
            new.save()
            start = time.perf_counter()
            grouping.submission_regroup(submission=new)
            out[kind].append(time.perf_counter() - start)
            if kind == "campaign copy":
                copy = new
        Submission.objects.filter(pk=copy.pk).update(state=State.WITHDRAWN)
        start = time.perf_counter()
        grouping.submission_regroup(submission=copy)
        out["withdrawal"].append(time.perf_counter() - start)
    return {kind: statistics.median(times) for kind, times in out.items()}


def database_figures(sizes: list[int], database_url: str | None) -> None:
    setup_django(database_url)
    from django.db import connection

    print()
    print(f"In the database ({connection.vendor}): ms per change, median of {RUNS}.")
    print()
    print(
        "| submissions | whole call regrouped (before) ms | campaign copy added ms "
        "| ratio | unrelated added ms | ratio | campaign copy withdrawn ms | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rng = random.Random(3)  # noqa: S311 - test data, not secrets
    for count in sizes:
        call, letters = database_call(count, rng)
        before = timed(regroup_as_before, call, runs=3)
        now = incremental(call, letters, rng)
        cells = " | ".join(
            f"{now[kind] * 1000:.1f} | {before / now[kind]:,.0f}×"
            for kind in ("campaign copy", "unrelated", "withdrawal")
        )
        print(f"| {count:,} | {before * 1000:,.0f} | {cells} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database-only", action="store_true", help="only part 3")
    args = parser.parse_args()
    if not args.database_only:
        pure_figures()
    database_figures([int(n) for n in args.sizes.split(",")], args.database_url)


def pure_figures() -> None:
    print("| file | check ms | signature ms | signature / check |")
    print("|---|---|---|---|")
    for name in ("bench_5k.docx", "bench_50k.docx"):
        data = (DATA / name).read_bytes()
        text = run_check(data).text
        check = timed(run_check, data)
        sign = timed(signature, text)
        print(f"| {name} | {check * 1000:.1f} | {sign * 1000:.1f} | {sign / check:.2f} |")
    print()
    print("| submissions | floor ms | grouping ms | grouping / floor | growth from 200 |")
    print("|---|---|---|---|---|")
    first = None
    for count in (200, 2000):
        call = rows(count)
        floor, grouping = timed(by_hash, call), timed(group, call)
        first = first or grouping
        print(
            f"| {count} | {floor * 1000:.2f} | {grouping * 1000:.1f} | {grouping / floor:.0f} | "
            f"{grouping / first:.1f} |"
        )


if __name__ == "__main__":
    main()
