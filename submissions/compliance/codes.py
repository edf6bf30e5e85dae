"""The codes of the findings: what the rules can say about a file, refusals included.

A code is API: stored reports (JSON lists of {"code": ...}), the admin's filter,
the messages and their translations all rely on it. As a `StrEnum`, a code equals
its string (`FindingCode.DAMAGED_FILE == "damaged_file"`) and is written to JSON
as that string, so codes stored as plain strings keep working. Pure Python: no
Django here.
"""

from __future__ import annotations

from enum import StrEnum


class FindingCode(StrEnum):
    # When the file was received, against the call's deadline.
    RECEIVED_AFTER_DEADLINE = "received_after_deadline"
    RECEIVED_WITH_LATE_ACCESS = "received_with_late_access"

    # Whether and how the submission is to be posted, and what the document says of it.
    PUBLICATION_WITHHELD = "publication_withheld"
    PUBLICATION_ANONYMOUS = "publication_anonymous"
    PUBLICATION_OBJECTION_IN_TEXT = "publication_objection_in_text"
    NAME_IN_ANONYMOUS_DOCUMENT = "name_in_anonymous_document"

    # The length and content of a readable document.
    OVER_WORD_LIMIT = "over_word_limit"
    EMPTY_DOCUMENT = "empty_document"
    EMBEDDED_CONTENT = "embedded_content"

    # The stakeholder's name on page 1, and how page 1 was found.
    NAME_NOT_ON_FIRST_PAGE = "name_not_on_first_page"
    NAME_NOT_ON_FIRST_PAGE_ESTIMATED = "name_not_on_first_page_estimated"
    NAME_NEAR_MATCH = "name_near_match"
    NAME_NEAR_PAGE_END = "name_near_page_end"
    DEFAULTS_ASSUMED = "defaults_assumed"

    # The document's language, against the one declared and the call's preferred ones.
    LANGUAGE_MISMATCH = "language_mismatch"
    LANGUAGE_NOT_PREFERRED = "language_not_preferred"

    # Refusals: the file is not a Word document (.docx), and what it is instead.
    EMPTY_FILE = "empty_file"
    LEGACY_DOC = "legacy_doc"
    ENCRYPTED_DOCUMENT = "encrypted_document"
    PDF_FILE = "pdf_file"
    RTF_FILE = "rtf_file"
    IMAGE_FILE = "image_file"
    HTML_FILE = "html_file"
    TEXT_FILE = "text_file"
    ODT_FILE = "odt_file"
    SPREADSHEET_FILE = "spreadsheet_file"
    PRESENTATION_FILE = "presentation_file"
    WORD_TEMPLATE = "word_template"
    NOT_A_WORD_FILE = "not_a_word_file"

    # Refusals: a Word file that cannot be read, or is built in a way that is not opened.
    DAMAGED_FILE = "damaged_file"
    FILE_TOO_LARGE = "file_too_large"
    PACKAGE_TOO_LARGE = "package_too_large"
    PACKAGE_TOO_COMPLEX = "package_too_complex"
    PACKAGE_UNSAFE = "package_unsafe"
    XML_DECLARATIONS = "xml_declarations"
    PACKAGE_AMBIGUOUS = "package_ambiguous"

    # Refusals: a Word file that carries a program (macros, ActiveX, an embedded executable).
    MACRO_ENABLED_DOCUMENT = "macro_enabled_document"
    ACTIVEX_CONTENT = "activex_content"
    EMBEDDED_PROGRAM = "embedded_program"

    # Refusals: the malware scanner (clamd) found something in the file.
    MALWARE_FOUND = "malware_found"

    # No longer given (embedded content is listed, not refused): kept for earlier reports.
    EMBEDDED_OBJECTS = "embedded_objects"
