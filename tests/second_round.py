"""The second round in tests: a call for comments with its draft published, and comments."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services
from submissions.demo_draft import draft_docx
from submissions.enums import CallKind
from submissions.models import Call, DraftText, Submission
from tests import factories

# What the demo draft's numbered paragraphs are, in every language.
NUMBERS = ["1", "2", "3", "4", "5", "6"]


def comments_call(*, languages: tuple[str, ...] = ("en", "fr", "es"), **fields) -> Call:
    """An open call for comments, its demo draft published in `languages`."""
    call = factories.CallFactory(
        kind=CallKind.COMMENTS, title="Draft general comment No. 6: comments", **fields
    )
    staff = factories.StaffFactory()
    for language in languages:
        publish_draft(call, language, staff)
    return call


def publish_draft(call: Call, language: str, staff, data: bytes | None = None) -> DraftText:
    upload = SimpleUploadedFile(f"draft-{language}.docx", data or draft_docx(language))
    text = services.draft_upload(call=call, language=language, upload=upload, actor=staff)
    return services.draft_publish(text=text, actor=staff)


def send_comments(
    call: Call,
    comments: list[tuple[str | None, str, str]],
    *,
    name: str = "Global Alliance",
    publication: str = "publish",
    file: bytes | None = None,
    language: str = "en",
) -> tuple[Submission, str]:
    """Comments sent through the services, with the portal's Word copy of them as the file."""
    from submissions.drafts.comment_files import ReadComment, comments_document

    # Written against the draft in `language`, as a commenter reading it there does.
    details = [services.CommentDetails(*c, language=language) for c in comments]
    data = file or comments_document(
        title=call.title,
        stakeholder=name,
        comments=[ReadComment(c.paragraph, c.text, c.proposed_wording) for c in details],
        language="en",
    )
    return services.submission_create(
        call=call,
        details=services.SubmitterDetails(
            name, "civil_society", "PH", "Maria Private", "maria.private@example.org", "en",
            publication,
        ),
        upload=SimpleUploadedFile("comments.docx", data),
        interface_language="en",
        comments=details,
    )  # fmt: skip
