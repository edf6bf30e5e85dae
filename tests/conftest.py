"""Fixtures shared by the whole suite.

Real parts where the suite can run them: LibreOffice writes the test documents,
Redis and Celery workers are real processes. A missing tool skips its tests on a
developer's machine and fails them in CI (CI=true), so nothing is hidden there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from filelock import FileLock

from submissions import services
from submissions.enums import Category, Publication, State
from submissions.models import Call, LateAccessCode, Submission
from tests import bad_inputs as bad_input_corpus
from tests import factories, hashers
from tests.clamd import clamd, scanner  # noqa: F401
from tests.corpus import sources
from tests.documents import make_docx

# The real processes (Redis, gunicorn, Celery workers), shared by every test folder.
from tests.dovecot import dovecot, mailbox_settings, own_dovecot  # noqa: F401
from tests.proxy import proxy  # noqa: F401
from tests.s3 import s3_bucket, s3_server, s3_storage  # noqa: F401
from tests.stack import redis_url, stack, stack_env, web, worker  # noqa: F401
from tests.tools import find_tool, require_tool

DATA = Path(__file__).parent / "data"

# What a submitter types in the form (the file aside).
SUBMITTER_FORM = {
    "stakeholder_name": "Global Alliance",
    "category": "civil_society",
    "country": "PH",
    "contact_name": "Maria Private",
    "contact_email": "maria.private@example.org",
    "language": "en",
    "publication": "publish",
}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Passwords hashed with one PBKDF2 iteration (tests/hashers.py), before any user is
    made: autouse fixtures come first in their scope. No fixture of the suite makes a
    user for a wider scope (session or module); one that did would need
    `override_settings(PASSWORD_HASHERS=hashers.PASSWORD_HASHERS)` itself."""
    settings.PASSWORD_HASHERS = hashers.PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _factory_seed(request):
    """The factories' Faker values (contact names...) are the same at every run of a test."""
    import factory.random

    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request of an earlier test may have switched it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _outbox_sent_when_written(request, monkeypatch):
    """An e-mail of the outbox goes as soon as it is written. In production the worker
    sends it after the commit (tests/integration watches it do so); a test's
    transaction never commits, so here the same sending code runs at once. Tests
    marked `outbox_after_commit` keep the real hand-over to the worker."""
    from submissions import notifications

    if request.node.get_closest_marker("outbox_after_commit") is None:
        monkeypatch.setattr(notifications, "_send_after_commit", notifications.send_logged)


@pytest.fixture(autouse=True)
def _files_scanned(request, settings):
    """Every file the suite checks is scanned first, as in production, by this test
    worker's real clamd (tests/clamd.py; it starts in a fraction of a second with the
    shipped test signatures). On a developer's machine without clamd the checks run
    unscanned; in CI (CI=true) a missing clamd fails, like every missing tool."""
    if find_tool("clamd") is None and os.environ.get("CI") != "true":
        settings.GC6_SCAN_ENABLED = False
        return
    request.getfixturevalue("scanner")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the statistics are cached)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path_factory) -> Path:
    """Uploads go to a folder of this test session, never into the work tree."""
    root = tmp_path_factory.getbasetemp() / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(root)}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return root


CORPUS = DATA / "corpus"
CORPUS_EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
# Written again by LibreOffice at every run (the rest of the corpus is read from disk).
LO_AT_RUN_TIME = ("ordinary", "name_on_page_two", "over_limit", "french_accents")


def _shared_dir(tmp_path_factory, worker_id) -> Path:
    """A folder all xdist workers of this run share (each has its own basetemp)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def bad_inputs(tmp_path_factory, worker_id) -> dict[str, tuple[Path, str]]:
    """The bad-upload corpus of tests/bad_inputs.py, built once per run."""
    require_tool("soffice")
    shared = _shared_dir(tmp_path_factory, worker_id)
    out = shared / "bad_inputs"
    with FileLock(str(shared / "bad_inputs.lock")):
        if not (out / "index.json").exists():
            corpus = bad_input_corpus.build(out, shared / "bad_profile")
            index = {name: code for name, (_path, code) in corpus.items()}
            (out / "index.json").write_text(json.dumps(index))
    index = json.loads((out / "index.json").read_text())
    return {name: (out / name, code) for name, code in index.items()}


@pytest.fixture(scope="session")
def lo_docs(tmp_path_factory, worker_id) -> dict[str, Path]:
    """Corpus documents written now by this machine's LibreOffice, once per test run."""
    require_tool("soffice")
    # Shared by the xdist workers: the first one builds, the others wait and reuse.
    shared = _shared_dir(tmp_path_factory, worker_id)
    out = shared / "lo_docs"
    with FileLock(str(shared / "lo_docs.lock")):
        if not (out / "done").exists():
            chosen = {name: sources.SOURCES[name] for name in LO_AT_RUN_TIME}
            sources.write_all(chosen, out, shared / "lo_profile")
            (out / "done").touch()
    return {name: out / f"{name}.docx" for name in LO_AT_RUN_TIME}


@pytest.fixture
def open_call(db) -> Call:
    return factories.CallFactory(
        slug="open-call",
        tracking_prefix="OPEN",
        title="An open call",
        summary="Send inputs.",
        questions="First question?\nSecond question?",
    )


@pytest.fixture
def gc6_call(db) -> Call:
    return Call.objects.get(slug="gc6")


MAKE_SUBMISSION_NAME = "Global Alliance for Migrant Workers' Rights"


@pytest.fixture
def make_submission(db) -> Callable[..., Submission]:
    """A submission sent through the services (`submission_create`: its receipt in the
    outbox, version 1, its event), not checked yet. Where the pipeline is not what a
    test is about, tests/factories.py makes rows in any state without it."""

    def make(
        call: Call,
        data: bytes | None = None,
        *,
        name: str = MAKE_SUBMISSION_NAME,
        publication: str = Publication.PUBLISH,
        received_at: datetime | None = None,
        email: str = "private.contact@example.org",
    ) -> Submission:
        data = data if data is not None else make_docx(f"Submitted by {name}", "Our input.")
        submission, _token = services.submission_create(
            call=call,
            details=services.SubmitterDetails(
                stakeholder_name=name,
                category=Category.CIVIL_SOCIETY,
                country="PH",
                contact_name="Maria Private",
                contact_email=email,
                language="en",
                publication=publication,
            ),
            upload=SimpleUploadedFile("our submission.docx", data),
            interface_language="en",
            received_at=received_at or min(timezone.now(), call.deadline),
        )
        return submission

    return make


@pytest.fixture
def staff_user(db):
    return factories.StaffFactory(username="secretariat", is_superuser=True)


@pytest.fixture
def verified_login(db) -> Callable:
    """Log a client in as the admin requires: a password session that has given a code.

    Gives the user a confirmed TOTP device and marks the session verified by it, as
    django_otp.login() does (the device's persistent id under DEVICE_ID_SESSION_KEY).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(client, user):
        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture
def member(db) -> Callable:
    """A staff member in the named groups ("Triage", "Publishing"; none: no group)."""
    return factories.member


# Rows in states, shared by several test files.


@pytest.fixture
def staff_client(client, staff_user, verified_login):
    """A client logged in to the admin as `staff_user` (a superuser), second factor given."""
    return verified_login(client, staff_user)


@pytest.fixture
def checked(open_call):
    """Two checked submissions: one ready to post, one that needs a person (no name)."""
    good = factories.SubmissionFactory(
        call=open_call, stakeholder_name=MAKE_SUBMISSION_NAME, checked=True
    )
    flagged = factories.SubmissionFactory(
        call=open_call, stakeholder_name="Global Alliance", flagged=True
    )
    assert (good.state, flagged.state) == (State.READY_TO_POST, State.NEEDS_ATTENTION)
    return good, flagged


@pytest.fixture
def over_limit(open_call, make_submission):
    """A file over the call's word limit, in Spanish for its submitter."""
    open_call.word_limit = 5
    open_call.save()
    submission = make_submission(
        open_call, make_docx("Submitted by Global Alliance", "one two three four five six")
    )
    Submission.objects.filter(pk=submission.pk).update(interface_language="es")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert "over_word_limit" in submission.finding_codes
    return submission


@pytest.fixture
def submitted(client, open_call, django_capture_on_commit_callbacks):
    """A submission made through the form in French; its status URL."""
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("submissions:submit", args=[open_call.slug]),
            {**SUBMITTER_FORM, "file": SimpleUploadedFile("v1.docx", make_docx("Global Alliance"))},
        )
    return Submission.objects.get(), response["Location"].split("?")[0]


@pytest.fixture
def late_code(open_call, staff_user):
    """A late access code of the open call for Global Alliance, valid 3 days after it."""
    return LateAccessCode.objects.create(
        call=open_call,
        stakeholder_name="Global Alliance",
        created_by=staff_user,
        valid_until=open_call.deadline + timedelta(days=3),
    )


@pytest.fixture
def sent(open_call) -> list[Submission]:
    """Six submissions received, named and timed as tests.helpers.SENT says (the register)."""
    from tests.helpers import SENT  # here: tests.helpers imports this module

    return [
        factories.SubmissionFactory(call=open_call, stakeholder_name=name, received_at=at)
        for name, at, _local in SENT
    ]


# The register's statistics: the times of receipt of `triaged`.
WINTER_NIGHT = datetime(2025, 1, 15, 23, 30, tzinfo=UTC)  # already the 16th in Geneva
MORNING = datetime(2025, 1, 16, 8, 0, tzinfo=UTC)
NOON_BEFORE = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def triaged(open_call, make_submission, staff_user) -> list[Submission]:
    """One passed by the worker alone, one rejected by a person 2 hours after it came, one
    not checked yet."""
    passed = make_submission(open_call, name="Global Alliance", received_at=WINTER_NIGHT)
    with time_machine.travel(WINTER_NIGHT + timedelta(minutes=5), tick=False):
        services.submission_check(submission_id=passed.pk)
    flagged = make_submission(
        open_call, make_docx("Nobody's name here."), name="Migrant Forum", received_at=MORNING
    )
    with time_machine.travel(MORNING + timedelta(minutes=5), tick=False):
        services.submission_check(submission_id=flagged.pk)
    flagged.refresh_from_db()
    assert flagged.state == State.NEEDS_ATTENTION
    with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
        services.submission_reject(submission=flagged, actor=staff_user, reason="Off topic")
    waiting = make_submission(open_call, name="Red Jesuita", received_at=NOON_BEFORE)
    return [passed, flagged, waiting]
