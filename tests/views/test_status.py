"""The submitter's private status page: the report, a new version, withdrawing."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.documents import make_docx
from tests.helpers import GOOD, NO_NAME, send, submit


def test_status_page_shows_findings_once_checked(client, open_call):
    response = submit(client, open_call, content=make_docx("Someone else entirely"))
    status_url = response["Location"].split("?")[0]
    page = client.get(status_url)
    assert "updates by itself" in page.text
    services.submission_check(submission_id=Submission.objects.get().pk)
    page = client.get(status_url)
    assert 'data-code="name_not_on_first_page_estimated"' in page.text
    assert "We could not find" in page.text


def test_status_page_with_a_wrong_token_is_not_found(client, db):
    assert client.get(reverse("submissions:status", args=["made-up"])).status_code == 404


def test_the_state_endpoint_says_when_the_check_is_done(client, submitted):
    submission, status_url = submitted
    state = json.loads(client.get(status_url + "state.json").content)
    assert (state["state"], state["waiting"]) == ("received", True)
    services.submission_check(submission_id=submission.pk)
    state = json.loads(client.get(status_url + "state.json").content)
    assert state["waiting"] is False
    assert state["state"] == State.READY_TO_POST


def test_the_status_page_offers_a_new_version_and_takes_it(
    client, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    submission, status_url = submitted
    services.submission_check(submission_id=submission.pk)
    page = client.get(status_url)
    assert f'action="{status_url}version/"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            status_url + "version/",
            {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance", "Fixed."))},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.RECEIVED
    assert submission.original_filename == "v2.docx"
    assert submission.findings == []
    assert [v.original_filename for v in submission.versions.all()] == ["v1.docx", "v2.docx"]
    assert len(mailoutbox) == 2
    assert submission.tracking_number in mailoutbox[1].subject
    assert EmailLog.objects.filter(key="version-2").count() == 1
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert "Fixed." in submission.text  # the latest version is the one checked


def test_a_new_version_with_a_bad_file_is_explained(client, submitted):
    _, status_url = submitted
    response = client.post(
        status_url + "version/", {"file": SimpleUploadedFile("v2.docx", b"%PDF-1.4")}
    )
    assert response.status_code == 400
    assert Submission.objects.get().versions.count() == 1


def test_no_new_version_after_the_deadline_or_once_posted(client, submitted, staff_user):
    submission, status_url = submitted
    upload = {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance"))}
    with time_machine.travel(submission.call.deadline + timedelta(minutes=1)):
        assert client.post(status_url + "version/", upload).status_code == 409
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    upload = {"file": SimpleUploadedFile("v2.docx", make_docx("Global Alliance"))}
    assert client.post(status_url + "version/", upload).status_code == 409
    assert submission.versions.count() == 1


def test_withdrawing_needs_a_confirmation_and_takes_a_posted_submission_down(
    client, submitted, staff_user
):
    submission, status_url = submitted
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    assert client.post(status_url + "withdraw/", {}).status_code == 400
    assert client.post(status_url + "withdraw/", {"confirm": "on"}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == State.WITHDRAWN
    listing = client.get(reverse("submissions:posted_list", args=[submission.call.slug]))
    assert submission.tracking_number not in listing.text


# What the page says at each step, in the submitter's words.


def _send(call, data=GOOD, *, publication="publish", language="en"):
    """A submission sent through the services; its private status page's path."""
    submission, token = send(call, data, publication=publication, language=language)
    return submission, reverse("submissions:status", args=[token])


def _checked(submission):
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _says(client, path, language="en"):
    """The page's text as a reader sees it (tags out, spaces squeezed)."""
    import re
    from html import unescape

    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    # Only ordinary white space: a French no-break space before a colon stays.
    text = unescape(re.sub(r"<[^>]+>", " ", response.text))
    return response, re.sub(r"[ \t\r\n]+", " ", text)


def _in(language, msgid):
    from django.utils import translation

    with translation.override(language):
        return str(translation.gettext(msgid))


def _forms(response):
    return ("/version/" in response.text, "/withdraw/" in response.text)


def _label(client, path):
    return json.loads(client.get(path + "state.json").content)["label"]


def test_received_then_to_fix_with_the_reports_findings(client, open_call):
    submission, path = _send(open_call, NO_NAME)
    response, text = _says(client, path)
    assert "We are checking your file" in text
    assert _label(client, path) == "Received"
    assert 'id="state" data-step="received">Received<' in response.text
    _checked(submission)
    response, text = _says(client, path)
    assert submission.state == State.NEEDS_ATTENTION
    assert "We are checking your file" not in text
    assert _label(client, path) == "Please send a new version"
    assert "Please fix it and send a new version" in text
    assert 'data-code="name_not_on_first_page_estimated"' in response.text
    assert "We could not find" in text  # the finding's own message
    assert "Send the new version below, before the deadline" in text
    assert _forms(response) == (True, True)
    assert "Needs attention" not in text


def test_the_secretariats_request_is_shown_until_a_new_version_comes(client, open_call, member):
    submission, path = _send(open_call)
    submission = _checked(submission)
    assert submission.state == State.READY_TO_POST
    services.submission_request_fix(
        submission=submission, actor=member("Triage"), message="Please add a summary of 1 page."
    )
    response, text = _says(client, path)
    assert _label(client, path) == "Please send a new version"
    assert (
        "The Secretariat asks you to change the following: Please add a summary of 1 page." in text
    )
    assert _forms(response) == (True, True)
    assert "Ready to post" not in text
    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("v2.docx", GOOD)
    )
    _checked(submission)
    _, text = _says(client, path)
    assert "Please add a summary" not in text
    assert _label(client, path) == "Accepted, waiting to be posted"


def test_a_request_past_the_deadline_offers_no_new_version(client, open_call, member):
    submission, path = _send(open_call)
    submission = _checked(submission)
    services.submission_request_fix(submission=submission, actor=member("Triage"), message="Fix")
    with time_machine.travel(open_call.deadline + timedelta(minutes=1)):
        response, text = _says(client, path)
        label = _label(client, path)
    assert "a new version can no longer be sent" in text
    assert "Send the new version below" not in text
    assert label == "Being looked at by the Secretariat"  # not "please send a new version"
    assert _forms(response) == (False, True)


def test_accepted_waiting_posted_taken_down_then_withdrawn(client, open_call, staff_user):
    submission, path = _send(open_call, NO_NAME)
    submission = _checked(submission)
    services.submission_accept(submission=submission, actor=staff_user, reason="Name is there")
    response, text = _says(client, path)
    assert _label(client, path) == "Accepted, waiting to be posted"
    assert "The Secretariat has accepted your submission." in text
    assert "It will be posted on the public website" in text
    assert _forms(response) == (True, True)

    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    response, text = _says(client, path)
    public = reverse("submissions:posted", args=[open_call.slug, submission.number])
    assert _label(client, path) == "Posted on the website"
    assert "Your submission is posted on the public website:" in text
    assert f'href="{settings_site_url()}{public}"' in response.text
    assert client.get(public).status_code == 200
    assert "looks at the document first" not in text and "will check" not in text
    assert _forms(response) == (False, True)  # withdrawing takes it down; no new version
    assert "Withdrawing also takes it off the public website." in text

    submission.refresh_from_db()
    services.submission_unpost(submission=submission, actor=staff_user, reason="A court order")
    response, text = _says(client, path)
    assert _label(client, path) == "Taken off the website"
    assert "taken off the public website, for the following reason: A court order" in text
    assert public not in response.text
    assert _forms(response) == (False, True)

    client.post(path + "withdraw/", {"confirm": "on"})
    response, text = _says(client, path)
    assert _label(client, path) == "Withdrawn"
    assert "Your submission has been withdrawn." in text
    assert _forms(response) == (False, False)


def test_not_accepted_with_the_secretariats_reason(client, open_call, member):
    submission, path = _send(open_call, NO_NAME)
    submission = _checked(submission)
    services.submission_reject(submission=submission, actor=member("Triage"), reason="Off topic")
    response, text = _says(client, path)
    assert _label(client, path) == "Not accepted"
    assert "did not accept your submission, for the following reason: Off topic" in text
    assert "Please fix it" not in text  # the report's findings are no longer asked for
    assert _forms(response) == (False, False)
    assert "Rejected" not in text


def test_kept_private_when_they_asked_not_to_post(client, open_call):
    submission, path = _send(open_call, publication="do_not_publish")
    _checked(submission)
    _, text = _says(client, path)
    assert submission.state == State.ACCEPTED
    assert _label(client, path) == "Accepted, not to be posted"
    assert "Your file meets the call's rules." in text
    assert "not posted on the public website" in text
    assert "will be posted" not in text


def test_posted_without_the_name_the_page_stops_saying_it_will_be_checked(
    client, open_call, staff_user
):
    submission, path = _send(open_call, publication="publish_anonymous")
    submission = _checked(submission)
    # Their own choice, and their name for the Secretariat to withhold: nothing to fix.
    assert [f["code"] for f in submission.findings] == [
        "publication_anonymous",
        "name_in_anonymous_document",
    ]
    _, text = _says(client, path)
    assert _label(client, path) == "Being looked at by the Secretariat"
    assert "Nothing is needed from you for now" in text
    assert "Please fix it" not in text
    services.submission_accept(submission=submission, actor=staff_user, reason="Looked")
    _, text = _says(client, path)
    assert "posted on the public website without your name" in text
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user, names_seen=True)
    _, text = _says(client, path)
    assert "Your submission is posted on the public website:" in text
    assert "The Secretariat will check" not in text
    assert "Also in the report" not in text


def test_each_state_offers_a_new_version_and_withdrawal_only_where_allowed(client, open_call):
    from submissions.submitter_view import SUBMITTER_LABELS
    from tests.factories import submission_in

    ours = [str(label) for label in SUBMITTER_LABELS.values()]
    # The staff's labels that are no words of ours ("Needs attention", "Ready to post"...).
    staff_words = {str(s.label) for s in State if not any(str(s.label) in o for o in ours)}
    assert "Needs attention" in staff_words and "Ready to post" in staff_words
    for state in State:
        submission = submission_in(state, call=open_call, token=f"token-of-{state}")
        path = reverse("submissions:status", args=[f"token-of-{state}"])
        response, _text = _says(client, path)
        offers = _forms(response)
        assert offers == (services.can_replace(submission), state in State.WITHDRAWABLE), state
        assert _label(client, path) == str(SUBMITTER_LABELS[state]) or state in (
            State.NEEDS_ATTENTION, State.ACCEPTED,
        )  # fmt: skip
        status_line = response.text.split('id="state"')[1].split("</strong>")[0]
        assert not any(word in status_line for word in staff_words), (state, status_line)


def test_the_page_in_french_and_spanish(client, submitted, member):
    """The submitter's words in their language (`submitted` is sent in French)."""
    submission, path = submitted
    _, text = _says(client, path, "fr")
    assert "Reçue" in text and _label(client, path) == "Reçue"
    assert (
        _in("fr", "We are checking your file. This page updates by itself in a few seconds.")
        in text
    )
    _checked(submission)
    services.submission_request_fix(
        submission=submission, actor=member("Triage"), message="Ajoutez un résumé."
    )
    _, text = _says(client, path, "fr")
    assert _in("fr", "Please send a new version") in text
    assert _in("fr", "The Secretariat asks you to change the following:") in text
    assert "Ajoutez un résumé." in text
    assert _in("fr", "Send a new version") == "Envoyer une nouvelle version"
    assert "Envoyer une nouvelle version" in text
    # In Spanish: the same page, the dates as Spanish writes them.
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    _, text = _says(client, path, "es")
    assert _in("es", "Please send a new version") in text
    assert _in("es", "Send a new version") in text and "Envoyer" not in text
    from django.utils import formats, timezone, translation

    with translation.override("es"):
        received = formats.date_format(
            timezone.localtime(submission.received_at, submission.call.zone), "DATE_FORMAT"
        )
    assert " de " in received and received in text  # "1 de diciembre de 2026"


def test_a_further_private_link_opens_the_same_page(client, open_call):
    from submissions import private_links
    from submissions.models import PrivateLink

    submission, _path = _send(open_call)
    other, _ = _send(open_call)
    url = private_links.new_link(submission)
    assert PrivateLink.objects.filter(submission=submission).count() == 1
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in PrivateLink.objects.get(submission=submission).token_hash
    assert private_links.submission_for_token(token) == submission
    _, text = _says(client, url.replace(settings_site_url(), ""))
    assert submission.tracking_number in text and other.tracking_number not in text
    assert client.get(reverse("submissions:status", args=[token + "x"])).status_code == 404


def settings_site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/")
