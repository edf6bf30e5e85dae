"""The admin as a new Secretariat officer reads it: times in the call's zone, a readable
history, the page in the order of the work, decisions offered only when they can
succeed, bulk decisions confirmed first, plain messages and section names, a call's
texts in the three languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.admin.times import local_time
from submissions.enums import State
from submissions.findings import finding_label
from submissions.models import Call, EmailLog, Submission
from tests.documents import make_docx
from tests.factories import SubmissionFactory

CHANGELIST = reverse("admin:submissions_submission_changelist")
# 23:59 in Geneva (summer time, UTC+2) on the GC6 deadline day.
LAST_MINUTE = datetime(2022, 9, 12, 21, 59, tzinfo=UTC)


def change_url(submission: Submission) -> str:
    return reverse("admin:submissions_submission_change", args=[submission.pk])


def shown(moment: datetime, zone: str, place: str) -> str:
    """What the admin should show, computed here without the admin's helper."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%b %Y, %H:%M} ({place})"


def inline(page: str, prefix: str) -> str:
    """The HTML of an inline group (notes, versions, emails, events), to its table's end."""
    start = page.index(f'id="{prefix}-heading"')
    return page[start : page.index("</table>", start)]


# 1. Times in the call's zone, the zone named.


@pytest.mark.parametrize(
    ("zone", "place"), [("Europe/Zurich", "Geneva"), ("America/New_York", "New York")]
)
def test_local_time_is_in_the_calls_zone_with_the_zone_named(open_call, zone, place):
    open_call.time_zone = zone
    assert local_time(LAST_MINUTE, open_call) == shown(LAST_MINUTE, zone, place)
    assert local_time(None, open_call) == "-"


def test_a_submissions_times_are_shown_in_the_calls_zone_everywhere(
    staff_client, open_call, make_submission
):
    submission = make_submission(open_call, received_at=LAST_MINUTE)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    page = staff_client.get(change_url(submission)).text
    received = shown(LAST_MINUTE, "Europe/Zurich", "Geneva")
    assert received == "12 Sep 2022, 23:59 (Geneva)"
    assert received in page.split('class="inline-group"')[0]  # the page's own field
    assert received in inline(page, "events")  # the receipt's event
    assert received in inline(page, "versions")
    mail = EmailLog.objects.filter(submission=submission).first()
    assert shown(mail.created_at, "Europe/Zurich", "Geneva") in inline(page, "emails")
    assert shown(submission.checked_at, "Europe/Zurich", "Geneva") in page
    # The work queue's column, for a call elsewhere too.
    listed = staff_client.get(CHANGELIST, {"queue": "all"}).text
    assert received in listed
    Call.objects.filter(pk=open_call.pk).update(time_zone="America/New_York")
    listed = staff_client.get(CHANGELIST, {"queue": "all"}).text
    assert shown(LAST_MINUTE, "America/New_York", "New York") in listed
    assert received not in listed


# 2. The history with readable labels and who acted.


def test_the_history_reads_as_states_reasons_and_people(
    staff_client, staff_user, open_call, over_limit
):
    staff_user.first_name, staff_user.last_name = "Ana", "Officer"
    staff_user.save()
    services.submission_new_version(
        submission=over_limit,
        upload=SimpleUploadedFile("v2.docx", make_docx("Submitted by Global Alliance", "six")),
    )
    services.submission_check(submission_id=over_limit.pk)
    over_limit.refresh_from_db()
    services.submission_reject(submission=over_limit, actor=staff_user, reason="Off topic")
    history = inline(staff_client.get(change_url(over_limit)).text, "events")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", history, re.S)
    cells = [re.sub(r"<[^>]+>|\s+", " ", row).split() for row in rows[1:]]
    texts = [" ".join(c) for c in cells]
    assert len(texts) == over_limit.events.count()
    # States by their names, never their codes; each event says who acted.
    for event in over_limit.events.all():
        assert str(State(event.to_state).label) in history
    for code in ("needs_attention", "ready_to_post", "checking"):
        assert code not in history
    received, checking, flagged = texts[0], texts[1], texts[2]
    assert "the submitter" in received and "received" in received
    assert "the worker" in checking and str(State.CHECKING.label) in checking
    # The check's reason: the finding's name, not its code.
    assert finding_label("over_word_limit") in flagged and "the worker" in flagged
    new_version = next(t for t in texts if "version 2 received" in t)
    assert "the submitter" in new_version
    assert "Ana Officer" in texts[-1] and "Off topic" in texts[-1]
    assert f"{State.NEEDS_ATTENTION.label} → {State.REJECTED.label}" in texts[-1]


def test_a_submitters_withdrawal_is_theirs_in_the_history(staff_client, open_call):
    submission = SubmissionFactory(call=open_call, checked=True)
    services.submission_withdraw(submission=submission)
    history = inline(staff_client.get(change_url(submission)).text, "events")
    last = re.findall(r"<tr[^>]*>(.*?)</tr>", history, re.S)[-1]
    assert "withdrawn by the submitter" in last and "the submitter" in last
    assert "the worker" not in last


# 3. The page's order: the person's details and the work before the document's text.


def test_the_document_text_comes_after_details_findings_notes_and_history(staff_client, over_limit):
    page = staff_client.get(change_url(over_limit)).text
    order = [
        page.index(">Submitter</h2>"),
        page.index("field-findings_list"),
        page.index('id="notes-heading"'),
        page.index('id="events-heading"'),
        page.index(">Document</h2>"),
        page.index('aria-label="Text as read by the checks"'),
    ]
    assert order == sorted(order), order
    assert page.count('aria-label="Text as read by the checks"') == 1


# 4. Decisions offered only when they can succeed.


def test_post_is_shown_disabled_with_the_reason_while_an_error_is_open(
    client, member, verified_login, over_limit
):
    verified_login(client, member("Triage", "Publishing"))
    page = client.get(change_url(over_limit)).text
    reason = f"Accept it with a reason first: {finding_label('over_word_limit')}"
    assert reason in page
    post = reverse("admin:submissions_submission_decide", args=[over_limit.pk, "post"])
    assert f'href="{post}"' not in page  # not a working button
    assert re.search(r'class="gc6-decide gc6-decide-disabled" disabled[^>]*>Post publicly<', page)
    assert (
        f'href="{reverse("admin:submissions_submission_decide", args=[over_limit.pk, "accept"])}"'
        in page
    )
    # Its decision page, reached anyway, says why and offers no button to send.
    decision_page = client.get(post).text
    assert reason in decision_page and 'type="submit" class="default"' not in decision_page

    accept = reverse("admin:submissions_submission_decide", args=[over_limit.pk, "accept"])
    client.post(accept, {"apply": "1", "reason": "Close enough"})
    page = client.get(change_url(over_limit)).text
    assert f'href="{post}"' in page and reason not in page and "gc6-decide-disabled" not in page


# 5. Bulk decisions: the same confirmation and preview, applied only once confirmed.


def test_bulk_post_confirms_lists_the_skipped_and_previews_each_language(
    staff_client, open_call, over_limit
):
    open_call.word_limit = 5000  # the others meet it; `over_limit` keeps its finding
    open_call.save()
    english = SubmissionFactory(call=open_call, stakeholder_name="First Org", checked=True)
    french = SubmissionFactory(
        call=open_call, stakeholder_name="Deuxième Org", checked=True, interface_language="fr"
    )
    private = SubmissionFactory(call=open_call, publication="do_not_publish", checked=True)
    posted = SubmissionFactory(call=open_call, state=State.POSTED)
    ticked = [english, french, private, over_limit, posted]
    data = {"action": "decide_post", "_selected_action": [s.pk for s in ticked]}
    page = staff_client.post(f"{CHANGELIST}?queue=all", data)
    assert page.status_code == 200
    states = {s.pk: s.state for s in ticked}
    assert dict(Submission.objects.values_list("pk", "state")) == states  # nothing yet
    context = page.context
    assert [s.pk for s in context["queryset"]] == [english.pk, french.pk]
    skipped = {s.pk: why for s, why in context["skipped"]}
    assert set(skipped) == {private.pk, over_limit.pk, posted.pk}
    assert "asked for it not to be published" in skipped[private.pk]
    assert finding_label("over_word_limit") in skipped[over_limit.pk]
    assert str(State.POSTED.label) in skipped[posted.pk]
    for submission, why in context["skipped"]:
        assert submission.tracking_number in page.text and why in page.text
    # One preview per language among those it applies to, each saying for whom.
    previews = {p["language"]: p for p in context["previews"]}
    assert set(previews) == {"English", "French"}
    assert previews["French"]["tracking_number"] == french.tracking_number
    assert "publiée" in previews["French"]["body"]
    assert f"as {english.tracking_number} will get it" in page.text
    # Only the ones listed are sent back, with the confirmation.
    sent = re.findall(r'name="_selected_action" value="(\d+)"', page.text)
    assert sorted(map(int, sent)) == sorted([english.pk, french.pk])

    once = context["form"]["once"].value()
    done = staff_client.post(
        f"{CHANGELIST}?queue=all",
        {**data, "apply": "1", "once": once, "_selected_action": sent},
        follow=True,
    )
    after = dict(Submission.objects.values_list("pk", "state"))
    assert after[english.pk] == after[french.pk] == State.POSTED
    assert {after[s.pk] for s in (private, over_limit)} == {State.ACCEPTED, State.NEEDS_ATTENTION}
    assert "2 submissions posted." in done.text


def test_a_bulk_decision_with_a_reason_applies_only_once_confirmed(staff_client, open_call):
    rows = [
        SubmissionFactory(call=open_call, stakeholder_name=f"Sender {i}", checked=True)
        for i in range(3)
    ]
    data = {"action": "decide_reject", "_selected_action": [s.pk for s in rows]}
    page = staff_client.post(CHANGELIST, data)
    assert "It applies to these 3 submissions" in page.text
    assert "[the reason you give above]" in page.text  # the e-mail, previewed
    assert not Submission.objects.filter(state=State.REJECTED).exists()
    # Without its reason, the form comes back and nothing changes.
    refused = staff_client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert refused.status_code == 200 and "This field is required" in refused.text
    assert not Submission.objects.filter(state=State.REJECTED).exists()
    done = staff_client.post(
        CHANGELIST, {**data, "apply": "1", "reason": "A campaign sent twice"}, follow=True
    )
    assert Submission.objects.filter(state=State.REJECTED).count() == 3
    assert "3 submissions rejected." in done.text


def test_a_bulk_decision_that_applies_to_none_offers_no_button(staff_client, open_call):
    private = SubmissionFactory(call=open_call, publication="do_not_publish", checked=True)
    data = {"action": "decide_post", "_selected_action": [private.pk]}
    page = staff_client.post(CHANGELIST, data)
    assert "It applies to none of the submissions ticked" in page.text
    assert 'type="submit" class="default"' not in page.text
    staff_client.post(CHANGELIST, {**data, "apply": "1"})
    assert Submission.objects.get(pk=private.pk).state == State.ACCEPTED


# 6. Messages with proper plurals.


@pytest.mark.parametrize("count", [1, 3])
def test_decision_messages_say_one_or_several(staff_client, open_call, count):
    rows = [
        SubmissionFactory(call=open_call, stakeholder_name=f"Org {i}", checked=True)
        for i in range(count)
    ]
    data = {"action": "decide_post", "_selected_action": [s.pk for s in rows], "apply": "1"}
    page = staff_client.post(CHANGELIST, data, follow=True).text
    noun = "submission" if count == 1 else "submissions"
    assert f"{count} {noun} posted." in page and "(s)" not in page
    assigned = staff_client.post(
        f"{CHANGELIST}?queue=all",
        {"action": "assign_to_me", "_selected_action": [s.pk for s in rows]},
        follow=True,
    ).text
    assert f"{count} {noun} assigned to you." in assigned


# 7. Plain names for the staff-login sections.


def test_the_admin_home_names_the_staff_login_sections_plainly(staff_client):
    page = staff_client.get(reverse("admin:index"))
    names = {app["app_label"]: app for app in page.context["app_list"]}
    assert names["otp_totp"]["name"] == "Staff authenticator apps"
    assert names["axes"]["name"] == "Failed staff logins"
    model_names = [m["name"] for app in names.values() for m in app["models"]]
    assert "TOTP devices" not in model_names and "Access attempts" not in model_names
    for technical in ("OTP_TOTP", "TOTP devices", ">Axes<", ">AXES<"):
        assert technical not in page.text
    # Their own pages too.
    section = staff_client.get(reverse("admin:app_list", args=["otp_totp"])).text
    assert "Staff authenticator apps" in section and "OTP_TOTP" not in section


# 8. A call's texts side by side in the three languages.


def test_the_call_admin_shows_and_saves_the_three_languages(staff_client, open_call):
    url = reverse("admin:submissions_call_change", args=[open_call.pk])
    page = staff_client.get(url).text
    for name in ("title", "summary", "questions"):
        for code in ("en", "fr", "es"):
            assert f'name="{name}_{code}"' in page
    # Nothing written in French or Spanish yet: the page says so.
    assert "Missing in French: Title, Summary, Guiding questions" in page
    assert "missing in Spanish: Title, Summary, Guiding questions" in page

    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not name.endswith(("opens_at", "deadline"))
    }
    for name in ("opens_at", "deadline"):
        local = getattr(open_call, name).astimezone(UTC)
        data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
    data.update(
        {
            "title_fr": "Un appel ouvert",
            "title_es": "Una convocatoria abierta",
            "summary_fr": "Envoyez vos contributions.",
            "summary_es": "Envíe sus contribuciones.",
            "questions_fr": "Première question ?",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    open_call.refresh_from_db()
    assert (open_call.title_fr, open_call.title_es) == (
        "Un appel ouvert",
        "Una convocatoria abierta",
    )
    assert open_call.summary_es == "Envíe sus contribuciones."
    page = staff_client.get(url).text
    assert "Missing in Spanish: Guiding questions" in page and "in French:" not in page

    # English is required.
    refused = staff_client.post(url, {**data, "title_en": ""})
    assert refused.status_code == 200 and "title_en" in refused.context["adminform"].form.errors
