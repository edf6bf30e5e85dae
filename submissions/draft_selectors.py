"""Reads for the second round: the published draft per language, and posted comments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from submissions.enums import State
from submissions.models import Call, Comment, DraftText, Submission


def published_drafts(call: Call) -> dict[str, DraftText]:
    """The call's published draft in each language, in the site's order of languages."""
    texts = {t.language: t for t in call.draft_texts.filter(published_at__isnull=False)}
    order = [code for code, _name in DraftText._meta.get_field("language").choices or ()]
    return {code: texts[code] for code in order if code in texts}


def reading_language(drafts: dict[str, DraftText], wanted: str) -> str | None:
    """The draft to show: in `wanted` if published, else English, else the first one."""
    for code in (wanted, "en"):
        if code in drafts:
            return code
    return next(iter(drafts), None)


@dataclass(frozen=True)
class PostedComment:
    """A posted comment as the public reads it: `stakeholder` is "" when the name is withheld."""

    paragraph: str
    stakeholder: str
    category: str
    country: str
    text: str
    proposed_wording: str
    tracking_number: str
    number: int
    language: str
    # The draft paragraph the wording is written against ("" when that language's
    # draft is not published: the wording is shown as it is).
    original: str = ""


def paragraph_texts(drafts: dict[str, DraftText]) -> dict[str, dict[str, str]]:
    """Each published language's paragraphs' texts by number."""
    return {
        language: {p["number"]: p["text"] for p in text.paragraphs if p.get("number")}
        for language, text in drafts.items()
    }


def posted_comments(
    call: Call, drafts: dict[str, DraftText] | None = None
) -> tuple[dict[str, list[PostedComment]], list[PostedComment]]:
    """Posted comments by paragraph number, and the general ones, oldest post first."""
    texts = paragraph_texts(published_drafts(call) if drafts is None else drafts)
    posted = (
        Submission.objects.filter(call=call, state=State.POSTED)
        .order_by("posted_at", "pk")
        .only(
            "pk",
            "number",
            "call_id",
            "stakeholder_name",
            "category",
            "country",
            "publication",
            "language",
            "call__tracking_prefix",
        )
        .select_related("call")
        .prefetch_related(Prefetch("comments", queryset=Comment.objects.order_by("position")))
    )
    by_paragraph: dict[str, list[PostedComment]] = defaultdict(list)
    general: list[PostedComment] = []
    for submission in posted:
        for comment in submission.comments.all():
            item = PostedComment(
                paragraph=comment.paragraph,
                stakeholder=submission.stakeholder_name if submission.shows_name else "",
                category=submission.get_category_display(),
                country=str(submission.country.name) if submission.country else "",  # type: ignore[attr-defined]
                text=comment.public_text,
                proposed_wording=comment.public_wording,
                tracking_number=submission.tracking_number,
                number=submission.number,
                language=submission.language,
                original=texts.get(comment.language, {}).get(comment.paragraph, ""),
            )
            (by_paragraph[comment.paragraph] if comment.paragraph else general).append(item)
    return dict(by_paragraph), general
