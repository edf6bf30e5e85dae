"""A finding's message in the current language, numbers in the reader's locale."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from django_stubs_ext import StrOrPromise

from submissions import compliance
from submissions.compliance import FindingCode


def finding_message(finding: compliance.Finding) -> str:
    return compliance.render(finding, gettext, lambda n: number_format(n, force_grouping=True))


def error_message(code: str, params: dict | None = None) -> str:
    """The message of an error finding (a refused file), with what the check found."""
    return finding_message(compliance.Finding(code, compliance.Severity.ERROR, params or {}))


# Short names for the findings, as badges in the work queue (messages say the rest),
# in the order of the admin's finding filter: findings on a received file, then refusals.
FINDING_LABELS: dict[FindingCode, StrOrPromise] = {
    # When the file was received.
    FindingCode.RECEIVED_AFTER_DEADLINE: gettext_lazy("Late"),
    FindingCode.RECEIVED_WITH_LATE_ACCESS: gettext_lazy("Late, with a code"),
    # Length and content.
    FindingCode.OVER_WORD_LIMIT: gettext_lazy("Over the word limit"),
    FindingCode.EMPTY_DOCUMENT: gettext_lazy("Empty document"),
    FindingCode.EMBEDDED_CONTENT: gettext_lazy("Embedded content"),
    # The name on page 1.
    FindingCode.NAME_NOT_ON_FIRST_PAGE: gettext_lazy("Name not on page 1"),
    FindingCode.NAME_NOT_ON_FIRST_PAGE_ESTIMATED: gettext_lazy("Name not on page 1 (estimate)"),
    FindingCode.NAME_NEAR_MATCH: gettext_lazy("Name on page 1 differs slightly"),
    FindingCode.NAME_NEAR_PAGE_END: gettext_lazy("Name at the edge of page 1"),
    FindingCode.DEFAULTS_ASSUMED: gettext_lazy("Page set-up assumed"),
    # Publication.
    FindingCode.PUBLICATION_OBJECTION_IN_TEXT: gettext_lazy("Asks not to be posted"),
    FindingCode.PUBLICATION_WITHHELD: gettext_lazy("Not to be posted"),
    FindingCode.PUBLICATION_ANONYMOUS: gettext_lazy("Post without name"),
    FindingCode.NAME_IN_ANONYMOUS_DOCUMENT: gettext_lazy("Names its submitter"),
    # Language.
    FindingCode.LANGUAGE_MISMATCH: gettext_lazy("Other language than declared"),
    FindingCode.LANGUAGE_NOT_PREFERRED: gettext_lazy("Not EN/FR/ES"),
    # Refusals: not a Word document.
    FindingCode.EMPTY_FILE: gettext_lazy("Empty file"),
    FindingCode.LEGACY_DOC: gettext_lazy("Old .doc file"),
    FindingCode.ENCRYPTED_DOCUMENT: gettext_lazy("Password-protected"),
    FindingCode.PDF_FILE: gettext_lazy("PDF, not Word"),
    FindingCode.RTF_FILE: gettext_lazy("RTF, not Word"),
    FindingCode.IMAGE_FILE: gettext_lazy("Picture, not Word"),
    FindingCode.HTML_FILE: gettext_lazy("Web page, not Word"),
    FindingCode.TEXT_FILE: gettext_lazy("Plain text, not Word"),
    FindingCode.ODT_FILE: gettext_lazy("OpenDocument, not Word"),
    FindingCode.SPREADSHEET_FILE: gettext_lazy("Spreadsheet, not Word"),
    FindingCode.PRESENTATION_FILE: gettext_lazy("Presentation, not Word"),
    FindingCode.WORD_TEMPLATE: gettext_lazy("Word template (.dotx)"),
    FindingCode.NOT_A_WORD_FILE: gettext_lazy("Not a Word file"),
    # Refusals: a Word file that cannot be read or is not opened.
    FindingCode.DAMAGED_FILE: gettext_lazy("Damaged file"),
    FindingCode.FILE_TOO_LARGE: gettext_lazy("File too large"),
    FindingCode.PACKAGE_TOO_LARGE: gettext_lazy("Too large once unpacked"),
    FindingCode.PACKAGE_TOO_COMPLEX: gettext_lazy("Too many internal parts"),
    FindingCode.PACKAGE_UNSAFE: gettext_lazy("Unsafe file structure"),
    FindingCode.XML_DECLARATIONS: gettext_lazy("XML declarations (DTD)"),
    FindingCode.PACKAGE_AMBIGUOUS: gettext_lazy("Ambiguous file structure"),
    # Refusals: a program inside.
    FindingCode.MACRO_ENABLED_DOCUMENT: gettext_lazy("Contains macros"),
    FindingCode.ACTIVEX_CONTENT: gettext_lazy("ActiveX controls"),
    FindingCode.EMBEDDED_PROGRAM: gettext_lazy("Embedded program"),
    FindingCode.MALWARE_FOUND: gettext_lazy("Malware found"),
    # No longer given: kept for earlier reports.
    FindingCode.EMBEDDED_OBJECTS: gettext_lazy("Embedded objects"),
}


def finding_label(code: str) -> str:
    """The badge of a code (a FindingCode or its string); an unknown code is its own label."""
    return str(FINDING_LABELS.get(code, code))  # type: ignore[call-overload]  # a stored str
