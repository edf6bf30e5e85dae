"""A submission's files for staff: the original, each version, the public copy and its
PDF, and a preview of the copy that posting would make now."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from submissions import services
from submissions.compliance.package import UnreadableDocument
from submissions.enums import State
from submissions.models import Submission, SubmissionVersion

QUARANTINED = "The scanner found malware in this file: it is not served."

# A mixin of the submissions' ModelAdmin: typed as one, an object at run time.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class FilesMixin(_AdminBase):
    def file_view(self, request: HttpRequest, pk: int, which: str) -> HttpResponseBase:
        submission = get_object_or_404(Submission, pk=pk)
        if not self.has_view_permission(request, submission):
            raise Http404
        if submission.state == State.QUARANTINED:
            # Malware: kept apart for whoever investigates on the server, never served.
            raise PermissionDenied(QUARANTINED)
        if which == "preview" and submission.file:
            # The copy that posting would make now (redacted if the name is withheld).
            try:
                with submission.file.open("rb") as handle:
                    copy = services.public_copy_of(submission, handle.read())
            except (UnreadableDocument, zipfile.BadZipFile, KeyError, ValueError, OSError):
                raise Http404 from None  # nothing can be made of an unreadable file
            name = f"{submission.tracking_number}-public-preview.docx"
            return FileResponse(io.BytesIO(copy), as_attachment=True, filename=name)
        field, filename = {
            "original": (submission.file, submission.original_filename),
            "public": (submission.public_file, f"{submission.tracking_number}.docx"),
            "pdf": (submission.public_pdf, f"{submission.tracking_number}.pdf"),
        }.get(which, (None, ""))
        if not field:
            raise Http404
        return FileResponse(field.open("rb"), as_attachment=True, filename=filename)

    def version_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
        version = get_object_or_404(SubmissionVersion, submission_id=pk, number=number)
        if not self.has_view_permission(request, version.submission):
            raise Http404
        if version.quarantined:
            raise PermissionDenied(QUARANTINED)
        return FileResponse(
            version.file.open("rb"), as_attachment=True, filename=version.original_filename
        )
