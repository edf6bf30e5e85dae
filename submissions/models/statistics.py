"""A call's public figures as the worker last counted them (submissions/statistics.py)."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from submissions.models.calls import Call


class CallStatistics(models.Model):
    """Kept in the database, not only in the cache: after a Redis restart a page view
    reads this row instead of counting the whole call (0.9 s at 100,000)."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, primary_key=True, related_name="statistics"
    )
    # selectors.posted_statistics(), the weeks written as ISO dates.
    figures = models.JSONField(encoder=DjangoJSONEncoder)
    version = models.BigIntegerField()
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "call statistics"
        verbose_name_plural = "call statistics"

    def __str__(self) -> str:
        return f"statistics of call {self.call_id}"
