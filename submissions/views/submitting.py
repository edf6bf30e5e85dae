"""Submitting: the form, the cheap checks, the receipt's redirect to the private page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from submissions import held_uploads, public_cache, selectors, services
from submissions.forms import SubmissionForm
from submissions.models import Call
from submissions.tokens import client_hash


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    if call.takes_comments:
        # A draft's comments go through their own steps (see views.commenting).
        return redirect(reverse("submissions:comment", args=[slug]) + _query(request))
    code = (request.POST.get("late_code") or request.GET.get("code") or "").strip()
    late_access = selectors.late_access_for(call=call, code=code)
    now = timezone.now()
    if not (call.is_open(now) or call.accepts_late(now) or late_access):
        return render(
            request, "submissions/call_closed.html", {"call": call, "code": code}, status=403
        )
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=call, initial={"late_code": code}
    )
    client = client_hash(request)
    if request.method == "POST" and selectors.client_over_rate(client):
        form.add_error(
            None,
            _(
                "Many submissions have come from your connection in the last hour. Please wait "
                "an hour before sending another, or write to the Secretariat."
            ),
        )
        return render(request, "submissions/submit.html", {"call": call, "form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            _submission, token = services.submission_create(
                call=call,
                details=form.details(),
                upload=form.cleaned_data["file"],
                interface_language=get_language() or settings.LANGUAGE_CODE,
                late_access=late_access,
                client_hash=client,
            )
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            form.release_held_file()
            return redirect(f"{_status_url(token)}?notice=received")
    if form.is_bound and (
        not form.files.get(form.add_prefix("file")) or held_uploads.may_hold(client)
    ):
        # A file that passed its checks is kept for the next send (see held_uploads),
        # up to an allowance per client and hour.
        form.keep_file()
    status = 400 if form.is_bound else 200
    return render(
        request,
        "submissions/submit.html",
        {
            "call": call,
            "form": form,
            "fields": _empty_fields(form, call) if not (form.is_bound or code) else None,
            "late": now > call.deadline,
            "late_access": late_access,
        },
        status=status,
    )


def _empty_fields(form: SubmissionForm, call: Call) -> str:
    """The empty form's fields, rendered once per call, language and public generation
    (a call's edit bumps it): their widgets' templates (the ~250 countries above all)
    were 80% of the form's GET."""
    language = get_language() or settings.LANGUAGE_CODE
    return mark_safe(public_cache.remember(f"submit-form:{call.pk}:{language}", form.render_fields))  # noqa: S308 (our own render)


def _query(request: HttpRequest) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""


def _status_url(token: str) -> str:
    return reverse("submissions:status", kwargs={"token": token})
