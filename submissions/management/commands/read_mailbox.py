"""Read the calls' mailbox over IMAP: each message becomes submissions, or a reply.

`--once` for cron or a timer; without it, a loop (as `make run` and docker-compose
run it). Idempotent: see `submissions/mailbox/reader.py`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from submissions.mailbox.reader import call_folders, read_all


class Command(BaseCommand):
    help = "Read the calls' mailbox folders (GC6_MAIL_CALLS) once, or every --interval seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then stop.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between passes.")

    def handle(self, *args, **options) -> None:
        if not settings.GC6_IMAP_HOST or not call_folders():
            # Not an error: a portal may take files through the form only.
            self.stdout.write("No mailbox to read: set GC6_IMAP_HOST and GC6_MAIL_CALLS.")
            return
        while True:
            done = read_all()
            self.stdout.write(
                f"mailbox: {done.read} read, {done.new} new, {done.moved} moved, "
                f"{done.failed} folder(s) not reached"
            )
            if options["once"]:
                return
            time.sleep(options["interval"])
