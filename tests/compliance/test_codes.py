"""Finding codes are one enum, and every code speaks: a message and a label, in FR and ES too."""

from __future__ import annotations

import ast
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from submissions import compliance
from submissions.compliance import (
    DO_NOT_PUBLISH,
    PUBLISH_ANONYMOUS,
    CallRules,
    Finding,
    FindingCode,
    evaluate,
    render,
)
from submissions.compliance.messages import MESSAGES
from submissions.findings import FINDING_LABELS, finding_label
from tests.documents import make_docx

COMPLIANCE = Path(compliance.__file__).parent
LANGUAGES = ["fr", "es"]
CODE_VALUES = {code.value for code in FindingCode}
PLACEHOLDER = re.compile(r"%\(\w+\)s")

# Labels that are rightly the same in a language as in English (a brand name alone, say),
# so that an untranslated label is never mistaken for one. None so far.
SAME_IN_TRANSLATION: dict[str, set[FindingCode]] = {"fr": set(), "es": set()}


# (a) One list of codes, and each has its message and its label.


@pytest.mark.parametrize(("name", "table"), [("MESSAGES", MESSAGES), ("LABELS", FINDING_LABELS)])
def test_every_code_has_an_entry_and_every_entry_is_a_code(name, table):
    missing = [code for code in FindingCode if code not in table]
    assert missing == [], f"{name} lacks {missing}"
    # A plain string key, even one spelt like a code, is a code written by hand.
    strays = [key for key in table if not isinstance(key, FindingCode)]
    assert strays == [], f"{name} has keys that are not FindingCode: {strays}"
    assert len(table) == len(FindingCode)


def test_labels_are_short_and_tell_the_codes_apart():
    with translation.override("en"):
        labels = {code: str(label) for code, label in FINDING_LABELS.items()}
    assert all(0 < len(label) <= 40 for label in labels.values()), labels
    assert len(set(labels.values())) == len(labels)  # the admin's filter lists them


def test_a_code_is_its_string():
    assert FindingCode.DAMAGED_FILE == "damaged_file"
    assert json.dumps({"code": FindingCode.DAMAGED_FILE}) == '{"code": "damaged_file"}'
    assert f" {FindingCode.OVER_WORD_LIMIT} " == " over_word_limit "
    # A code read back from storage is a plain string: it finds its message and label.
    stored = Finding.from_dict({"code": "legacy_doc", "severity": "error"})
    assert render(stored) == MESSAGES[FindingCode.LEGACY_DOC]
    with translation.override("en"):
        assert finding_label("legacy_doc") == str(FINDING_LABELS[FindingCode.LEGACY_DOC])
        assert finding_label(FindingCode.LEGACY_DOC) == finding_label("legacy_doc")
    assert finding_label("no_such_code") == "no_such_code"


# (b) Each message and each label reads in French and in Spanish.


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    with translation.override(language):
        translated = {code: translation.gettext(text) for code, text in MESSAGES.items()}
    untranslated = [code for code, text in MESSAGES.items() if translated[code] == text]
    assert untranslated == []
    # The translation fills in what the English does, no more and no less.
    misfilled = [
        code
        for code, text in MESSAGES.items()
        if sorted(PLACEHOLDER.findall(translated[code])) != sorted(PLACEHOLDER.findall(text))
    ]
    assert misfilled == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_is_translated(language):
    with translation.override("en"):
        english = {code: str(label) for code, label in FINDING_LABELS.items()}
    with translation.override(language):
        translated = {code: str(label) for code, label in FINDING_LABELS.items()}
    same = {code for code in FindingCode if translated[code] == english[code]}
    assert same == SAME_IN_TRANSLATION[language]


# (c) No code is written as a free string in the rules: the enum is the only spelling.


def _sources() -> dict[str, ast.Module]:
    return {
        path.name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted(COMPLIANCE.glob("*.py"))
    }


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _literal(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def literal_codes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each Finding(...)/UnreadableDocument(...) whose code is a string literal,
    and of each `x.code == "..."` / `x.code in {"...", ...}`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node) in ("Finding", "UnreadableDocument"):
            code = node.args[0] if node.args else None
            code = code or next((k.value for k in node.keywords if k.arg == "code"), None)
            if _literal(code):
                found.append((node.lineno, code.value))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(side, ast.Attribute) and side.attr == "code" for side in sides):
                for side in sides:
                    elements = side.elts if isinstance(side, ast.Set | ast.Tuple | ast.List) else []
                    found += [(node.lineno, e.value) for e in [side, *elements] if _literal(e)]
    return sorted(found)


def test_the_scan_finds_literal_codes():
    tree = ast.parse(
        'Finding("over_word_limit", Severity.ERROR)\n'
        'raise package.UnreadableDocument("damaged_file") from None\n'
        'Finding(code="late", severity=Severity.INFO)\n'
        'ok = error.code == "embedded_program" or f.code in {"a_code", FindingCode.LEGACY_DOC}\n'
        "Finding(FindingCode.OVER_WORD_LIMIT, Severity.ERROR)\n"
        "raise UnreadableDocument(kind)\n"
    )
    assert literal_codes(tree) == [
        (1, "over_word_limit"),
        (2, "damaged_file"),
        (3, "late"),
        (4, "a_code"),
        (4, "embedded_program"),
    ]


def test_the_rules_name_every_code_by_the_enum():
    sources = _sources()
    calls = [
        node
        for tree in sources.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _callee(node) in ("Finding", "UnreadableDocument")
    ]
    assert len(calls) > 30  # the scan reads the rules, not an empty folder
    literal = {name: found for name, tree in sources.items() if (found := literal_codes(tree))}
    assert literal == {}, "write FindingCode.X, not a string"


def test_no_code_is_spelt_as_a_string_anywhere_in_the_rules():
    """Codes passed around before they are raised (sniffed kinds, content types) too."""
    spelt = {
        name: [(node.lineno, node.value) for node in ast.walk(tree) if _literal(node)]
        for name, tree in _sources().items()
        if name != "codes.py"
    }
    spelt = {
        name: [(line, text) for line, text in strings if text in CODE_VALUES]
        for name, strings in spelt.items()
    }
    assert {name: found for name, found in spelt.items() if found} == {}


# (d) What the evaluator really says is a FindingCode, and survives storage.

DEADLINE = datetime(2022, 9, 12, 21, 59, 59, tzinfo=UTC)
ENGLISH = (
    "States parties shall ensure that migrant workers and members of their families have "
    "access to justice and effective remedies, whatever their migration status."
)
CASES = {
    "late, over the limit, in another language than declared": (
        make_docx("Global Alliance", ENGLISH),
        {
            "received_at": DEADLINE + timedelta(minutes=1),
            "rules": CallRules(word_limit=10, deadline=DEADLINE),
            "declared_language": "fr",
        },
        {"received_after_deadline", "over_word_limit", "language_mismatch"},
    ),
    "anonymous, and the name is not on page 1": (
        make_docx("Our input, signed by no one.", ENGLISH),
        {"publication": PUBLISH_ANONYMOUS},
        {"publication_anonymous", "name_not_on_first_page_estimated"},
    ),
    "not to be posted, and empty": (
        make_docx(),
        {"publication": DO_NOT_PUBLISH},
        {"publication_withheld", "empty_document"},
    ),
    "a PDF": (b"%PDF-1.7\n...", {}, {"pdf_file"}),
    "a damaged zip": (b"PK\x03\x04 truncated", {}, {"damaged_file"}),
    "an empty file": (b"", {}, {"empty_file"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_evaluator_gives_finding_codes(case):
    data, kwargs, expected = CASES[case]
    kwargs = {
        "rules": CallRules(word_limit=5000, deadline=DEADLINE),
        "received_at": DEADLINE - timedelta(days=1),
        **kwargs,
    }
    report = evaluate(data, stakeholder_name="Global Alliance", **kwargs)
    assert expected <= set(report.codes())
    not_codes = [f.code for f in report.findings if not isinstance(f.code, FindingCode)]
    assert not_codes == []
    stored = json.loads(json.dumps(report.to_dict()))["findings"]
    assert [f["code"] for f in stored] == report.codes()
    for finding, data_back in zip(report.findings, stored, strict=True):
        back = Finding.from_dict(data_back)
        assert FindingCode(back.code) is finding.code
        assert render(back) == render(finding) != finding.code  # it has its message
