"""The submitter's private links: the receipt's and one more in each later e-mail.

Only hashes are stored (`tokens.hash_token`): the receipt's on the submission
(`status_token_hash`), each further one as a `PrivateLink`. Whoever holds any of
them sees the submission's status page and may send a new version or withdraw.
"""

from __future__ import annotations

import secrets

from submissions import notifications
from submissions.models import PrivateLink, Submission
from submissions.tokens import hash_token


def new_link(submission: Submission) -> str:
    """A new private link of `submission` (its hash stored): the absolute status URL."""
    token = secrets.token_urlsafe(24)
    PrivateLink.objects.create(submission=submission, token_hash=hash_token(token))
    return notifications.status_url(token)


def submission_for_token(token: str) -> Submission | None:
    """The submission a private link points at (the receipt's or a later one), if real."""
    digest = hash_token(token)
    submissions = Submission.objects.select_related("call", "late_access")
    found = submissions.filter(status_token_hash=digest).first()
    if found is None:
        found = submissions.filter(links__token_hash=digest).first()
    return found
