"""Counting words the way a reader's office suite does.

Whitespace (tabs included) separates words; so do em and en dashes (LibreOffice's
default "additional separators"). Anything else between two separators is one
word, even a lone symbol such as "&" or "§", as LibreOffice counts it; a hyphen or
a non-breaking hyphen inside a word keeps it whole. Each Chinese or Japanese
ideograph, kana or CJK punctuation mark counts as a word, and so does each symbol
of a symbol font (Word's `w:sym`, a private-use character), which also splits the
text around it. Between CJK characters, other text counts a word for each run of
letters and digits, and punctuation on its own ("[" in "[日期]") as one.
"""

from __future__ import annotations

import re

# Dashes that separate words (figure dash, en dash, em dash, horizontal bar, ...),
# and two or more hyphens typed for a dash ("rights--and" is two words).
_SEPARATING_DASHES = re.compile("[\u2012\u2013\u2014\u2015\u2e3a\u2e3b\ufe58]|-{2,}")
_CJK = (
    "\u3000-\u303f"  # CJK punctuation (、。《》...): each one a word, as for LibreOffice
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation
    "\U00020000-\U0003134f"  # extensions B to G
)
_PRIVATE = "\ue000-\uf8ff"  # symbol fonts' characters
_SPECIAL = re.compile(f"[{_CJK}{_PRIVATE}]")
_SINGLE = re.compile(f"[{_CJK}{_PRIVATE}]")
_OTHER_RUN = re.compile(f"[^{_CJK}{_PRIVATE}]+")
_ALNUM_RUN = re.compile(r"[^\W_]+")


def _special_words(token: str) -> int:
    """Words in a token holding CJK or symbol characters: each of those, and the rest."""
    total = len(_SINGLE.findall(token))
    for run in _OTHER_RUN.findall(token):
        total += max(1, len(_ALNUM_RUN.findall(run)))
    return total


def count_words(text: str) -> int:
    """Return the number of words in `text`."""
    tokens = _SEPARATING_DASHES.sub(" ", text).split()
    if not _SPECIAL.search(text):
        return len(tokens)  # the common case, at the speed of str.split
    return sum(_special_words(t) if _SPECIAL.search(t) else 1 for t in tokens)
