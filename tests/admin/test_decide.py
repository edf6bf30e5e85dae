"""Decisions in the admin: from a submission's page, or in bulk on the ticked ones."""

from __future__ import annotations

from django.urls import reverse

from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.factories import SubmissionFactory

CHANGELIST = reverse("admin:submissions_submission_changelist")
NAME = "Global Alliance for Migrant Workers' Rights"  # make_submission's


def test_deciding_from_the_page_asks_then_applies(staff_client, queue, mailoutbox):
    over = queue["over"]
    url = reverse("admin:submissions_submission_decide", args=[over.pk, "accept"])
    form = staff_client.get(url)
    assert form.status_code == 200 and "override a finding" in form.text
    refused = staff_client.post(url, {"apply": "1", "reason": ""}, follow=True)
    assert "give a reason to accept it" in refused.text
    assert Submission.objects.get(pk=over.pk).state == State.NEEDS_ATTENTION
    done = staff_client.post(url, {"apply": "1", "reason": "Close enough"})
    assert done.status_code == 302
    assert Submission.objects.get(pk=over.pk).state == State.READY_TO_POST

    post = reverse("admin:submissions_submission_decide", args=[over.pk, "post"])
    assert "public copy" in staff_client.get(post).text  # a confirmation first
    staff_client.post(post, {"apply": "1"})
    over.refresh_from_db()
    assert over.state == State.POSTED
    kinds = [log.key.split("-")[0] for log in EmailLog.objects.filter(submission=over)]
    # The decisions' e-mails, after what the intake and the check sent.
    assert kinds[0] == "confirmation" and kinds[-2:] == ["accepted", "posted"]


def test_the_decision_form_shows_the_e_mail_and_the_admin_log_keeps_it(
    staff_client, queue, staff_user
):
    from django.contrib.admin.models import LogEntry

    rejected_form = reverse(
        "admin:submissions_submission_decide", args=[queue["over"].pk, "reject"]
    )
    page = staff_client.get(rejected_form).text
    # In the submitter's language (Spanish), with the place of the reason marked.
    assert "no fue aceptada" in page
    assert "[the reason you give above]" in page
    staff_client.post(rejected_form, {"apply": "1", "reason": "Off topic"})
    entry = LogEntry.objects.get(object_id=str(queue["over"].pk))
    assert (entry.user, entry.get_change_message()) == (staff_user, "Reject: Off topic")


def test_a_refused_decision_is_explained_on_its_page(client, checked, member, verified_login):
    good, _ = checked
    verified_login(client, member("Triage"))
    url = reverse("admin:submissions_submission_decide", args=[good.pk, "post"])
    response = client.post(url, {"apply": "1"})
    assert "may not make a submission" in response.text
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST


def test_a_refused_decision_can_be_sent_again_from_the_same_form(staff_client, open_call):
    words = " ".join(["word"] * (open_call.word_limit + 10))
    flagged = SubmissionFactory(
        call=open_call,
        stakeholder_name=NAME,
        paragraphs=("Submitted by Global Alliance", words),
        checked=True,
    )
    assert "over_word_limit" in flagged.finding_codes  # over the limit: an error
    url = reverse("admin:submissions_submission_decide", args=[flagged.pk, "accept"])
    once = staff_client.get(url).context["form"]["once"].value()
    refused = staff_client.post(url, {"apply": "1", "reason": "", "once": once})
    assert "give a reason" in refused.text
    staff_client.post(url, {"apply": "1", "reason": "The name is in the header.", "once": once})
    flagged.refresh_from_db()
    assert flagged.state != State.NEEDS_ATTENTION


def test_a_decision_form_sent_twice_decides_and_e_mails_once(staff_client, checked, mailoutbox):
    _, flagged = checked
    url = reverse("admin:submissions_submission_decide", args=[flagged.pk, "request_fix"])
    page = staff_client.get(url)
    once = page.context["form"]["once"].value()
    assert once and f'value="{once}"' in page.text  # each form shown carries its own
    mailoutbox.clear()
    form = {"apply": "1", "reason": "Please put your name on page 1.", "once": once}
    first, second = staff_client.post(url, form), staff_client.post(url, form, follow=True)
    assert first.status_code == 302
    assert "sent twice" in second.text
    assert len(mailoutbox) == 1
    assert flagged.events.filter(reason__contains="Please put your name").count() == 1
    # A new form is a new decision.
    again = {**form, "once": staff_client.get(url).context["form"]["once"].value()}
    staff_client.post(url, again)
    assert len(mailoutbox) == 2


def test_staff_withdraw_at_the_submitters_request_under_their_own_name(
    staff_client, checked, staff_user
):
    good, _ = checked
    url = reverse("admin:submissions_submission_decide", args=[good.pk, "withdraw_for_submitter"])
    staff_client.post(url, {"apply": "1", "reason": "their e-mail of 3 May", "once": "w1"})
    good.refresh_from_db()
    assert good.state == State.WITHDRAWN
    event = good.events.latest("at")
    assert event.actor == staff_user
    assert event.reason == "withdrawn at the submitter's request: their e-mail of 3 May"


def test_posting_a_withheld_name_needs_a_look_first(staff_client, named_anonymous):
    url = reverse("admin:submissions_submission_decide", args=[named_anonymous.pk, "post"])
    page = staff_client.get(url)
    assert "The submitter asked not to be named" in page.text
    assert "Submitted by [name withheld]" in page.text  # the copy's text, previewed
    once = page.context["form"]["once"].value()
    refused = staff_client.post(url, {"apply": "1", "once": once})
    assert refused.status_code == 200 and "This field is required" in refused.text
    named_anonymous.refresh_from_db()
    assert named_anonymous.state != State.POSTED
    # In bulk, it is refused and said why.
    listed = staff_client.post(
        CHANGELIST, {"action": "decide_post", "_selected_action": [named_anonymous.pk]}, follow=True
    )
    assert "names its submitter" in listed.text
    staff_client.post(url, {"apply": "1", "once": once, "confirmed": "on"})
    named_anonymous.refresh_from_db()
    assert named_anonymous.state == State.POSTED
    assert "Secret NGO" not in named_anonymous.public_text


def test_an_unreadable_anonymous_file_still_has_its_decision_page(staff_client, open_call):
    broken = SubmissionFactory(
        call=open_call, data=b"PK\x03\x04 not a zip", publication="publish_anonymous"
    )
    url = reverse("admin:submissions_submission_decide", args=[broken.pk, "reject"])
    page = staff_client.get(url)
    assert page.status_code == 200 and "cannot be read" in page.text
    preview = reverse("admin:submissions_submission_file", args=[broken.pk, "preview"])
    assert staff_client.get(preview).status_code == 404


# In bulk: the actions.


def test_post_action_asks_first_then_publishes(staff_client, checked):
    good, _ = checked
    data = {"action": "decide_post", "_selected_action": [good.pk]}
    page = staff_client.post(CHANGELIST, data)
    assert page.status_code == 200 and "A public copy is made first" in page.text
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST  # not before it is confirmed
    once = page.context["form"]["once"].value()
    done = staff_client.post(CHANGELIST, {**data, "apply": "1", "once": once}, follow=True)
    good.refresh_from_db()
    assert good.state == State.POSTED
    assert "1 submission posted." in done.text


def test_post_action_explains_a_refusal(staff_client, open_call):
    submission = SubmissionFactory(call=open_call, publication="do_not_publish", checked=True)
    response = staff_client.post(
        CHANGELIST, {"action": "decide_post", "_selected_action": [submission.pk]}, follow=True
    )
    assert "asked for it not to be published" in response.text
    submission.refresh_from_db()
    assert submission.state == State.ACCEPTED


def test_reject_action_asks_for_a_reason_first(staff_client, checked, staff_user):
    _, flagged = checked
    data = {"action": "decide_reject", "_selected_action": [flagged.pk]}
    response = staff_client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "Reason" in response.text
    flagged.refresh_from_db()
    assert flagged.state == State.NEEDS_ATTENTION

    staff_client.post(CHANGELIST, {**data, "apply": "1", "reason": "Not about GC6"})
    flagged.refresh_from_db()
    assert flagged.state == State.REJECTED
    event = flagged.events.last()
    assert (event.actor, event.reason) == (staff_user, "Not about GC6")


def test_withdraw_from_posting_action(staff_client, checked):
    good, _ = checked
    staff_client.post(
        CHANGELIST, {"action": "decide_post", "apply": "1", "_selected_action": [good.pk]}
    )
    staff_client.post(
        CHANGELIST,
        {
            "action": "decide_unpost",
            "apply": "1",
            "reason": "Asked by the author",
            "_selected_action": [good.pk],
        },
    )
    good.refresh_from_db()
    assert good.state == State.UNPOSTED


def test_bulk_decision_covers_every_ticked_submission(staff_client, open_call):
    group = [
        SubmissionFactory(call=open_call, stakeholder_name=f"Sender {i}", checked=True)
        for i in range(3)
    ]
    data = {"action": "decide_reject", "_selected_action": [s.pk for s in group]}
    assert "Reason" in staff_client.post(CHANGELIST, data).text
    staff_client.post(CHANGELIST, {**data, "apply": "1", "reason": "A campaign sent twice"})
    states = set(Submission.objects.filter(pk__in=[s.pk for s in group]).values_list("state"))
    assert states == {(State.REJECTED,)}


def test_each_group_is_offered_only_its_own_bulk_decisions(client, checked, member, verified_login):
    good, _ = checked
    verified_login(client, member("Triage"))
    page = client.get(CHANGELIST, {"queue": "all"}).text
    assert 'value="decide_reject"' in page and 'value="decide_post"' not in page
    # A forged request for what is not offered changes nothing.
    client.post(CHANGELIST, {"action": "decide_post", "_selected_action": [good.pk]})
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST
    client.logout()
    verified_login(client, member("Publishing"))
    page = client.get(CHANGELIST, {"queue": "all"}).text
    assert 'value="decide_post"' in page and 'value="decide_reject"' not in page


def test_assign_to_me_and_filter_on_it(staff_client, queue, staff_user):
    over = queue["over"]
    staff_client.post(
        CHANGELIST, {"action": "assign_to_me", "_selected_action": [over.pk], "queue": "all"}
    )
    assert Submission.objects.get(pk=over.pk).assignee == staff_user
    page = staff_client.get(CHANGELIST, {"assigned": "me", "queue": "all"}).text
    assert over.tracking_number in page and queue["ready"].tracking_number not in page
