"""A call's texts in the reader's language, in templates.

{% load call_texts %}
{% call_text call "title" as title %}
<h1{{ title|lang_attr }}>{{ title }}</h1>{% fallback_note title summary %}
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from submissions.call_texts import CallText
from submissions.call_texts import call_text as _call_text
from submissions.models import Call

register = template.Library()


@register.simple_tag
def call_text(call: Call, field: str) -> CallText:
    return _call_text(call, field)


@register.filter
def lang_attr(text: CallText) -> SafeString:
    """` lang="en"` where the text is not in the page's language; nothing otherwise."""
    if isinstance(text, CallText) and text.is_fallback:
        return format_html(' lang="{}"', text.language)
    return mark_safe("")


@register.simple_tag
def fallback_note(*texts: CallText, element: str = "p") -> SafeString:
    """One note, in the reader's language, if any of `texts` is shown in English."""
    fallbacks = [text for text in texts if isinstance(text, CallText) and text.is_fallback]
    if not fallbacks:
        return mark_safe("")
    tag = "span" if element == "span" else "p"
    return format_html('<{} class="call-text-note">{}</{}>', tag, fallbacks[0].note, tag)
