"""A call's own texts (title, summary, guiding questions) in the reader's language.

The texts are written per language (submissions/translation.py). Where the reader's
language has none yet, the English text is shown, and the page says so: the text is
marked `lang="en"` (screen readers switch voice) and a note in the reader's language
explains why it is in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from submissions.models import Call

FIELDS = ("title", "summary", "questions")

# One whole sentence per pair (reader's language, language shown), so that each
# language words and punctuates it in full.
NOTES: dict[tuple[str, str], Promise] = {
    ("fr", "en"): _("This text is not yet available in French; it is shown in English."),
    ("es", "en"): _("This text is not yet available in Spanish; it is shown in English."),
}
NOTE_OTHER = _("This text is not yet available in your language; it is shown in English.")


@dataclass(frozen=True)
class CallText:
    text: str
    language: str  # the language of `text`
    reader_language: str

    @property
    def is_fallback(self) -> bool:
        """Shown in another language than the reader's."""
        return self.language != self.reader_language

    @property
    def note(self) -> str:
        """What the reader is told when the text is not in their language ("" if it is)."""
        if not self.is_fallback:
            return ""
        return str(NOTES.get((self.reader_language, self.language), NOTE_OTHER))

    def lines(self) -> list[str]:
        """One item per non-empty line (the guiding questions)."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def __str__(self) -> str:
        return self.text


def reader_language() -> str:
    """The active language, as one of the languages calls are written in."""
    languages = settings.MODELTRANSLATION_LANGUAGES
    active = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    for candidate in (active, active.split("-")[0]):
        if candidate in languages:
            return candidate
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def call_text(call: Call, field: str, language: str | None = None) -> CallText:
    """`field` of `call` in `language` (the reader's by default), else in the first
    fallback language that has it (English: always filled in)."""
    if field not in FIELDS:
        raise ValueError(f"{field!r} is not a call text ({', '.join(FIELDS)})")
    reader = language or reader_language()
    order = [reader, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    order.append(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    for code in dict.fromkeys(order):
        value = getattr(call, f"{field}_{code}", None) or ""
        if value.strip():
            return CallText(text=value, language=code, reader_language=reader)
    return CallText(text="", language=reader, reader_language=reader)
