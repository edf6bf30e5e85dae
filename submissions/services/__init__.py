"""Writes, by concern; callers import them from here.

- `transition`: the one way a state changes (and a decision's e-mail goes out with it)
- `intake`: what submitters do (send, new version, withdraw)
- `check`: the call's rules run on a file, the outcome stored
- `triage`: the Secretariat's decisions on a file
- `publishing`: the public copy, posting, its PDF, taking it down
- `grouping`: duplicates, the database side
- `drafts`: the second round's draft, uploaded per language, confirmed, published
"""

from submissions.services.check import (
    MAX_CHECK_ATTEMPTS,
    submission_check,
    submission_fail_check,
    submissions_stuck,
    submissions_unqueued,
)
from submissions.services.drafts import (
    draft_publish,
    draft_renumber,
    draft_split_again,
    draft_unpublish,
    draft_upload,
)
from submissions.services.errors import ServiceError, TransitionNotAllowed
from submissions.services.grouping import submission_group_duplicates
from submissions.services.intake import (
    CommentDetails,
    SubmitterDetails,
    can_replace,
    submission_create,
    submission_new_version,
    submission_withdraw,
)
from submissions.services.publishing import (
    MAX_PDF_ATTEMPTS,
    names_withheld_submitter,
    public_copy_of,
    submission_make_pdf,
    submission_post,
    submission_unpost,
    submissions_missing_pdf,
)
from submissions.services.transition import submission_transition
from submissions.services.triage import (
    can_accept,
    submission_accept,
    submission_reject,
    submission_request_fix,
    submission_withdraw_for_submitter,
)

__all__ = [
    "MAX_CHECK_ATTEMPTS",
    "MAX_PDF_ATTEMPTS",
    "CommentDetails",
    "ServiceError",
    "SubmitterDetails",
    "TransitionNotAllowed",
    "can_accept",
    "can_replace",
    "draft_publish",
    "draft_renumber",
    "draft_split_again",
    "draft_unpublish",
    "draft_upload",
    "names_withheld_submitter",
    "public_copy_of",
    "submission_accept",
    "submission_check",
    "submission_create",
    "submission_fail_check",
    "submission_group_duplicates",
    "submission_make_pdf",
    "submission_new_version",
    "submission_post",
    "submission_reject",
    "submission_request_fix",
    "submission_transition",
    "submission_unpost",
    "submission_withdraw",
    "submission_withdraw_for_submitter",
    "submissions_missing_pdf",
    "submissions_stuck",
    "submissions_unqueued",
]
