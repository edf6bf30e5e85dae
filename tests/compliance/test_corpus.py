"""The rules against LibreOffice's answers on our corpus (tests/data/corpus/).

The files and expected.json are made by tests/corpus/build.py; every expected value
is what LibreOffice said of the file, recorded by ../shared/oracle/lo_oracle.py.
"""

from datetime import UTC, datetime

import pytest

from submissions import rendering
from submissions.compliance import CallRules, evaluate
from tests.conftest import CORPUS, CORPUS_EXPECTED
from tests.tools import require_tool

CASES = sorted(name for name in CORPUS_EXPECTED if not name.startswith("_"))
RULES = CallRules(word_limit=5000, deadline=None)


def _check(name: str, render=None):
    case = CORPUS_EXPECTED[name]
    return evaluate(
        (CORPUS / f"{name}.docx").read_bytes(),
        rules=RULES,
        stakeholder_name=case["needle"],
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
        render_first_page=render,
    )


@pytest.mark.parametrize("name", CASES)
def test_word_count_is_libreoffices(name):
    case = CORPUS_EXPECTED[name]
    report = _check(name)
    assert report.word_count_with_notes == case["lo_word_count"] - case["headers_footers_words"]
    # The oracle counts each part with its own word breaker; where those add up to
    # LibreOffice's total, the body and tables are Word's main-text count.
    if case["parts"] and sum(case["parts"].values()) == case["lo_word_count"]:
        assert report.word_count_main == case["parts"]["body"] + case["parts"]["tables"]


@pytest.mark.parametrize("name", [n for n in CASES if CORPUS_EXPECTED[n]["estimate_reliable"]])
def test_estimated_first_page_agrees_with_libreoffice(name):
    assert _check(name).name_on_first_page is CORPUS_EXPECTED[name]["needle_on_page1"]


@pytest.mark.parametrize("name", CASES)
def test_rendered_first_page_agrees_with_libreoffice(name):
    require_tool("soffice")
    report = _check(name, rendering.render_first_page)
    assert report.first_page_method == "rendered"
    assert report.name_on_first_page is CORPUS_EXPECTED[name]["needle_on_page1"]


@pytest.mark.parametrize("words", [4999, 5000, 5001])
def test_the_limit_is_inclusive(words):
    report = _check(f"words_{words}")
    assert report.word_count == words
    assert ("over_word_limit" in report.codes()) is (words > 5000)


def test_notes_decide_the_verdict():
    report = _check("notes_decide")
    assert report.word_count_main == 4960
    assert report.word_count == 5040
    assert report.codes() == ["over_word_limit"]
    rules = CallRules(word_limit=5000, deadline=None, count_notes=False)
    data = (CORPUS / "notes_decide.docx").read_bytes()
    report = evaluate(
        data,
        rules=rules,
        stakeholder_name=CORPUS_EXPECTED["notes_decide"]["needle"],
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
    )
    assert report.ok


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("consent_en", "not for publication"),
        ("consent_fr", "merci de ne pas publier"),
        ("consent_es", "por favor no publicar"),
    ],
)
def test_requests_not_to_publish_are_found_in_three_languages(name, phrase):
    (finding,) = [f for f in _check(name).findings if f.code == "publication_objection_in_text"]
    assert finding.params["phrase"] == phrase


@pytest.mark.parametrize(
    ("name", "language"), [("ordinary", "en"), ("french_accents", "fr"), ("spanish", "es")]
)
def test_language_is_detected(name, language):
    assert _check(name).language == language


def test_comments_and_deleted_text_and_field_codes_are_not_read():
    text = _check("pd_fields_tracked").text + _check("pd_comments").text
    assert "that count here" in text
    assert "12 September 2022" in text
    for hidden in ("deleted words", "DATE", "Internal remark"):
        assert hidden not in text
