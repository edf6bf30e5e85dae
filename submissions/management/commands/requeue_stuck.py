"""Queue again the checks that waited too long, the missing PDFs and public ZIPs; resend
failed e-mails; delete the files the form held for longer than it keeps them.

Meant for cron or a systemd timer (see the README); `make run` runs it in a loop.
It reads the database (and storage, for the ZIPs and held files) only, so it works
while the broker is down and queues the checks once the broker is back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from submissions import archive, held_uploads, notifications
from submissions.enums import State
from submissions.models import Call
from submissions.services import (
    submissions_missing_pdf,
    submissions_stuck,
    submissions_unqueued,
)
from submissions.tasks import queue_archive, queue_check, queue_public_pdf


class Command(BaseCommand):
    help = (
        "Queue again stuck checks, missing PDFs and ZIPs; send failed e-mails again; "
        "delete expired held files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.GC6_STUCK_AFTER_SECONDS,
            help="Seconds a submission may wait before it is queued again.",
        )

    def handle(self, *args, **options) -> None:
        older_than = timedelta(seconds=options["older_than"])
        quick = timedelta(seconds=settings.GC6_UNQUEUED_AFTER_SECONDS)
        # Only what was queued is counted: with the broker down, the next run retries.
        # First the checks never handed to the broker (it was down): seconds, not the
        # stuck threshold, so that a broker back is a minute at most from every check.
        unqueued = [pk for pk in submissions_unqueued(older_than=quick) if queue_check(pk)]
        self.stdout.write(f"queued {len(unqueued)} unqueued submission(s)")
        stuck = [pk for pk in submissions_stuck(older_than=older_than) if pk not in unqueued]
        checks = [pk for pk in stuck if queue_check(pk)]
        self.stdout.write(f"queued {len(checks)} stuck submission(s) again")
        pdfs = [pk for pk in submissions_missing_pdf(older_than=older_than) if queue_public_pdf(pk)]
        self.stdout.write(f"queued {len(pdfs)} missing PDF(s)")
        # The public ZIP of each call with posted submissions, unless built already.
        calls = Call.objects.filter(submissions__state=State.POSTED).distinct()
        archives = [
            call.pk
            for call in calls
            if archive.ready_archive(call) is None and queue_archive(call.pk)
        ]
        self.stdout.write(f"queued {len(archives)} archive(s)")
        emails = notifications.retry_failed(older_than=older_than)
        # E-mails no worker has tried yet (queued while the broker was down): the claim
        # on each try keeps a worker that has it too from sending it twice.
        emails += notifications.retry_failed(older_than=quick, never_tried=True)
        self.stdout.write(f"sent {emails} failed e-mail(s) again")
        # Files the form kept across an error (held_uploads), past their reference's age.
        held = held_uploads.delete_older_than(held_uploads.MAX_AGE)
        self.stdout.write(f"deleted {held} held file(s)")
