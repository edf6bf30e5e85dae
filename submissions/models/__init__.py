"""Calls for input, the submissions made to them, and each submission's history.

By concern: `calls.py` (a call, its late access codes, its e-mail wording),
`submission.py` (a submission, its versions, events and private links), `records.py`
(the e-mail outbox, internal notes, decision tokens), `drafts.py` (a
draft general comment per language, and the comments on its paragraphs),
`duplicate_keys.py` (the index incremental regrouping looks submissions up in),
`statistics.py` (a call's public figures, counted ahead).
Import them from here.
"""

from submissions.models.calls import Call, EmailTemplate, LateAccessCode, _new_code
from submissions.models.drafts import Comment, DraftText
from submissions.models.duplicate_keys import DuplicateKey
from submissions.models.mail import MailMessage
from submissions.models.records import DecisionToken, EmailLog, InternalNote
from submissions.models.statistics import CallStatistics
from submissions.models.submission import (
    PrivateLink,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
    _pdf_upload_path,
    _upload_path,
    _version_upload_path,
)

__all__ = [
    "Call",
    "CallStatistics",
    "Comment",
    "DecisionToken",
    "DraftText",
    "DuplicateKey",
    "EmailLog",
    "EmailTemplate",
    "InternalNote",
    "LateAccessCode",
    "MailMessage",
    "PrivateLink",
    "Submission",
    "SubmissionEvent",
    "SubmissionVersion",
    "_new_code",
    "_pdf_upload_path",
    "_upload_path",
    "_version_upload_path",
]
