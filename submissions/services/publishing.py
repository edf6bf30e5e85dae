"""Posting: the public copy, the post itself, its PDF, and taking it down."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import compliance, notifications, public_cache, rendering
from submissions.compliance.anonymity import redact_text
from submissions.compliance.codes import FindingCode
from submissions.compliance.public_copy import public_copy
from submissions.enums import TRANSITION_PERMISSIONS, Publication, State
from submissions.findings import finding_label
from submissions.models import Comment, Submission
from submissions.services import transition
from submissions.services.errors import ServiceError, TransitionNotAllowed
from submissions.services.triage import require_reason

# A PDF that failed this many times is left alone; the .docx stays on offer.
MAX_PDF_ATTEMPTS = 3


def names_withheld_submitter(submission: Submission) -> bool:
    """Is it to be posted without its submitter's name, though the document names them?"""
    return submission.publication == Publication.PUBLISH_ANONYMOUS and any(
        f.code == FindingCode.NAME_IN_ANONYMOUS_DOCUMENT for f in submission.finding_objects()
    )


def _require_no_open_errors(submission: Submission) -> None:
    errors = submission.open_errors()
    if errors:
        raise ServiceError(
            _(
                "%(number)s has findings nobody has overridden (%(codes)s): accept it "
                "with a reason first."
            )
            % {
                "number": submission.tracking_number,
                "codes": ", ".join(finding_label(f.code) for f in errors),
            }
        )


def submission_post(*, submission: Submission, actor: User, names_seen: bool = False) -> None:
    """Publish a submission on the public site, unless its submitter said not to.

    A document that names a submitter who asked not to be named is posted only by
    someone who has looked at where (`names_seen`). Side effects: the public copy
    made first (redacted when the name is withheld); approved on the way if needed;
    posted; the PDF queued for the worker; the submitter told, with the public link.
    """
    if submission.publication == Publication.DO_NOT_PUBLISH:
        raise ServiceError(
            _("%(number)s cannot be posted: its submitter asked for it not to be published.")
            % {"number": submission.tracking_number}
        )
    current = State(submission.state)
    if current in State.NEEDS_APPROVAL_TO_POST:
        _require_no_open_errors(submission)
        steps = [State.READY_TO_POST, State.POSTED]
    elif current in State.POSTABLE:
        steps = [State.POSTED]
    else:
        raise TransitionNotAllowed(
            _("A submission that is “%(current)s” cannot become “%(to)s”.")
            % {"current": current.label, "to": State.POSTED.label}
        )
    # Every step's permission before the public copy is made, not halfway.
    for step in steps:
        if not actor.has_perm(TRANSITION_PERMISSIONS[step]):
            raise TransitionNotAllowed(
                _("Your account may not make a submission “%(to)s”.") % {"to": step.label}
            )
    if names_withheld_submitter(submission) and not names_seen:
        raise ServiceError(
            _(
                "%(number)s names its submitter, who asked not to be named: post it from its "
                "page, after looking at where (each occurrence is replaced in the copy posted)."
            )
            % {"number": submission.tracking_number}
        )
    _make_public_copy(submission)
    if State.READY_TO_POST in steps:
        transition.submission_transition(
            submission=submission,
            to=State.READY_TO_POST,
            actor=actor,
            reason="approved for posting",
        )
    event = transition.submission_transition(
        submission=submission,
        to=State.POSTED,
        actor=actor,
        reason="posted",
        changes={"posted_at": timezone.now(), "public_pdf": "", "public_pdf_attempts": 0},
        decision="post",
        email_values={"posted_url": notifications.posted_url(submission)},
    )
    if event:
        transaction.on_commit(lambda: _queue_pdf(submission.pk))


def submission_unpost(*, submission: Submission, actor: User, reason: str) -> None:
    """Take a submission off the public site, and tell the submitter why."""
    require_reason(reason, _("Give a reason for taking it down."))
    transition.submission_transition(
        submission=submission,
        to=State.UNPOSTED,
        actor=actor,
        reason=reason,
        decision="unpost",
        email_values={"reason": reason},
    )


def public_copy_of(submission: Submission, data: bytes) -> bytes:
    """The public copy of `data` as this submission would post it (and its preview)."""
    return public_copy(
        data,
        stakeholder=submission.stakeholder_name,
        number=submission.tracking_number,
        withheld=not submission.shows_name,
        contact=(submission.contact_name, submission.contact_email),
    )


def _make_public_copy(submission: Submission) -> None:
    """The cleaned copy of the current file, made before anything is posted; its
    properties (and so its PDF's) say only what the public page says."""
    with submission.file.open("rb") as handle:
        clean = public_copy_of(submission, handle.read())
    submission.public_file.save("public.docx", ContentFile(clean), save=False)
    submission.public_text = compliance.public_text(clean)
    Submission.objects.filter(pk=submission.pk).update(
        public_file=submission.public_file.name, public_text=submission.public_text
    )
    _make_public_comments(submission)


def _make_public_comments(submission: Submission) -> None:
    """A call for comments: what the public reads of each, the names withheld as asked."""
    names = [submission.stakeholder_name, submission.contact_name, submission.contact_email]
    comments = list(submission.comments.all())
    for comment in comments:
        if submission.shows_name:
            comment.public_text, comment.public_wording = comment.text, comment.proposed_wording
        else:
            comment.public_text = redact_text(comment.text, names)
            comment.public_wording = redact_text(comment.proposed_wording, names)
    Comment.objects.bulk_update(comments, ["public_text", "public_wording"])
    public_cache.bump_after_commit()  # a posted one's copy made again (bulk: no signal)


def _queue_pdf(submission_id: int) -> None:
    from submissions.tasks import queue_public_pdf

    queue_public_pdf(submission_id)


def submission_make_pdf(*, submission_id: int) -> bool:
    """Make the PDF of a posted submission's public copy with LibreOffice (the worker's).

    Returns whether a PDF was saved. Without LibreOffice, or when it fails, the
    public page offers the .docx alone.
    """
    submission = Submission.objects.select_related("call").filter(pk=submission_id).first()
    if (
        submission is None
        or submission.state != State.POSTED
        or submission.public_pdf
        or not submission.public_file
        or submission.public_pdf_attempts >= MAX_PDF_ATTEMPTS
    ):
        return False
    # Counted before trying, so a worker without LibreOffice, or one killed by a
    # file that crashes it, gives up after a few attempts.
    Submission.objects.filter(pk=submission.pk).update(
        public_pdf_attempts=F("public_pdf_attempts") + 1
    )
    if rendering.soffice_path() is None:
        return False
    with submission.public_file.open("rb") as handle:
        pdf = rendering.convert_to_pdf(handle.read(), timeout=settings.GC6_PDF_TIMEOUT)
    if pdf is None:
        return False
    name = submission.public_pdf.storage.save(
        submission.public_pdf.field.generate_filename(submission, "public.pdf"), ContentFile(pdf)
    )
    # Only while it is still posted, and from the same public copy.
    saved = Submission.objects.filter(
        pk=submission.pk,
        state=State.POSTED,
        public_file=submission.public_file.name,
        public_pdf="",
    ).update(public_pdf=name)
    if not saved:
        submission.public_pdf.storage.delete(name)
    else:
        public_cache.bump_after_commit()  # its page and the API now link the PDF
    return bool(saved)


def submissions_missing_pdf(*, older_than: timedelta) -> list[int]:
    """Posted submissions whose PDF is still to be made (for the sweeper)."""
    return list(
        Submission.objects.filter(
            state=State.POSTED,
            public_pdf="",
            public_pdf_attempts__lt=MAX_PDF_ATTEMPTS,
            posted_at__lt=timezone.now() - older_than,
        )
        .exclude(public_file="")
        .values_list("pk", flat=True)
    )
