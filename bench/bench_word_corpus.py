"""The rule check on a corpus of real Word files, against LibreOffice's answers.

For every .docx in the corpus: does the check give a report (no exception), is the
file refused and why, and does its word count agree with LibreOffice's count of
the same parts (body, tables, notes, text boxes; headers and footers left out) to
within 1% or 2 words. LibreOffice's answers are the oracle's JSON beside the files
(`../shared/oracle/lo_oracle.py`). Its per-part sum leaves list labels out, as
Word does; where that sum misses text (inside some content controls) its total
less headers and footers is the reference instead, and a count agrees when it
agrees with either. Two adjustments keep the comparison to the same text:
LibreOffice counts tracked deletions (it shows them) where Word's final view, and
ours, leaves them out, so for a file with tracked changes the reference is
LibreOffice's count after it accepted them itself (`tests/corpus/final_view.py`,
answers in bench/data/word_corpus_final_view.json); and LibreOffice's shapes
include text boxes anchored in headers and footers, so their words are added to
ours for the comparison (the check itself never counts them).

Run: .venv/bin/python bench/bench_word_corpus.py [CORPUS_DIR] [--json OUT]
CORPUS_DIR holds `files/` and `answers/` (default: ../shared/word-corpus/open-xml-powertools).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.libreoffice_answers import Outcome, distance, judge_corpus

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "word-corpus" / "open-xml-powertools"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="write every file's outcome here")
    args = parser.parse_args()
    files = sorted((args.corpus / "files").glob("*.docx"))
    outcomes: list[Outcome] = judge_corpus(args.corpus)
    by_status = collections.Counter(o.status for o in outcomes)
    refused = collections.Counter(o.code for o in outcomes if o.status == "refused")
    compared = [o for o in outcomes if o.agrees is not None]
    agreeing = sum(o.agrees for o in compared)
    times = sorted(o.ms for o in outcomes if o.status != "raised")
    print(f"corpus: {args.corpus} ({len(files)} files)")
    print(f"reported: {by_status['reported'] + by_status['no_answer']}")
    print(f"refused: {by_status['refused']} {dict(refused.most_common())}")
    print(f"raised: {by_status['raised']}")
    for o in outcomes:
        if o.status == "raised":
            print(f"  raised  {o.name}: {o.code}")
    print(f"without LibreOffice's answer: {by_status['no_answer']}")
    share = agreeing / len(compared) if compared else 0.0
    print(f"within 1% or 2 words: {agreeing} of {len(compared)} ({share:.1%})")
    if times:
        print(f"check time: median {times[len(times) // 2]:.1f} ms, slowest {times[-1]:.0f} ms")
    print("worst ten (ours, LibreOffice's per-part sum, its total less headers and footers):")
    for o in sorted(compared, key=lambda o: (not o.agrees, distance(o)), reverse=True)[:10]:
        verdict = "agrees" if o.agrees else "DIFFERS"
        print(f"  {verdict} {o.name}: {o.ours} vs {o.reference} / {o.alternative}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
