"""A proposed wording shown word by word against the draft paragraph it rewrites."""

from __future__ import annotations

import random
import re
from html import unescape
from itertools import pairwise

import pytest
from django.utils.safestring import SafeString

from submissions.drafts.diff import ADDED, REMOVED, SAME, Piece, diff_html, word_diff

NBSP = "\u00a0"
PAIRS = [
    ("", ""),
    ("", "Protect migrant workers."),
    ("Protect migrant workers.", ""),
    ("States parties should protect workers;", "States parties should protect workers;"),
    ("States parties should protect workers;", "States parties should protect workers."),
    ("one two three", "four five six"),
    ("Les États parties devraient :", f"Les États parties devraient{NBSP}:"),
    (f"protéger les travailleurs{NBSP}; garantir l’accès", "protéger les migrants ; et l’accès"),
    ("Los Estados partes deberían:", "Los Estados partes deberán, sin demora:"),
    ("  leading and trailing  ", "leading and trailing"),
    ("line one\n(a) line two\n", "line one\n(a) line 2\n(b) line three"),
    ("a-b c/d (e) «f» ¿g? ¡h!", "a–b c/d (e) “f” ¿g? ¡h!"),
    ("workers", "workers and families"),
    ("\t\n ", " \n\t"),
    ("日本語のテキスト。", "日本語の文章。"),
]


def _old(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if p.op in (SAME, REMOVED))


def _new(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if p.op in (SAME, ADDED))


def _random_text(rng: random.Random) -> str:
    words = ["workers", "travailleurs", "États", "migratorios", "ñandú", "l’accès", "a", "de"]
    marks = [";", ".", ",", ":", "!", "?", "(", ")", "«", "»", "—", "'"]
    spaces = [" ", " ", " ", NBSP, "\n", "\t", "  ", ""]
    return "".join(
        rng.choice(words + marks) + rng.choice(spaces) for _ in range(rng.randint(0, 12))
    )


def _random_pairs() -> list[tuple[str, str]]:
    rng = random.Random(6)  # fixed: a failure can be run again
    pairs = []
    for _ in range(300):
        old = _random_text(rng)
        new = _random_text(rng) if rng.random() < 0.3 else _edited(rng, old)
        pairs.append((old, new))
    return pairs


def _edited(rng: random.Random, text: str) -> str:
    """A few words of `text` dropped, doubled or replaced, as a commenter edits a draft."""
    tokens = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(tokens))
        action = rng.choice(["drop", "double", "replace"])
        if action == "drop" and len(tokens) > 1:
            del tokens[at]
        elif action == "double":
            tokens.insert(at, tokens[at])
        else:
            tokens[at] = rng.choice(["shall", "devraient", "deberán", "", ";"])
    return " ".join(tokens)


def _assert_gives_back(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert _old(pieces) == old, (old, new)
    assert _new(pieces) == new, (old, new)
    assert all(p.text and p.op in (SAME, ADDED, REMOVED) for p in pieces), pieces
    assert all(a.op != b.op for a, b in pairwise(pieces)), pieces


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_word_diff_gives_back_both_texts(old, new):
    _assert_gives_back(old, new)


def test_word_diff_gives_back_both_texts_of_random_edits():
    for old, new in _random_pairs():
        _assert_gives_back(old, new)


def test_word_diff_of_a_changed_mark_is_the_mark_alone():
    assert word_diff("protect workers; and", "protect workers. and") == [
        Piece(SAME, "protect workers"),
        Piece(REMOVED, ";"),
        Piece(ADDED, "."),
        Piece(SAME, " and"),
    ]


def test_word_diff_keeps_a_word_followed_by_a_mark_in_one_text_and_a_space_in_the_other():
    assert word_diff("protect the workers.", "protect the workers and families.") == [
        Piece(SAME, "protect the workers"),
        Piece(ADDED, " and families"),
        Piece(SAME, "."),
    ]


def test_word_diff_replaces_whole_words_not_letters():
    assert word_diff("States should act", "States shall act") == [
        Piece(SAME, "States "),
        Piece(REMOVED, "should"),
        Piece(ADDED, "shall"),
        Piece(SAME, " act"),
    ]


def test_word_diff_shows_a_french_space_before_a_mark_as_a_change_of_space_only():
    assert word_diff(f"devraient{NBSP}:", "devraient :") == [
        Piece(SAME, "devraient"),
        Piece(REMOVED, NBSP),
        Piece(ADDED, " "),
        Piece(SAME, ":"),
    ]


def test_word_diff_of_identical_texts_is_one_same_piece():
    text = "Les États parties devraient\u00a0: protéger"
    assert word_diff(text, text) == [Piece(SAME, text)]


def test_word_diff_of_empty_texts():
    assert word_diff("", "") == []
    assert word_diff("", "New text.") == [Piece(ADDED, "New text.")]
    assert word_diff("Old text.", "") == [Piece(REMOVED, "Old text.")]


def test_word_diff_of_completely_different_texts_is_one_removal_then_one_addition():
    assert word_diff("one two three", "four five six") == [
        Piece(REMOVED, "one two three"),
        Piece(ADDED, "four five six"),
    ]


def test_diff_html_marks_changes_with_del_and_ins():
    html = diff_html("States should act", "States shall act")
    assert isinstance(html, SafeString)
    assert html == "States <del>should</del><ins>shall</ins> act"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<script>alert(1)</script> workers", "workers"),
        ("workers", "workers <script>alert(1)</script>"),
        ("<b>same</b> & more", "<b>same</b> & more"),
    ],
)
def test_diff_html_escapes_every_text(old, new):
    html = diff_html(old, new)
    assert "<script>" not in html
    assert "<b>" not in html
    # Each side read back from the HTML: the other side's pieces out, the tags out.
    as_old = re.sub(r"<ins>.*?</ins>|</?del>", "", html, flags=re.S)
    as_new = re.sub(r"<del>.*?</del>|</?ins>", "", html, flags=re.S)
    assert "<" not in as_old + as_new
    assert unescape(as_old) == old
    assert unescape(as_new) == new


def test_word_diff_of_a_long_paragraph_keeps_its_common_words():
    # Over 200 tokens, difflib's "autojunk" would ignore a word as common as "the" and
    # show it as removed and added again.
    old = " ".join(f"w{i} the" for i in range(150))
    new = old.replace("w17 the", "w17 of the").replace("w18", "x18")
    changed = [p for p in word_diff(old, new) if p.op != SAME]
    assert changed == [Piece(ADDED, "of "), Piece(REMOVED, "w18"), Piece(ADDED, "x18")]
