"""Where a name (or an e-mail address) occurs in a text, tolerantly, as character spans.

Tolerant as the first-page check is: case, accents, curly or straight quotes,
punctuation, line breaks and extra spaces, "&" for "and", a leading article; a
bracketed acronym is looked for alone too. Unlike `names`, which only says
whether a name is there, this says where, in the original text, so that each
occurrence can be shown to a person and replaced in the public copy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_ARTICLES = {"the", "la", "le", "les", "l", "el", "los", "las", "un", "une", "una"}
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"[(\[]\s*([^)\]]+?)\s*[)\]]")
MIN_TOKEN_CHARS = 3  # a name of one or two letters would match everywhere


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` without case or accents, and for each folded character its index in `text`."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _COMBINING.sub("", unicodedata.normalize("NFKD", char)).casefold():
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def _token_lists(name: str) -> list[list[str]]:
    """The word sequences that stand for `name`: as given, without an article, with
    "&" as "and" and "and" as "&", without its bracketed acronym, and the acronym."""
    base = _fold(name)[0]
    acronyms = [_WORD.findall(a) for a in _ACRONYM.findall(base)]
    without = _ACRONYM.sub(" ", base)
    forms = []
    for text in {base, without}:
        tokens = _WORD.findall(text.replace("&", " and "))
        forms.append(tokens)
        forms.append([t for t in tokens if t != "and"])  # "&" is no word: matched by \W+
        if tokens and tokens[0] in _ARTICLES:
            forms.append(tokens[1:])
    forms += [a for a in acronyms if len("".join(a)) >= MIN_TOKEN_CHARS]
    unique = {tuple(f) for f in forms if f and len("".join(f)) >= MIN_TOKEN_CHARS}
    return [list(f) for f in sorted(unique, key=len, reverse=True)]


@cache
def _pattern(name: str) -> re.Pattern[str] | None:
    forms = _token_lists(name)
    if not forms:
        return None
    alternatives = ["[\\W_]+".join(map(re.escape, tokens)) for tokens in forms]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def spans(text: str, name: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of `text` where `name` occurs."""
    pattern = _pattern(name.strip())
    if pattern is None or not text:
        return []
    folded, origin = _fold(text)
    found = []
    for match in pattern.finditer(folded):
        end = match.end()
        if "(" in match.group() and folded[end : end + 1] == ")":
            end += 1  # "... (FIDH)": the acronym's closing bracket is the name's too
        elif "[" in match.group() and folded[end : end + 1] == "]":
            end += 1
        found.append((origin[match.start()], origin[end - 1] + 1))
    return found


def any_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Spans of any of `names`, merged where they overlap, in order."""
    found = sorted(span for name in names if name.strip() for span in spans(text, name))
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def excerpt(text: str, span: tuple[int, int], width: int = 60) -> str:
    """The occurrence with some text around it, on one line."""
    start, end = max(span[0] - width, 0), min(span[1] + width, len(text))
    shown = " ".join(text[start:end].split())
    return ("…" if start else "") + shown + ("…" if end < len(text) else "")
