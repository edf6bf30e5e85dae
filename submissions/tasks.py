"""Celery tasks: an id in, one service call, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from submissions import archive, notifications, services, statistics
from submissions.models import Submission

logger = logging.getLogger(__name__)


@shared_task(name="submissions.check_submission", bind=True, max_retries=2)
def check_submission(self, *, submission_id: int) -> None:
    try:
        services.submission_check(submission_id=submission_id)
    except SoftTimeLimitExceeded:
        services.submission_fail_check(
            submission_id=submission_id, reason="the check took too long"
        )
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.exception("check of submission %s failed for good", submission_id)
            services.submission_fail_check(
                submission_id=submission_id, reason=f"the check failed: {type(error).__name__}"
            )
            return
        raise self.retry(exc=error, countdown=5) from error


@shared_task(name="submissions.make_public_pdf", max_retries=0)
def make_public_pdf(*, submission_id: int) -> None:
    services.submission_make_pdf(submission_id=submission_id)


@shared_task(name="submissions.send_email", max_retries=0)
def send_email(*, log_id: int) -> None:
    """Send one e-mail of the outbox (a failure is recorded; the sweeper tries again)."""
    notifications.send_logged(log_id)


# Thousands of files take a while to zip: more than the checks' limit, less than the
# broker's visibility timeout (5 minutes), after which Redis would hand it out again.
@shared_task(
    name="submissions.build_public_archive", max_retries=0, soft_time_limit=240, time_limit=270
)
def build_public_archive(*, call_id: int) -> None:
    """Build the public ZIP of a call's current posted set (nothing if it exists)."""
    archive.build_archive(call_id)


@shared_task(name="submissions.refresh_statistics", max_retries=0)
def refresh_statistics(*, call_id: int) -> None:
    """Count a call's statistics again (see submissions.statistics)."""
    statistics.refresh_call(call_id)


def queue_check(submission_id: int) -> bool:
    """Queue the check; never raise. If the broker is down the sweeper queues it later:
    within seconds of its return, as the submission is marked queued only on success."""
    queued = _queue(
        check_submission, f"the check of submission {submission_id}", submission_id=submission_id
    )
    if queued:
        Submission.objects.filter(pk=submission_id).update(check_queued_at=timezone.now())
    return queued


def queue_public_pdf(submission_id: int) -> bool:
    """Queue the PDF of a posted submission; never raise (the sweeper catches up)."""
    return _queue(
        make_public_pdf, f"the PDF of submission {submission_id}", submission_id=submission_id
    )


def queue_email(log_id: int) -> bool:
    """Queue an e-mail of the outbox; never raise (the sweeper sends what is left)."""
    return _queue(send_email, f"e-mail {log_id}", log_id=log_id)


def queue_archive(call_id: int) -> bool:
    """Queue the public ZIP of a call; never raise (the sweeper and the next download
    queue it again)."""
    return _queue(build_public_archive, f"the archive of call {call_id}", call_id=call_id)


def queue_statistics(call_id: int, *, countdown: int = 0) -> bool:
    """Queue a refresh of a call's statistics; never raise."""
    return _queue(
        refresh_statistics, f"the statistics of call {call_id}", countdown, call_id=call_id
    )


def _queue(task, what: str, countdown: int = 0, **kwargs: int) -> bool:
    try:
        task.apply_async(kwargs=kwargs, retry=False, countdown=countdown or None)
    except Exception as error:
        logger.warning("could not queue %s: %s", what, error)
        return False
    return True
