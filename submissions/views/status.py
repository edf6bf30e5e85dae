"""The submitter's private pages: status, a new version, withdrawal (one token each)."""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from submissions import notifications, private_links, services
from submissions.findings import finding_message
from submissions.forms import NewVersionForm, WithdrawForm
from submissions.models import Submission
from submissions.submitter_view import Step, SubmitterStatus, submitter_status

R = TypeVar("R", bound=HttpResponse)


def _submission(token: str) -> Submission:
    submission = private_links.submission_for_token(token)
    if submission is None:
        raise Http404(_("No submission has this link."))
    return submission


def _private(response: R) -> R:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _status(submission: Submission) -> SubmitterStatus:
    return submitter_status(submission, can_replace=services.can_replace(submission))


def _finding(finding) -> dict[str, str]:
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding_message(finding),
    }


def _page(
    request: HttpRequest, submission: Submission, token: str, status: int = 200, **forms
) -> HttpResponse:
    shown = _status(submission)
    comments = list(submission.comments.all()) if submission.call.takes_comments else []
    context = {
        "submission": submission,
        "call": submission.call,
        "token": token,
        "status": shown,
        "fixable": [_finding(f) for f in shown.fixable],
        "notes": [_finding(f) for f in shown.notes],
        "deadline": notifications.submitter_deadline(submission),
        "posted_url": notifications.posted_url(submission) if shown.step == Step.POSTED else "",
        "waiting": shown.waiting,
        "versions": submission.versions.all(),
        "comments": comments,
        # A call for comments takes a new version through the commenting steps.
        "can_comment_again": shown.can_replace and submission.call.takes_comments,
        "version_form": forms.get("version_form")
        or (
            NewVersionForm(call=submission.call)
            if shown.can_replace and not submission.call.takes_comments
            else None
        ),
        "withdraw_form": forms.get("withdraw_form")
        or (WithdrawForm() if shown.can_withdraw else None),
        "notice": request.GET.get("notice", ""),
    }
    return _private(render(request, "submissions/status.html", context, status=status))


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _submission(token), token)


@require_GET
def status_state(request: HttpRequest, token: str) -> JsonResponse:
    """What the status page polls while the check runs."""
    submission = _submission(token)
    shown = _status(submission)
    return _private(
        JsonResponse(
            {
                "state": submission.state,
                "step": str(shown.step),
                "label": str(shown.label),  # the submitter's words, never the staff's
                "waiting": shown.waiting,
            }
        )
    )


@require_POST
def status_version(request: HttpRequest, token: str) -> HttpResponse:
    submission = _submission(token)
    if not services.can_replace(submission):
        return _page(request, submission, token, status=409)
    form = NewVersionForm(request.POST, request.FILES, call=submission.call)
    if form.is_valid():
        try:
            services.submission_new_version(submission=submission, upload=form.cleaned_data["file"])
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("submissions:status", args=[token]) + "?notice=version")
    return _page(request, submission, token, status=400, version_form=form)


@require_POST
def status_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    submission = _submission(token)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.submission_withdraw(submission=submission)
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("submissions:status", args=[token]) + "?notice=withdrawn")
    return _page(request, submission, token, status=400, withdraw_form=form)
