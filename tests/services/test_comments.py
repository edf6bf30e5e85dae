"""Comments on a draft are kept with their submission, replaced by a new version, and
posted as the public may read them: without the name of a submitter who withheld it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services
from submissions.compliance.anonymity import WITHHELD
from submissions.models import Comment
from tests import factories
from tests.second_round import comments_call, send_comments

pytestmark = pytest.mark.django_db


def _publisher():
    return factories.StaffFactory(is_superuser=True)


def test_comments_are_stored_in_the_order_confirmed():
    call = comments_call(languages=("en",))
    submission, _token = send_comments(
        call, [(None, "In general.", ""), ("2", "On two.", "New two."), ("5", "On five.", "")]
    )
    rows = list(submission.comments.values_list("position", "paragraph", "text"))
    assert rows == [(1, "", "In general."), (2, "2", "On two."), (3, "5", "On five.")]
    assert submission.versions.count() == 1


def test_a_new_version_replaces_the_comments_and_keeps_the_earlier_file():
    call = comments_call(languages=("en",))
    submission, _token = send_comments(call, [("2", "First thoughts.", "")])
    submission.refresh_from_db()
    services.submission_new_version(
        submission=submission,
        upload=SimpleUploadedFile("v2.docx", submission.file.open("rb").read()),
        comments=[services.CommentDetails("3", "Second thoughts.")],
    )
    assert list(submission.comments.values_list("paragraph", "text")) == [("3", "Second thoughts.")]
    assert submission.versions.count() == 2


@pytest.mark.parametrize("publication", ["publish", "publish_anonymous"])
def test_posting_writes_what_the_public_reads_withholding_the_name_when_asked(publication):
    call = comments_call(languages=("en",))
    text = "Global Alliance (maria.private@example.org) asks Maria Private's question."
    submission, _token = send_comments(
        call, [("1", text, "Global Alliance proposes this.")], publication=publication
    )
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    if submission.open_errors():
        services.submission_accept(submission=submission, actor=_publisher(), reason="checked")
        submission.refresh_from_db()
    services.submission_post(submission=submission, actor=_publisher(), names_seen=True)
    comment = Comment.objects.get(submission=submission)
    if publication == "publish":
        assert (comment.public_text, comment.public_wording) == (
            text,
            "Global Alliance proposes this.",
        )
    else:
        for name in ("Global Alliance", "Maria Private", "maria.private@example.org"):
            assert name not in comment.public_text + comment.public_wording
        assert comment.public_text.count(WITHHELD) == 3
        assert comment.public_wording == f"{WITHHELD} proposes this."
