"""A proposed wording as a word-level difference against the draft paragraph it rewrites.

Tokens are words and punctuation marks, each with the whitespace that follows it, so
"workers;" and "workers." differ only in the mark. Tokens are compared without that
whitespace: a word followed by a space in one text and by a mark in the other is the
same word, and only the whitespace shows as changed. Whatever the inputs, the "same"
and "removed" pieces give back the old text, the "same" and "added" ones the new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

SAME, ADDED, REMOVED = "same", "added", "removed"

# Every character is a word character, whitespace or neither, so the tokens cover the
# whole text; only leading whitespace makes a token of its own.
_TOKEN = re.compile(r"(?:\w+|[^\w\s])\s*|\s+")


@dataclass(frozen=True)
class Piece:
    op: str  # SAME, ADDED or REMOVED
    text: str


def _merged(raw: list[Piece]) -> list[Piece]:
    """Empty pieces dropped; between two "same" pieces, all removed text, then all added."""
    out: list[Piece] = []
    pending = {REMOVED: "", ADDED: ""}
    for piece in [p for p in raw if p.text] + [Piece(SAME, "")]:  # the last one flushes
        if piece.op != SAME:
            pending[piece.op] += piece.text
            continue
        out += [Piece(op, text) for op, text in pending.items() if text]
        pending = {REMOVED: "", ADDED: ""}
        if out and out[-1].op == SAME:
            out[-1] = Piece(SAME, out[-1].text + piece.text)
        elif piece.text:
            out.append(piece)
    return out


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word, adjacent pieces of one op merged."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    keys = [t.rstrip() for t in a], [t.rstrip() for t in b]
    raw: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, *keys, autojunk=False).get_opcodes():
        if tag != "equal":
            x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
            space = x[len(x.rstrip()) :]  # "; " made ". ": the space after is no change
            space = space if y.endswith(space) else ""
            x, y = x[: len(x) - len(space)], y[: len(y) - len(space)]
            raw += [Piece(REMOVED, x), Piece(ADDED, y), Piece(SAME, space)]
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            word = x.rstrip()
            raw.append(Piece(SAME, word))
            if x == y:
                raw.append(Piece(SAME, x[len(word) :]))
            else:
                raw += [Piece(REMOVED, x[len(word) :]), Piece(ADDED, y[len(word) :])]
    return _merged(raw)


def diff_html(old: str, new: str) -> SafeString:
    """The difference as HTML: `<del>` and `<ins>` around changes, every text escaped.

    Line breaks stay "\\n": show them with `white-space: pre-wrap` or `|linebreaksbr`.
    """
    parts = []
    for piece in word_diff(old, new):
        if piece.op == SAME:
            parts.append(conditional_escape(piece.text))
        else:
            tag = "del" if piece.op == REMOVED else "ins"
            parts.append(format_html("<{}>{}</{}>", tag, piece.text, tag))
    return format_html_join("", "{}", ((part,) for part in parts))
