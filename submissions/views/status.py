"""The submitter's private pages: status, a new version, withdrawal (one token each)."""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from submissions import selectors, services
from submissions.enums import State
from submissions.findings import finding_message
from submissions.forms import NewVersionForm, WithdrawForm
from submissions.models import Submission

R = TypeVar("R", bound=HttpResponse)


def _submission(token: str) -> Submission:
    submission = selectors.submission_for_token(token)
    if submission is None:
        raise Http404(_("No submission has this link."))
    return submission


def _private(response: R) -> R:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def submission_token(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.kwargs["token"] if match else ""


def _page(request: HttpRequest, submission: Submission, status: int = 200, **forms) -> HttpResponse:
    replaceable = services.can_replace(submission)
    context = {
        "submission": submission,
        "call": submission.call,
        "token": submission_token(request),
        "findings": [
            {"code": f.code, "severity": str(f.severity), "message": finding_message(f)}
            for f in submission.finding_objects()
        ],
        "waiting": submission.state in State.AWAITING_CHECK,
        "versions": submission.versions.all(),
        "version_form": forms.get("version_form")
        or (NewVersionForm(call=submission.call) if replaceable else None),
        "withdraw_form": forms.get("withdraw_form")
        or (WithdrawForm() if submission.state not in State.CLOSED else None),
        "notice": request.GET.get("notice", ""),
    }
    return _private(render(request, "submissions/status.html", context, status=status))


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _submission(token))


@require_GET
def status_state(request: HttpRequest, token: str) -> JsonResponse:
    """What the status page polls while the check runs."""
    submission = _submission(token)
    return _private(
        JsonResponse(
            {
                "state": submission.state,
                "label": str(State(submission.state).label),
                "waiting": submission.state in State.AWAITING_CHECK,
            }
        )
    )


@require_POST
def status_version(request: HttpRequest, token: str) -> HttpResponse:
    submission = _submission(token)
    if not services.can_replace(submission):
        return _page(request, submission, status=409)
    form = NewVersionForm(request.POST, request.FILES, call=submission.call)
    if form.is_valid():
        try:
            services.submission_new_version(submission=submission, upload=form.cleaned_data["file"])
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("submissions:status", args=[token]) + "?notice=version")
    return _page(request, submission, status=400, version_form=form)


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
    return _page(request, submission, status=400, withdraw_form=form)
