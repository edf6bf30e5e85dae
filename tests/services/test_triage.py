"""The Secretariat's decisions on a file: accept, ask for a fix, reject."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions import services
from submissions.enums import Publication, State
from submissions.models import EmailLog, Submission
from tests.documents import make_docx


def test_reject_needs_a_reason(open_call, make_submission, staff_user):
    submission = make_submission(open_call)
    with pytest.raises(services.ServiceError):
        services.submission_reject(submission=submission, actor=staff_user, reason="  ")


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


def test_a_file_kept_private_is_accepted_once_and_never_readied(
    open_call, make_submission, member, staff_client, mailoutbox
):
    submission = make_submission(open_call, publication=Publication.DO_NOT_PUBLISH)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.ACCEPTED
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_accept(submission=submission, actor=member("Triage"))
    assert Submission.objects.get(pk=submission.pk).state == State.ACCEPTED
    assert [mail.subject for mail in mailoutbox] == [EmailLog.objects.get().subject]  # the receipt
    page = staff_client.get(reverse("admin:submissions_submission_change", args=[submission.pk]))
    assert "/decide/accept/" not in page.text and "/decide/post/" not in page.text
