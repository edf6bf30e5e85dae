"""Split a draft general comment (.docx) into its numbered paragraphs and print them."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from submissions.compliance.package import UnreadableDocument
from submissions.drafts import Draft, split_draft
from submissions.drafts.split import problem_message
from submissions.findings import error_message


def as_json(draft: Draft) -> list[dict[str, object]]:
    """Each paragraph as {"number", "heading", "text"}, and "footnotes" when it has some."""
    out: list[dict[str, object]] = []
    for paragraph in draft.paragraphs:
        item: dict[str, object] = {
            "number": paragraph.number,
            "heading": paragraph.heading,
            "text": paragraph.text,
        }
        if paragraph.footnotes:
            item["footnotes"] = list(paragraph.footnotes)
        out.append(item)
    return out


class Command(BaseCommand):
    help = "Split a draft general comment (.docx) into its numbered paragraphs."
    requires_system_checks = []  # needs no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the paragraphs as JSON.")
        parser.add_argument(
            "--manual",
            action="store_true",
            help="Number every non-empty paragraph 1..n, whatever the file's numbering.",
        )
        parser.add_argument(
            "--lang", default="en", help="Language of a refusal's and the problems' messages."
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            draft = split_draft(data, manual=options["manual"])
        except UnreadableDocument as refusal:
            with translation.override(options["lang"]):
                message = error_message(refusal.code, refusal.params)
            raise CommandError(f"{path.name}: {message} ({refusal.code})") from None
        if options["json"]:
            self.stdout.write(json.dumps(as_json(draft), ensure_ascii=False, indent=2))
            return
        for paragraph in draft.paragraphs:
            mark = paragraph.number or ("#" if paragraph.heading else "")
            lines = paragraph.text.split("\n")
            self.stdout.write(f"{mark:<4}{lines[0]}")
            for line in lines[1:]:
                self.stdout.write(f"{'':<4}{line}")
            for index, note in enumerate(paragraph.footnotes, start=1):
                self.stdout.write(f"{'':<4}[note {index}] {note}")
        with translation.override(options["lang"]):
            for problem in draft.problems:
                self.stdout.write(f"problem: {problem.code}: {problem_message(problem)}")
