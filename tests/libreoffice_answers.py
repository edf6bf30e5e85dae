"""Reading LibreOffice's answers (made by ../shared/oracle/lo_oracle.py) for a file.

Shared by the corpus tests and `bench/bench_word_corpus.py`, so both judge a count
the same way.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from submissions.compliance import CallRules, evaluate
from submissions.compliance.package import open_document
from submissions.compliance.walker import Reading, paragraphs
from submissions.compliance.words import count_words

ROOT = Path(__file__).resolve().parent.parent
# Answers for the corpus's files with tracked changes, once LibreOffice accepted them.
FINAL_VIEW = ROOT / "bench" / "data" / "word_corpus_final_view.json"
RULES = CallRules(word_limit=5000, deadline=None)
RECEIVED = datetime(2022, 9, 1, tzinfo=UTC)
# The parts the call's count reads: all but headers and footers.
COUNTED_PARTS = ("body", "tables", "footnotes", "endnotes", "text_frames", "shapes_text")


def libreoffice_reference(answer: dict[str, Any]) -> tuple[int | None, int | None]:
    """(its per-part sum of the counted parts, its total less headers and footers).

    The per-part sum leaves list labels out, as Word's count does; the total keeps
    them but also has text the per-part walk misses (inside some content controls).
    Without a per-part answer (LibreOffice's UNO bridge crashed on the file) only
    the total is known, headers and footers included.
    """
    parts = part_counts(answer)
    total = answer.get("lo_word_count")
    if not parts:
        return None, total
    counted = sum(parts.get(name, 0) for name in COUNTED_PARTS)
    headers = parts.get("headers_footers", 0)
    return counted, (total - headers if total is not None else None)


def part_counts(answer: dict[str, Any]) -> dict[str, int]:
    """Each part's word count, from the oracle's answer or from our compact copy of it."""
    return {
        name: value["words_breakiterator"] if isinstance(value, dict) else value
        for name, value in (answer.get("parts") or {}).items()
    }


def compact(answer: dict[str, Any]) -> dict[str, Any]:
    """What the tests need of an oracle answer (its page texts are left out)."""
    kept = {key: answer[key] for key in ("lo_word_count", "method", "page_count") if key in answer}
    for key in ("needle", "needle_on_page1"):
        if key in answer:
            kept[key] = answer[key]
    kept["parts"] = part_counts(answer)
    return kept


def within(ours: int, reference: int, share: float = 0.01, words: int = 2) -> bool:
    """Does `ours` agree with `reference`: within 1% or within 2 words."""
    return abs(ours - reference) <= max(words, share * reference)


def header_text_box_words(data: bytes) -> int:
    """Words in text boxes anchored in headers and footers: LibreOffice's shapes have them.

    The check never counts them (nor headers and footers); comparing with
    LibreOffice's shapes needs them added to ours, for the same text on both sides.
    """
    opened = open_document(data)
    total = 0
    for rel in opened.package.relationships(opened.main):
        if rel.external or not rel.type.endswith(("/header", "/footer")):
            continue
        root = opened.package.xml(rel.target)
        if root is not None:
            total += sum(count_words(p.text) for p in paragraphs(root, Reading()) if p.in_text_box)
    return total


@dataclass
class Outcome:
    name: str
    status: str  # reported | refused | raised | no_answer
    code: str = ""  # the refusal's code, or the exception
    ours: int | None = None
    reference: int | None = None
    alternative: int | None = None
    agrees: bool | None = None
    ms: float = 0.0


def judge(path: Path, answer: dict | None) -> Outcome:
    """Check one file and compare its count with LibreOffice's of the same parts."""
    outcome = Outcome(path.stem, "reported")
    started = time.perf_counter()
    try:
        report = evaluate(
            path.read_bytes(), rules=RULES, stakeholder_name="Name", received_at=RECEIVED
        )
    except Exception as error:  # what escapes is reported, not raised
        outcome.status, outcome.code = "raised", f"{type(error).__name__}: {error}"[:200]
        traceback.print_exc(limit=3, file=sys.stderr)
        return outcome
    outcome.ms = (time.perf_counter() - started) * 1000
    if not report.readable:
        outcome.status, outcome.code = "refused", report.findings[0].code
        return outcome
    outcome.ours = (report.word_count_with_notes or 0) + header_text_box_words(path.read_bytes())
    if answer is None or "lo_word_count" not in answer:
        outcome.status = "no_answer"
        return outcome
    outcome.reference, outcome.alternative = libreoffice_reference(answer)
    outcome.agrees = any(
        within(outcome.ours or 0, ref)
        for ref in (outcome.reference, outcome.alternative)
        if ref is not None
    )
    return outcome


def distance(outcome: Outcome) -> int:
    refs = [r for r in (outcome.reference, outcome.alternative) if r is not None]
    return min(abs((outcome.ours or 0) - r) for r in refs) if refs else 0


def judge_corpus(corpus: Path) -> list[Outcome]:
    """Every .docx in corpus/files/, judged against corpus/answers/ (or its final view)."""
    final_view = json.loads(FINAL_VIEW.read_text()) if FINAL_VIEW.exists() else {}
    outcomes = []
    for path in sorted((corpus / "files").glob("*.docx")):
        answer_path = corpus / "answers" / f"{path.stem}.oracle.json"
        answer = json.loads(answer_path.read_text()) if answer_path.exists() else None
        outcomes.append(judge(path, final_view.get(path.stem, answer)))
    return outcomes
