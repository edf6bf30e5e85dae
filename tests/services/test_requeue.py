"""What the sweeper's quick pass finds: checks never handed to the broker, and checks
waiting for the scanner, seconds after they came in (not after the stuck threshold)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions import services
from submissions.models import Submission
from tests.helpers import GOOD, send

pytestmark = pytest.mark.django_db
SECONDS = timedelta(seconds=15)


def test_a_check_the_broker_never_took_is_found_by_the_quick_pass(open_call):
    from submissions.tasks import queue_check

    submission, _ = send(open_call)
    # The suite's broker address has nothing listening (pyproject): queueing fails.
    assert queue_check(submission.pk) is False
    assert Submission.objects.get(pk=submission.pk).check_queued_at is None
    assert services.submissions_unqueued(older_than=SECONDS) == []  # on_commit may be racing
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):
        assert services.submissions_unqueued(older_than=SECONDS) == [submission.pk]
        assert services.submissions_stuck(older_than=timedelta(minutes=10)) == []


def test_a_queued_check_is_left_to_the_stuck_threshold_and_a_new_version_is_unqueued(
    open_call,
):
    submission, _ = send(open_call)
    Submission.objects.filter(pk=submission.pk).update(check_queued_at=timezone.now())
    later = timezone.now() + timedelta(minutes=1)
    with time_machine.travel(later):
        assert services.submissions_unqueued(older_than=SECONDS) == []
    submission.refresh_from_db()
    services.submission_new_version(
        submission=submission, upload=SimpleUploadedFile("v2.docx", GOOD)
    )
    assert Submission.objects.get(pk=submission.pk).check_queued_at is None
