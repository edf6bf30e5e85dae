"""What scanning with clamd adds before the check, against the check itself, same run.

The baseline is the rule check of bench_check.py on the same file; the figure is the
scan's time as a share of it. clamd is started here as the tests start it (tests/
clamd.py: the shipped EICAR signatures only, so this measures the protocol and
clamd's archive walk, not a full signature database: with the real database, clamd's
own matching costs more, and grows with the file).
Run: .venv/bin/python bench/bench_scan.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from bench.bench_check import DATA, check  # noqa: E402
from submissions import scanning  # noqa: E402
from tests.clamd import Clamd  # noqa: E402

RUNS = 7


def median_ms(fn, data: bytes) -> float:
    fn(data)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    server = Clamd(Path(tempfile.mkdtemp(prefix="bench-clamd-")), 25 * 2**20)
    server.start()
    settings.GC6_SCAN_ENABLED = True
    settings.GC6_CLAMD_SOCKET, settings.GC6_CLAMD_HOST = "", server.host
    settings.GC6_CLAMD_PORT = server.port
    try:
        print("| file | check ms | scan ms | scan / check |")
        print("|---|---|---|---|")
        for name in ("bench_5k.docx", "bench_50k.docx"):
            data = (DATA / name).read_bytes()
            assert scanning.scan_bytes(data).clean
            checked, scanned = median_ms(check, data), median_ms(scanning.scan_bytes, data)
            print(f"| {name} | {checked:.1f} | {scanned:.1f} | {scanned / checked:.2f} |")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
