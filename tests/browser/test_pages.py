"""Every public page, in each interface language, passes axe-core's WCAG 2.1 A/AA rules.

One submission makes the path once (the form, the worker's report, posting), since
each test starts from an emptied database; the pages are then audited, and
screenshotted in English and French for people to look at.
"""

from __future__ import annotations

import re

import pytest

from submissions import services
from submissions.models import Submission
from tests.browser.conftest import (
    audit,
    describe_violations_by_page,
    expect,
    screenshot,
    switch_language,
)
from tests.conftest import CORPUS_EXPECTED, SUBMITTER_FORM

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("en", "fr", "es")
SCREENSHOT_LANGUAGES = ("en", "fr")


def _submit_through_the_form(page, call, document) -> str:
    """Send `document` with the form; return the status page's address once checked."""
    page.goto(f"/calls/{call.slug}/submit/")
    page.get_by_label("Name of the organisation").fill(CORPUS_EXPECTED["ordinary"]["needle"])
    page.get_by_label("Category").select_option(SUBMITTER_FORM["category"])
    page.get_by_label("Country").select_option(SUBMITTER_FORM["country"])
    page.get_by_label("Contact person").fill(SUBMITTER_FORM["contact_name"])
    page.get_by_label("Contact e-mail").fill(SUBMITTER_FORM["contact_email"])
    page.get_by_label("Language of the submission").select_option(SUBMITTER_FORM["language"])
    page.get_by_label("Post it publicly, with our name").check()  # no choice is made for them
    page.get_by_label("Your submission (Word .docx file)").set_input_files(document)
    page.get_by_role("button", name="Send the submission").click()
    page.wait_for_url(re.compile(r"/status/[^/]+/"), timeout=30_000)
    expect(page.get_by_text("Your file meets the call's rules")).to_be_visible(timeout=30_000)
    return page.url


def test_every_public_page_passes_axe_in_every_language(
    audit_page, worker, open_call, lo_docs, django_user_model
):
    page = audit_page
    receipt_url = _submit_through_the_form(page, open_call, lo_docs["ordinary"])
    status_url = receipt_url.split("?")[0]
    from django.contrib.auth.models import Group

    staff = django_user_model.objects.create_user(
        "secretariat", password="a-long-test-password", is_staff=True
    )
    staff.groups.add(Group.objects.get(name="Publishing"))
    staff = django_user_model.objects.get(pk=staff.pk)
    services.submission_post(submission=Submission.objects.get(call=open_call), actor=staff)

    pages = {
        "home": "/",
        "call": "/calls/gc6/",
        "open-call": f"/calls/{open_call.slug}/",
        "submit": f"/calls/{open_call.slug}/submit/",
        "receipt": receipt_url,
        "status": status_url,
        "posted-list": f"/calls/{open_call.slug}/submissions/",
        "posted-detail": f"/calls/{open_call.slug}/submissions/1/",
        "posted-search": f"/calls/{open_call.slug}/submissions/?q=migrant&sort=number",
        "statistics": f"/calls/{open_call.slug}/statistics/",
        "not-found": "/no-such-page/",
    }
    found = {}
    for language in LANGUAGES:
        page.goto("/")
        switch_language(page, language)
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == (404 if name == "not-found" else 200), (name, url)
            expect(page.locator("html")).to_have_attribute("lang", language)
            violations = audit(page)
            if violations:
                found[f"{name} ({language})"] = violations
            if language in SCREENSHOT_LANGUAGES:
                screenshot(page, f"{name}-{language}")
    if found:
        pytest.fail(
            "axe-core found WCAG 2.1 A/AA violations:\n" + describe_violations_by_page(found),
            pytrace=False,
        )
