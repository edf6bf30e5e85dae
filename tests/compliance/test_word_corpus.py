"""The whole Word corpus (../shared/word-corpus/, 714 files Word saved), as the benchmark runs it.

The committed subset (test_word_files.py) holds what each feature needs; this runs
every file, so a change that breaks a file we did not pick is seen. The figures
printed by bench/bench_word_corpus.py are the same computation.
"""

from __future__ import annotations

from tests.libreoffice_answers import ROOT, judge_corpus
from tests.tools import require_path

CORPUS = ROOT.parent / "shared" / "word-corpus" / "open-xml-powertools"


def test_every_file_word_saved_gets_a_report_counted_as_libreoffice_counts():
    outcomes = judge_corpus(require_path(CORPUS, "the Word corpus"))
    assert len(outcomes) >= 700
    assert [o.name for o in outcomes if o.status == "raised"] == []
    # None of these is a template, a damaged package or carries a program.
    assert [(o.name, o.code) for o in outcomes if o.status == "refused"] == []
    compared = [o for o in outcomes if o.agrees is not None]
    assert len(compared) >= 700
    assert sum(o.agrees for o in compared) / len(compared) >= 0.95
