"""Fixtures shared by the whole suite.

Real parts where the suite can run them: LibreOffice writes the test documents,
Redis and Celery workers are real processes. A missing tool skips its tests on a
developer's machine and fails them in CI (CI=true), so nothing is hidden there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from filelock import FileLock

from submissions import services
from submissions.enums import Category, Publication
from submissions.models import Call, Submission
from tests import bad_inputs as bad_input_corpus
from tests.corpus import sources
from tests.documents import make_docx

# The real processes (Redis, gunicorn, Celery workers), shared by every test folder.
from tests.stack import redis_url, stack, stack_env, web, worker  # noqa: F401
from tests.tools import require_tool

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
    now = timezone.now()
    return Call.objects.create(
        slug="open-call",
        tracking_prefix="OPEN",
        title="An open call",
        summary="Send inputs.",
        questions="First question?\nSecond question?",
        opens_at=now - timedelta(days=1),
        deadline=now + timedelta(days=30),
    )


@pytest.fixture
def gc6_call(db) -> Call:
    return Call.objects.get(slug="gc6")


@pytest.fixture
def make_submission(db) -> Callable[..., Submission]:
    def make(
        call: Call,
        data: bytes | None = None,
        *,
        name: str = "Global Alliance for Migrant Workers' Rights",
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
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="secretariat",
        password="a-long-test-password",
        is_staff=True,
        is_superuser=True,
    )


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
def member(django_user_model) -> Callable:
    """A staff member in the named groups ("Triage", "Publishing"; none: no group)."""
    from django.contrib.auth.models import Group

    def make(*groups: str):
        user = django_user_model.objects.create_user(
            username="-".join(groups) or "nobody", password="a-long-test-password", is_staff=True
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        return django_user_model.objects.get(pk=user.pk)  # permissions are cached per object

    return make
