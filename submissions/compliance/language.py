"""Which language a document is written in, with lingua (it ships its models).

The candidates are the UN's six official languages and the languages most often
used by the call's stakeholders; the answer is an ISO 639-1 code, or None when
the text is too short or too mixed to tell.
"""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

CANDIDATES = (
    Language.ENGLISH,
    Language.FRENCH,
    Language.SPANISH,
    Language.ARABIC,
    Language.CHINESE,
    Language.RUSSIAN,
    Language.PORTUGUESE,
    Language.GERMAN,
    Language.ITALIAN,
    Language.DUTCH,
    Language.TURKISH,
    Language.JAPANESE,
    Language.KOREAN,
    Language.HINDI,
    Language.INDONESIAN,
    Language.SWAHILI,
    Language.PERSIAN,
    Language.URDU,
    Language.BENGALI,
    Language.VIETNAMESE,
    Language.THAI,
    Language.TAGALOG,
    Language.POLISH,
    Language.UKRAINIAN,
)
SAMPLE_CHARS = 1500  # plenty for lingua to be sure; the cost grows with the sample
MIN_WORDS = 15


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*CANDIDATES).build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language most of `text` is in, or None."""
    # Past the title page when there is text enough: headings and names say little.
    start = len(text) // 4 if len(text) > 4 * SAMPLE_CHARS else 0
    sample = text[start : start + SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS and sum(ord(c) > 0x2E80 for c in sample) < MIN_WORDS:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None
