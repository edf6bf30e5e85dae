"""The rules against what LibreOffice says of the oracle's sample corpus.

tests/data/oracle/ holds the sample .docx files (14 written by LibreOffice, 4 by
python-docx) and, in expected.json, LibreOffice's answers recorded by the oracle.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from submissions.compliance import CallRules, evaluate

ORACLE = Path(__file__).parent.parent / "data" / "oracle"
EXPECTED = json.loads((ORACLE / "expected.json").read_text(encoding="utf-8"))
RULES = CallRules(word_limit=5000, deadline=None)


def _report(name: str):
    case = EXPECTED[name]
    return evaluate(
        (ORACLE / f"{name}.docx").read_bytes(),
        rules=RULES,
        stakeholder_name=case["needle"],
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_word_count_matches_libreoffice(name):
    case = EXPECTED[name]
    # LibreOffice counts headers and footers; the call's policy does not.
    assert _report(name).word_count_with_notes == (
        case["lo_word_count"] - case["headers_footers_words"]
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_name_on_first_page_matches_libreoffice(name):
    assert _report(name).name_on_first_page is EXPECTED[name]["needle_on_page1"]


def test_notes_decide_the_verdict_on_the_cap_sample():
    report = _report("lo_cap_depends_on_notes")
    assert report.word_count_main < 5000 < report.word_count_with_notes
    assert report.codes() == ["over_word_limit"]


@pytest.mark.parametrize("name", ["lo_textbox", "lo_headers_footers", "lo_org_on_page2"])
def test_rendered_first_page_matches_libreoffice(name):
    from submissions import rendering
    from tests.tools import require_tool

    require_tool("soffice")
    case = EXPECTED[name]
    report = evaluate(
        (ORACLE / f"{name}.docx").read_bytes(),
        rules=RULES,
        stakeholder_name=case["needle"],
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
        render_first_page=rendering.render_first_page,
    )
    assert report.first_page_method == "rendered"
    assert report.name_on_first_page is case["needle_on_page1"]
