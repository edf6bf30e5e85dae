"""What finding duplicates costs: the signature beside the check, the grouping per call.

1. The MinHash signature of a file's text, computed after each check, against the
   check itself on the same file (bench/data): the ratio says what it adds.
2. Grouping a call's submissions (same file, same stakeholder, near-identical text
   with LSH) at 200 and 2,000 submissions, against grouping by file hash alone (a
   dict, the floor) in the same run: near-linear growth is the target.
Run: .venv/bin/python bench/bench_duplicates.py
"""

from __future__ import annotations

import random
import statistics
import sys
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


def timed(fn, *args) -> float:
    fn(*args)  # warm up imports
    times = []
    for _ in range(RUNS):
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


def main() -> None:
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
