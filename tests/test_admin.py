"""Triage in the Django admin: the list, a submission's page, and the actions."""

import io
import zipfile

import pytest
from django.urls import reverse

from submissions import services
from submissions.enums import State
from submissions.models import Submission
from tests.documents import make_docx

CHANGELIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture
def staff_client(client, staff_user, verified_login):
    return verified_login(client, staff_user)


@pytest.fixture
def checked(open_call, make_submission):
    good = make_submission(open_call)
    flagged = make_submission(open_call, make_docx("Nobody's name here."), name="Global Alliance")
    for submission in (good, flagged):
        services.submission_check(submission_id=submission.pk)
        submission.refresh_from_db()
    return good, flagged


def test_changelist_shows_states_and_findings(staff_client, checked):
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "OPEN-0001" in response.text
    assert "Ready to post" in response.text
    assert "name_not_on_first_page_estimated" in response.text


def test_changelist_runs_a_fixed_number_of_queries(
    staff_client, open_call, make_submission, django_assert_max_num_queries
):
    for _ in range(6):
        make_submission(open_call)
    with django_assert_max_num_queries(12):
        staff_client.get(CHANGELIST)


def test_filters_and_search_work(staff_client, checked):
    good, flagged = checked
    response = staff_client.get(CHANGELIST, {"state__exact": State.NEEDS_ATTENTION})
    assert flagged.tracking_number in response.text
    assert good.tracking_number not in response.text
    response = staff_client.get(CHANGELIST, {"q": "Global Alliance"})
    assert flagged.tracking_number in response.text


def test_change_page_shows_findings_text_and_history(staff_client, checked):
    _, flagged = checked
    response = staff_client.get(reverse("admin:submissions_submission_change", args=[flagged.pk]))
    assert response.status_code == 200
    assert "We could not find" in response.text
    assert "Nobody&#x27;s name here." in response.text
    assert "Being checked" in response.text  # the history


def test_state_is_read_only_in_the_admin(staff_client, checked):
    good, _ = checked
    url = reverse("admin:submissions_submission_change", args=[good.pk])
    response = staff_client.get(url)
    assert 'name="state"' not in response.text


def test_post_action_publishes(staff_client, checked):
    good, _ = checked
    staff_client.post(CHANGELIST, {"action": "decide_post", "_selected_action": [good.pk]})
    good.refresh_from_db()
    assert good.state == State.POSTED


def test_post_action_explains_a_refusal(staff_client, open_call, make_submission):
    submission = make_submission(open_call, publication="do_not_publish")
    services.submission_check(submission_id=submission.pk)
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
    staff_client.post(CHANGELIST, {"action": "decide_post", "_selected_action": [good.pk]})
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


def test_original_file_is_for_staff_only(staff_client, checked):
    from django.test import Client

    good, _ = checked
    url = reverse("admin:submissions_submission_file", args=[good.pk, "original"])
    assert Client().get(url).status_code == 302  # to the login page
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == good.file.open("rb").read()


def test_submissions_cannot_be_added_in_the_admin(staff_client, db):
    assert staff_client.get(reverse("admin:submissions_submission_add")).status_code == 403
    assert Submission.objects.count() == 0


def test_change_page_shows_versions_and_e_mails(
    staff_client, open_call, make_submission, mailoutbox
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission = make_submission(open_call)  # its receipt is in the outbox
    services.submission_new_version(
        submission=submission,
        upload=SimpleUploadedFile("second.docx", make_docx("Global Alliance", "v2")),
    )
    url = reverse("admin:submissions_submission_change", args=[submission.pk])
    page = staff_client.get(url).text
    assert "our submission.docx" in page
    assert "second.docx" in page
    assert "Your submission OPEN-0001 has been received" in page
    assert "History" in page


def test_triage_decides_but_does_not_post(checked, member):
    good, flagged = checked
    triage = member("Triage")
    services.submission_reject(submission=flagged, actor=triage, reason="Off topic")
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_post(submission=good, actor=triage)
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST


def test_publishing_posts_but_does_not_reject(checked, member):
    good, flagged = checked
    publishing = member("Publishing")
    services.submission_post(submission=good, actor=publishing)
    good.refresh_from_db()
    assert good.state == State.POSTED
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_reject(submission=flagged, actor=publishing, reason="No")


def test_a_staff_member_in_no_group_changes_nothing(checked, member, client, verified_login):
    good, _ = checked
    nobody = member()
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_post(submission=good, actor=nobody)
    verified_login(client, nobody)
    assert client.get(CHANGELIST).status_code == 403


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


def test_a_refused_decision_is_explained_on_its_page(client, checked, member, verified_login):
    good, _ = checked
    verified_login(client, member("Triage"))
    url = reverse("admin:submissions_submission_decide", args=[good.pk, "post"])
    response = client.post(url, {"apply": "1"})
    assert "may not make a submission" in response.text
    good.refresh_from_db()
    assert good.state == State.READY_TO_POST


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


@pytest.fixture
def named_anonymous(open_call, make_submission):
    """Asked to be posted without its name; its first line names it."""
    submission = make_submission(open_call, name="Secret NGO", publication="publish_anonymous")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def test_a_withheld_name_is_highlighted_and_its_copy_previewed(staff_client, named_anonymous):
    page = staff_client.get(
        reverse("admin:submissions_submission_change", args=[named_anonymous.pk])
    )
    assert "<mark>Secret NGO</mark>" in page.text
    preview = reverse("admin:submissions_submission_file", args=[named_anonymous.pk, "preview"])
    assert preview in page.text
    copy = b"".join(staff_client.get(preview).streaming_content)
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert b"[name withheld]" in archive.read("word/document.xml")
        assert not [n for n in archive.namelist() if b"Secret NGO" in archive.read(n)]


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


def test_a_refused_decision_can_be_sent_again_from_the_same_form(
    staff_client, open_call, make_submission
):
    words = " ".join(["word"] * (open_call.word_limit + 10))
    flagged = make_submission(open_call, make_docx("Submitted by Global Alliance", words))
    services.submission_check(submission_id=flagged.pk)  # over the limit: an error
    url = reverse("admin:submissions_submission_decide", args=[flagged.pk, "accept"])
    once = staff_client.get(url).context["form"]["once"].value()
    refused = staff_client.post(url, {"apply": "1", "reason": "", "once": once})
    assert "give a reason" in refused.text
    staff_client.post(url, {"apply": "1", "reason": "The name is in the header.", "once": once})
    flagged.refresh_from_db()
    assert flagged.state != State.NEEDS_ATTENTION


def test_an_unreadable_anonymous_file_still_has_its_decision_page(
    staff_client, open_call, make_submission
):
    broken = make_submission(open_call, b"PK\x03\x04 not a zip", publication="publish_anonymous")
    url = reverse("admin:submissions_submission_decide", args=[broken.pk, "reject"])
    page = staff_client.get(url)
    assert page.status_code == 200 and "cannot be read" in page.text
    preview = reverse("admin:submissions_submission_file", args=[broken.pk, "preview"])
    assert staff_client.get(preview).status_code == 404
