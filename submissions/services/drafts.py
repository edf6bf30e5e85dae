"""The Secretariat's draft: uploaded per language, split, confirmed, published."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import scanning
from submissions.compliance.cleaning import PublicFields, clean_docx
from submissions.compliance.package import UnreadableDocument
from submissions.config import package_limits
from submissions.drafts import split_draft
from submissions.findings import error_message
from submissions.models import Call, DraftText
from submissions.services.errors import ServiceError


def _stored(items) -> list[dict[str, Any]]:
    """The splitter's dataclasses as the JSON field gives them back (lists, not tuples)."""
    return json.loads(json.dumps([asdict(item) for item in items]))


def _require_clean(data: bytes) -> None:
    """The public downloads the draft: it is scanned like every file, and refused at once
    (the Secretariat is there to try again) when infected or when the scanner is down."""
    scan = scanning.scan_bytes(data)
    if scan.verdict == scanning.INFECTED:
        raise ServiceError(
            _("The malware scanner found “%(name)s” in this file: it was not kept.")
            % {"name": scan.signature}
        )
    if scan.verdict != scanning.CLEAN:
        raise ServiceError(
            _("The malware scanner is not available at the moment: try again in a few minutes.")
        )


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def draft_upload(
    *, call: Call, language: str, upload: UploadedFile, actor: User | None, manual: bool = False
) -> DraftText:
    """Split the file and keep it as an unpublished preview of that language's draft.

    Raises ServiceError, with the file's problem, when the file cannot be read. A
    published draft of the language stays online until this one is published.
    """
    data = _read(upload)
    _require_clean(data)
    try:
        draft = split_draft(data, package_limits(), manual=manual)
    except UnreadableDocument as problem:
        raise ServiceError(error_message(problem.code, problem.params)) from None
    text = DraftText(
        call=call,
        language=language,
        original_filename=(upload.name or "draft.docx")[:255],
        paragraphs=_stored(draft.paragraphs),
        problems=_stored(draft.problems),
        manual=manual,
        uploaded_by=actor,
    )
    text.file.save("draft.docx", upload, save=False)
    text.save()
    return text


def draft_split_again(*, text: DraftText, manual: bool) -> DraftText:
    """The same file split again, in or out of the manual mode (numbered 1..n)."""
    if text.is_published:
        raise ServiceError(_("A published draft is not changed: upload it again."))
    with text.file.open("rb") as handle:
        data = handle.read()
    try:
        draft = split_draft(data, package_limits(), manual=manual)
    except UnreadableDocument as problem:
        raise ServiceError(error_message(problem.code, problem.params)) from None
    text.paragraphs = _stored(draft.paragraphs)
    text.problems = _stored(draft.problems)
    text.manual = manual
    text.save(update_fields=["paragraphs", "problems", "manual"])
    return text


def draft_renumber(
    *, text: DraftText, numbers: list[str], headings: set[int] | None = None
) -> DraftText:
    """The Secretariat's own numbers, one per paragraph ("" for none), and which of the
    unnumbered ones are headings (by position; None keeps the split's headings).

    Numbers must be unique; the splitter's problems no longer apply.
    """
    if text.is_published:
        raise ServiceError(_("A published draft cannot be renumbered: upload it again."))
    if len(numbers) != len(text.paragraphs):
        raise ServiceError(_("The draft changed meanwhile: open it again."))
    given = [n.strip() for n in numbers]
    seen: set[str] = set()
    for number in filter(None, given):
        if number in seen:
            raise ServiceError(
                _("Paragraph number %(number)s is given twice.") % {"number": number}
            )
        seen.add(number)
    if not seen:
        raise ServiceError(_("Give at least one paragraph a number."))
    paragraphs: list[dict[str, Any]] = []
    for index, (paragraph, number) in enumerate(zip(text.paragraphs, given, strict=True)):
        heading = paragraph["heading"] if headings is None else index in headings
        paragraphs.append(
            {**paragraph, "number": number or None, "heading": heading and not number}
        )
    text.paragraphs = paragraphs
    text.problems = []
    text.manual = True
    text.save(update_fields=["paragraphs", "problems", "manual"])
    return text


def draft_publish(*, text: DraftText, actor: User) -> DraftText:
    """Put this upload online as its language's draft, replacing the one published before."""
    if not text.numbers():
        raise ServiceError(
            _("This draft has no numbered paragraph: number it in the manual mode first.")
        )
    with text.file.open("rb") as handle:
        clean = clean_docx(handle.read(), PublicFields(title=text.call.title))
    text.public_file.save("public.docx", ContentFile(clean), save=False)
    with transaction.atomic():
        # The one published before stays, as an earlier upload.
        DraftText.objects.filter(
            call=text.call, language=text.language, published_at__isnull=False
        ).exclude(pk=text.pk).update(published_at=None, published_by=None)
        text.published_at = timezone.now()
        text.published_by = actor
        text.save(update_fields=["published_at", "published_by", "public_file"])
    return text


def draft_unpublish(*, text: DraftText) -> DraftText:
    text.published_at = None
    text.published_by = None
    text.save(update_fields=["published_at", "published_by"])
    return text
