"""Check a Word file against a call's rules from the command line, as the worker does."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from submissions import compliance
from submissions.config import first_page_renderer
from submissions.findings import finding_message
from submissions.models import Call

# Without --call: the GC6 call's limit and counting policy, and no deadline.
DEFAULT_RULES = compliance.CallRules(word_limit=5000, deadline=None, count_notes=True)
PUBLICATIONS = {
    "publish": compliance.PUBLISH,
    "anonymous": compliance.PUBLISH_ANONYMOUS,
    "do_not_publish": compliance.DO_NOT_PUBLISH,
}


class Command(BaseCommand):
    help = "Check a .docx file against a call's rules and print the report."
    requires_system_checks = []  # works without a database unless --call is given

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", default="", help="The stakeholder name to look for.")
        parser.add_argument("--call", help="A call's slug; its rules and deadline apply.")
        parser.add_argument("--received", help="When the file was received (ISO 8601).")
        parser.add_argument("--language", help="The language declared for the document.")
        parser.add_argument("--lang", default="en", help="Language of the messages.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--publication",
            choices=["publish", "anonymous", "do_not_publish"],
            default="publish",
            help="How it is to be posted; 'anonymous' reports where the name appears.",
        )
        parser.add_argument("--contact-name", default="", help="Looked for too, if anonymous.")
        parser.add_argument("--contact-email", default="", help="Looked for too, if anonymous.")
        parser.add_argument(
            "--no-render",
            action="store_true",
            help="Estimate page 1 even when LibreOffice could render it.",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        rules = DEFAULT_RULES
        if options["call"]:
            call = Call.objects.filter(slug=options["call"]).first()
            if call is None:
                raise CommandError(f"No call has the slug {options['call']!r}.")
            rules = call.rules()
        received = timezone.now()
        if options["received"]:
            given = parse_datetime(options["received"])
            if given is None or timezone.is_naive(given):
                raise CommandError("--received needs a date, time and offset (ISO 8601).")
            received = given
        report = compliance.evaluate(
            data,
            rules=rules,
            stakeholder_name=options["name"],
            received_at=received,
            declared_language=options["language"],
            render_first_page=None if options["no_render"] else first_page_renderer(),
            publication=PUBLICATIONS[options["publication"]],
            contact=(options["contact_name"], options["contact_email"]),
        )
        with translation.override(options["lang"]):
            findings = [
                {
                    "code": f.code,
                    "severity": str(f.severity),
                    "message": finding_message(f),
                    "params": f.params,
                }
                for f in report.findings
            ]
        if options["json"]:
            shown = report.to_dict()
            shown.pop("text")
            shown.pop("first_page_text")
            shown["findings"] = findings
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{path.name}: {'meets the rules' if report.ok else 'needs attention'}")
        if report.readable:
            self.stdout.write(
                f"  words: {report.word_count} of {report.word_limit} "
                f"(main text {report.word_count_main}, with notes {report.word_count_with_notes})"
            )
            self.stdout.write(
                f"  name on page 1: {report.name_on_first_page} ({report.first_page_method})"
            )
        for finding in findings:
            self.stdout.write(f"  [{finding['severity']}] {finding['code']}: {finding['message']}")
