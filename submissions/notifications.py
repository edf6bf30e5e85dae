"""E-mails to submitters, in their language, each sent at most once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from submissions.models import EmailLog, Submission

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def submission_email(*, submission: Submission, key: str, template: str, **context) -> bool:
    """Send `templates/emails/<template>.txt` to the submitter unless `key` went already.

    The log row is written first (unique per submission and key), so two workers or
    a retried task cannot both send; a failed send is recorded, never raised: an
    e-mail problem must not undo a submission.
    """
    with translation.override(submission.interface_language):
        context = {"submission": submission, "call": submission.call, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    try:
        with transaction.atomic():
            log = EmailLog.objects.create(
                submission=submission,
                key=key,
                to=submission.contact_email,
                subject=subject,
                language=submission.interface_language,
            )
    except IntegrityError:
        return False
    try:
        send_mail(subject, body, None, [submission.contact_email])
    except Exception as error:  # SMTP down, refused address...: keep the submission
        logger.warning("e-mail %s for %s not sent: %s", key, submission.pk, error)
        EmailLog.objects.filter(pk=log.pk).update(error=str(error)[:1000])
        return False
    EmailLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return True


def status_url(token: str) -> str:
    return absolute(reverse("submissions:status", kwargs={"token": token}))


def posted_url(submission: Submission) -> str:
    return absolute(reverse("submissions:posted", args=[submission.call.slug, submission.number]))
