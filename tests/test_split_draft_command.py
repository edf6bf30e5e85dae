"""`manage.py split_draft`: JSON with exactly the agreed keys, a listing, clean refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.drafts import builders
from tests.drafts.builders import TEXTS

ROOT = Path(__file__).resolve().parent.parent


def _json(capsys, path: Path, *extra: str) -> list[dict]:
    call_command("split_draft", str(path), "--json", *extra)
    out = capsys.readouterr().out
    assert "\\u00" not in out  # written with ensure_ascii=False
    return json.loads(out)


def test_json_has_exactly_the_keys_numbers_as_strings_null_for_headings(tmp_path, capsys):
    path = tmp_path / "draft.docx"
    path.write_bytes(builders.libreoffice_drafts()["automatic-fr"])
    items = _json(capsys, path)
    t = TEXTS["fr"]
    for item in items:
        assert set(item) in (
            {"number", "heading", "text"},
            {"number", "heading", "text", "footnotes"},
        )
        assert item["number"] is None or isinstance(item["number"], str)
        assert isinstance(item["heading"], bool)
        if item["heading"]:
            assert item["number"] is None
    assert [i["number"] for i in items if i["number"]] == ["1", "2", "3", "4"]
    assert [i["text"] for i in items if i["heading"]] == [t["h1"], t["h2"]]
    by_number = {i["number"]: i for i in items if i["number"]}
    assert by_number["1"]["footnotes"] == [t["note"]]
    assert "footnotes" not in by_number["3"]
    assert by_number["2"]["text"] == f"{t['p'][1]}\na. {t['sub'][0]}\nb. {t['sub'][1]}"


def test_manual_mode_numbers_every_paragraph(tmp_path, capsys):
    path = tmp_path / "plain.docx"
    path.write_bytes(builders.plain_draft("Introduction", "First idea.", "Second idea."))
    assert [i["number"] for i in _json(capsys, path)] == [None, None, None]
    items = _json(capsys, path, "--manual")
    assert [(i["number"], i["text"]) for i in items] == [
        ("1", "Introduction"),
        ("2", "First idea."),
        ("3", "Second idea."),
    ]


def test_listing_shows_numbers_text_and_problems_at_the_end(tmp_path, capsys):
    path = tmp_path / "draft.docx"
    path.write_bytes(builders.plain_draft("1. The Committee recalls.", "1. Again one."))
    call_command("split_draft", str(path))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(None, 1) == ["1", "The Committee recalls."]
    assert lines[1].split(None, 1) == ["1", "Again one."]
    assert lines[-1] == "problem: repeated_number: Paragraph number 1 appears more than once."


@pytest.mark.parametrize(
    "name", ["zip_bomb.docx", "external_dtd.docx", "macro_enabled.docm", "entity_expansion.docx"]
)
def test_hostile_files_are_refused_with_their_code(tmp_path, name):
    data, code = builders.bad_inputs()[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as refusal:
        call_command("split_draft", str(path), "--json")
    assert f"({code})" in str(refusal.value)
    assert "\n" not in str(refusal.value)


def test_a_refusal_exits_1_with_one_line_and_no_traceback(tmp_path):
    data, code = builders.bad_inputs()["macro_enabled.docm"]
    path = tmp_path / "draft.docm"
    path.write_bytes(data)
    missing = tmp_path / "missing.docx"
    for target, expected in ((path, code), (missing, "Cannot read")):
        done = subprocess.run(
            [sys.executable, "manage.py", "split_draft", str(target), "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 1
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert expected in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
