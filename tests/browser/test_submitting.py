"""Sending a submission in a real browser: with the keyboard only, and with mistakes."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    assert_accessible,
    console_problems,
    expect,
    screenshot,
    tab_to,
)
from tests.conftest import CORPUS_EXPECTED, SUBMITTER_FORM
from tests.documents import make_docx

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
WAITING = "We are checking your file"
MEETS_THE_RULES = "Your file meets the call's rules"


def test_a_newcomer_submits_with_the_keyboard_and_the_status_page_updates_itself(
    page, worker, open_call, lo_docs
):
    keyboard = page.keyboard
    page.goto("/")

    # From the home page to the form, by links.
    tab_to(page, page.get_by_role("link", name=open_call.title))
    with page.expect_navigation():
        keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Send a submission"))
    with page.expect_navigation():
        keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a submission")

    # The form, field by field, in the order Tab visits them.
    name = CORPUS_EXPECTED["ordinary"]["needle"]
    stakeholder = page.get_by_label("Name of the organisation")
    tab_to(page, stakeholder)
    keyboard.type(name)
    expect(stakeholder).to_have_value(name)

    category = page.get_by_label("Category")
    keyboard.press("Tab")
    expect(category).to_be_focused()
    keyboard.type("Civil")  # a closed <select> selects the option one starts typing
    expect(category).to_have_value(SUBMITTER_FORM["category"])

    country = page.get_by_label("Country")
    keyboard.press("Tab")
    expect(country).to_be_focused()
    keyboard.type("Philippines")
    expect(country).to_have_value(SUBMITTER_FORM["country"])

    for label, key in (("Contact person", "contact_name"), ("Contact e-mail", "contact_email")):
        keyboard.press("Tab")
        expect(page.get_by_label(label)).to_be_focused()
        keyboard.type(SUBMITTER_FORM[key])

    language = page.get_by_label("Language of the submission")
    keyboard.press("Tab")
    expect(language).to_be_focused()
    keyboard.type("English")
    expect(language).to_have_value("en")

    # No choice is made for the submitter: Tab enters the group on its first button,
    # Space chooses it (the arrows would move the choice).
    publish = page.get_by_role("radio", name="Post it publicly, with our name")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    keyboard.press("Tab")
    expect(publish).to_be_focused()
    keyboard.press("Space")
    expect(publish).to_be_checked()

    # Space on the file input opens the system's file chooser, which sets the input's
    # files: set_input_files does what the chooser does.
    upload = page.get_by_label("Your submission (Word .docx file)")
    keyboard.press("Tab")
    expect(upload).to_be_focused()
    upload.set_input_files(lo_docs["ordinary"])
    expect(upload).to_be_focused()

    tab_to(page, page.get_by_role("button", name="Send the submission"))
    keyboard.press("Enter")

    # The receipt, on the private status page.
    page.wait_for_url(re.compile(r"/status/[^/]+/"), timeout=30_000)
    receipt = page.get_by_role("status").filter(has_text="your submission has been received")
    expect(receipt).to_be_visible()
    expect(receipt).to_contain_text("OPEN-0001")
    expect(page.get_by_text(name, exact=True)).to_be_visible()

    # The worker's report replaces "being checked" without anyone reloading the page.
    expect(page.get_by_text(WAITING)).to_be_visible()
    expect(page.get_by_text(MEETS_THE_RULES)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(WAITING)).to_have_count(0)
    expect(page.get_by_text("OPEN-0001").first).to_be_visible()

    # A new version through the same private page: kept beside the first, checked
    # again, and its report (the name is missing now) arrives by itself too.
    page.get_by_label("The new version (Word .docx file)").set_input_files(
        {
            "name": "second version.docx",
            "buffer": make_docx("Another text, no name."),
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    )
    page.get_by_role("button", name="Send the new version").click()
    expect(page.get_by_text("Your new version has been received")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-code]").first).to_be_visible(timeout=30_000)
    versions = page.get_by_role("region", name="Versions").get_by_role("listitem")
    expect(versions).to_have_count(2)
    expect(versions.last).to_contain_text("second version.docx")
    # Nothing the site's own policy (CSP) blocked, nothing broken in its scripts.
    assert console_problems(page) == []


def _fill_form_except(page, *, missing: str, upload) -> None:
    """Fill the submission form with SUBMITTER_FORM, leaving `missing` empty."""
    fields = {
        "stakeholder_name": "Name of the organisation",
        "contact_name": "Contact person",
        "contact_email": "Contact e-mail",
    }
    for key, label in fields.items():
        if key != missing:
            page.get_by_label(label).fill(SUBMITTER_FORM[key])
    page.get_by_label("Category").select_option(SUBMITTER_FORM["category"])
    page.get_by_label("Country").select_option(SUBMITTER_FORM["country"])
    page.get_by_label("Language of the submission").select_option(SUBMITTER_FORM["language"])
    page.get_by_role("radio", name="Post it publicly, with our name").check()
    page.get_by_label("Your submission (Word .docx file)").set_input_files(upload)


def _error_summary(page):
    return page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )


def _assert_summary_on_top(page, summary) -> None:
    expect(summary).to_be_visible()
    summary_box = summary.bounding_box()
    form_box = page.get_by_label("Name of the organisation").bounding_box()
    assert summary_box["y"] + summary_box["height"] <= form_box["y"], "summary below the form"


def test_the_error_summary_lists_every_problem_and_its_links_focus_the_fields(
    audit_page, open_call, tmp_path
):
    """A missing e-mail and a PDF renamed .docx: both named at the top, each a link."""
    page = audit_page
    pdf = tmp_path / "our submission.docx"
    pdf.write_bytes(PDF)
    page.goto(f"/calls/{open_call.slug}/submit/")
    _fill_form_except(page, missing="contact_email", upload=pdf)
    page.get_by_role("button", name="Send the submission").click()

    summary = _error_summary(page)
    try:
        expect(summary).to_be_visible()
    except AssertionError:
        bubble = page.get_by_label("Contact e-mail").evaluate(
            "field => field.form.noValidate || field.checkValidity() ? '' : field.validationMessage"
        )
        if not bubble:
            raise
        pytest.fail(
            f"no error summary: still on {page.url}; the browser's own validation stopped the "
            f"form on the empty e-mail (its bubble: {bubble!r}; one problem at a time), so the "
            "server never listed the problems: the form has no novalidate"
        )
    _assert_summary_on_top(page, summary)
    # Each link starts with its field's label and takes the focus to that field.
    for label in ("Contact e-mail", "Your submission (Word .docx file)"):
        summary.get_by_role("link", name=re.compile("^" + re.escape(label))).click()
        expect(page.get_by_label(label)).to_be_focused()
    assert_accessible(page)


def test_an_error_summary_link_moves_the_focus_to_its_field(audit_page, open_call, tmp_path):
    """A PDF renamed .docx, everything else right: the summary names the file, by keyboard."""
    page = audit_page
    pdf = tmp_path / "our submission.docx"
    pdf.write_bytes(PDF)
    page.goto(f"/calls/{open_call.slug}/submit/")
    _fill_form_except(page, missing="", upload=pdf)
    page.get_by_role("button", name="Send the submission").click()

    summary = _error_summary(page)
    _assert_summary_on_top(page, summary)
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links).to_contain_text("PDF")
    links.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your submission (Word .docx file)")).to_be_focused()
    # What was typed is still there; only the file has to be chosen again.
    expect(page.get_by_label("Contact e-mail")).to_have_value(SUBMITTER_FORM["contact_email"])
    screenshot(page, "submit-errors-en")
    assert_accessible(page)


def test_a_file_chosen_once_is_kept_across_an_error_and_sent_with_the_fix(
    audit_page, open_call, tmp_path
):
    """A valid file and an empty e-mail: the page keeps the file; the next send uses it."""
    page = audit_page
    document = tmp_path / "our report.docx"
    document.write_bytes(make_docx(SUBMITTER_FORM["stakeholder_name"]))
    page.goto(f"/calls/{open_call.slug}/submit/")
    _fill_form_except(page, missing="contact_email", upload=document)
    page.get_by_role("button", name="Send the submission").click()

    summary = _error_summary(page)
    _assert_summary_on_top(page, summary)
    expect(summary.get_by_role("link")).to_have_count(1)  # the e-mail only, not the file
    upload = page.get_by_label("Your submission (Word .docx file)")
    expect(upload).to_be_visible()  # still there, to choose another file
    expect(upload).to_have_accessible_description(re.compile("We kept your file “our report.docx”"))
    expect(page.get_by_text("Choose another file to replace it.")).to_be_visible()
    screenshot(page, "submit-file-kept-en")
    assert_accessible(page)

    page.get_by_label("Contact e-mail").fill(SUBMITTER_FORM["contact_email"])
    page.get_by_role("button", name="Send the submission").click()
    page.wait_for_url(re.compile(r"/status/[^/]+/"), timeout=30_000)
    receipt = page.get_by_role("status").filter(has_text="your submission has been received")
    expect(receipt).to_be_visible()
    expect(page.get_by_text("our report.docx").first).to_be_visible()
