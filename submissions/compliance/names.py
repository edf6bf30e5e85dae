"""Finding the stakeholder's name in a page of text, tolerantly.

Case, accents, straight and curly quotes, "&" for "and", line breaks and extra
spaces, a leading article and an acronym in brackets do not stop a match. A close
but inexact match is reported with the text that came closest.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_ARTICLES = re.compile(r"^(the|la|le|les|l'|el|los|las|un|une|una)\s*", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(\[]([^)\]]+)[)\]]\s*")
_NEAR_MATCH_RATIO = 0.8
# Combining marks (accents) left by NFKD decomposition, removed to fold accents.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@dataclass(frozen=True)
class NameMatch:
    found: bool
    closest: str = ""  # the page's text nearest to the name, when not found exactly
    ratio: float = 0.0


def normalize(text: str) -> str:
    """Fold case, accents, quotes, dashes, "&" and white space."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = _COMBINING.sub("", text).casefold()
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"[^\w'\"()\[\]-]+", " ", text)  # other punctuation acts as space
    return " ".join(text.split())


def _variants(name: str) -> list[str]:
    """The name as typed, without a leading article, and without/as its acronym."""
    base = normalize(name)
    forms = {base, _ARTICLES.sub("", base)}
    acronym = _BRACKETED.search(base)
    if acronym:
        without = normalize(_BRACKETED.sub(" ", base))
        forms |= {without, _ARTICLES.sub("", without)}
    return sorted((f for f in forms if f), key=len, reverse=True)


def _contains(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def find_name(name: str, page_text: str) -> NameMatch:
    """Look for `name` in `page_text`."""
    page = normalize(page_text)
    variants = _variants(name)
    if any(_contains(page, v) for v in variants):
        return NameMatch(found=True, ratio=1.0)
    return _closest(variants, page_text)


# Punctuation around a quoted passage that belongs to the sentence, not to the name.
_EDGES = ".,;:!?\"'()[]«»“”‘’"


def _words(page_text: str) -> tuple[list[str], list[int], list[str]]:
    """The page's normalized words, the original token each comes from, and the tokens:
    so that a near miss is quoted as the document writes it (its case, its accents)."""
    tokens = page_text.split()
    words: list[str] = []
    origin: list[int] = []
    for index, token in enumerate(tokens):
        for word in normalize(token).split():
            words.append(word)
            origin.append(index)
    return words, origin, tokens


def _closest(variants: list[str], page_text: str) -> NameMatch:
    words, origin, tokens = _words(page_text)
    best = NameMatch(found=False)
    span = (0, 0)
    for variant in variants:
        size = len(variant.split())
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(variant)
        for width in {max(size - 1, 1), size, size + 1}:
            for start in range(max(len(words) - width + 1, 0)):
                window = " ".join(words[start : start + width])
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() <= best.ratio:
                    continue
                ratio = matcher.ratio()
                if ratio > best.ratio:
                    best = NameMatch(found=False, closest=window, ratio=ratio)
                    span = (start, start + width)
    if best.closest:
        first, last = origin[span[0]], origin[span[1] - 1]
        quoted = " ".join(tokens[first : last + 1]).strip(_EDGES)
        best = NameMatch(found=False, closest=quoted or best.closest, ratio=best.ratio)
    return best
