"""Rebuild the corpus in tests/data/corpus/ and record LibreOffice's answers.

Run from the project's root, on a machine with LibreOffice, python3-uno and
poppler-utils (see ../shared/oracle/README.md):

    .venv/bin/python -m tests.corpus.build

Writes every document of tests/corpus/sources.py, then asks the oracle
(../shared/oracle/lo_oracle.py, run with the system Python that has `uno`) what
LibreOffice counts and shows on page 1, and saves that in expected.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.corpus import sources

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "tests" / "data" / "corpus"
ORACLE = ROOT.parent / "shared" / "oracle" / "lo_oracle.py"


def oracle(path: Path, needle: str) -> dict:
    result = subprocess.run(
        ["/usr/bin/python3", str(ORACLE), str(path), "--needle", needle, "--parts"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def needle_on_page_one(lines: int, work: Path) -> bool:
    source = {"probe": sources.edge_sources(lines)["name_last_line_page1"]}
    path = sources.write_all(source, work, work / "profile")["probe"]
    return oracle(path, sources.NAME)["needle_on_page1"]


def find_edge(work: Path, low: int = 10, high: int = 80) -> int:
    """The most one-line paragraphs before the byline that still leave it on page 1."""
    assert needle_on_page_one(low, work) and not needle_on_page_one(high, work)
    while high - low > 1:
        middle = (low + high) // 2
        if needle_on_page_one(middle, work):
            low = middle
        else:
            high = middle
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edge-lines", type=int, help="skip the search for the page edge")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        edge = args.edge_lines or find_edge(Path(tmp))
        print(f"page 1 holds the byline after at most {edge} one-line paragraphs")
        corpus = {**sources.SOURCES, **sources.edge_sources(edge)}
        for old in OUT.glob("*.docx"):
            old.unlink()
        paths = sources.write_all(corpus, OUT, Path(tmp) / "profile")
    expected: dict = {"_edge_lines": edge}
    for name, source in corpus.items():
        answer = oracle(paths[name], source.needle)
        parts = {k: v["words_breakiterator"] for k, v in (answer.get("parts") or {}).items()}
        expected[name] = {
            "writer": source.writer,
            "description": source.description,
            "needle": source.needle,
            "estimate_reliable": source.estimate_reliable,
            "lo_word_count": answer["lo_word_count"],
            "parts": parts,
            "headers_footers_words": parts.get("headers_footers", 0),
            "page_count": answer.get("page_count"),
            "needle_on_page1": answer["needle_on_page1"],
            "oracle_method": answer.get("method"),
        }
        print(
            f"{name}: {answer['lo_word_count']} words, name on page 1: {answer['needle_on_page1']}",
            file=sys.stderr,
        )
    (OUT / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
