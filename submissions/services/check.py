"""The check: the call's rules run on the current file, the outcome stored."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, BinaryIO, cast

from django.core.files import File
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone, translation

from submissions import compliance, duplicates, notifications, private_links, scanning
from submissions.compliance.codes import FindingCode
from submissions.config import first_page_renderer, package_limits
from submissions.enums import EmailKind, Publication, State
from submissions.findings import finding_message
from submissions.models import Submission, SubmissionVersion
from submissions.services import transition
from submissions.services.grouping import regroup_submission
from submissions.submitter_view import fixable_findings

logger = logging.getLogger(__name__)

# A file whose check has been started this many times without finishing (the
# worker died each time) is handed to a person instead of being tried forever.
MAX_CHECK_ATTEMPTS = 3


def finding_codes(codes: list[str]) -> str:
    """The codes as the admin's finding filter searches them: " a b " (spaces around)."""
    return f" {' '.join(codes)} " if codes else ""


# What the check stores of its report, field by field: the one list. A new version
# clears the same fields to the model's defaults (`cleared_check_fields`).
CHECK_FIELDS: dict[str, Callable[[compliance.Report, list[int]], Any]] = {
    "checked_at": lambda report, signature: timezone.now(),
    "word_count": lambda report, signature: report.word_count,
    "word_count_main": lambda report, signature: report.word_count_main,
    "name_on_first_page": lambda report, signature: report.name_on_first_page,
    "first_page_method": lambda report, signature: report.first_page_method or "",
    "received_on_time": lambda report, signature: report.received_on_time,
    "detected_language": lambda report, signature: report.language or "",
    "findings": lambda report, signature: [f.to_dict() for f in report.findings],
    "finding_codes": lambda report, signature: finding_codes(report.codes()),
    "text": lambda report, signature: report.text,
    "text_signature": lambda report, signature: signature,
}


def check_fields(report: compliance.Report) -> dict[str, Any]:
    signature = duplicates.signature(report.text)
    return {name: value(report, signature) for name, value in CHECK_FIELDS.items()}


def _model_field(name: str) -> models.Field:
    field = Submission._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def cleared_check_fields() -> dict[str, Any]:
    """Every field the check writes, as before any check (the model's defaults)."""
    fields = {name: _model_field(name).get_default() for name in CHECK_FIELDS}
    # Its check not yet queued: the sweeper's quick pass sees it if queueing fails.
    return {**fields, "check_attempts": 0, "check_queued_at": None}


def report_for(submission: Submission, data: bytes) -> compliance.Report:
    """What the call's rules say of `data` sent by this submitter (no side effect)."""
    return compliance.evaluate(
        data,
        rules=submission.call.rules(
            extension_until=submission.late_access.valid_until if submission.late_access else None,
            limits=package_limits(),
        ),
        stakeholder_name=submission.stakeholder_name,
        received_at=submission.received_at,
        publication=submission.publication,
        declared_language=submission.language,
        render_first_page=first_page_renderer(),
        contact=(submission.contact_name, submission.contact_email),
    )


def submission_check(*, submission_id: int) -> None:
    """Run the call's rules on the submission's file and record the outcome.

    Side effects: CHECKING, then the outcome (and "ready to post" for a file that
    meets every rule and may be posted with its name), the report's fields stored,
    the report e-mailed to the submitter when it finds what they can fix (once per
    version), the call's duplicates regrouped. A redelivered task does nothing.
    """
    submission = (
        Submission.objects.select_related("call", "late_access").filter(pk=submission_id).first()
    )
    if submission is None or submission.state not in State.AWAITING_CHECK:
        return  # gone, or already checked: a redelivered task does nothing
    scan = None
    if submission.state == State.WAITING_FOR_SCAN:
        scan = _scan(submission)
        if scan.verdict == scanning.UNAVAILABLE:
            return  # still away: no new step in the history; the sweeper tries again
    if submission.state != State.CHECKING and not transition.submission_transition(
        submission=submission, to=State.CHECKING, reason="check started"
    ):
        return
    Submission.objects.filter(pk=submission.pk).update(check_attempts=F("check_attempts") + 1)
    # Read the row again now that it is CHECKING: a new version may have replaced
    # the file after we loaded it, and none can while the check runs.
    submission.refresh_from_db()
    if submission.check_attempts > MAX_CHECK_ATTEMPTS:
        transition.submission_transition(
            submission=submission,
            to=State.CHECK_FAILED,
            reason=f"the check did not finish after {MAX_CHECK_ATTEMPTS} attempts",
        )
        return

    # Scanned first: the check reads, renders or converts no file the scanner has not
    # passed. (A file that waited for the scanner was scanned just now, unchanged since:
    # a new version would have taken it out of "waiting".)
    scan = scan or _scan(submission)
    if scan.verdict == scanning.UNAVAILABLE:
        _wait_for_scan(submission, scan.detail)
        return
    if scan.verdict == scanning.INFECTED:
        quarantine(submission, scan.signature)
        return
    with submission.file.open("rb") as handle:
        data = handle.read()
    report = report_for(submission, data)
    outcome = State.ACCEPTED if report.ok else State.NEEDS_ATTENTION
    fields = check_fields(report)
    # The outcome and, for a file to be posted, "ready to post" in one transaction:
    # nobody sees it accepted but not yet ready.
    with transaction.atomic():
        recorded = transition.submission_transition(
            submission=submission,
            to=outcome,
            reason=", ".join(report.codes()) or "meets the call's rules",
            changes=fields,
        )
        if recorded and outcome == State.ACCEPTED and submission.publication == Publication.PUBLISH:
            transition.submission_transition(
                submission=submission,
                to=State.READY_TO_POST,
                reason="meets the rules; may be posted",
            )
        if recorded and outcome == State.NEEDS_ATTENTION:
            _email_report(submission)
    if recorded:
        regroup_submission(submission)


def _scan(submission: Submission) -> scanning.ScanResult:
    with submission.file.open("rb") as handle:
        return scanning.scan_file(cast(BinaryIO, handle))


def _wait_for_scan(submission: Submission, detail: str) -> None:
    """The scanner did not answer: the file waits, unread; the sweeper tries again. The
    attempt is not counted against the check (the worker did not fail)."""
    logger.warning("scan of %s unavailable: %s", submission.tracking_number, detail)
    transition.submission_transition(
        submission=submission,
        to=State.WAITING_FOR_SCAN,
        reason=f"malware scanner unavailable: {detail}"[:500],
        # Not queued any more: the sweeper's quick pass tries again within seconds.
        changes={"check_attempts": max(submission.check_attempts - 1, 0), "check_queued_at": None},
    )


def quarantine(submission: Submission, signature: str) -> None:
    """Malware found: the file is moved apart (never served, read or converted), the
    finding recorded, the Secretariat's queue shows it, the submitter is told."""
    finding = compliance.Finding(
        FindingCode.MALWARE_FOUND, compliance.Severity.ERROR, {"signature": signature}
    )
    storage = submission.file.storage
    old = submission.file.name or ""
    with submission.file.open("rb") as handle:
        moved = storage.save(f"quarantine/{uuid.uuid4().hex}.bin", File(handle))
    with transaction.atomic():
        recorded = transition.submission_transition(
            submission=submission,
            to=State.QUARANTINED,
            reason=f"malware found: {signature}"[:500],
            changes={
                **cleared_check_fields(),
                "checked_at": timezone.now(),
                "findings": [finding.to_dict()],
                "finding_codes": finding_codes([finding.code]),
                "file": moved,
            },
        )
        if not recorded:
            storage.delete(moved)
            return
        SubmissionVersion.objects.filter(submission=submission, file=old).update(
            file=moved, quarantined=True
        )
        submission.refresh_from_db()
        _email_report(submission)
    storage.delete(old)


def _email_report(submission: Submission) -> None:
    """Put the report in the outbox if it finds what the submitter can fix with a new
    version they may still send: once per version, in their language, with a private
    link of its own and the deadline (Geneva time and UTC)."""
    from submissions.services.intake import can_replace  # here: intake imports this module

    fixable = fixable_findings(submission.finding_objects(), submission.overridden_codes())
    if not fixable or not can_replace(submission):
        return
    version = submission.versions.aggregate(last=Max("number"))["last"] or 1
    key = f"report-v{version}"
    if submission.emails.filter(key=key).exists():
        return
    with translation.override(submission.interface_language):
        listed = "\n\n".join(f"- {finding_message(finding)}" for finding in fixable)
    notifications.submission_email(
        submission=submission,
        kind=EmailKind.REPORT,
        key=key,
        findings=listed,
        status_url=private_links.new_link(submission),
    )


def submission_fail_check(*, submission_id: int, reason: str) -> None:
    """The check could not run (the worker kept failing): a person takes over."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return
    if submission.state == State.RECEIVED:
        transition.submission_transition(
            submission=submission, to=State.CHECKING, reason="check started"
        )
    if submission.state == State.CHECKING:
        transition.submission_transition(
            submission=submission, to=State.CHECK_FAILED, reason=reason[:500]
        )


def submissions_unqueued(*, older_than: timedelta) -> list[int]:
    """Submissions waiting for a check that was never handed to the broker (it was down
    when they came in), or that wait for the scanner, `older_than` after their receipt:
    the sweeper's quick pass queues them again (the check records one outcome however
    often it is queued)."""
    cutoff = timezone.now() - older_than
    return list(
        Submission.objects.filter(
            state__in=State.AWAITING_CHECK, check_queued_at__isnull=True, received_at__lt=cutoff
        )
        .order_by("received_at")
        .values_list("pk", flat=True)
    )


def submissions_stuck(*, older_than: timedelta) -> list[int]:
    """Submissions still waiting for their check after `older_than`, oldest first.

    The sweeper (management command `requeue_stuck`, from cron) queues them again;
    it reads the database only, so it works while the broker is down.
    """
    cutoff = timezone.now() - older_than
    return list(
        Submission.objects.filter(state__in=State.AWAITING_CHECK, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)
    )
