"""E-mails to submitters: their language, each decision's once, the outbox, retries,
a call's own wording, and the private link that staff never see working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from submissions import notifications, services
from submissions.models import EmailLog, EmailTemplate
from tests.conftest import SUBMITTER_FORM


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


# The outbox: a failed e-mail is sent again, a few times only.


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


# The private link.


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


# The outbox: a decision writes its e-mail; the worker sends it after the commit.


@pytest.mark.outbox_after_commit
def test_a_decision_in_the_admin_leaves_its_e_mail_to_the_worker(
    over_limit, staff_client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from submissions import tasks

    handed = []
    monkeypatch.setattr(tasks, "queue_email", handed.append)
    url = reverse("admin:submissions_submission_decide", args=[over_limit.pk, "reject"])
    page = staff_client.get(url)
    once = page.context["form"]["once"].value()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(url, {"apply": "1", "reason": "Not about GC6", "once": once})
    assert done.status_code == 302
    assert mailoutbox == []  # the request did not wait on SMTP
    log = EmailLog.objects.get(submission=over_limit, key__startswith="rejected-")
    assert (log.sent_at, log.attempts) == (None, 0)
    assert log.pk in handed  # handed to the worker once committed

    tasks.send_email.apply(kwargs={"log_id": log.pk})  # what the worker runs
    (mail,) = [m for m in mailoutbox if m.subject == log.subject]
    assert "Not about GC6" in mail.body
    tasks.send_email.apply(kwargs={"log_id": log.pk})  # redelivered: nothing more
    assert len([m for m in mailoutbox if m.subject == log.subject]) == 1
    log.refresh_from_db()
    assert log.sent_at is not None and log.attempts == 1


@pytest.mark.outbox_after_commit
def test_a_decision_rolled_back_sends_nothing(over_limit, member, mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.submission_reject(submission=over_limit, actor=member("Triage"), reason="x")
        raise RuntimeError("the request failed after the decision")
    assert not EmailLog.objects.filter(key__startswith="rejected").exists()
    assert mailoutbox == []


@pytest.mark.outbox_after_commit
def test_an_e_mail_is_claimed_before_it_is_sent(over_limit, member, mailoutbox):
    services.submission_reject(submission=over_limit, actor=member("Triage"), reason="Spam")
    log = EmailLog.objects.get(key__startswith="rejected")
    # A worker and the sweeper both read the row before either sends.
    stale = EmailLog.objects.get(pk=log.pk)
    assert notifications.send_logged(log.pk) is True
    claimed = EmailLog.objects.filter(pk=stale.pk, attempts=stale.attempts, sent_at=None)
    assert claimed.update(attempts=stale.attempts + 1) == 0  # the second claim loses
    assert notifications.send_logged(log.pk) is False
    assert len([m for m in mailoutbox if m.subject == log.subject]) == 1


@pytest.mark.outbox_after_commit
def test_an_e_mail_the_broker_never_got_is_sent_by_the_sweeper(
    over_limit, member, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    # The test settings point the broker at a closed port: queueing fails, quietly.
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(submission=over_limit, actor=member("Triage"), reason="Late")
    log = EmailLog.objects.get(key__startswith="rejected")
    assert f"could not queue e-mail {log.pk}" in caplog.text
    assert log.sent_at is None and mailoutbox == []
    assert notifications.retry_failed(older_than=timedelta(0)) >= 1
    log.refresh_from_db()
    assert log.sent_at is not None
    assert [m for m in mailoutbox if m.subject == log.subject]
