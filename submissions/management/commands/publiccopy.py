"""Write a file's public copy from the command line, exactly as posting makes it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from submissions.compliance.package import UnreadableDocument, inspect_package
from submissions.compliance.public_copy import public_copy


class Command(BaseCommand):
    help = (
        "Write the public copy of a .docx as posting would: cleaned, and redacted when "
        "the submitter's name is withheld."
    )
    requires_system_checks = []  # needs no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("out", type=Path, help="Where to write the public copy (.docx).")
        parser.add_argument("--name", required=True, help="The stakeholder's name.")
        parser.add_argument("--anonymous", action="store_true", help="Withhold the name.")
        parser.add_argument("--contact-name", default="", help="Withheld too, if anonymous.")
        parser.add_argument("--contact-email", default="", help="Withheld too, if anonymous.")
        parser.add_argument("--title", default="", help="The tracking number, for its title.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            with path.open("rb") as handle:
                inspect_package(handle, parse_xml=True)
        except UnreadableDocument as problem:
            raise CommandError(f"{path} is not a readable Word file ({problem.code}).") from None
        copy = public_copy(
            data,
            stakeholder=options["name"],
            number=options["title"],
            withheld=options["anonymous"],
            contact=(options["contact_name"], options["contact_email"]),
        )
        options["out"].write_bytes(copy)
        self.stdout.write(f"{options['out']}: public copy of {path.name}")
