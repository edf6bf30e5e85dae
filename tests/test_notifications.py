"""E-mails to submitters: their language, each decision's once, the outbox, retries,
a call's own wording, and the private link that staff never see working."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from submissions import notifications, services
from submissions.enums import EmailKind, State
from submissions.findings import finding_message
from submissions.models import EmailLog, EmailTemplate, PrivateLink, Submission
from tests.conftest import SUBMITTER_FORM
from tests.helpers import GOOD, NO_NAME, send


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


# Every e-mail to a submitter carries a working private link of its own; the log only
# the mask. The check's report, when it finds what the submitter can fix.

LINK = re.compile(r"https?://[^\s/]+(/status/[A-Za-z0-9_-]+/)")


def _send(call, data=GOOD, *, language="en", publication="publish"):
    return send(call, data, publication=publication, language=language)[0]


def _check(submission):
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _mail_of(log, mailoutbox):
    """The e-mail sent of `log`: as logged, but for the working link where the mask is."""
    (mail,) = [
        m
        for m in mailoutbox
        if m.subject == log.subject
        and m.to == [log.to]
        and LINK.sub(notifications.PRIVATE_LINK_MASK, m.body) == log.body
    ]
    return mail


def test_every_e_mail_to_a_submitter_carries_a_working_private_link(
    client, open_call, staff_user, member, mailoutbox
):
    # One submission through receipt, report, new version, report again, a request for
    # a fix, acceptance, posting and taking down; another one rejected.
    submission = _check(_send(open_call, NO_NAME))
    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("v2.docx", NO_NAME)
    )
    submission = _check(submission)
    services.submission_request_fix(submission=submission, actor=member("Triage"), message="Name")
    services.submission_accept(submission=submission, actor=staff_user, reason="Name is there")
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    submission.refresh_from_db()
    services.submission_unpost(submission=submission, actor=staff_user, reason="Court order")
    other = _check(_send(open_call, NO_NAME))
    services.submission_reject(submission=other, actor=staff_user, reason="Off topic")

    logs = EmailLog.objects.order_by("pk")
    kinds = {log.key.split("-")[0] for log in logs}
    assert kinds == {str(kind) for kind in EmailKind}, kinds  # every kind of e-mail
    tokens = set()
    assert len(mailoutbox) == logs.count()  # sent as written, in order
    for log, mail in zip(logs, mailoutbox, strict=True):
        assert mail.subject == log.subject and mail.to == [log.to]
        assert LINK.sub(notifications.PRIVATE_LINK_MASK, mail.body) == log.body, log.key
        found = LINK.search(mail.body)
        assert found, (log.key, mail.body)
        path = found.group(1)
        token = path.rstrip("/").rsplit("/", 1)[-1]
        tokens.add(token)
        # The log shows only the mask; the link works, and opens that submission.
        assert token not in log.body and notifications.PRIVATE_LINK_MASK in log.body, log.key
        assert log.private_link == ""  # sent: forgotten
        page = client.get(path)
        assert page.status_code == 200, log.key
        assert log.submission.tracking_number in page.text
    assert len(tokens) == logs.count()  # a link of its own in each e-mail
    # Only hashes are kept: one per e-mail after the receipt.
    assert PrivateLink.objects.count() == logs.count() - 2  # two receipts


def test_the_report_is_e_mailed_once_per_version_in_the_submitters_language(open_call, mailoutbox):
    open_call.deadline = datetime(2027, 1, 30, 16, 0, tzinfo=UTC)  # 17:00 in Geneva
    open_call.save()
    submission = _check(_send(open_call, NO_NAME, language="es"))
    assert submission.state == State.NEEDS_ATTENTION
    services.submission_check(submission_id=submission.pk)  # redelivered: nothing more
    (log,) = EmailLog.objects.filter(key__startswith="report")
    assert log.key == "report-v1"
    assert log.language == "es"
    mail = _mail_of(log, mailoutbox)
    with translation.override("es"):
        messages = [finding_message(f) for f in submission.finding_objects()]
        subject, _body = notifications.default_text("report", "es")
    assert messages and all(message in mail.body for message in messages)
    english = [finding_message(f) for f in submission.finding_objects()]
    assert messages != english  # the findings in Spanish, not in the reader's English
    assert "30 de enero de 2027, 17:00" in mail.body  # Geneva
    assert "30 de enero de 2027, 16:00" in mail.body  # UTC
    assert LINK.search(mail.body)
    assert submission.tracking_number in mail.subject
    assert mail.subject == subject.replace("$tracking_number", submission.tracking_number)

    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("v2.docx", NO_NAME)
    )
    _check(submission)
    keys = sorted(EmailLog.objects.filter(key__startswith="report").values_list("key", flat=True))
    assert keys == ["report-v1", "report-v2"]


def test_no_report_when_nothing_is_for_the_submitter_to_fix(open_call, mailoutbox):
    clean = _check(_send(open_call))
    assert clean.state == State.READY_TO_POST
    # Asked to be posted without their name: their choice, and the Secretariat's to look.
    anonymous = _check(_send(open_call, publication="publish_anonymous"))
    assert anonymous.state == State.NEEDS_ATTENTION
    assert not EmailLog.objects.filter(key__startswith="report").exists()
    assert {m.subject for m in mailoutbox} == {
        log.subject for log in EmailLog.objects.all()
    }  # receipts only


def test_no_report_once_no_new_version_can_be_sent(open_call, mailoutbox):
    import time_machine

    submission = _send(open_call, NO_NAME)
    with time_machine.travel(open_call.deadline + timedelta(hours=1)):
        _check(submission)
    assert submission.state == State.NEEDS_ATTENTION
    assert not EmailLog.objects.filter(key__startswith="report").exists()


def test_a_calls_own_wording_of_the_report_is_used(open_call, mailoutbox):
    EmailTemplate.objects.create(
        call=open_call,
        kind=EmailKind.REPORT,
        language="en",
        subject="To fix: $tracking_number",
        body="$findings\nBy $deadline (Geneva), $deadline_utc (UTC): $status_url",
    )
    submission = _check(_send(open_call, NO_NAME))
    log = EmailLog.objects.get(key="report-v1")
    mail = _mail_of(log, mailoutbox)
    assert mail.subject == f"To fix: {submission.tracking_number}"
    assert mail.body.startswith("- ") and LINK.search(mail.body)
    assert notifications.unknown_placeholders(log.body) == []


def test_spanish_and_french_dates_are_written_as_each_language_writes_them(open_call):
    moment = datetime(2027, 1, 30, 16, 0, tzinfo=UTC)
    with translation.override("es"):
        assert notifications.when(moment, open_call.zone) == "30 de enero de 2027, 17:00"
    with translation.override("fr"):
        assert notifications.when(moment, open_call.zone) == "30 janvier 2027, 17:00"
    with translation.override("en"):
        assert "January" in notifications.when(moment, UTC) or "Jan" in notifications.when(
            moment, UTC
        )


def test_a_fix_request_in_spanish_gives_the_deadline_in_spanish(over_limit, member, mailoutbox):
    call = over_limit.call
    call.deadline = datetime(2027, 1, 30, 16, 0, tzinfo=UTC)
    call.save()
    submission = Submission.objects.get(pk=over_limit.pk)
    services.submission_request_fix(submission=submission, actor=member("Triage"), message="X")
    log = EmailLog.objects.get(key__startswith="fix_requested")
    body = _mail_of(log, mailoutbox).body
    assert "30 de enero de 2027, 17:00" in body and "30 de enero de 2027, 16:00" in body
    assert LINK.search(body)


def test_every_default_e_mail_says_where_the_private_link_is(db):
    for kind in EmailKind:
        for language in ("en", "fr", "es"):
            subject, body = notifications.default_text(kind, language)
            assert "$status_url" in body, (kind, language)
            assert notifications.unknown_placeholders(subject) == [], kind
            assert notifications.unknown_placeholders(body) == [], kind


def test_the_admins_preview_shows_the_mask_and_mints_no_link(over_limit, staff_client):
    links = PrivateLink.objects.count()
    for decision in ("reject", "accept", "request_fix"):
        url = reverse("admin:submissions_submission_decide", args=[over_limit.pk, decision])
        page = staff_client.get(url)
        assert page.status_code == 200, decision
        assert notifications.PRIVATE_LINK_MASK in page.text, decision
        assert not LINK.search(page.text), decision
    assert PrivateLink.objects.count() == links
    assert notifications.PRIVATE_LINK_MASK in notifications.compose(over_limit, "accepted")[1]
