"""Decisions in the admin: one submission from its page, or the ticked ones in bulk.

Both go through `submissions/decisions.py` and the services; this only asks for
the reason, shows the e-mail to be sent, and reports.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


def _skipped(decision: Decision, rows: list[Submission], user: User) -> list[tuple]:
    """The ticked submissions a bulk decision leaves out, each with why."""
    found = ((s, decision.skip_reason(s, user, bulk=True)) for s in rows)
    return [(s, why) for s, why in found if why]


def _skipped_message(skipped: list[tuple]) -> str:
    return ngettext(
        "%(count)s submission was left out: %(which)s.",
        "%(count)s submissions were left out: %(which)s.",
        len(skipped),
    ) % {
        "count": len(skipped),
        "which": "; ".join(f"{s.tracking_number} ({why})" for s, why in skipped),
    }


def _previews(decision: Decision, rows: list[Submission]) -> list[dict]:
    """The e-mail the decision sends, as its submitters will read it: one per language
    among them, composed for the first submission in that language."""
    if decision.email is None or not rows:
        return []
    names = dict(settings.LANGUAGES)
    by_language: dict[str, list[Submission]] = {}
    for submission in rows:
        by_language.setdefault(submission.interface_language, []).append(submission)
    previews = []
    for language, group in by_language.items():
        first = group[0]
        subject, body = notifications.compose(
            first,
            decision.email,
            reason=_("[the reason you give above]"),
            posted_url=notifications.posted_url(first),
        )
        previews.append(
            {
                "language": names.get(language, language),
                "tracking_number": first.tracking_number,
                "others": len(group) - 1,
                "subject": subject,
                "body": body,
            }
        )
    return previews


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
        """Show what the decision will do (to which submissions, which it skips and why,
        the e-mail), ask for its reason if it needs one; once confirmed, apply it."""
        user = staff_user(request)
        rows = list(queryset.select_related("call", "late_access"))
        applying = request.method == "POST" and "apply" in request.POST
        # One submission: the services say why not when sent anyway. Several: those the
        # decision cannot succeed on are left out, and listed with the reason.
        skipped = [] if single else _skipped(decision, rows, user)
        left_out = {s.pk for s, _why in skipped}
        chosen = [s for s in rows if s.pk not in left_out]
        refusal = decision.skip_reason(rows[0], user) if single and rows else None
        confirm = single and bool(rows) and decision.confirm_when(rows[0])
        form = DecisionForm(request.POST if applying else None, decision=decision, confirm=confirm)
        if applying and chosen and form.is_valid():
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
            for submission in chosen:
                try:
                    decision.apply(submission, user, reason, confirmed)
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
                self.message_user(request, decision.done_message(done), messages.SUCCESS)
            else:  # nothing was decided (refused, say why): the same form may be sent again
                DecisionToken.objects.filter(key=form.cleaned_data["once"]).delete()
            if skipped:
                self.message_user(request, _skipped_message(skipped), messages.WARNING)
            if done or not single:
                return None
        return TemplateResponse(
            request,
            "admin/submissions/decision.html",
            {
                **self.admin_site.each_context(request),
                "title": decision.label,
                "decision": decision,
                "form": form,
                "queryset": chosen,
                "skipped": skipped,
                "refusal": refusal,
                "can_apply": bool(chosen) and not refusal,
                "previews": _previews(decision, chosen),
                "withheld": _withheld_view(rows[0]) if single and rows else None,
                "single": single,
                "back": (
                    reverse("admin:submissions_submission_change", args=[rows[0].pk])
                    if single and rows
                    else reverse("admin:submissions_submission_changelist")
                    + (f"?{request.GET.urlencode()}" if request.GET else "")
                ),
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
        self.message_user(
            request,
            ngettext(
                "%(count)s submission assigned to you.",
                "%(count)s submissions assigned to you.",
                count,
            )
            % {"count": count},
        )
