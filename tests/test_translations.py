"""French and Spanish are complete, compiled, and used for what submitters read."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from submissions.compliance.messages import MESSAGES

LOCALE = Path(__file__).parent.parent / "locale"
LANGUAGES = ["fr", "es"]


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalog = _catalog(language)
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_current_one(language):
    entries = [
        e for e in _catalog(language).translated_entries() if not e.msgid_plural and not e.msgctxt
    ]
    with translation.override(language):
        stale = [e.msgid for e in entries if translation.gettext(e.msgid) != e.msgstr]
    assert stale == [], "run compilemessages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_finding_speaks_the_submitters_language(language):
    with translation.override(language):
        untranslated = [
            code for code, text in MESSAGES.items() if translation.gettext(text) == text
        ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("language", "phrase"), [("fr", "Envoyer une contribution"), ("es", "Enviar una contribución")]
)
def test_the_form_appears_in_the_chosen_language(client, open_call, language, phrase):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("submissions:submit", args=[open_call.slug]))
    assert phrase in page.text
    assert f'<html lang="{language}">' in page.text
