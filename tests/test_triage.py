"""The Secretariat's triage: the state table, decisions that e-mail, the work queue."""

import re
from datetime import timedelta
from itertools import product

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions import notifications, services
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    PUBLISH,
    TRANSITION_PERMISSIONS,
    TRIAGE,
    Publication,
    State,
)
from submissions.models import EmailLog, EmailTemplate, InternalNote, Submission
from tests.documents import make_docx

CHANGELIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture
def over_limit(open_call, make_submission):
    """A file over the call's word limit, in Spanish for its submitter."""
    open_call.word_limit = 5
    open_call.save()
    submission = make_submission(
        open_call, make_docx("Submitted by Global Alliance", "one two three four five six")
    )
    Submission.objects.filter(pk=submission.pk).update(interface_language="es")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert "over_word_limit" in submission.finding_codes
    return submission


def _at(submission: Submission, state: State) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(state=state)
    submission.refresh_from_db()
    return submission


# The table: every pair of states, allowed exactly when the table says so.


@pytest.mark.parametrize(("current", "to"), list(product(State, State)))
def test_each_transition_is_allowed_or_refused_as_the_table_says(
    open_call, make_submission, current, to
):
    submission = _at(make_submission(open_call), current)
    if to in ALLOWED_TRANSITIONS[current]:
        event = services.submission_transition(submission=submission, to=to, reason="test")
        assert (event.from_state, event.to_state) == (current, to)
        assert Submission.objects.get(pk=submission.pk).state == to
    else:
        with pytest.raises(services.TransitionNotAllowed):
            services.submission_transition(submission=submission, to=to)
        assert Submission.objects.get(pk=submission.pk).state == current


@pytest.mark.parametrize("group", ["Triage", "Publishing"])
@pytest.mark.parametrize("to", [s for s in State if s in TRANSITION_PERMISSIONS])
def test_each_group_makes_only_its_own_transitions(open_call, make_submission, member, group, to):
    person = member(group)
    current = next(s for s, targets in ALLOWED_TRANSITIONS.items() if to in targets)
    submission = _at(make_submission(open_call), current)
    may = TRANSITION_PERMISSIONS[to] == {"Triage": TRIAGE, "Publishing": PUBLISH}[group]
    if may:
        event = services.submission_transition(submission=submission, to=to, actor=person)
        assert event.actor == person
    else:
        with pytest.raises(services.TransitionNotAllowed, match="may not"):
            services.submission_transition(submission=submission, to=to, actor=person)
        assert not submission.events.filter(actor=person).exists()


# Decisions, and the e-mails they send.


def test_accepting_over_a_finding_needs_a_reason_and_keeps_it(over_limit, member, mailoutbox):
    triage = member("Triage")
    with pytest.raises(services.ServiceError, match="Over the word limit"):
        services.submission_accept(submission=over_limit, actor=triage, reason=" ")
    assert Submission.objects.get(pk=over_limit.pk).state == State.NEEDS_ATTENTION

    services.submission_accept(submission=over_limit, actor=triage, reason="6 words: tolerated")
    over_limit.refresh_from_db()
    assert over_limit.state == State.READY_TO_POST  # to be posted, as its submitter asked
    assert over_limit.open_errors() == []
    (override,) = over_limit.overrides
    assert (override["code"], override["reason"], override["by"]) == (
        "over_word_limit",
        "6 words: tolerated",
        triage.username,
    )
    steps = list(over_limit.events.filter(actor=triage).values_list("to_state", "reason"))
    assert steps == [
        (State.ACCEPTED, "6 words: tolerated"),
        (State.READY_TO_POST, "approved for posting"),
    ]
    (mail,) = [m for m in mailoutbox if "aceptada" in m.subject]  # Spanish, once
    assert "6 words: tolerated" in mail.body
    assert EmailLog.objects.filter(submission=over_limit, key__startswith="accepted").count() == 1


def test_a_file_with_open_errors_cannot_be_posted(over_limit, staff_user):
    with pytest.raises(services.ServiceError, match="accept it with a reason"):
        services.submission_post(submission=over_limit, actor=staff_user)
    over_limit.refresh_from_db()
    assert (over_limit.state, over_limit.public_file.name) == (State.NEEDS_ATTENTION, "")


def test_an_anonymous_file_waits_for_a_person_then_is_ready(
    open_call, make_submission, member, mailoutbox
):
    submission = make_submission(open_call, publication=Publication.PUBLISH_ANONYMOUS)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION  # the check alone never readies it
    services.submission_accept(submission=submission, actor=member("Triage"))
    submission.refresh_from_db()
    assert submission.state == State.READY_TO_POST
    assert [m.subject for m in mailoutbox][-1].endswith("has been accepted")


def test_asking_for_a_fix_e_mails_and_waits_for_the_next_version(over_limit, member, mailoutbox):
    triage = member("Triage")
    with pytest.raises(services.ServiceError, match="Say what"):
        services.submission_request_fix(submission=over_limit, actor=triage, message="")
    services.submission_request_fix(
        submission=over_limit, actor=triage, message="Please cut it to 5 words."
    )
    over_limit.refresh_from_db()
    assert over_limit.waiting_for_submitter
    event = over_limit.events.last()
    assert (event.actor, event.from_state, event.to_state) == (
        triage,
        State.NEEDS_ATTENTION,
        State.NEEDS_ATTENTION,
    )
    mail = mailoutbox[-1]
    assert "Please cut it to 5 words." in mail.body
    assert "nueva versión" in mail.subject  # in the submitter's language

    services.submission_new_version(
        submission=over_limit,
        upload=SimpleUploadedFile("shorter.docx", make_docx("Global Alliance", "Short.")),
    )
    over_limit.refresh_from_db()
    assert (over_limit.waiting_for_submitter, over_limit.overrides) == (False, [])


def test_no_fix_is_asked_for_once_the_deadline_has_passed(over_limit, member, mailoutbox):
    call = over_limit.call
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    sent = len(mailoutbox)
    with pytest.raises(services.ServiceError, match="can no longer be changed"):
        services.submission_request_fix(
            submission=over_limit, actor=member("Triage"), message="Too late"
        )
    assert len(mailoutbox) == sent
    assert not Submission.objects.get(pk=over_limit.pk).waiting_for_submitter


def test_a_rejection_is_told_once_with_its_reason(over_limit, member, mailoutbox):
    triage = member("Triage")
    services.submission_reject(submission=over_limit, actor=triage, reason="Not about GC6")
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_reject(submission=over_limit, actor=triage, reason="Again")
    (mail,) = [m for m in mailoutbox if "no fue aceptada" in m.subject]
    assert "Not about GC6" in mail.body
    assert mail.to == [over_limit.contact_email]


def test_the_same_decision_never_e_mails_twice(over_limit, member, mailoutbox):
    services.submission_reject(submission=over_limit, actor=member("Triage"), reason="Spam")
    log = EmailLog.objects.get(submission=over_limit, key__startswith="rejected")
    sent = len(mailoutbox)
    again = notifications.submission_email(
        submission=over_limit, kind="rejected", key=log.key, reason="Spam"
    )
    assert again is None
    assert len(mailoutbox) == sent
    assert log.body and "Spam" in log.body  # what was sent is kept on the submission


# Each call's own wording of its e-mails.


def test_a_calls_own_wording_is_used_in_its_language_only(over_limit, member, mailoutbox):
    EmailTemplate.objects.create(
        call=over_limit.call,
        kind="rejected",
        language="es",
        subject="Expediente $tracking_number",
        body="Estimada $contact_name: $reason. Saludos, $call_title",
    )
    services.submission_reject(submission=over_limit, actor=member("Triage"), reason="Fuera")
    mail = mailoutbox[-1]
    assert mail.subject == f"Expediente {over_limit.tracking_number}"
    assert mail.body == f"Estimada {over_limit.contact_name}: Fuera. Saludos, An open call"


def test_the_wording_form_starts_from_the_default_and_refuses_unknown_placeholders(
    client, staff_user, verified_login, open_call
):
    verified_login(client, staff_user)
    add = reverse("admin:submissions_emailtemplate_add")
    page = client.get(add, {"call": open_call.pk, "kind": "posted", "language": "fr"})
    assert "$tracking_number" in page.text
    assert "est maintenant publiée" in page.text or "publiée" in page.text

    response = client.post(
        add,
        {
            "call": open_call.pk,
            "kind": "posted",
            "language": "fr",
            "subject": "Publiée : $tracking_number",
            "body": "Bonjour $contact, voir $posted_url",
        },
    )
    assert response.status_code == 200
    assert "$contact" in response.text and not EmailTemplate.objects.exists()

    change = client.get(reverse("admin:submissions_call_change", args=[open_call.pk]))
    assert "kind=posted&amp;language=fr" in change.text


# The work queue.


@pytest.fixture
def queue(open_call, make_submission, staff_user, over_limit):
    """Five submissions: two need a person, the others do not."""
    open_call.word_limit = 5000
    open_call.save()
    ready = make_submission(open_call, name="Ready Org")
    posted = make_submission(open_call, name="Posted Org")
    rejected = make_submission(open_call, name="Rejected Org")
    for s in (ready, posted, rejected):
        services.submission_check(submission_id=s.pk)
        s.refresh_from_db()
    services.submission_post(submission=posted, actor=staff_user)
    services.submission_reject(submission=rejected, actor=staff_user, reason="Spam")
    # Received earlier than the others: the oldest comes first.
    Submission.objects.filter(pk=ready.pk).update(received_at=timezone.now() - timedelta(days=2))
    return {"over": over_limit, "ready": ready, "posted": posted, "rejected": rejected}


@pytest.fixture
def staff(client, staff_user, verified_login):
    return verified_login(client, staff_user)


def test_the_queue_shows_what_needs_a_person_oldest_first(staff, queue):
    page = staff.get(CHANGELIST).text
    ready, over = queue["ready"].tracking_number, queue["over"].tracking_number
    assert ready in page and over in page
    assert page.index(ready) < page.index(over)
    for other in ("posted", "rejected"):
        assert queue[other].tracking_number not in page
    assert "Over the word limit" in page  # a readable badge, not a code
    everything = staff.get(CHANGELIST, {"queue": "all"}).text
    assert all(s.tracking_number in everything for s in queue.values())


def test_a_submission_asked_for_a_fix_leaves_the_queue_until_it_answers(staff, queue, staff_user):
    over = queue["over"]
    services.submission_request_fix(submission=over, actor=staff_user, message="Shorten it")
    assert over.tracking_number not in staff.get(CHANGELIST).text
    assert over.tracking_number in staff.get(CHANGELIST, {"queue": "waiting"}).text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"finding": "over_word_limit"}, {"over"}),
        ({"finding": "none", "queue": "all"}, {"ready", "posted", "rejected"}),
        ({"late": "on_time", "queue": "all"}, {"over", "ready", "posted", "rejected"}),
        ({"late": "late", "queue": "all"}, set()),
        ({"country": "PH", "queue": "all"}, {"over", "ready", "posted", "rejected"}),
        ({"q": "Rejected Org", "queue": "all"}, {"rejected"}),
        ({"q": "six", "queue": "all"}, {"over"}),  # the text
    ],
)
def test_filters_and_search(staff, queue, params, expected):
    page = staff.get(CHANGELIST, params).text
    shown = {name for name, s in queue.items() if f">{s.tracking_number}<" in page}
    assert shown == expected


def test_a_tracking_number_finds_its_submission(staff, queue):
    number = queue["posted"].tracking_number
    page = staff.get(CHANGELIST, {"q": number, "queue": "all"}).text
    shown = {name for name, s in queue.items() if f">{s.tracking_number}<" in page}
    assert shown == {"posted"}


def test_assign_to_me_and_filter_on_it(staff, queue, staff_user):
    over = queue["over"]
    staff.post(
        CHANGELIST, {"action": "assign_to_me", "_selected_action": [over.pk], "queue": "all"}
    )
    assert Submission.objects.get(pk=over.pk).assignee == staff_user
    page = staff.get(CHANGELIST, {"assigned": "me", "queue": "all"}).text
    assert over.tracking_number in page and queue["ready"].tracking_number not in page


def test_notes_are_added_with_their_author(staff, queue, staff_user):
    over = queue["over"]
    url = reverse("admin:submissions_submission_change", args=[over.pk])
    page = staff.get(url).text
    assert 'name="notes-0-text"' in page
    # Every inline's management form, as the browser sends it back.
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    form = {name: value for name, value in hidden if "FORMS" in name or name.endswith("-id")}
    form.update({"assignee": staff_user.pk, "notes-0-text": "Called the NGO: a shorter one."})
    response = staff.post(url, form)
    assert response.status_code == 302, response.text[:3000]
    note = InternalNote.objects.get(submission=over)
    assert (note.author, note.text) == (staff_user, form["notes-0-text"])
    assert Submission.objects.get(pk=over.pk).assignee == staff_user
    assert "Called the NGO" in staff.get(url).text
    assert 'name="notes-1-text"' in staff.get(url).text  # a new one; the first read-only


def test_the_page_offers_the_decisions_a_person_may_take(client, queue, member, verified_login):
    over = queue["over"]
    url = reverse("admin:submissions_submission_change", args=[over.pk])
    triage_page = verified_login(client, member("Triage")).get(url).text
    assert "/decide/accept/" in triage_page and "/decide/reject/" in triage_page
    assert "/decide/post/" not in triage_page
    client.logout()
    publishing_page = verified_login(client, member("Publishing")).get(url).text
    assert "/decide/accept/" not in publishing_page
    assert "/decide/post/" in publishing_page


def test_deciding_from_the_page_asks_then_applies(staff, queue, mailoutbox):
    over = queue["over"]
    url = reverse("admin:submissions_submission_decide", args=[over.pk, "accept"])
    form = staff.get(url)
    assert form.status_code == 200 and "override a finding" in form.text
    refused = staff.post(url, {"apply": "1", "reason": ""}, follow=True)
    assert "give a reason to accept it" in refused.text
    assert Submission.objects.get(pk=over.pk).state == State.NEEDS_ATTENTION
    done = staff.post(url, {"apply": "1", "reason": "Close enough"})
    assert done.status_code == 302
    assert Submission.objects.get(pk=over.pk).state == State.READY_TO_POST

    post = reverse("admin:submissions_submission_decide", args=[over.pk, "post"])
    assert "public copy" in staff.get(post).text  # a confirmation first
    staff.post(post, {"apply": "1"})
    over.refresh_from_db()
    assert over.state == State.POSTED
    kinds = [log.key.split("-")[0] for log in EmailLog.objects.filter(submission=over)]
    assert kinds == ["confirmation", "accepted", "posted"]


def test_bulk_decision_covers_every_ticked_submission(staff, open_call, make_submission):
    group = [make_submission(open_call, name=f"Sender {i}") for i in range(3)]
    for s in group:
        services.submission_check(submission_id=s.pk)
    data = {"action": "decide_reject", "_selected_action": [s.pk for s in group]}
    assert "Reason" in staff.post(CHANGELIST, data).text
    staff.post(CHANGELIST, {**data, "apply": "1", "reason": "A campaign sent twice"})
    states = set(Submission.objects.filter(pk__in=[s.pk for s in group]).values_list("state"))
    assert states == {(State.REJECTED,)}


def test_the_files_are_for_staff_and_the_public_copy_after_posting(staff, queue):
    posted, ready = queue["posted"], queue["ready"]
    public = reverse("admin:submissions_submission_file", args=[posted.pk, "public"])
    assert staff.get(public).status_code == 200
    unposted = reverse("admin:submissions_submission_file", args=[ready.pk, "public"])
    assert staff.get(unposted).status_code == 404
    version = reverse("admin:submissions_submission_version", args=[ready.pk, 1])
    response = staff.get(version)
    assert b"".join(response.streaming_content) == ready.file.open("rb").read()


def test_a_file_kept_private_is_accepted_once_and_never_readied(
    open_call, make_submission, member, staff, mailoutbox
):
    submission = make_submission(open_call, publication=Publication.DO_NOT_PUBLISH)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.ACCEPTED
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_accept(submission=submission, actor=member("Triage"))
    assert Submission.objects.get(pk=submission.pk).state == State.ACCEPTED
    assert [mail.subject for mail in mailoutbox] == [EmailLog.objects.get().subject]  # the receipt
    page = staff.get(reverse("admin:submissions_submission_change", args=[submission.pk]))
    assert "/decide/accept/" not in page.text and "/decide/post/" not in page.text


def test_posting_is_refused_whole_before_any_public_copy(
    open_call, make_submission, member, staff_user
):
    # Publishing alone may not approve what Triage has not: no copy made halfway.
    anonymous = make_submission(open_call, publication=Publication.PUBLISH_ANONYMOUS)
    services.submission_check(submission_id=anonymous.pk)
    anonymous.refresh_from_db()
    with pytest.raises(services.TransitionNotAllowed, match="may not"):
        services.submission_post(submission=anonymous, actor=member("Publishing"))
    failed = _at(make_submission(open_call, name="Other Org"), State.CHECK_FAILED)
    with pytest.raises(services.TransitionNotAllowed, match="cannot become"):
        services.submission_post(submission=failed, actor=staff_user)
    for submission in (anonymous, failed):
        submission.refresh_from_db()
        assert submission.public_file.name == ""
        assert submission.state != State.POSTED


def test_the_decision_form_shows_the_e_mail_and_the_admin_log_keeps_it(staff, queue, staff_user):
    from django.contrib.admin.models import LogEntry

    rejected_form = reverse(
        "admin:submissions_submission_decide", args=[queue["over"].pk, "reject"]
    )
    page = staff.get(rejected_form).text
    # In the submitter's language (Spanish), with the place of the reason marked.
    assert "no fue aceptada" in page
    assert "[the reason you give above]" in page
    staff.post(rejected_form, {"apply": "1", "reason": "Off topic"})
    entry = LogEntry.objects.get(object_id=str(queue["over"].pk))
    assert (entry.user, entry.get_change_message()) == (staff_user, "Reject: Off topic")
