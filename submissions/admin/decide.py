"""Decisions in the admin: one submission from its page, or the ticked ones in bulk.

Both go through `submissions/decisions.py` and the services; this only asks for
the reason, shows the e-mail to be sent, and reports.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import compliance, notifications, services
from submissions.admin.forms import DecisionForm
from submissions.admin.staff import staff_user
from submissions.compliance.codes import FindingCode
from submissions.compliance.package import UnreadableDocument
from submissions.decisions import DECISIONS, Decision
from submissions.findings import finding_message
from submissions.models import DecisionToken, Submission


def _withheld_view(submission: Submission) -> dict | None:
    """For a submission whose submitter asked not to be named: where the document names
    them, and the text of the copy that would be posted, to look at before deciding."""
    if submission.shows_name or not submission.file:
        return None
    places = [
        f for f in submission.finding_objects() if f.code == FindingCode.NAME_IN_ANONYMOUS_DOCUMENT
    ]
    try:
        with submission.file.open("rb") as handle:
            copy = services.public_copy_of(submission, handle.read())
        text = compliance.public_text(copy)
    except (UnreadableDocument, zipfile.BadZipFile, KeyError, ValueError, OSError):
        text = _("The file cannot be read, so no public copy can be made of it.")
    return {
        "places": [(finding_message(f), f.params.get("excerpt", "")) for f in places],
        "text": text[:PREVIEW_CHARS],
        "more": len(text) > PREVIEW_CHARS,
        "download": reverse("admin:submissions_submission_file", args=[submission.pk, "preview"]),
    }


PREVIEW_CHARS = 4000


# A mixin of the submissions' ModelAdmin: typed as one, an object at run time.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class DecisionsMixin(_AdminBase):
    """For SubmissionAdmin: the decision views and bulk actions."""

    def decide_view(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        """One decision on one submission, from the buttons on its page."""
        submission = get_object_or_404(Submission.objects.select_related("call"), pk=pk)
        if decision not in DECISIONS or not self.has_change_permission(request, submission):
            raise Http404
        queryset = Submission.objects.filter(pk=pk)
        response = self._decide(request, queryset, DECISIONS[decision], single=True)
        if response is None:
            return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[pk]))
        return response

    def _decide(
        self, request: HttpRequest, queryset: QuerySet, decision: Decision, single: bool = False
    ) -> HttpResponse | None:
        """Ask for the decision's reason if it needs one, then apply it to each."""
        applying = request.method == "POST" and "apply" in request.POST
        confirm = single and decision.confirm_when(queryset.get())
        form = DecisionForm(request.POST if applying else None, decision=decision, confirm=confirm)
        if decision.reason_label is None and not confirm and (applying or not single):
            once = request.POST.get("once", "") if applying else ""
            form = DecisionForm({"reason": "", "once": once}, decision=decision)
        if form.is_valid():
            if not self._first_time(form.cleaned_data["once"]):
                self.message_user(
                    request,
                    _("That form was sent twice: the decision was taken once."),
                    messages.INFO,
                )
                return None
            reason = form.cleaned_data["reason"]
            confirmed = bool(form.cleaned_data.get("confirmed"))
            done = 0
            for submission in queryset.select_related("call"):
                try:
                    decision.apply(submission, staff_user(request), reason, confirmed)
                    done += 1
                    # Also in the admin's own log ("Recent actions", History button).
                    note = f"{decision.label}: {reason}" if reason else str(decision.label)
                    self.log_change(request, submission, note)
                except services.ServiceError as error:
                    if single:  # said on the form, which keeps what was typed
                        form.add_error(None, str(error))
                    else:
                        self.message_user(request, str(error), messages.ERROR)
            if done:
                self.message_user(request, decision.done % {"count": done}, messages.SUCCESS)
            else:  # nothing was decided (refused, say why): the same form may be sent again
                DecisionToken.objects.filter(key=form.cleaned_data["once"]).delete()
            if done or not single:
                return None
        preview = None
        withheld = None
        if single:
            withheld = _withheld_view(queryset.select_related("call").get())
        if single and decision.email:
            submission = queryset.select_related("call").get()
            preview = notifications.compose(
                submission,
                decision.email,
                reason=_("[the reason you give above]"),
                posted_url=notifications.posted_url(submission),
            )
        return TemplateResponse(
            request,
            "admin/submissions/decision.html",
            {
                "preview": preview,
                "withheld": withheld,
                **self.admin_site.each_context(request),
                "title": decision.label,
                "decision": decision,
                "form": form,
                "queryset": queryset.select_related("call"),
                "single": single,
                "action_name": f"decide_{decision.name}",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @staticmethod
    def _first_time(once: str) -> bool:
        """Claim the form's token; False when the same form was sent before."""
        if not once:
            return True  # a bulk decision without a question: each state change is guarded
        try:
            with transaction.atomic():
                DecisionToken.objects.create(key=once)
        except IntegrityError:
            return False
        return True

    # Bulk actions: the same decisions, on the ticked submissions, listed first.

    def get_actions(self, request: HttpRequest) -> dict:
        decisions = {}
        for decision in DECISIONS.values():
            if not request.user.has_perm(decision.permission):
                continue  # offered only to those who may take it
            name = f"decide_{decision.name}"

            def run(modeladmin, request, queryset, decision=decision):
                return modeladmin._decide(request, queryset, decision)

            decisions[name] = (run, name, decision.label)
        return {**decisions, **super().get_actions(request)}

    @admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(assignee=request.user)
        self.message_user(request, _("%(count)s submission(s) assigned to you.") % {"count": count})
