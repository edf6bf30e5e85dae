"""The draft's paragraphs in templates: their anchors, and proposed wording as a difference."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.text import slugify

register = template.Library()


@register.filter
def anchor(number: str | None) -> str:
    """ "para-12": the paragraph's address on the draft's page, the same in every language."""
    return f"para-{slugify(number or '')}"


@register.simple_tag
def wording_diff(paragraph_text: str, proposed: str) -> SafeString:
    """The proposed wording against the draft paragraph: removed text struck, added marked."""
    from submissions.drafts.diff import diff_html

    return diff_html(paragraph_text or "", proposed or "")
