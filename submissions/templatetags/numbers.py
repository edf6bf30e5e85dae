"""`grouped`: a whole number with the reader's locale's thousands separator."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value: int | None) -> str:
    if value is None:
        return ""
    return number_format(value, force_grouping=True)
