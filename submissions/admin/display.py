"""How the submission's page shows what it holds: times of overrides, withheld names
marked in the document's text."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from submissions.admin.times import local_time
from submissions.compliance.identities import any_spans
from submissions.models import Submission


def override_time(at: str, submission: Submission) -> str:
    """An override's time (ISO, as stored) in the call's zone."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return local_time(moment, submission.call)


def withheld_names(submission: Submission) -> list[str]:
    """What must not be public when the submitter's name is withheld."""
    if submission.shows_name:
        return []
    return [submission.stakeholder_name, submission.contact_name, submission.contact_email]


def marked(text: str, names: list[str]) -> str:
    """`text`, escaped, with each occurrence of `names` highlighted for the Secretariat."""
    spans = any_spans(text, names) if names else []
    if not spans:
        return text
    pieces, cursor = [], 0
    for start, end in spans:
        pieces += [(text[cursor:start], ""), (text[start:end], "mark")]
        cursor = end
    pieces.append((text[cursor:], ""))
    return format_html_join(
        "", "{}", ((format_html("<mark>{}</mark>", t) if tag else t,) for t, tag in pieces)
    )
