"""Duplicates, the database side: groups kept up to date one submission at a time.

A new or changed submission looks its keys up in the duplicates index (`DuplicateKey`:
its file's hash, its stakeholder's normalized name, its text's LSH bands), so only the
submissions it may repeat are read; near-identical candidates are confirmed by their
signatures, as `duplicates.group` does for a whole call. Leaving (a withdrawal, a new
version) regroups only the group it was in. `submission_group_duplicates` rebuilds a
whole call, index and all (`manage.py regroup_duplicates`, for repair); both give the
same groups (tests/test_duplicates.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from submissions import duplicates
from submissions.enums import DuplicateReason, State
from submissions.models import Call, Submission
from submissions.models.duplicate_keys import DuplicateKey

logger = logging.getLogger(__name__)

_ROW = ("pk", "number", "sha256", "stakeholder_name", "text_signature")
# Signatures read at a time when candidates must be compared.
_BATCH = 200


def submission_group_duplicates(*, call: Call) -> None:
    """Group the call's submissions that repeat each other (same file, same stakeholder,
    near-identical text) from scratch, and rebuild the call's duplicates index.

    The call's row is locked meanwhile, so no incremental change interleaves.
    Side effects: `duplicate_group` and `duplicate_reasons` of the rows that changed;
    the call's `DuplicateKey` rows replaced.
    """
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        rows = list(
            Submission.objects.filter(call=call)
            .exclude(state__in=State.NOT_GROUPED)
            .order_by("number")
            .values(*_ROW)
        )
        groups = duplicates.group(rows)
        current = Submission.objects.filter(call=call).values_list(
            "pk", "duplicate_group", "duplicate_reasons"
        )
        _write(groups, current)
        DuplicateKey.objects.filter(call=call).delete()
        DuplicateKey.objects.bulk_create(
            (
                DuplicateKey(call=call, submission_id=r["pk"], key=k)
                for r in rows
                for k in set(duplicates.keys(r))
            ),
            batch_size=2000,
        )


def submission_regroup(*, submission: Submission) -> None:
    """Bring the duplicate groups up to date with this submission's current file,
    stakeholder, text and state; nothing else of the call is read but what it touches.

    Side effects: its `DuplicateKey` rows; `duplicate_group` and `duplicate_reasons` of
    the submissions of the groups it leaves or joins. Nothing when its keys are the
    index's already (a redelivered check).
    """
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=submission.call_id).first()
        row = Submission.objects.filter(pk=submission.pk).values(*_ROW, "state", "call_id").first()
        if row is None:
            return
        wanted = set() if row["state"] in State.NOT_GROUPED else set(duplicates.keys(row))
        indexed = set(
            DuplicateKey.objects.filter(submission_id=row["pk"]).values_list("key", flat=True)
        )
        if wanted == indexed:
            return
        _leave(row)
        if wanted:
            _join(row, wanted)


def regroup(call: Call) -> None:
    """Group the call's duplicates again, all of them. An aid to the Secretariat, not
    part of the outcome: a failure is logged, and the next change regroups."""
    try:
        submission_group_duplicates(call=call)
    except Exception:
        logger.exception("could not group the duplicates of call %s", call.pk)


def regroup_submission(submission: Submission) -> None:
    """`submission_regroup`, with a failure logged instead of raised (as `regroup`)."""
    try:
        submission_regroup(submission=submission)
    except Exception:
        logger.exception("could not regroup the duplicates of submission %s", submission.pk)


def _leave(row: Mapping[str, Any]) -> None:
    """Out of the index and of its group; the rest of that group grouped again."""
    DuplicateKey.objects.filter(submission_id=row["pk"]).delete()
    mine = Submission.objects.filter(pk=row["pk"])
    group = mine.values_list("duplicate_group", flat=True).first()
    if group is None:
        return  # alone: nobody's group or reasons depend on it
    mine.update(duplicate_group=None, duplicate_reasons=[])
    rest = Submission.objects.filter(call_id=row["call_id"], duplicate_group=group).exclude(
        pk=row["pk"]
    )
    members = list(rest.order_by("number").values(*_ROW))
    _write(
        duplicates.group(members), rest.values_list("pk", "duplicate_group", "duplicate_reasons")
    )


def _join(row: Mapping[str, Any], wanted: set[str]) -> None:
    """Into the index, and into a group with the submissions it repeats (their groups
    merged under the first number)."""
    pk, call_id = row["pk"], row["call_id"]
    matches = DuplicateKey.objects.filter(call_id=call_id).exclude(submission_id=pk)
    bands = [key for key in wanted if key.startswith(duplicates.TEXT)]
    by_key: dict[str, list[int]] = {}
    for other, key in matches.filter(key__in=wanted - set(bands)).values_list(
        "submission_id", "key"
    ):
        by_key.setdefault(key, []).append(other)
    # A campaign's copies share every band: each candidate once, not once a band.
    text_candidates = dict.fromkeys(
        matches.filter(key__in=bands)
        .order_by("submission_id")
        .values_list("submission_id", flat=True)
        .distinct()
    )
    others = list(dict.fromkeys([*text_candidates, *(o for os in by_key.values() for o in os)]))
    known: dict[int, tuple[int, int | None, list[str]]] = {}
    for start in range(0, len(others), _BATCH):
        known.update(
            (other, (number, group, reasons))
            for other, number, group, reasons in Submission.objects.filter(
                pk__in=others[start : start + _BATCH]
            )
            .exclude(state__in=State.NOT_GROUPED)  # (never indexed; but should one be)
            .values_list("pk", "number", "duplicate_group", "duplicate_reasons")
        )
    text_candidates = {o: None for o in text_candidates if o in known}
    by_key = {key: [o for o in os if o in known] for key, os in by_key.items()}
    DuplicateKey.objects.bulk_create(
        [DuplicateKey(call_id=call_id, submission_id=pk, key=k) for k in wanted]
    )
    if not known:
        return

    # The candidates' groups as they stand, then this submission's edges to them.
    groups = duplicates.Groups([pk, *known])
    first_member: dict[int, int] = {}
    for other, (_number, group, reasons) in known.items():
        groups.reasons[other] = set(reasons)
        if group is not None:
            groups.parent[other] = first_member.setdefault(group, other)
    for key, others in by_key.items():
        reason = (
            DuplicateReason.SAME_FILE
            if key.startswith(duplicates.FILE)
            else DuplicateReason.SAME_STAKEHOLDER
        )
        groups.join([pk, *others], reason)
    signatures = _Signatures(list(text_candidates))
    mine = row["text_signature"]
    groups.compare(
        pk,
        text_candidates,
        lambda other: duplicates.similarity(mine, signatures[other]) >= duplicates.THRESHOLD,
    )

    root = groups.find(pk)
    joined = [other for other in known if groups.find(other) == root]
    if not joined:
        return
    merged = {known[o][1] for o in joined} - {None}
    number = min([row["number"], *(known[o][0] for o in joined), *merged])
    Submission.objects.filter(call_id=call_id, duplicate_group__in=merged - {number}).update(
        duplicate_group=number
    )
    for other in [pk, *joined]:
        reasons = sorted(str(r) for r in groups.reasons[other])
        old = (None, []) if other == pk else (known[other][1], known[other][2])
        if old != (number, reasons) and not (old[0] in merged and old[1] == reasons):
            Submission.objects.filter(pk=other).update(
                duplicate_group=number, duplicate_reasons=reasons
            )


class _Signatures:
    """Candidates' signatures, read from the database in batches when first needed."""

    def __init__(self, order: list[int]) -> None:
        self.order = order
        self.loaded: dict[int, list[int]] = {}
        self.position = {pk: i for i, pk in enumerate(order)}

    def __getitem__(self, pk: int) -> list[int]:
        if pk not in self.loaded:
            start = self.position[pk]
            batch = [p for p in self.order[start : start + _BATCH] if p not in self.loaded]
            self.loaded.update(
                Submission.objects.filter(pk__in=batch).values_list("pk", "text_signature")
            )
        return self.loaded[pk]


def _write(
    groups: Mapping[int, tuple[int, list[str]]],
    current: Iterable[tuple[int, int | None, list[str]]],
) -> None:
    """Store the groups computed for the rows `current` lists (pk, group, reasons)."""
    for pk, group, reasons in current:
        wanted: tuple[int | None, list[str]] = groups.get(pk, (None, []))
        if (group, reasons) != wanted:
            Submission.objects.filter(pk=pk).update(
                duplicate_group=wanted[0], duplicate_reasons=wanted[1]
            )
