"""A finding's message in the current language, numbers in the reader's locale."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from submissions import compliance


def finding_message(finding: compliance.Finding) -> str:
    return compliance.render(finding, gettext, lambda n: number_format(n, force_grouping=True))


def error_message(code: str, params: dict | None = None) -> str:
    """The message of an error finding (a refused file), with what the check found."""
    return finding_message(compliance.Finding(code, compliance.Severity.ERROR, params or {}))


# Short names for the findings, as badges in the work queue (messages say the rest).
FINDING_LABELS: dict[str, str] = {
    "over_word_limit": gettext_lazy("Over the word limit"),
    "received_after_deadline": gettext_lazy("Late"),
    "received_with_late_access": gettext_lazy("Late, with a code"),
    "name_not_on_first_page": gettext_lazy("Name not on page 1"),
    "name_not_on_first_page_estimated": gettext_lazy("Name not on page 1 (estimate)"),
    "name_near_match": gettext_lazy("Name on page 1 differs slightly"),
    "publication_objection_in_text": gettext_lazy("Asks not to be posted"),
    "language_mismatch": gettext_lazy("Other language than declared"),
    "language_not_preferred": gettext_lazy("Not EN/FR/ES"),
    "publication_withheld": gettext_lazy("Not to be posted"),
    "publication_anonymous": gettext_lazy("Post without name"),
    "empty_document": gettext_lazy("Empty document"),
    "damaged_file": gettext_lazy("Damaged file"),
    "embedded_content": gettext_lazy("Embedded content"),
    "name_in_anonymous_document": gettext_lazy("Names its submitter"),
    "embedded_program": gettext_lazy("Embedded program"),
    "package_ambiguous": gettext_lazy("Ambiguous file structure"),
    "name_near_page_end": gettext_lazy("Name at the edge of page 1"),
    "defaults_assumed": gettext_lazy("Page set-up assumed"),
}


def finding_label(code: str) -> str:
    return str(FINDING_LABELS.get(code, code))
