"""Commenting on the draft: type, or send a Word file; review what was read; send.

Step 1 takes who comments and the comments (typed per paragraph, or a file, read
here); step 2 shows every comment as it will be sent, editable, with the file's
problems and references to paragraphs the draft lacks flagged; "send" makes the
submission (or its new version) with the comments the submitter confirmed. Typed
comments are kept as a Word file too, the portal's template filled in, so that
every submission has a file to check, post and compile like the first round's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from submissions import (
    draft_selectors,
    held_uploads,
    private_links,
    scanning,
    selectors,
    services,
)
from submissions.comment_forms import (
    CommenterForm,
    CommentFileForm,
    TypedCommentsForm,
    review_formset,
)
from submissions.compliance.codes import FindingCode
from submissions.compliance.package import UnreadableDocument
from submissions.config import package_limits
from submissions.drafts.comment_files import (
    CommentReading,
    ReadComment,
    comments_document,
    problem_message,
    read_comments,
)
from submissions.enums import CallKind
from submissions.findings import error_message
from submissions.models import Call, DraftText, LateAccessCode, Submission
from submissions.tokens import client_hash
from submissions.views.draft import call_title

logger = logging.getLogger(__name__)


@dataclass
class _Flow:
    """What both steps need: the call, the draft read from, and (for a version) the row."""

    call: Call
    text: DraftText
    submission: Submission | None = None
    late: bool = False
    late_access: LateAccessCode | None = None
    drafts: dict[str, DraftText] = field(default_factory=dict)
    # Problems no field owns (a held file gone, a refusal by the services), in the summary.
    errors: list[str] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return self.text.numbers()

    def wording_language(self, details: CommenterForm) -> str:
        """The draft a proposed wording is written against: the one read on the page for
        typed comments; for a file, the draft in the submission's language, if published."""
        declared = (
            self.submission.language
            if self.submission
            else getattr(details, "cleaned_data", {}).get("language", "")
        )
        if details.data.get("held_file") and declared in self.drafts:
            return declared
        return self.text.language

    def paragraph_texts(self, language: str) -> dict[str, str]:
        text = self.drafts.get(language, self.text)
        return {p["number"]: p["text"] for p in text.paragraphs if p.get("number")}

    def with_language(
        self, comments: list[services.CommentDetails], language: str
    ) -> list[services.CommentDetails]:
        return [replace(c, language=language) for c in comments]


def _drafts(call: Call) -> tuple[DraftText, dict[str, DraftText]]:
    """The draft to comment on (in the reader's language if published), and all of them."""
    drafts = draft_selectors.published_drafts(call)
    language = draft_selectors.reading_language(drafts, get_language() or "en")
    if language is None:
        raise Http404(_("The draft is not published yet."))
    return drafts[language], drafts


@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug, kind=CallKind.COMMENTS)
    code = (request.POST.get("late_code") or request.GET.get("code") or "").strip()
    late_access = selectors.late_access_for(call=call, code=code)
    now = timezone.now()
    if not (call.is_open(now) or call.accepts_late(now) or late_access):
        return render(
            request, "submissions/call_closed.html", {"call": call, "code": code}, status=403
        )
    text, drafts = _drafts(call)
    flow = _Flow(
        call=call, text=text, drafts=drafts, late=now > call.deadline, late_access=late_access
    )
    details = CommenterForm(request.POST or None, call=call, initial={"late_code": code})
    if request.method == "GET":
        return _first_step(request, flow, details)
    client = client_hash(request)
    if selectors.client_over_rate(client):
        details.add_error(
            None,
            _(
                "Many submissions have come from your connection in the last hour. Please wait "
                "an hour before sending another, or write to the Secretariat."
            ),
        )
        return _first_step(request, flow, details, status=429)
    if request.POST.get("step") != "send":
        return _read_step(request, flow, details, client)
    rows = review_formset(request.POST, call=call, numbers=flow.numbers)
    upload, gone = _held_upload(details)
    if gone:
        flow.errors.append(gone)
    if details.is_valid() and rows.is_valid() and not gone:
        comments = flow.with_language(rows.comments(), flow.wording_language(details))
        file = upload or _typed_file(flow, details.cleaned_data["stakeholder_name"], comments)
        try:
            _submission, token = services.submission_create(
                call=call,
                details=details.details(),
                upload=file,
                interface_language=get_language() or settings.LANGUAGE_CODE,
                late_access=late_access,
                client_hash=client,
                comments=comments,
            )
        except services.ServiceError as error:
            flow.errors.append(str(error))
        else:
            held_uploads.release(details.cleaned_data.get("held_file") or "")
            return redirect(
                reverse("submissions:status", kwargs={"token": token}) + "?notice=received"
            )
    return _review(request, flow, details, rows, status=400)


@require_http_methods(["GET", "POST"])
def comment_version(request: HttpRequest, token: str) -> HttpResponse:
    """A new version of one's comments, through the private link: the same two steps."""
    submission = private_links.submission_for_token(token)
    if submission is None or not submission.call.takes_comments:
        raise Http404(_("No submission has this link."))
    status_url = reverse("submissions:status", args=[token])
    if not services.can_replace(submission):
        return redirect(status_url)
    text, drafts = _drafts(submission.call)
    flow = _Flow(call=submission.call, text=text, drafts=drafts, submission=submission)
    details = CommenterForm(
        request.POST or None, call=submission.call, initial=_as_initial(submission)
    )
    if request.method == "GET":
        initial = _typed_initial(flow)
        return _private(_first_step(request, flow, details, typed_initial=initial))
    if request.POST.get("step") != "send":
        return _private(_read_step(request, flow, details, client_hash(request)))
    rows = review_formset(request.POST, call=flow.call, numbers=flow.numbers)
    upload, gone = _held_upload(details)
    if gone:
        flow.errors.append(gone)
    if rows.is_valid() and not gone:
        comments = flow.with_language(rows.comments(), flow.wording_language(details))
        file = upload or _typed_file(flow, submission.stakeholder_name, comments)
        try:
            services.submission_new_version(submission=submission, upload=file, comments=comments)
        except services.ServiceError as error:
            flow.errors.append(str(error))
        else:
            if upload:
                held_uploads.release(request.POST.get("held_file") or "")
            return redirect(status_url + "?notice=version")
    return _private(_review(request, flow, details, rows, status=400))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _as_initial(submission: Submission) -> dict[str, Any]:
    return {
        name: getattr(submission, name)
        for name in (
            "stakeholder_name",
            "category",
            "country",
            "contact_name",
            "contact_email",
            "language",
            "publication",
        )
    }


def _typed_initial(flow: _Flow) -> dict[str, str]:
    """A version starts from the comments sent last time, on the paragraphs they were on."""
    assert flow.submission is not None
    index = {
        p["number"]: i for i, p in enumerate(p for p in flow.text.paragraphs if p.get("number"))
    }
    initial: dict[str, str] = {}
    general = []
    for comment in flow.submission.comments.all():
        if comment.paragraph in index:
            i = index[comment.paragraph]
            initial[f"c{i}"] = "\n\n".join(filter(None, [initial.get(f"c{i}"), comment.text]))
            initial[f"w{i}"] = initial.get(f"w{i}") or comment.proposed_wording
        else:
            general.append(comment.text)
    if general:
        initial["general"] = "\n\n".join(general)
    return initial


def _summary(*forms: Any, extra: Any = None) -> dict[str, Any]:
    """The forms the error summary lists; it shows when any of them has an error."""
    shown = [f for f in forms if f is not None and f.is_bound]
    return {
        "summary_forms": shown,
        "summary_extra": list(extra or []),
        "has_errors": bool(extra) or any(f.errors for f in shown),
    }


def _first_step(
    request: HttpRequest,
    flow: _Flow,
    details: CommenterForm,
    *,
    typed: TypedCommentsForm | None = None,
    upload: CommentFileForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
    typed_initial: dict[str, str] | None = None,
) -> HttpResponse:
    if typed is None:
        typed = TypedCommentsForm(paragraphs=flow.text.paragraphs, initial=typed_initial)
    opened = request.GET.get("p", "")
    return render(
        request,
        "submissions/comment.html",
        {
            "call": flow.call,
            "text": flow.text,
            "flow": flow,
            "details": details,
            "typed": typed,
            "upload": upload or CommentFileForm(call=flow.call),
            "opened": opened,
            "problems": problems or [],
            "late": flow.late,
            "late_access": flow.late_access,
            **_summary(
                details if flow.submission is None else None,
                typed,
                upload,
                extra=[*flow.errors, *(problems or [])],
            ),
        },
        status=status,
    )


def _read_step(
    request: HttpRequest, flow: _Flow, details: CommenterForm, client: str
) -> HttpResponse:
    """Step 1 sent: the typed comments taken as they are, or the file read."""
    typed = TypedCommentsForm(request.POST, paragraphs=flow.text.paragraphs)
    upload = CommentFileForm(request.POST, request.FILES, call=flow.call)
    # A version keeps the submission's details: only its comments are asked again.
    details_ok = flow.submission is not None or details.is_valid()
    if not (details_ok and typed.is_valid() and upload.is_valid()):
        return _first_step(request, flow, details, typed=typed, upload=upload, status=400)
    file = upload.cleaned_data.get("file")
    if file is None:
        comments = typed.comments()
        if not comments:
            typed.add_error(
                None,
                _("Write a comment on at least one paragraph, or choose a Word file of comments."),
            )
            return _first_step(request, flow, details, typed=typed, upload=upload, status=400)
        rows = [_row(c.paragraph, c.text, c.proposed_wording, "") for c in comments]
        return _review(
            request,
            flow,
            details,
            review_formset(call=flow.call, numbers=flow.numbers, rows=rows),
        )
    stakeholder = (
        flow.submission.stakeholder_name
        if flow.submission is not None
        else details.cleaned_data["stakeholder_name"]
    )
    reading = _reading(file, flow, upload, stakeholder)
    if reading is None or reading.refused:
        problems = [problem_message(p) for p in reading.problems] if reading else []
        if reading is not None:
            upload.add_error("file", _("We could not use this file as it is: see below."))
        return _first_step(
            request,
            flow,
            details,
            typed=typed,
            upload=upload,
            problems=problems,
            status=400,
        )
    if not held_uploads.may_hold(client):
        upload.add_error(
            "file",
            _("Too many files have been sent from your connection this hour. Please try later."),
        )
        return _first_step(request, flow, details, typed=typed, upload=upload, status=429)
    held = held_uploads.hold(file)
    data = cast(QueryDict, details.data).copy()
    data["held_file"] = held.reference
    details.data = data
    rows = [_row(c.paragraph, c.text, c.proposed_wording, c.source) for c in reading.comments]
    return _review(
        request,
        flow,
        details,
        review_formset(call=flow.call, numbers=flow.numbers, rows=rows),
        reading=reading,
        held=held,
    )


def _row(paragraph: str | None, text: str, wording: str, source: str) -> dict[str, str]:
    return {
        "paragraph": paragraph or "",
        "text": text,
        "proposed_wording": wording,
        "source": source,
    }


def _reading(
    file: UploadedFile, flow: _Flow, upload: CommentFileForm, stakeholder: str
) -> CommentReading | None:
    file.seek(0)
    data = cast(BinaryIO, file).read()
    file.seek(0)
    # Scanned before it is read: malware is refused here, before anything is kept. A
    # scanner that does not answer holds nothing up: the check scans it again, and
    # holds the submission until it can.
    scan = scanning.scan_bytes(data)
    if scan.verdict == scanning.INFECTED:
        upload.add_error(
            "file",
            error_message(FindingCode.MALWARE_FOUND, {"signature": scan.signature}),
        )
        return None
    if scan.verdict != scanning.CLEAN:
        logger.warning("comment file read unscanned at the review: %s", scan.detail)
    try:
        return read_comments(data, flow.numbers, package_limits(), stakeholder=stakeholder)
    except UnreadableDocument as problem:
        upload.add_error("file", error_message(problem.code, problem.params))
        return None


def _held_upload(details: CommenterForm) -> tuple[UploadedFile | None, str]:
    """The file read at step 1 (None when the comments were typed), or why it is gone."""
    reference = details.data.get("held_file") or ""
    if not reference:
        return None, ""
    try:
        return held_uploads.take(reference), ""
    except held_uploads.HeldUploadError:
        return None, _(
            "The file you sent was kept for an hour only and is no longer here. "
            "Please send it again."
        )


def _typed_file(
    flow: _Flow, stakeholder: str, comments: list[services.CommentDetails]
) -> UploadedFile:
    data = comments_document(
        title=call_title(flow.call, flow.text.language),
        stakeholder=stakeholder,
        comments=[ReadComment(c.paragraph, c.text, c.proposed_wording) for c in comments],
        language=flow.text.language,
    )
    return SimpleUploadedFile("comments.docx", data)


def _review(
    request: HttpRequest,
    flow: _Flow,
    details: CommenterForm,
    rows: Any,
    *,
    reading: CommentReading | None = None,
    held: held_uploads.Held | None = None,
    status: int = 200,
) -> HttpResponse:
    reference = details.data.get("held_file") or ""
    if held is None and reference:
        try:
            held = held_uploads.describe(reference)
        except held_uploads.HeldUploadError:
            held = None
    texts = flow.paragraph_texts(flow.wording_language(details))
    shown = [(form, texts.get(str(form["paragraph"].value() or ""), "")) for form in rows.forms]
    return render(
        request,
        "submissions/comment_review.html",
        {
            "call": flow.call,
            "text": flow.text,
            "flow": flow,
            "details": details,
            "rows": rows,
            "shown": shown,
            "held": held,
            "notices": [problem_message(p) for p in reading.problems] if reading else [],
            **_summary(
                details if flow.submission is None else None,
                *rows.forms,
                extra=[*flow.errors, *(rows.non_form_errors() if rows.is_bound else [])],
            ),
        },
        status=status,
    )
