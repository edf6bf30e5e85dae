"""The second round in a real browser: reading the draft, commenting on a paragraph,
and the Secretariat's compilation of the comments."""

from __future__ import annotations

import re

import pytest

from submissions.models import Submission
from tests.browser.conftest import assert_accessible, console_problems, expect, screenshot
from tests.conftest import SUBMITTER_FORM
from tests.second_round import comments_call, send_comments

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_keeps_their_paragraph_across_languages(page, audit_page):
    call = comments_call()
    # Bootstrap scrolls smoothly to a fragment; an instant scroll made while that animation
    # runs landed anywhere from paragraph 2 to 3 (it failed CI once).
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"/calls/{call.slug}/draft/en/#para-5")
    expect(page.locator("#para-5")).to_be_in_viewport()
    page.get_by_role("link", name="français").click()
    page.wait_for_url(re.compile(rf"/calls/{call.slug}/draft/fr/#para-5$"))
    expect(page.locator("#para-5")).to_contain_text("pare-feu")
    # Scrolled to another paragraph without following its link: the switch, always in
    # view, follows it.
    page.set_viewport_size({"width": 800, "height": 400})
    page.evaluate(
        "() => { history.replaceState(null, '', location.pathname); "
        "document.getElementById('para-2').scrollIntoView({block: 'start', behavior: 'instant'}); }"
    )
    page.wait_for_function(
        "() => Math.abs(document.getElementById('para-2').getBoundingClientRect().top - 64) < 2"
    )
    # Clicked where it is (a real click first scrolls its target into view, which here
    # could move the page back up before the script reads where the reader is).
    page.get_by_role("link", name="español").dispatch_event("click")
    page.wait_for_url(re.compile(rf"/calls/{call.slug}/draft/es/#para-2$"))
    assert console_problems(page) == []
    audit_page.goto(f"/calls/{call.slug}/draft/es/")
    assert_accessible(audit_page)


def _comment_on_paragraph_5(page) -> None:
    """The commenting form filled in as a stakeholder does, then "Continue"."""
    paragraph = page.locator("details#para-5")
    expect(paragraph).to_have_attribute("open", "")
    page.get_by_label("Name of the organisation").fill(SUBMITTER_FORM["stakeholder_name"])
    page.get_by_label("Category").select_option(SUBMITTER_FORM["category"])
    page.get_by_label("Country").select_option(SUBMITTER_FORM["country"])
    page.get_by_label("Contact person").fill(SUBMITTER_FORM["contact_name"])
    page.get_by_label("Contact e-mail").fill(SUBMITTER_FORM["contact_email"])
    page.get_by_label("Language of the submission").select_option("en")
    page.get_by_role("radio", name="Post it publicly, with our name").check()
    paragraph.get_by_label("Your comment on paragraph 5").fill("Name health care explicitly.")
    paragraph.get_by_label("Proposed wording for paragraph 5").fill(
        "States parties should establish firewalls between health care and immigration enforcement."
    )
    page.get_by_role("button", name="Continue: check your comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your comments before sending")


def test_a_stakeholder_comments_on_a_paragraph_and_proposes_wording(page, audit_page, worker):
    call = comments_call(languages=("en",))
    page.goto(f"/calls/{call.slug}/draft/en/")
    page.get_by_role("link", name="Comment on paragraph 5").click()
    audit_page.goto(f"/calls/{call.slug}/comment/?p=5")
    assert_accessible(audit_page)  # the form
    _comment_on_paragraph_5(audit_page)
    assert_accessible(audit_page)  # the review
    _comment_on_paragraph_5(page)
    diff = page.locator(".proposed-wording")
    expect(diff.locator("ins")).to_contain_text("health care")
    expect(diff.locator("del")).to_contain_text("public services")
    expect(page.get_by_label("Paragraph")).to_have_value("5")
    screenshot(page, "comment-review")
    page.get_by_role("button", name="Send the comments").click()
    page.wait_for_url(re.compile(r"/status/[^/#]+/\?notice=received$"))
    expect(page.get_by_role("heading", name="Your comment")).to_be_visible()
    expect(page.get_by_text("Name health care explicitly.")).to_be_visible()
    submission = Submission.objects.get(call=call)
    assert list(submission.comments.values_list("paragraph", flat=True)) == ["5"]
    assert console_problems(page) == []


def test_the_secretariat_reads_and_downloads_the_compilation(page, audit_page, tmp_path):
    from base64 import b32decode

    import docx
    from django.contrib.auth.models import Group, User
    from django_otp.oath import totp

    from tests.views.test_draft_pages import _post

    call = comments_call(languages=("en",))
    posted, _ = send_comments(call, [("5", "Firewalls for health care.", "")], name="Alpha NGO")
    _post(posted)
    send_comments(call, [("2", "Waiting to be read.", "")], name="Beta Union")
    member = User.objects.create_user("reader", password="a-long-password-1", is_staff=True)
    member.groups.add(Group.objects.get(name="Triage"))

    page.goto("/admin/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    secret = page.locator("#otp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/submissions/call/{call.pk}/change/")
    page.get_by_role("link", name="The compilation of the comments").click()
    five = page.locator(".gc6-compiled-paragraph", has_text="Paragraph 5")
    expect(five).to_contain_text("Firewalls for health care.")
    expect(five).to_contain_text("Alpha NGO")
    expect(page.locator(".gc6-compiled-paragraph", has_text="Paragraph 2")).to_contain_text(
        "Waiting to be read."
    )
    page.get_by_label("Posted only", exact=True).check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Waiting to be read.")).to_have_count(0)
    screenshot(page, "admin-compilation")
    audit_page.context.add_cookies(page.context.cookies())
    audit_page.goto(page.url)
    assert_accessible(audit_page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Word")).first.click()
    path = tmp_path / "compilation.docx"
    download.value.save_as(path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert texts.index("Paragraph 5") > texts.index("Paragraph 2")
    assert any("Firewalls for health care." in cell for cell in cells)
    assert not any("Waiting to be read." in cell for cell in cells)
    assert console_problems(page) == []
