"""A French-speaking submitter follows their submission on a phone, step by step.

Sent through the form in French at 375 px, checked by the real worker, then driven
by the Secretariat's services (asked for a fix, a new version sent through the page,
checked again, posted): at each step the private status page says where it stands in
the submitter's words and language, offers only what can be done, and axe finds no
WCAG 2.1 A/AA problem on it.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from submissions import notifications, services
from submissions.enums import State
from submissions.models import Submission
from submissions.submitter_view import SUBMITTER_LABELS
from tests.browser.conftest import (
    assert_accessible,
    console_problems,
    expect,
    screenshot,
    switch_language,
)
from tests.conftest import CORPUS_EXPECTED, SUBMITTER_FORM
from tests.stack import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 800}
REQUEST = "Ajoutez un résumé d'une page au début du document."
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fr(msgid: str) -> str:
    """What the French interface says for `msgid` (its catalog, or English until then)."""
    with translation.override("fr"):
        return str(translation.gettext(msgid))


def _state_line(page):
    return page.locator("#state")


def _fits_the_phone(page) -> None:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the screen on {page.url}"


def _checked_by_the_worker(submission_id: int) -> Submission:
    wait_for(
        lambda: Submission.objects.get(pk=submission_id).state not in State.AWAITING_CHECK,
        timeout=60,
        what="the worker's check",
    )
    return Submission.objects.get(pk=submission_id)


def test_a_french_submitter_follows_each_step_on_a_phone(
    audit_page, worker, open_call, lo_docs, member
):
    page = audit_page
    page.set_viewport_size(PHONE)
    name = CORPUS_EXPECTED["ordinary"]["needle"]

    # Through the form, in French.
    page.goto(f"/calls/{open_call.slug}/submit/")
    switch_language(page, "fr")
    page.get_by_label(fr("Name of the organisation, State or person submitting")).fill(name)
    page.get_by_label(fr("Category")).select_option(SUBMITTER_FORM["category"])
    page.get_by_label(fr("Country")).select_option(SUBMITTER_FORM["country"])
    page.get_by_label(fr("Contact person")).fill(SUBMITTER_FORM["contact_name"])
    page.get_by_label(fr("Contact e-mail")).fill(SUBMITTER_FORM["contact_email"])
    page.get_by_label(fr("Language of the submission")).select_option("en")
    page.get_by_role("radio", name=fr("Post it publicly, with our name")).check()
    page.get_by_label(fr("Your submission (Word .docx file)")).set_input_files(lo_docs["ordinary"])
    page.get_by_role("button", name=fr("Send the submission")).click()
    page.wait_for_url(re.compile(r"/status/[^/]+/"), timeout=30_000)
    status_path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    submission = Submission.objects.get()
    assert submission.interface_language == "fr"

    # Received, then checked: the page follows the worker by itself.
    expect(page.get_by_role("heading", level=2, name=fr("Where your submission stands")))
    submission = _checked_by_the_worker(submission.pk)
    assert submission.state == State.READY_TO_POST
    expect(
        page.get_by_text(fr("Your file meets the call's rules. Nothing more is needed."))
    ).to_be_visible(timeout=30_000)
    expect(_state_line(page)).to_have_text(fr(str(SUBMITTER_LABELS[State.READY_TO_POST])))
    expect(page.get_by_role("heading", name=fr("Send a new version"))).to_be_visible()
    expect(page.get_by_role("heading", name=fr("Withdraw your submission"))).to_be_visible()
    _fits_the_phone(page)
    screenshot(page, "status-fr-checked")
    assert_accessible(page)

    # The Secretariat asks for a fix: the page shows its request.
    services.submission_request_fix(submission=submission, actor=member("Triage"), message=REQUEST)
    page.goto(status_path)
    expect(_state_line(page)).to_have_text(fr("Please send a new version"))
    expect(
        page.get_by_text(fr("The Secretariat asks you to change the following:"))
    ).to_be_visible()
    expect(page.locator("#fix-request")).to_have_text(REQUEST)
    expect(
        page.get_by_text(fr("Your file meets the call's rules. Nothing more is needed."))
    ).to_have_count(0)
    _fits_the_phone(page)
    screenshot(page, "status-fr-fix-requested")
    assert_accessible(page)

    # A new version through the page: checked again, the request answered.
    page.get_by_label(fr("The new version (Word .docx file)")).set_input_files(
        {"name": "version 2.docx", "buffer": lo_docs["ordinary"].read_bytes(), "mimeType": DOCX}
    )
    page.get_by_role("button", name=fr("Send the new version")).click()
    expect(
        page.get_by_text(fr("Your new version has been received. We are checking it now."))
    ).to_be_visible(timeout=30_000)
    submission = _checked_by_the_worker(submission.pk)
    assert submission.state == State.READY_TO_POST and not submission.waiting_for_submitter
    expect(_state_line(page)).to_have_text(
        fr(str(SUBMITTER_LABELS[State.READY_TO_POST])), timeout=30_000
    )
    expect(page.locator("#fix-request")).to_have_count(0)
    expect(
        page.get_by_text(
            fr("It will be posted on the public website; we will e-mail you when it is.")
        )
    ).to_be_visible()
    versions = page.get_by_role("region", name=fr("Versions")).get_by_role("listitem")
    expect(versions).to_have_count(2)
    _fits_the_phone(page)
    screenshot(page, "status-fr-accepted")
    assert_accessible(page)

    # Posted: the public link, no new version, withdrawal still possible.
    services.submission_post(submission=submission, actor=member("Triage", "Publishing"))
    page.goto(status_path)
    expect(_state_line(page)).to_have_text(fr(str(SUBMITTER_LABELS[State.POSTED])))
    link = page.locator("#posted-link")
    expect(link).to_have_attribute("href", notifications.posted_url(submission))
    expect(page.get_by_role("heading", name=fr("Send a new version"))).to_have_count(0)
    expect(page.get_by_role("heading", name=fr("Withdraw your submission"))).to_be_visible()
    _fits_the_phone(page)
    screenshot(page, "status-fr-posted")
    assert_accessible(page)
    public = re.sub(r"^https?://[^/]+", "", notifications.posted_url(submission))
    page.goto(public)
    expect(page.get_by_text(name).first).to_be_visible()
    assert console_problems(page) == []
