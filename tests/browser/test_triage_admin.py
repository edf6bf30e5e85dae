"""A new Secretariat member triages a call in the admin, in a real browser.

The issue's "done when": a Secretariat member, tried as a new user would, can take
the call's submissions from received to posted or rejected without leaving the
admin, and every decision is traceable and reaches the submitter.

Three files come in through the public form and the real worker checks them: one
over the word limit, one that meets the rules, one from a French-speaking
submitter, to reject. A staff member of the Triage and Publishing groups, with no
authenticator app yet, logs in (a password, then the app set up from the key shown
as text), finds "Post publicly" disabled on the first (over the limit) with the
reason, accepts it with a reason and posts it from its page, rejects the third, and
posts the second with the queue's bulk action, through the same confirmation page
(what it applies to, the e-mail) as a single decision.

The pages run under the site's Content-Security-Policy (`page`); axe audits them in
a second browser sharing the session (`audit_page`, which lets axe be injected).
What the admin does wrong without stopping the flow (its console, axe, layout, the
history shown) is gathered and failed on at the end, all in one report.
"""

from __future__ import annotations

import re
from base64 import b32decode
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp

from submissions.enums import State
from submissions.models import EmailLog, Submission, SubmissionEvent
from tests.browser.conftest import (
    audit,
    console_problems,
    describe_violations,
    describe_violations_by_page,
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

USERNAME = "new.member"
PASSWORD = "a-long-test-password"
ACCEPT_REASON = "6,938 words: the annex is background the Committee asked for."
REJECT_REASON = "Sent to the wrong call: it comments on General Comment No. 5."
CHANGELIST = "/admin/submissions/submission/"

# What axe's findings are failed on: the markup this project writes. Django's own
# admin markup (header, breadcrumbs, sidebar, filters, result table, inline forms)
# is Django's to fix: its violations are printed (-s), not failed on. Ours is:
# - every element with a gc6- class, and what it holds (badges, the document and its
#   text, the decision buttons, the decision form);
# - the HTML our admin display methods return (submissions/admin/): the readonly
#   values and list cells named below;
# - what our templates add: templates/admin/submissions/ (the register link, the
#   decision page's breadcrumbs) and templates/admin/staff/ (the whole content of
#   the two-factor pages).
OUR_MARKUP = ", ".join(
    (
        '[class*="gc6-"]',
        ".field-findings_list .readonly",
        ".field-overrides_list .readonly",
        ".field-duplicates .readonly",
        ".field-document .readonly",
        "td.field-flags",
        "td.field-state_badge",
        "td.field-group",
        '.object-tools a[href$="/register/"]',
    )
)
OUR_DECISION_PAGE = OUR_MARKUP + ", .breadcrumbs"
OUR_STAFF_PAGE = OUR_MARKUP + ", #content-main"


class Findings:
    """What is wrong on the admin's pages, gathered by page, failed on at the end."""

    def __init__(self, page, audit_page) -> None:
        self.page, self.audit_page = page, audit_page
        self.console: dict[str, list[str]] = {}
        self.ours: dict[str, list[dict]] = {}
        self.django: dict[str, list[dict]] = {}
        self.other: list[str] = []
        self.seen = len(console_problems(page))

    def look(self, where: str) -> None:
        """The console errors (a blocked script or style, a JS error...) since the last look."""
        problems = console_problems(self.page)
        if problems[self.seen :]:
            self.console[where] = problems[self.seen :]
        self.seen = len(problems)

    def skip_console(self) -> None:
        """Forget what public pages said: their own tests look at them."""
        self.seen = len(console_problems(self.page))

    def audit(self, where: str, ours: str = OUR_MARKUP, *, reopen: bool = True) -> None:
        """axe on what `page` shows: its address opened again in `audit_page`."""
        if reopen:
            self.audit_page.goto(self.page.url)
        violations = audit(self.audit_page)
        mine, theirs = _split_violations(self.audit_page, violations, ours)
        if mine:
            self.ours[where] = mine
        if theirs:
            self.django[where] = theirs

    def note(self, problem: str) -> None:
        self.other.append(problem)

    def report(self) -> list[str]:
        found = []
        if self.console:
            found.append(
                "console errors in the admin under the site's CSP:\n"
                + "\n".join(f"  {where}: {problems}" for where, problems in self.console.items())
            )
        if self.ours:
            found.append(
                "axe-core, WCAG 2.1 A/AA violations in our markup:\n"
                + "\n".join(f"{where}:\n{describe_violations(v)}" for where, v in self.ours.items())
            )
        return found + self.other


def _split_violations(page, violations: list[dict], ours: str) -> tuple[list[dict], list[dict]]:
    """(ours, Django's): each violation with its nodes inside `ours`, or with the others."""
    mine, theirs = [], []
    for violation in violations:
        inside = page.evaluate(
            """([targets, ours]) => targets.map(target => {
                const element = document.querySelector(target);
                return Boolean(element && element.closest(ours));
            })""",
            [[node["target"][-1] for node in violation["nodes"]], ours],
        )
        nodes = list(zip(violation["nodes"], inside, strict=True))
        if any(is_ours for _node, is_ours in nodes):
            mine.append({**violation, "nodes": [n for n, is_ours in nodes if is_ours]})
        if not all(is_ours for _node, is_ours in nodes):
            theirs.append({**violation, "nodes": [n for n, is_ours in nodes if not is_ours]})
    return mine, theirs


def _send(page, call, document: Path, *, name: str, language: str) -> None:
    """A submitter sends `document` with the public form, in the page's language.

    The fields are found by id: the French submitter's form is labelled in French.
    """
    page.goto(f"/calls/{call.slug}/submit/")
    page.locator("#id_stakeholder_name").fill(name)
    page.locator("#id_category").select_option(SUBMITTER_FORM["category"])
    page.locator("#id_country").select_option(SUBMITTER_FORM["country"])
    page.locator("#id_contact_name").fill(SUBMITTER_FORM["contact_name"])
    page.locator("#id_contact_email").fill(SUBMITTER_FORM["contact_email"])
    page.locator("#id_language").select_option(language)
    # Chosen by the submitter (the form need not preselect one).
    page.locator(f"input[name=publication][value={SUBMITTER_FORM['publication']}]").check()
    page.locator("#id_file").set_input_files(document)
    page.locator("[name=submit]").click()
    page.wait_for_url(re.compile(r"/status/[^/]+/"), timeout=30_000)


def _wait_for_the_checks(worker, call, count: int) -> None:
    def checked() -> bool:
        assert worker.alive(), worker.output()
        submissions = Submission.objects.filter(call=call)
        return (
            submissions.count() == count
            and not submissions.filter(state__in=State.AWAITING_CHECK).exists()
        )

    wait_for(checked, 60, "the worker's checks of the files")


def _log_in_with_password(page) -> None:
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/two-factor/setup/"))


def _code(secret: str) -> str:
    """What an authenticator app shows now for the key typed into it."""
    return f"{totp(b32decode(secret)):06d}"


def _back_to_the_queue(page) -> None:
    """The breadcrumbs' second "Submissions" (the first is the app's page)."""
    page.locator(".breadcrumbs").get_by_role("link", name="Submissions").last.click()
    page.wait_for_url(re.compile(re.escape(CHANGELIST) + "$"))


def _confirm_bulk(page, tracking_number: str, decision: str) -> None:
    """Tick a submission in the queue and choose a bulk decision: its confirmation page."""
    page.goto(CHANGELIST)
    row = page.locator("#result_list tbody tr").filter(has_text=tracking_number)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label=decision)
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=decision)).to_be_visible()


def _shown_without_scrolling(locator) -> bool:
    """Is the element inside the visible part of the box that scrolls it sideways, if any?"""
    return locator.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            let parent = element.parentElement;
            while (parent && parent.scrollWidth <= parent.clientWidth) {
                parent = parent.parentElement;
            }
            if (!parent || parent === document.documentElement || parent === document.body) {
                return true;
            }
            const view = parent.getBoundingClientRect();
            return box.left >= view.left && box.right <= view.right;
        }"""
    )


def test_a_new_secretariat_member_takes_the_calls_submissions_to_posted_or_rejected(
    page, audit_page, worker, open_call, lo_docs, django_user_model
):
    call = open_call
    member = django_user_model.objects.create_user(USERNAME, password=PASSWORD, is_staff=True)
    member.groups.add(*Group.objects.filter(name__in=["Triage", "Publishing"]))
    assert member.groups.count() == 2
    assert CORPUS_EXPECTED["over_limit"]["lo_word_count"] > call.word_limit

    # Three submitters, the third in French; the worker checks each file as it comes.
    name = CORPUS_EXPECTED["ordinary"]["needle"]
    _send(page, call, lo_docs["over_limit"], name=name, language="en")
    _send(page, call, lo_docs["ordinary"], name=name, language="en")
    switch_language(page, "fr")
    french_name = CORPUS_EXPECTED["french_accents"]["needle"]
    _send(page, call, lo_docs["french_accents"], name=french_name, language="fr")
    switch_language(page, "en")
    _wait_for_the_checks(worker, call, 3)
    over, ready, refused = Submission.objects.filter(call=call).order_by("number")
    assert [(s.state, s.interface_language) for s in (over, ready, refused)] == [
        (State.NEEDS_ATTENTION, "en"),
        (State.READY_TO_POST, "en"),
        (State.READY_TO_POST, "fr"),
    ], [(s.tracking_number, s.state, s.finding_codes) for s in (over, ready, refused)]
    findings = Findings(page, audit_page)

    # A password, then the two-factor setup: the key typed into the app as text.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    findings.look("login")
    _log_in_with_password(page)
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator("svg.otp-qr")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().strip()
    screenshot(page, "admin-two-factor-setup")
    findings.look("two-factor setup")
    # The audit browser reaches the same page (same account, same unconfirmed device).
    audit_page.goto("/admin/login/")
    _log_in_with_password(audit_page)
    findings.audit("two-factor setup", OUR_STAFF_PAGE, reopen=False)

    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    findings.look("admin home")
    audit_page.context.add_cookies(page.context.cookies())  # the verified session

    # The work queue, from the admin's home page: what needs a person, oldest first.
    page.locator("tr.model-submission").get_by_role("link", name="Submissions").click()
    page.wait_for_url(re.compile(re.escape(CHANGELIST) + "$"))
    selected = page.locator("#changelist-filter li.selected").filter(has_text="Needs a person")
    expect(selected).to_be_visible()
    rows = page.locator("#result_list tbody tr")
    expect(rows.locator("th.field-tracking")).to_have_text(["OPEN-0001", "OPEN-0002", "OPEN-0003"])
    over_row, ready_row = rows.nth(0), rows.nth(1)
    over_badge = over_row.locator(".gc6-badge", has_text="Over the word limit")
    ready_badge = ready_row.locator(".gc6-badge", has_text="Ready to post")
    expect(over_badge).to_be_visible()
    expect(over_row.locator(".gc6-badge", has_text="Needs attention")).to_be_visible()
    expect(ready_badge).to_be_visible()
    # Readable means on screen: the results table scrolls sideways when too wide.
    for badge in (over_badge, ready_badge):
        if not _shown_without_scrolling(badge):
            findings.note(
                f"queue at 1280px: the badge {badge.inner_text()!r} is outside the visible part "
                "of the results table (#changelist-form .results scrolls sideways: the state "
                "and findings columns are off to the right)"
            )
    screenshot(page, "admin-queue")
    findings.look("queue")
    findings.audit("queue")

    # The file over the limit: its page, then Accept, first without a reason.
    over_row.get_by_role("link", name="OPEN-0001").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("OPEN-0001"))).to_be_visible()
    expect(page.locator(".field-findings_list")).to_contain_text("Over the word limit")
    # Its times in the call's zone, named; its history by state names and who acted.
    expect(page.locator("div.field-received")).to_contain_text("(Geneva)")
    history = page.locator("#events-group")
    expect(history).to_contain_text("the submitter")
    expect(history).to_contain_text("the worker")
    expect(history).not_to_contain_text("needs_attention")
    # Post is there, but disabled while the finding is open, and says why.
    disabled_post = page.get_by_role("button", name="Post publicly", exact=True)
    expect(disabled_post).to_be_disabled()
    expect(page.locator("#gc6-refusal-post")).to_contain_text(
        "Accept it with a reason first: Over the word limit"
    )
    expect(page.get_by_role("link", name="Post publicly", exact=True)).to_have_count(0)
    # The document's text comes after the notes and the history.
    order = page.evaluate(
        """() => [
            document.querySelector("#notes-group"),
            document.querySelector("#events-group"),
            document.querySelector(".field-document"),
        ].map(element => element.getBoundingClientRect().top)"""
    )
    if order != sorted(order):
        findings.note(f"submission page: the document is not below the notes and history {order}")
    submission_url = page.url
    files = page.locator(".gc6-files")
    width = files.evaluate("element => element.getBoundingClientRect().width")
    rem = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    if width < 12 * rem:  # its column in static/css/admin.css: minmax(12rem, 1fr)
        findings.note(
            f"submission page: the document's links (.gc6-files) are squeezed to {width:.0f}px "
            f"(the CSS asks for 12rem, {12 * rem:.0f}px): one letter per line; Django's "
            "`form .aligned ul { margin-left: 160px }` outranks `.gc6-files { margin: 0 }`"
        )
    screenshot(page, "admin-submission-needs-attention")
    findings.look("submission page")
    findings.audit("submission page")

    page.get_by_role("link", name="Accept", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Accept")).to_be_visible()
    expect(page.get_by_label(re.compile("^Reason"))).to_be_empty()
    screenshot(page, "admin-decision-accept")
    findings.look("decision form (accept)")
    findings.audit("decision form (accept)", OUR_DECISION_PAGE)
    page.get_by_role("button", name="Accept", exact=True).click()
    # The refusal is said on the form itself, which stays open for the reason.
    expect(page.locator(".errornote, .errorlist")).to_contain_text(
        "Over the word limit): give a reason to accept it"
    )
    expect(page.get_by_role("heading", level=1, name="Accept")).to_be_visible()
    assert Submission.objects.get(pk=over.pk).state == State.NEEDS_ATTENTION
    findings.look("accept without a reason")

    page.get_by_label(re.compile("^Reason")).fill(ACCEPT_REASON)
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_url(submission_url)
    expect(page.locator(".messagelist .success")).to_have_text("1 submission accepted.")
    expect(page.locator(".field-state_badge")).to_contain_text("Ready to post")
    expect(page.locator("#gc6-refusal-post")).to_have_count(0)
    findings.look("accepted")

    page.get_by_role("link", name="Post publicly", exact=True).click()
    expect(page.get_by_text("A public copy is made first")).to_be_visible()
    screenshot(page, "admin-decision-post")
    findings.look("decision form (post)")
    page.get_by_role("button", name="Post publicly", exact=True).click()
    page.wait_for_url(submission_url)
    expect(page.locator(".messagelist .success")).to_have_text("1 submission posted.")
    expect(page.locator(".field-state_badge")).to_contain_text("Posted")
    findings.look("posted")

    # The French submitter's file: rejected with a reason, from its page.
    _back_to_the_queue(page)
    rows = page.locator("#result_list tbody tr")
    expect(rows.locator("th.field-tracking")).to_have_text(["OPEN-0002", "OPEN-0003"])
    rows.nth(1).get_by_role("link", name="OPEN-0003").click()
    page.get_by_role("link", name="Reject", exact=True).click()
    page.get_by_label(re.compile("^Reason")).fill(REJECT_REASON)
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_text("1 submission rejected.")
    expect(page.locator(".field-state_badge")).to_contain_text("Rejected")
    findings.look("rejected")

    # The one that meets the rules: ticked in the queue, the bulk action "Post publicly",
    # which asks first, as on a submission's page: what it applies to, the e-mail.
    _back_to_the_queue(page)
    rows = page.locator("#result_list tbody tr")
    expect(rows.locator("th.field-tracking")).to_have_text(["OPEN-0002"])
    rows.first.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Post publicly")
    page.get_by_role("button", name="Go", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Post publicly")).to_be_visible()
    expect(page.locator(".gc6-applies")).to_contain_text("OPEN-0002")
    expect(page.locator(".gc6-email-preview")).to_contain_text("OPEN-0002")
    assert Submission.objects.get(pk=ready.pk).state == State.READY_TO_POST  # not yet
    screenshot(page, "admin-decision-bulk-post")
    findings.look("bulk decision (post)")
    # The answer to a POST: the audit browser asks for the same page in the same way.
    _confirm_bulk(audit_page, "OPEN-0002", "Post publicly")
    findings.audit("bulk decision (post)", OUR_DECISION_PAGE, reopen=False)
    page.get_by_role("button", name="Post publicly", exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_text("1 submission posted.")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)  # nothing left to do
    findings.look("bulk post")

    # Traceable: each decision is an event with its author and its reason.
    states = dict(Submission.objects.filter(call=call).values_list("number", "state"))
    assert states == {1: State.POSTED, 2: State.POSTED, 3: State.REJECTED}
    decisions = list(
        SubmissionEvent.objects.filter(actor=member)
        .order_by("pk")
        .values_list("submission__number", "from_state", "to_state", "reason")
    )
    assert decisions == [
        (1, State.NEEDS_ATTENTION, State.ACCEPTED, ACCEPT_REASON),
        (1, State.ACCEPTED, State.READY_TO_POST, "approved for posting"),
        (1, State.READY_TO_POST, State.POSTED, "posted"),
        (3, State.READY_TO_POST, State.REJECTED, REJECT_REASON),
        (2, State.READY_TO_POST, State.POSTED, "posted"),
    ]

    # Told: each decision e-mailed once, sent (by the worker, from the outbox), to the
    # submitter, in their language.
    wait_for(
        lambda: not EmailLog.objects.filter(sent_at__isnull=True).exists(),
        30,
        "the worker to send every e-mail of the outbox",
    )
    mails = {
        (m.submission.number, m.key.split("-")[0]): m
        for m in EmailLog.objects.select_related("submission")
    }
    # The receipts and the decisions' e-mails (the check's own report to the submitter
    # of a file it found something in is not a decision: left out here).
    assert sorted(key for key in mails if key[1] != "report") == [
        (1, "accepted"),
        (1, "confirmation"),
        (1, "posted"),
        (2, "confirmation"),
        (2, "posted"),
        (3, "confirmation"),
        (3, "rejected"),
    ]
    for mail in mails.values():
        assert mail.to == mail.submission.contact_email
        assert mail.language == mail.submission.interface_language
        assert mail.sent_at is not None and mail.error == "", (mail.key, mail.error)
    assert ACCEPT_REASON in mails[1, "accepted"].body
    assert f"/calls/{call.slug}/submissions/1/" in mails[1, "posted"].body
    rejection = mails[3, "rejected"]
    assert rejection.language == "fr"
    assert rejection.subject.startswith("Votre contribution OPEN-0003")  # in French
    assert rejection.body.startswith("Bonjour")
    assert REJECT_REASON in rejection.body

    # The public: each posted submission offers its Word file.
    for number in (1, 2):
        page.goto(f"/calls/{call.slug}/submissions/{number}/")
        download = page.get_by_role("link", name="Download the Word file")
        response = page.request.get(download.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert response.body()[:2] == b"PK"
    findings.skip_console()

    # The history, on the submission's page, as the member sees it.
    page.goto(submission_url)
    screenshot(page, "admin-submission-posted")
    findings.look("submission page, posted")
    history = page.locator(".inline-group").filter(
        has=page.get_by_role("heading", name="History", exact=True)
    )
    shown = history.all_inner_texts()
    if not any(ACCEPT_REASON in text and USERNAME in text for text in shown):
        headings = page.locator(".inline-group h2").all_inner_texts()
        findings.note(
            f"{submission_url}: no History inline with the accept reason and its author, "
            f"for a member of Triage and Publishing (History inlines: {len(shown)}; the "
            f"page's inlines: {headings})"
        )

    if findings.django:
        print("axe, Django's admin markup:\n" + describe_violations_by_page(findings.django))
    problems = findings.report()
    assert not problems, "\n\n".join(problems)
