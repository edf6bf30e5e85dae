"""What a submitter does with the private link, and the e-mails they get."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import notifications, services
from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx


@pytest.fixture
def submitted(client, open_call, django_capture_on_commit_callbacks):
    """A submission made through the form in French; its status URL."""
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("submissions:submit", args=[open_call.slug]),
            {**SUBMITTER_FORM, "file": SimpleUploadedFile("v1.docx", make_docx("Global Alliance"))},
        )
    return Submission.objects.get(), response["Location"].split("?")[0]


def test_the_receipt_is_e_mailed_in_the_submitters_language(submitted, mailoutbox):
    submission, status_url = submitted
    (mail,) = mailoutbox
    assert mail.to == [SUBMITTER_FORM["contact_email"]]
    assert submission.tracking_number in mail.subject
    assert status_url in mail.body  # the private link
    assert "Numéro de suivi" in mail.body
    assert EmailLog.objects.get().sent_at is not None


def test_an_e_mail_is_never_sent_twice(submitted, mailoutbox):
    submission, _ = submitted
    again = notifications.submission_email(
        submission=submission, kind="confirmation", status_url="x"
    )
    assert again is None
    assert len(mailoutbox) == 1


def test_an_smtp_failure_keeps_the_submission(open_call, make_submission, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    make_submission(open_call)  # its receipt fails to go
    log = EmailLog.objects.get()
    assert log.sent_at is None
    assert log.error
    link = log.private_link
    assert link.startswith("http")

    # The sweeper sends it again, as written, once the server answers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.retry_failed(older_than=timedelta(0)) == 1
    log.refresh_from_db()
    assert (log.sent_at is not None, log.error, log.attempts) == (True, "", 2)
    (mail,) = mailoutbox
    # As written, the private link put back in; the log keeps it masked, and forgets it.
    assert notifications.PRIVATE_LINK_MASK in log.body
    assert (mail.subject, mail.body) == (
        log.subject,
        log.body.replace(notifications.PRIVATE_LINK_MASK, link),
    )
    assert log.private_link == ""
    assert notifications.retry_failed(older_than=timedelta(0)) == 0  # never twice


def test_a_failed_e_mail_is_tried_a_few_times_only(open_call, make_submission, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    make_submission(open_call)  # its receipt fails to go
    tries = [notifications.retry_failed(older_than=timedelta(0)) for _ in range(6)]
    assert tries == [0] * 6
    assert EmailLog.objects.get().attempts == notifications.MAX_EMAIL_ATTEMPTS


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


def test_posting_tells_the_submitter_in_their_language(submitted, staff_user, mailoutbox):
    submission, _ = submitted
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    services.submission_unpost(submission=submission, actor=staff_user, reason="check")
    services.submission_post(submission=submission, actor=staff_user)
    # Each decision is told once: posted, taken down (with the reason), posted again.
    logs = list(EmailLog.objects.exclude(key="confirmation").order_by("pk"))
    assert [log.key.split("-")[0] for log in logs] == ["posted", "unposted", "posted"]
    assert {log.language for log in logs} == {"fr"}
    mail = next(m for m in mailoutbox if m.subject == logs[0].subject)
    assert reverse("submissions:posted", args=[submission.call.slug, 1]) in mail.body
    assert "check" in next(m for m in mailoutbox if m.subject == logs[1].subject).body


def test_the_state_endpoint_says_when_the_check_is_done(client, submitted):
    submission, status_url = submitted
    state = json.loads(client.get(status_url + "state.json").content)
    assert (state["state"], state["waiting"]) == ("received", True)
    services.submission_check(submission_id=submission.pk)
    state = json.loads(client.get(status_url + "state.json").content)
    assert state["waiting"] is False
    assert state["state"] == State.READY_TO_POST


def test_a_version_sent_just_before_the_check_starts_is_the_one_checked(
    open_call, make_submission, monkeypatch
):
    submission = make_submission(open_call, make_docx("Global Alliance", "First text."))
    transition = services.submission_transition

    def new_version_lands_first(**kwargs):
        # The submitter's new version commits between the worker's read of the row
        # and its move to CHECKING.
        if kwargs["to"] == State.CHECKING:
            monkeypatch.setattr(services.transition, "submission_transition", transition)
            services.submission_new_version(
                submission=Submission.objects.get(pk=submission.pk),
                upload=SimpleUploadedFile("v2.docx", make_docx("Global Alliance", "Second.")),
            )
        return transition(**kwargs)

    monkeypatch.setattr(services.transition, "submission_transition", new_version_lands_first)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert "Second." in submission.text
    assert "First text." not in submission.text


def test_withdrawing_while_the_check_runs_wins_over_the_check(open_call, make_submission):
    submission = make_submission(open_call)
    services.submission_transition(submission=submission, to=State.CHECKING)
    services.submission_withdraw(submission=submission)
    services.submission_check(submission_id=submission.pk)  # a redelivered check
    submission.refresh_from_db()
    assert submission.state == State.WITHDRAWN


def test_staff_never_see_a_working_private_link(
    submitted, mailoutbox, client, admin_user, verified_login
):
    """The log and the admin show the receipt with its link masked; the e-mail has it."""
    submission, status_path = submitted
    token = status_path.rstrip("/").rsplit("/", 1)[-1]
    (mail,) = mailoutbox
    assert status_path in mail.body
    log = EmailLog.objects.get(submission=submission)
    assert token not in log.body
    assert notifications.PRIVATE_LINK_MASK in log.body
    assert log.private_link == ""  # sent: the working link is not kept
    admin = verified_login(client, admin_user)
    page = admin.get(f"/admin/submissions/submission/{submission.pk}/change/")
    assert page.status_code == 200
    assert token not in page.text
    assert notifications.PRIVATE_LINK_MASK in page.text


def test_links_logged_before_are_masked_by_the_migration(open_call, make_submission):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("submissions.migrations.0008_private_links_and_decision_tokens")
    submission = make_submission(open_call)
    link = "https://portal.example/status/h5tqo0xFILb3jMgIBRndOwiKWXUX51Y6/"
    log = EmailLog.objects.create(
        submission=submission, key="old", to="a@example.org", subject="s", language="en",
        body=f"Your private link:\n{link}\n\nKeep this e-mail.",
    )  # fmt: skip
    migration.mask_logged_links(apps, None)
    log.refresh_from_db()
    assert log.body == f"Your private link:\n{notifications.PRIVATE_LINK_MASK}\n\nKeep this e-mail."
