"""The duplicates index: what a submission shares with others, looked up by key."""

from __future__ import annotations

from django.db import models

from submissions.models.calls import Call
from submissions.models.submission import Submission


class DuplicateKey(models.Model):
    """One key of a grouped submission (`duplicates.keys`): its file's hash, its
    stakeholder's normalized name, or one LSH band of its text's signature. A new or
    changed submission finds the ones it may repeat by looking its keys up, instead of
    reading the whole call (services/grouping.py)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="duplicate_keys"
    )
    # "f:<sha256>", "n:<name>" or "t07:<the band's values>": the kind is the first letter.
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="unique_duplicate_key")
        ]
        indexes = [models.Index(fields=["call", "key"], name="duplicate_key_lookup")]

    def __str__(self) -> str:
        return self.key
