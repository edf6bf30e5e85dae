"""Queue again the checks of submissions that have waited too long.

Meant for cron or a systemd timer (see the README); `make run` runs it in a loop.
It reads the database only, so it works while the broker is down and queues the
checks once the broker is back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from submissions.services import submissions_requeue_stuck


class Command(BaseCommand):
    help = "Queue again the checks of submissions stuck before their report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.GC6_STUCK_AFTER_SECONDS,
            help="Seconds a submission may wait before it is queued again.",
        )

    def handle(self, *args, **options) -> None:
        ids = submissions_requeue_stuck(older_than=timedelta(seconds=options["older_than"]))
        self.stdout.write(f"queued {len(ids)} stuck submission(s) again")
