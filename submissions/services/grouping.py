"""Duplicates, the database side: the call's groups rebuilt from stored signatures."""

from __future__ import annotations

import logging

from django.db import transaction

from submissions import duplicates
from submissions.enums import State
from submissions.models import Call, Submission

logger = logging.getLogger(__name__)


def submission_group_duplicates(*, call: Call) -> None:
    """Group the call's submissions that repeat each other (same file, same stakeholder,
    near-identical text), so one decision can cover a group.

    The call's row is locked while the groups are rebuilt, so two checks finishing
    at once cannot write groups each computed without the other's submission.
    Side effects: `duplicate_group` and `duplicate_reasons` of the rows that changed.
    """
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        rows = list(
            Submission.objects.filter(call=call)
            .exclude(state__in=State.NOT_GROUPED)
            .values("pk", "number", "sha256", "stakeholder_name", "text_signature")
        )
        groups = duplicates.group(rows)
        current = {
            pk: (group, reasons)
            for pk, group, reasons in Submission.objects.filter(call=call).values_list(
                "pk", "duplicate_group", "duplicate_reasons"
            )
        }
        for pk, (group, reasons) in current.items():
            wanted: tuple[int | None, list[str]] = groups.get(pk, (None, []))
            if (group, reasons) != wanted:
                Submission.objects.filter(pk=pk).update(
                    duplicate_group=wanted[0], duplicate_reasons=wanted[1]
                )


def regroup(call: Call) -> None:
    """Group the call's duplicates again. An aid to the Secretariat, not part of the
    outcome: a failure is logged, and the next check of the call regroups it."""
    try:
        submission_group_duplicates(call=call)
    except Exception:
        logger.exception("could not group the duplicates of call %s", call.pk)
