"""How long and how much memory the rule check takes, against a baseline in the same run.

Baseline: what any checker must at least do, open the file with python-docx and
join its paragraphs' text. Our check does more (tables, notes, text boxes, page 1,
the name), so the figure to watch is the ratio, which does not depend on the
machine. Run: .venv/bin/python bench/bench_check.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from submissions.compliance import CallRules, evaluate

DATA = Path(__file__).parent / "data"
RULES = CallRules(word_limit=5000, deadline=datetime(2030, 1, 1, tzinfo=UTC))
NAME = "Global Alliance for Migrant Workers' Rights"
RUNS = 7


def baseline(data: bytes) -> int:
    document = docx.Document(io.BytesIO(data))
    return len(" ".join(p.text for p in document.paragraphs).split())


def check(data: bytes) -> int:
    report = evaluate(data, rules=RULES, stakeholder_name=NAME, received_at=datetime.now(UTC))
    return report.word_count or 0


def measure(fn, data: bytes) -> tuple[float, float]:
    """Median seconds over RUNS, and peak traced memory in MiB of one run."""
    fn(data)  # warm up imports and caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn(data)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def main() -> None:
    print("| file | baseline s | check s | time ratio | baseline MiB | check MiB | memory ratio |")
    print("|---|---|---|---|---|---|---|")
    for name in ("bench_5k.docx", "bench_50k.docx"):
        data = (DATA / name).read_bytes()
        (bt, bm), (ct, cm) = measure(baseline, data), measure(check, data)
        print(f"| {name} | {bt:.3f} | {ct:.3f} | {ct / bt:.2f} | {bm:.1f} | {cm:.1f} | "
              f"{cm / bm:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
