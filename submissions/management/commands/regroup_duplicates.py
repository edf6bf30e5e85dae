"""Rebuild the duplicate groups and the duplicates index of a call, or of every call.

The checks and withdrawals keep both up to date one submission at a time
(services/grouping.py); this is for repair: after a change to how duplicates are
found, or when a failure was logged ("could not regroup the duplicates of ...").
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from submissions.models import Call
from submissions.services.grouping import submission_group_duplicates


class Command(BaseCommand):
    help = "Rebuild the duplicate groups and their index (one call, or all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--call", help="the call's slug (default: every call)")

    def handle(self, *args: object, **options: str | None) -> None:
        calls = Call.objects.order_by("pk")
        if options["call"]:
            calls = calls.filter(slug=options["call"])
            if not calls.exists():
                raise CommandError(f"no call {options['call']!r}")
        for call in calls:
            submission_group_duplicates(call=call)
            self.stdout.write(f"{call.slug}: regrouped")
