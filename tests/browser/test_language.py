"""The header's language switcher translates the site."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.browser.conftest import expect, switch_language

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOME_HEADING = "Calls for written input"


def translated(language: str, message: str) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    assert language == "en" or text != message, f"no {language} translation of {message!r}"
    return text


def test_switching_to_french_then_spanish_translates_the_page(page):
    page.goto("/")
    html = page.locator("html")
    heading = page.get_by_role("heading", level=1)
    expect(html).to_have_attribute("lang", "en")
    expect(heading).to_have_text(HOME_HEADING)

    for language in ("fr", "es"):
        switch_language(page, language)
        expect(html).to_have_attribute("lang", language)
        expect(heading).to_have_text(translated(language, HOME_HEADING))
        expect(page.get_by_role("banner").get_by_role("button")).to_have_text(
            translated(language, "Change")
        )
        # The choice sticks: another page is in the same language.
        page.goto("/calls/gc6/")
        expect(html).to_have_attribute("lang", language)
        expect(
            page.get_by_role("link", name=translated(language, "Read the posted submissions"))
        ).to_be_visible()
        page.goto("/")
