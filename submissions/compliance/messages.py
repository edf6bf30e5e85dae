"""What each finding says to the person who reads it.

Templates are marked for translation with `gettext_noop` (a local no-op, so that
this module stays free of Django) and translated when shown, in the reader's
language: the submitter's on the status page, the Secretariat's in the admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from submissions.compliance.codes import FindingCode
from submissions.compliance.report import Finding


def gettext_noop(message: str) -> str:
    return message


MESSAGES: dict[FindingCode, str] = {
    FindingCode.EMPTY_FILE: gettext_noop("The file is empty. Upload the Word document again."),
    FindingCode.LEGACY_DOC: gettext_noop(
        "This is an older Word (.doc) file. Open it in Word or LibreOffice, save it as "
        ".docx and upload it again."
    ),
    FindingCode.ENCRYPTED_DOCUMENT: gettext_noop(
        "This is a password-protected Word file, which we cannot open. Remove the password "
        "(in Word: File > Info > Protect Document) and upload it again."
    ),
    FindingCode.PDF_FILE: gettext_noop(
        "This is a PDF file. The call asks for a Word document: upload the .docx version."
    ),
    FindingCode.RTF_FILE: gettext_noop(
        "This is a Rich Text (.rtf) file. Save it as a Word document (.docx) and upload it again."
    ),
    FindingCode.NOT_A_WORD_FILE: gettext_noop(
        "This file is not a Word document. Save your submission as .docx and upload it again."
    ),
    FindingCode.DAMAGED_FILE: gettext_noop(
        "The Word file seems damaged and cannot be read. Open it in Word or LibreOffice, "
        "save it again as .docx and upload the new copy."
    ),
    FindingCode.PACKAGE_TOO_LARGE: gettext_noop(
        "The Word file unpacks to far more data than a text document holds. Remove large "
        "embedded images or objects, save it again and upload it."
    ),
    FindingCode.PACKAGE_TOO_COMPLEX: gettext_noop(
        "The Word file has an unusually large number of internal parts. Save it again "
        "as a plain .docx and upload it."
    ),
    FindingCode.EMPTY_DOCUMENT: gettext_noop(
        "We found no text in the document. If it is made of scanned pages or pictures, "
        "send a version with the text itself; otherwise check that you uploaded the right file."
    ),
    FindingCode.FILE_TOO_LARGE: gettext_noop(
        "The file is larger than the portal accepts. Remove large pictures or compress them "
        "(in Word: File > Compress Pictures), save it again and upload it."
    ),
    FindingCode.IMAGE_FILE: gettext_noop(
        "This is a picture, not a Word document. Upload your submission as a .docx file."
    ),
    FindingCode.HTML_FILE: gettext_noop(
        "This is a web page (HTML), not a Word document. Open it in Word or LibreOffice, "
        "save it as .docx and upload it again."
    ),
    FindingCode.TEXT_FILE: gettext_noop(
        "This is a plain text file, not a Word document. Paste the text into Word or "
        "LibreOffice, save it as .docx and upload it again."
    ),
    FindingCode.ODT_FILE: gettext_noop(
        "This is an OpenDocument (.odt) file. In LibreOffice choose File > Save As, pick "
        "“Word 2007-365 (.docx)” and upload the new file."
    ),
    FindingCode.SPREADSHEET_FILE: gettext_noop(
        "This is an Excel spreadsheet, not a Word document. Upload your submission as a .docx file."
    ),
    FindingCode.PRESENTATION_FILE: gettext_noop(
        "This is a PowerPoint presentation, not a Word document. Upload your submission as "
        "a .docx file."
    ),
    FindingCode.WORD_TEMPLATE: gettext_noop(
        "This is a Word template (.dotx). Open it, save it as a Word document (.docx) and "
        "upload that file."
    ),
    FindingCode.MACRO_ENABLED_DOCUMENT: gettext_noop(
        "This Word file contains macros, which we do not accept. Save it as a plain Word "
        "document (File > Save As > Word Document, .docx) and upload it again."
    ),
    FindingCode.ACTIVEX_CONTENT: gettext_noop(
        "This Word file contains ActiveX controls, which we do not accept. Remove them (or "
        "copy the text into a new document), save it as .docx and upload it again."
    ),
    FindingCode.EMBEDDED_PROGRAM: gettext_noop(
        "This Word file contains an embedded program or script (“%(name)s”), which we "
        "do not accept. Delete that object from the document (click it, press Delete), "
        "save the file and upload it again; send the file it carried separately if the "
        "Committee needs it."
    ),
    FindingCode.MALWARE_FOUND: gettext_noop(
        "Our malware scanner found “%(signature)s” in this file, so it was set aside and "
        "will not be read, converted or posted. Check your computer with an up-to-date "
        "antivirus, save the document again from a clean copy and send it again."
    ),
    FindingCode.PACKAGE_AMBIGUOUS: gettext_noop(
        "The Word file is put together so that different programs could show different "
        "contents for “%(part)s”, so we cannot check it reliably. Open it in Word or "
        "LibreOffice, save it again as .docx and upload the new copy."
    ),
    FindingCode.EMBEDDED_CONTENT: gettext_noop(
        "The document embeds %(embedded)s. It is checked as usual; embedded files are "
        "kept for the Secretariat and left out of the public copy (charts stay as pictures)."
    ),
    FindingCode.NAME_NEAR_PAGE_END: gettext_noop(
        "The name “%(name)s” appears just after where we reckon page 1 ends. On another "
        "computer it may fall on page 1 or on page 2: check that the name is near the "
        "top of the document."
    ),
    FindingCode.DEFAULTS_ASSUMED: gettext_noop(
        "The file does not say %(assumed)s, so we took Word's defaults for them to find "
        "where page 1 ends."
    ),
    FindingCode.NAME_IN_ANONYMOUS_DOCUMENT: gettext_noop(
        "You asked us to post this submission without your name. The document names you "
        "%(place)s (%(count)s times), for example: “%(excerpt)s”. Before posting, the "
        "Secretariat looks at each place and posts a copy in which every occurrence reads "
        "“[name withheld]”; your original is never published."
    ),
    # No longer given (embedded content is listed, not refused): kept for earlier reports.
    FindingCode.EMBEDDED_OBJECTS: gettext_noop(
        "This Word file contains embedded objects (such as a spreadsheet or another "
        "document inside it), which we do not accept. Paste them as pictures or text "
        "instead, save the file and upload it again."
    ),
    FindingCode.PACKAGE_UNSAFE: gettext_noop(
        "The Word file is built in a way Word and LibreOffice never build files, so we do "
        "not open it. Open it in Word or LibreOffice, save it again as .docx and upload it."
    ),
    FindingCode.XML_DECLARATIONS: gettext_noop(
        "The Word file contains declarations (a DTD) that Word and LibreOffice never write, "
        "so we do not open it. Open it in Word or LibreOffice, save it again as .docx and "
        "upload the new copy."
    ),
    FindingCode.OVER_WORD_LIMIT: gettext_noop(
        "The document has %(count)s words (%(counted)s); the limit is %(limit)s. Shorten it "
        "by %(excess)s words and upload a new version. Counted the other way (with or "
        "without notes and text boxes) it has %(other)s words."
    ),
    FindingCode.RECEIVED_AFTER_DEADLINE: gettext_noop(
        "The file was received at %(received)s, after the deadline of %(deadline)s. The "
        "Secretariat will decide whether it can be considered."
    ),
    FindingCode.RECEIVED_WITH_LATE_ACCESS: gettext_noop(
        "The file was received after the call's deadline, with a late access code valid "
        "until %(until)s: it counts as on time."
    ),
    FindingCode.NAME_NOT_ON_FIRST_PAGE: gettext_noop(
        "We could not find “%(name)s” on the first page. The call asks for the "
        "stakeholder's name to be clearly on page 1: add it near the top and upload a new "
        "version, or check that the name in the form is spelt as in the document."
    ),
    FindingCode.NAME_NOT_ON_FIRST_PAGE_ESTIMATED: gettext_noop(
        "We could not find “%(name)s” in what we estimate to be the first page. "
        "The call asks for the stakeholder's name to be clearly on page 1: check that it "
        "is near the top of the document."
    ),
    FindingCode.NAME_NEAR_MATCH: gettext_noop(
        "The first page has “%(found)s”, close to but not the same as the name "
        "given in the form, “%(name)s”. Check the spelling in one or the other."
    ),
    FindingCode.PUBLICATION_OBJECTION_IN_TEXT: gettext_noop(
        "The document says “%(phrase)s” %(where)s, which reads as a request not to "
        "publish it, but the form asks us to post it. The Secretariat will not post it "
        "until a person has checked which you meant."
    ),
    FindingCode.LANGUAGE_MISMATCH: gettext_noop(
        "The form says the document is in %(declared)s, but it reads as %(detected)s. "
        "Check the language chosen in the form."
    ),
    FindingCode.LANGUAGE_NOT_PREFERRED: gettext_noop(
        "The document is in %(detected)s. The call prefers English, French or Spanish and "
        "submissions are not translated, but it will still be read."
    ),
    FindingCode.PUBLICATION_WITHHELD: gettext_noop(
        "You asked us not to post this submission. It will be read by the Committee but "
        "not published."
    ),
    FindingCode.PUBLICATION_ANONYMOUS: gettext_noop(
        "You asked us to post this submission without your name. The Secretariat will "
        "check that the document itself does not reveal it before posting."
    ),
}

WHERE_FIRST_PAGE = gettext_noop("on the first page")
WHERE_TEXT = gettext_noop("in the text")

LANGUAGE_NAMES = {
    "en": gettext_noop("English"),
    "fr": gettext_noop("French"),
    "es": gettext_noop("Spanish"),
    "ar": gettext_noop("Arabic"),
    "zh": gettext_noop("Chinese"),
    "ru": gettext_noop("Russian"),
    "pt": gettext_noop("Portuguese"),
    "de": gettext_noop("German"),
    "it": gettext_noop("Italian"),
    "nl": gettext_noop("Dutch"),
    "tr": gettext_noop("Turkish"),
    "ja": gettext_noop("Japanese"),
    "ko": gettext_noop("Korean"),
    "hi": gettext_noop("Hindi"),
    "id": gettext_noop("Indonesian"),
    "sw": gettext_noop("Swahili"),
    "fa": gettext_noop("Persian"),
    "ur": gettext_noop("Urdu"),
    "bn": gettext_noop("Bengali"),
    "vi": gettext_noop("Vietnamese"),
    "th": gettext_noop("Thai"),
    "tl": gettext_noop("Tagalog"),
    "pl": gettext_noop("Polish"),
    "uk": gettext_noop("Ukrainian"),
    "other": gettext_noop("another language"),
}

# What a document embeds, named for the reader (see compliance.embedded).
EMBEDDED_KINDS = {
    "chart": gettext_noop("chart"),
    "workbook": gettext_noop("spreadsheet"),
    "document": gettext_noop("document"),
    "presentation": gettext_noop("presentation"),
    "pdf": gettext_noop("PDF"),
    "email": gettext_noop("e-mail"),
    "file": gettext_noop("file"),
    "equation": gettext_noop("equation object"),
    "object": gettext_noop("other object"),
}
BOTH = gettext_noop("%(first)s and %(second)s")
# Where a document names its submitter (see compliance.anonymity).
PLACE_NAMES = {
    "text": gettext_noop("in its text"),
    "notes": gettext_noop("in a footnote or endnote"),
    "headers": gettext_noop("in a header or footer"),
    "comments": gettext_noop("in a comment or as a comment's author"),
    "properties": gettext_noop("in its properties (author, title, company...)"),
}
ASSUMED_PARTS = {
    "page_setup": gettext_noop("its page size and margins"),
    "styles": gettext_noop("its styles (font sizes and spacing)"),
}

COUNT_POLICY_LABELS = {
    True: gettext_noop("main text, tables, text boxes, footnotes and endnotes"),
    False: gettext_noop("main text and tables, without notes and text boxes"),
}


# A message whose last sentence would say nothing in some cases, and its shorter form
# for them: "counted the other way" when both ways give the same number.
SHORTER: dict[str, tuple[Callable[[dict[str, Any]], bool], str]] = {
    FindingCode.OVER_WORD_LIMIT: (
        lambda params: params.get("other") == params.get("count"),
        gettext_noop(
            "The document has %(count)s words (%(counted)s); the limit is %(limit)s. "
            "Shorten it by %(excess)s words and upload a new version."
        ),
    ),
}


def render(
    finding: Finding,
    translate: Callable[[str], str] = gettext_noop,
    format_number: Callable[[int], str] = "{:,}".format,
) -> str:
    """The finding's message, translated and filled in."""
    template = MESSAGES.get(finding.code)  # type: ignore[call-overload]  # a stored str
    if template is None:
        return finding.code
    when, shorter = SHORTER.get(finding.code, (None, ""))
    if when is not None and when(finding.params):
        template = shorter
    return translate(template) % {
        key: _param(key, value, translate, format_number) for key, value in finding.params.items()
    }


def _embedded(item: list, translate: Callable[[str], str], format_number) -> str:
    """One kind of embedded content: "chart (2)", "file (1, “report.pdf”)"."""
    kind, count, *rest = item
    names = "".join(f", “{name}”" for name in (rest[0] if rest else [])[:5])
    return f"{translate(EMBEDDED_KINDS.get(kind, kind))} ({format_number(count)}{names})"


def _param(
    key: str, value: Any, translate: Callable[[str], str], format_number: Callable[[int], str]
) -> Any:
    """A parameter as the message shows it: numbers grouped, labels translated."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    if key in ("declared", "detected"):
        return translate(LANGUAGE_NAMES.get(value, value))
    if key in ("counted", "where"):
        return translate(value)
    if key == "place":
        return translate(PLACE_NAMES.get(value, value))
    if key == "embedded":  # [[kind, count, [file names]], ...]
        return ", ".join(_embedded(item, translate, format_number) for item in value)
    if key == "assumed":
        names = [translate(ASSUMED_PARTS.get(part, part)) for part in value]
        if len(names) == 2:
            return translate(BOTH) % {"first": names[0], "second": names[1]}
        return ", ".join(names)
    return value
