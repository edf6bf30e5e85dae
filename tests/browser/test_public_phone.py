"""The public pages on a phone (375 px wide), in each language: nothing scrolls
sideways, axe-core finds no WCAG 2.1 A/AA problem, and a call's texts are in the
reader's language where the call has them (in English, marked and explained, where not).
"""

from __future__ import annotations

import pytest
from django.utils import translation

from submissions.call_texts import NOTES
from submissions.enums import Publication, State
from submissions.models import Call
from tests.browser.conftest import (
    TIMEOUT_MS,
    audit,
    describe_violations_by_page,
    expect,
    in_playwright_thread,
    screenshot,
)
from tests.factories import SubmissionFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("en", "fr", "es")
PHONE = {"width": 375, "height": 812}
FRENCH = {
    "title_fr": "Un appel ouvert aux contributions",
    "summary_fr": "Envoyez vos contributions écrites au Comité.",
    "questions_fr": "Première question ?\nDeuxième question ?",
}


@in_playwright_thread
def _phone(browser, base_url: str, language: str):
    """A phone-sized browser reading in `language` (the switcher's cookie), in which
    axe-core can be injected (CSP bypassed)."""
    context = browser.new_context(
        base_url=base_url,
        bypass_csp=True,
        locale="en-GB",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    return context, context.new_page()


@pytest.fixture
def phone(browser, web):
    contexts = []

    def open_phone(language: str):
        context, page = _phone(browser, web, language)
        contexts.append(context)
        return page

    yield open_phone
    for context in contexts:
        context.close()


@in_playwright_thread
def _sideways_overflow(page) -> dict:
    """How much wider than the screen the page is, and the widest elements if so."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
            .slice(0, 5).map(e => e.outerHTML.slice(0, 120));
          return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )


@pytest.fixture
def posted_call(open_call):
    Call.objects.filter(pk=open_call.pk).update(**FRENCH)
    names = (
        "International Federation of Domestic Workers and Members of Their Families",
        "Asociación de Trabajadoras y Trabajadores Migrantes Latinoamericanos",
        "Internationalemenschenrechtsorganisationfürwanderarbeitnehmerinnen",
    )
    for name, country in zip(names, ("PH", "MX", "DE"), strict=True):
        SubmissionFactory(
            call=open_call, stakeholder_name=name, country=country, state=State.POSTED
        )
    SubmissionFactory(
        call=open_call,
        stakeholder_name="Withheld Network",
        paragraphs=("Our text.",),
        publication=Publication.PUBLISH_ANONYMOUS,
        country="EG",
        state=State.POSTED,
    )
    return Call.objects.get(pk=open_call.pk)


def test_the_public_pages_fit_a_phone_and_pass_axe_in_every_language(phone, posted_call):
    slug = posted_call.slug
    pages = {
        "home": "/",
        "call": "/calls/gc6/",
        "open-call": f"/calls/{slug}/",
        "posted-list": f"/calls/{slug}/submissions/",
        "posted-list-filtered": f"/calls/{slug}/submissions/?country=mx&q=asociaci",
        "posted-detail": f"/calls/{slug}/submissions/1/",
        "statistics": f"/calls/{slug}/statistics/",
    }
    too_wide, found = {}, {}
    for language in LANGUAGES:
        page = phone(language)
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, (name, url)
            expect(page.locator("html")).to_have_attribute("lang", language)
            overflow = _sideways_overflow(page)
            if overflow["scroll"] > overflow["client"]:
                too_wide[f"{name} ({language})"] = overflow
            violations = audit(page)
            if violations:
                found[f"{name} ({language})"] = violations
            screenshot(page, f"phone-{name}-{language}")
    assert not too_wide, f"pages wider than a {PHONE['width']} px phone: {too_wide}"
    # The measure sees a page that does scroll sideways.
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('div'), {style: 'width: 600px', textContent: 'x'}))"
    )
    overflow = _sideways_overflow(page)
    assert overflow["scroll"] > overflow["client"], overflow
    if found:
        pytest.fail(
            "axe-core found WCAG 2.1 A/AA violations at 375 px:\n"
            + describe_violations_by_page(found),
            pytrace=False,
        )


def test_the_french_call_page_shows_the_calls_french_texts(phone, posted_call):
    page = phone("fr")
    page.goto(f"/calls/{posted_call.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FRENCH["title_fr"])
    expect(page.locator("p.lead")).to_have_text(FRENCH["summary_fr"])
    expect(page.get_by_role("listitem").filter(has_text="Première question ?")).to_be_visible()
    expect(page.locator("[lang=en]")).to_have_count(0)
    # In Spanish, which the call lacks: the English texts, marked, with the note.
    page = phone("es")
    page.goto(f"/calls/{posted_call.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(posted_call.title_en)
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    with translation.override("es"):
        note = str(NOTES[("es", "en")])
    expect(page.get_by_text(note).first).to_be_visible()
    # The list, its country filter named in French and the search by tracking number.
    page = phone("fr")
    page.goto(f"/calls/{posted_call.slug}/submissions/?q=open-4")
    expect(page.get_by_role("link", name="OPEN-0004")).to_be_visible()
    expect(page.get_by_text("Withheld Network")).to_have_count(0)
    country = page.get_by_label(translation_of("fr", "Country"))
    expect(country.locator("option")).to_have_text(
        [translation_of("fr", "All"), "Allemagne", "Égypte", "Mexique", "Philippines"]
    )


def translation_of(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)
