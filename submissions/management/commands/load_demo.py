"""Load the demo data: an open call, a demo admin, and submissions in every state; print
the tour `make run` shows (with the demo submissions' private status links)."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django_otp import user_has_device

from submissions.demo import load_draft, load_submissions, open_call, tour
from submissions.models import Call


class Command(BaseCommand):
    help = "Load demo data (idempotent): the open call, an admin account, sample submissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-tour",
            dest="tour",
            action="store_false",
            help="Do not print the tour (what to open, with the demo's private links).",
        )

    def handle(self, *args, **options) -> None:
        username = os.environ.get("GC6_DEMO_ADMIN", "admin")
        password = os.environ.get("GC6_DEMO_PASSWORD", "gc6-demo-password")
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": True}
            )
            if created:
                user.set_password(password)
                user.save()
            draft = open_call()
            load_draft(draft, staff=user)
        count, stops = load_submissions(Call.objects.get(slug="gc6"), staff=user, draft=draft)
        self.stdout.write(
            f"demo data ready: call {draft.slug!r} open until {draft.deadline:%Y-%m-%d}; "
            f"{count} new demo submission(s); admin login {username} / {password}"
        )
        if options["tour"]:
            self.stdout.write("")
            self.stdout.write(tour(stops, admin=username, password=password))
        if settings.GC6_STAFF_2FA:
            # The admin asks for a code too: the demo admin enrols at its first login.
            step = (
                "enter the code of the authenticator app set up earlier"
                if user_has_device(user)
                else "at the first login, scan the QR code the admin shows with an "
                "authenticator app and enter its code"
            )
            self.stdout.write(f"two-factor login for {username}: {step}")
