"""The admin's home page: how much is waiting, one click from each queue."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from submissions.admin.filters import TO_DO
from submissions.enums import State
from submissions.models import Submission

register = template.Library()


@register.inclusion_tag("admin/submissions/queue_summary.html", takes_context=True)
def queue_summary(context) -> dict:
    user = context["request"].user
    if not user.has_perm("submissions.view_submission"):
        return {"rows": []}
    counts = Submission.objects.aggregate(
        todo=Count("pk", filter=TO_DO & Q(waiting_for_submitter=False)),
        mine=Count("pk", filter=TO_DO & Q(assignee=user)),
        waiting=Count("pk", filter=Q(waiting_for_submitter=True) & ~Q(state__in=State.SETTLED)),
        checking=Count("pk", filter=Q(state__in=State.AWAITING_CHECK)),
        posted=Count("pk", filter=Q(state=State.POSTED)),
    )
    url = reverse("admin:submissions_submission_changelist")
    labels = {
        "todo": (_("Needs a person"), "queue=todo"),
        "mine": (_("Assigned to me"), "queue=todo&assigned=me"),
        "waiting": (_("Waiting for the submitter"), "queue=waiting"),
        "checking": (_("Being checked"), "queue=checking"),
        "posted": (_("Posted"), "queue=all&state__exact=posted"),
    }
    return {
        "rows": [(labels[k][0], counts[k], f"{url}?{labels[k][1]}") for k in labels],
        "register": reverse("admin:submissions_submission_register"),
    }
