"""Rows as the pipeline leaves them, made without running it (factory_boy).

For tests in which the pipeline is not what is tested and a submission only has to
exist in some state. A factory-made row is one the pipeline could have made, so a
test never passes on a row the site could not meet:

* the file is a real .docx in storage (version 1 shares it), with its sha256;
* a checked row stores exactly what the check stores (`services.check.CHECK_FIELDS`,
  computed by the call's rules on that file: `services.check.report_for`, the pure rules
  module, no database), and its state must be one the check and a person's
  decisions reach from those findings (a clean file never "needs attention", a file
  kept private is never posted, open errors are never ready to post): otherwise the
  factory refuses, naming the way through the pipeline instead;
* its history holds the events the pipeline records on the way (the worker's
  without an actor, a person's with one: `decided_by`, a superuser by default);
* a posted (or taken down) row has the public copy the services make
  (`services.public_copy_of`), and its text.

What it does not make: e-mails (no outbox rows), duplicate groups (call
`services.submission_group_duplicates`), late access codes, new versions. Tests of
those, and of the pipeline itself, go through the services. tests/test_factories.py
holds the factories to what the pipeline makes.

    SubmissionFactory(call=call)                      # received, not checked yet
    SubmissionFactory(call=call, checked=True)        # the state the check gives it
    SubmissionFactory(call=call, state=State.POSTED)  # checked, approved, posted
    SubmissionFactory(call=call, flagged=True)        # no name on page 1: a person looks
    submission_in(State.ACCEPTED, call=call)          # a usual row in that state
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from factory.django import DjangoModelFactory

from submissions import compliance, services
from submissions.enums import ALLOWED_TRANSITIONS, Category, Publication, State
from submissions.models import Call, Submission, SubmissionEvent, SubmissionVersion
from submissions.services.check import check_fields, cleared_check_fields, report_for
from submissions.tokens import hash_token
from tests.documents import make_docx

PASSWORD = "a-long-test-password"

# States a submission is in before any check has finished.
NEVER_CHECKED = frozenset(
    {State.RECEIVED, State.CHECKING, State.CHECK_FAILED, State.WAITING_FOR_SCAN, State.QUARANTINED}
)
# What the pipeline writes in the history (services/check.py, triage.py, publishing.py).
STARTED = "check started"
MEETS_THE_RULES = "meets the call's rules"
MAY_BE_POSTED = "meets the rules; may be posted"
APPROVED = "approved for posting"
BY_THE_SUBMITTER = "withdrawn by the submitter"


class UntruthfulRow(ValueError):
    """The row asked for is one the pipeline never makes."""


class CallFactory(DjangoModelFactory):
    """An open call: opened yesterday, its deadline in 30 days."""

    class Meta:
        model = Call

    slug = factory.Sequence(lambda n: f"call-{n}")
    tracking_prefix = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Call for inputs {n}")
    summary = "Send inputs."
    questions = "First question?\nSecond question?"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class StaffFactory(DjangoModelFactory):
    """A staff member in no group (see `member`), whose password is PASSWORD."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")
    password = factory.django.Password(PASSWORD)
    is_staff = True


def member(*groups: str, **fields: Any):
    """A staff member in the named groups ("Triage", "Publishing"; none: no group)."""
    fields.setdefault("username", "-".join(groups) or "nobody")
    user = StaffFactory(**fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return type(user).objects.get(pk=user.pk)  # permissions are cached per object


def history(
    *,
    state: State | str,
    publication: str,
    findings: Sequence[dict],
    overrides: Sequence[dict] = (),
    checked: bool,
) -> list[tuple[State, str, bool]]:
    """The steps the pipeline takes to bring such a row to `state`, after its receipt:
    (to, reason, taken by a person). Raises UntruthfulRow if it never gets there."""
    state = State(state)
    if not checked:
        unchecked = {
            State.RECEIVED: [],
            State.CHECKING: [(State.CHECKING, STARTED, False)],
            State.CHECK_FAILED: [
                (State.CHECKING, STARTED, False),
                (State.CHECK_FAILED, "the check failed", False),
            ],
            # The scan comes before the rules: neither state has a report of them.
            State.WAITING_FOR_SCAN: [
                (State.CHECKING, STARTED, False),
                (State.WAITING_FOR_SCAN, "malware scanner unavailable", False),
            ],
            State.QUARANTINED: [
                (State.CHECKING, STARTED, False),
                (State.QUARANTINED, "malware found", False),
            ],
            State.REJECTED: [(State.REJECTED, "rejected", True)],
            State.WITHDRAWN: [(State.WITHDRAWN, BY_THE_SUBMITTER, False)],
        }
        if state not in unchecked:
            raise UntruthfulRow(f"a submission is “{state.label}” only once checked")
        return _legal(unchecked[state])
    if state in NEVER_CHECKED:
        raise UntruthfulRow(
            f"a checked submission is “{state.label}” again only after a new version: "
            "send it through the services"
        )

    codes = ", ".join(f["code"] for f in findings)
    serious = (compliance.Severity.ERROR, compliance.Severity.WARNING)
    ok = not any(f["severity"] in serious for f in findings)
    overridden = {o["code"] for o in overrides}
    open_errors = [
        f["code"]
        for f in findings
        if f["severity"] == compliance.Severity.ERROR and f["code"] not in overridden
    ]
    steps = [(State.CHECKING, STARTED, False)]
    if ok:
        steps.append((State.ACCEPTED, codes or MEETS_THE_RULES, False))
        if publication == Publication.PUBLISH:
            steps.append((State.READY_TO_POST, MAY_BE_POSTED, False))
    else:
        steps.append((State.NEEDS_ATTENTION, codes, False))
    reached = steps[-1][0]
    private = publication == Publication.DO_NOT_PUBLISH
    by_hand = reached == State.NEEDS_ATTENTION and not open_errors

    if state == reached:
        pass
    elif state == State.ACCEPTED and by_hand and private:
        steps.append((State.ACCEPTED, "accepted", True))
    elif state == State.READY_TO_POST and by_hand and not private:
        steps += [(State.ACCEPTED, "accepted", True), (State.READY_TO_POST, APPROVED, True)]
    elif state in (State.POSTED, State.UNPOSTED) and not private and not open_errors:
        if reached == State.NEEDS_ATTENTION:
            steps.append((State.READY_TO_POST, APPROVED, True))
        steps.append((State.POSTED, "posted", True))
        if state == State.UNPOSTED:
            steps.append((State.UNPOSTED, "taken down", True))
    elif state == State.REJECTED:
        steps.append((State.REJECTED, "rejected", True))
    elif state == State.WITHDRAWN:
        steps.append((State.WITHDRAWN, BY_THE_SUBMITTER, False))
    else:
        raise UntruthfulRow(
            f"the pipeline never makes this file “{state.label}” "
            f"(publication {publication}, findings {codes or 'none'}, "
            f"open errors {', '.join(open_errors) or 'none'}): make it through the services"
        )
    return _legal(steps)


def _legal(steps: list[tuple[State, str, bool]]) -> list[tuple[State, str, bool]]:
    current = State.RECEIVED
    for to, _reason, _person in steps:
        assert to in ALLOWED_TRANSITIONS[current], (current, to)
        current = to
    return steps


def _evaluate(o) -> compliance.Report:
    """What the check's rules say of the row's file (the check's own call of them)."""
    row = Submission(
        call=o.call,
        stakeholder_name=o.stakeholder_name,
        received_at=o.received_at,
        publication=o.publication,
        language=o.language,
        contact_name=o.contact_name,
        contact_email=o.contact_email,
    )
    return report_for(row, o.data)


def _outcome(report: compliance.Report, publication: str) -> State:
    """Where the check leaves a file."""
    if not report.ok:
        return State.NEEDS_ATTENTION
    return State.READY_TO_POST if publication == Publication.PUBLISH else State.ACCEPTED


def _stored(name: str) -> factory.LazyAttribute:
    """One of the check's stored fields: the check's value, or the model's default."""
    return factory.LazyAttribute(lambda o: o.stored_check[name])


def _next_number(call: Call) -> int:
    return (call.submissions.aggregate(last=Max("number"))["last"] or 0) + 1


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission
        skip_postgeneration_save = True

    class Params:
        # In the state the check leaves it (unless `state` is given).
        checked = False
        # Its page 1 does not name the stakeholder: the check asks a person to look.
        flagged = False
        # The document: its paragraphs, or its bytes.
        paragraphs = factory.LazyAttribute(
            lambda o: (
                ("Nobody's name here.",)
                if o.flagged
                else (f"Submitted by {o.stakeholder_name}", "Our input.")
            )
        )
        data = factory.LazyAttribute(lambda o: make_docx(*o.paragraphs))
        # The private status link (only its hash is stored).
        token = factory.Sequence(lambda n: f"factory-status-token-{n:06d}")
        # (`or` keeps `state` unread when it is the check's outcome.)
        was_checked = factory.LazyAttribute(
            lambda o: o.checked or o.flagged or State(o.state) not in NEVER_CHECKED
        )
        report = factory.LazyAttribute(lambda o: _evaluate(o) if o.was_checked else None)
        stored_check = factory.LazyAttribute(
            lambda o: cleared_check_fields() if o.report is None else check_fields(o.report)
        )

    call = factory.SubFactory(CallFactory)
    number = factory.LazyAttribute(lambda o: _next_number(o.call))
    state = factory.LazyAttribute(
        lambda o: _outcome(o.report, o.publication) if o.checked or o.flagged else State.RECEIVED
    )
    stakeholder_name = factory.Sequence(lambda n: f"Migrant Workers Network {n}")
    category = Category.CIVIL_SOCIETY
    country = "PH"
    contact_name = factory.Faker("name")
    contact_email = factory.Faker("safe_email")
    language = "en"
    publication = Publication.PUBLISH
    interface_language = "en"
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name="upload.docx"))
    original_filename = "our submission.docx"
    file_size = factory.LazyAttribute(lambda o: len(o.data))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    status_token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    received_at = factory.LazyAttribute(lambda o: min(timezone.now(), o.call.deadline))

    # What the check stores (services/check.py's CHECK_FIELDS), and its attempt.
    checked_at = _stored("checked_at")
    word_count = _stored("word_count")
    word_count_main = _stored("word_count_main")
    name_on_first_page = _stored("name_on_first_page")
    first_page_method = _stored("first_page_method")
    received_on_time = _stored("received_on_time")
    detected_language = _stored("detected_language")
    findings = _stored("findings")
    finding_codes = _stored("finding_codes")
    text = _stored("text")
    text_signature = _stored("text_signature")
    check_attempts = factory.LazyAttribute(
        lambda o: int(o.was_checked or State(o.state) in (State.CHECKING, State.CHECK_FAILED))
    )

    posted_at = factory.LazyAttribute(
        lambda o: timezone.now() if State(o.state) in (State.POSTED, State.UNPOSTED) else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        history(  # refuses, before anything is saved, a row the pipeline never makes
            state=kwargs["state"],
            publication=kwargs["publication"],
            findings=kwargs["findings"],
            overrides=kwargs.get("overrides", []),
            checked=kwargs["checked_at"] is not None,
        )
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        """Version 1: the submission's file, as `submission_create` records it."""
        if not create:
            return
        SubmissionVersion.objects.create(
            submission=obj,
            number=1,
            file=obj.file.name,
            original_filename=obj.original_filename,
            file_size=obj.file_size,
            sha256=obj.sha256,
            received_at=obj.received_at,
        )

    @factory.post_generation
    def decided_by(obj, create, extracted, **kwargs):
        """The history: the receipt, the worker's steps, and the person's (`extracted`,
        or a superuser made here when a person had to decide)."""
        if not create:
            return
        SubmissionEvent.objects.create(
            submission=obj,
            from_state=State.RECEIVED,
            to_state=State.RECEIVED,
            reason="received",
            at=obj.received_at,
        )
        steps = history(
            state=obj.state,
            publication=obj.publication,
            findings=obj.findings,
            overrides=obj.overrides,
            checked=obj.checked_at is not None,
        )
        person = extracted
        if person is None and any(by_person for _to, _reason, by_person in steps):
            person = StaffFactory(is_superuser=True)
        current = State.RECEIVED
        for to, reason, by_person in steps:
            SubmissionEvent.objects.create(
                submission=obj,
                actor=person if by_person else None,
                from_state=current,
                to_state=to,
                reason=reason,
            )
            current = to

    @factory.post_generation
    def public_copy(obj, create, extracted, **kwargs):
        """A posted row's public copy, made from its file as posting makes it."""
        if not create or State(obj.state) not in (State.POSTED, State.UNPOSTED):
            return
        with obj.file.open("rb") as handle:
            clean = services.public_copy_of(obj, handle.read())
        obj.public_file.save("public.docx", ContentFile(clean), save=False)
        obj.public_text = compliance.public_text(clean)
        Submission.objects.filter(pk=obj.pk).update(
            public_file=obj.public_file.name, public_text=obj.public_text
        )


# A usual row in each state: what to ask the factory for (`submission_in`).
IN_STATE: dict[State, dict[str, Any]] = {
    State.RECEIVED: {},
    State.CHECKING: {"state": State.CHECKING},
    State.CHECK_FAILED: {"state": State.CHECK_FAILED},
    State.WAITING_FOR_SCAN: {"state": State.WAITING_FOR_SCAN},
    State.QUARANTINED: {"state": State.QUARANTINED},
    # The check accepts a clean file and readies it for posting, unless kept private.
    State.ACCEPTED: {"checked": True, "publication": Publication.DO_NOT_PUBLISH},
    State.NEEDS_ATTENTION: {"flagged": True},
    State.READY_TO_POST: {"checked": True},
    State.POSTED: {"state": State.POSTED},
    State.UNPOSTED: {"state": State.UNPOSTED},
    State.REJECTED: {"state": State.REJECTED},
    State.WITHDRAWN: {"state": State.WITHDRAWN},
}


def submission_in(state: State, **fields: Any) -> Submission:
    """A submission in `state`, made as `IN_STATE` says (`fields` override it)."""
    submission = SubmissionFactory(**{**IN_STATE[state], **fields})
    assert submission.state == state, (submission.state, state)
    return submission
