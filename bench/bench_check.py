"""How long and how much memory the rule check takes, against a baseline in the same run.

Baseline (the floor): what any checker must at least do, read the zip and parse
the document's text parts (body, footnotes, endnotes) with lxml, collecting their
text. Our check also opens the package with python-docx, resolves styles, decides
page 1, looks for the name and a request not to publish, and detects the language
(page 1 is estimated here: rendering with LibreOffice is a separate process).
The ratio is the figure to watch; it does not depend on the machine.
Run: .venv/bin/python bench/bench_check.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from submissions.compliance import CallRules, evaluate

DATA = Path(__file__).parent / "data"
RULES = CallRules(word_limit=5000, deadline=datetime(2030, 1, 1, tzinfo=UTC))
NAME = "Global Alliance for Migrant Workers' Rights"
RUNS = 7


TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def baseline(data: bytes) -> int:
    words = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in TEXT_PARTS:
            if name in archive.namelist():
                root = etree.fromstring(archive.read(name))
                words += len(" ".join(t.text or "" for t in root.iter(W_T)).split())
    return words


def python_docx_open(data: bytes) -> int:
    """For reference: only opening the file with python-docx, as the check must."""
    return len(docx.Document(io.BytesIO(data)).paragraphs)


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
    print(
        "| file | floor ms | python-docx open ms | check ms | check / floor | "
        "open / floor | floor MiB | check MiB | memory ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in ("bench_5k.docx", "bench_50k.docx"):
        data = (DATA / name).read_bytes()
        (bt, bm), (ot, _), (ct, cm) = (
            measure(f, data) for f in (baseline, python_docx_open, check)
        )
        print(
            f"| {name} | {bt * 1000:.1f} | {ot * 1000:.1f} | {ct * 1000:.1f} | {ct / bt:.2f} | "
            f"{ot / bt:.2f} | {bm:.1f} | {cm:.1f} | {cm / bm:.2f} |"
        )


if __name__ == "__main__":
    main()
