"""The private links: found by the real token only, the receipt's or a later one."""

from __future__ import annotations

import pytest

from submissions import private_links
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_private_link_finds_its_submission_by_the_real_token_only(open_call):
    submission = SubmissionFactory(call=open_call, token="the-real-private-token")
    SubmissionFactory(call=open_call, token="another-private-token")
    assert private_links.submission_for_token("the-real-private-token") == submission
    for wrong in (
        "",
        "the-real-private-toke",
        "THE-REAL-PRIVATE-TOKEN",
        submission.status_token_hash,
    ):
        assert private_links.submission_for_token(wrong) is None, wrong


def test_a_later_link_finds_its_submission_and_is_kept_as_a_hash(open_call):
    submission = SubmissionFactory(call=open_call)
    url = private_links.new_link(submission)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert private_links.submission_for_token(token) == submission
    assert token not in submission.links.get().token_hash
