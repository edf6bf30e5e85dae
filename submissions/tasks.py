"""Celery tasks: an id in, one service call, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from submissions import notifications, services

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


def queue_check(submission_id: int) -> bool:
    """Queue the check; never raise. If the broker is down the sweeper queues it later."""
    return _queue(
        check_submission, f"the check of submission {submission_id}", submission_id=submission_id
    )


def queue_public_pdf(submission_id: int) -> bool:
    """Queue the PDF of a posted submission; never raise (the sweeper catches up)."""
    return _queue(
        make_public_pdf, f"the PDF of submission {submission_id}", submission_id=submission_id
    )


def queue_email(log_id: int) -> bool:
    """Queue an e-mail of the outbox; never raise (the sweeper sends what is left)."""
    return _queue(send_email, f"e-mail {log_id}", log_id=log_id)


def _queue(task, what: str, **kwargs: int) -> bool:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception as error:
        logger.warning("could not queue %s: %s", what, error)
        return False
    return True
