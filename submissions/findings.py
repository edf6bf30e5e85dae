"""A finding's message in the current language, numbers in the reader's locale."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext

from submissions import compliance


def finding_message(finding: compliance.Finding) -> str:
    return compliance.render(finding, gettext, lambda n: number_format(n, force_grouping=True))


def error_message(code: str) -> str:
    """The message of an error finding that has no parameters (a refused file)."""
    return finding_message(compliance.Finding(code, compliance.Severity.ERROR))
