"""The whole path on real processes: a LibreOffice file uploaded over HTTP to
gunicorn, checked by a Celery worker through Redis, posted in the admin, read
and downloaded by the public."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from submissions.enums import State
from submissions.models import EmailLog, Submission
from tests.conftest import CORPUS_EXPECTED as EXPECTED
from tests.conftest import SUBMITTER_FORM
from tests.helpers import submit_form
from tests.stack import ROOT, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_upload_is_checked_by_the_worker_posted_and_downloadable(
    web, worker, lo_docs, open_call, django_user_model
):
    call = open_call
    public = requests.Session()
    document = lo_docs["ordinary"].read_bytes()
    response = submit_form(
        public,
        f"{web}/calls/{call.slug}/submit/",
        {**SUBMITTER_FORM, "stakeholder_name": EXPECTED["ordinary"]["needle"]},
        files={"file": ("Our submission.docx", document)},
    )
    assert response.status_code == 200, response.text[:2000]
    assert "OPEN-0001" in response.text
    status_url = response.url.split("?")[0]

    def checked() -> bool:
        assert worker.alive(), worker.output()
        return "meets the call" in public.get(status_url, timeout=10).text

    wait_for(checked, 30, "the worker's report on the status page")
    submission = Submission.objects.get(call=call)
    assert submission.state == State.READY_TO_POST
    assert submission.word_count == EXPECTED["ordinary"]["lo_word_count"]
    assert submission.first_page_method == "rendered"
    assert "submissions.check_submission" in worker.output()
    # The receipt went through the outbox: written by the web process, sent by the worker.
    wait_for(
        lambda: EmailLog.objects.filter(key="confirmation", sent_at__isnull=False).exists(),
        30,
        "the worker to send the receipt",
    )
    assert "submissions.send_email" in worker.output()

    # The Secretariat posts it in the admin, over HTTP: a password, then the code of
    # the staff member's authenticator app (its device made here, the code computed
    # from its key as the app does).
    triage = django_user_model.objects.create_user(
        "triage", password="a-long-password-1", is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=triage, name="phone", confirmed=True)
    staff = requests.Session()
    code_page = submit_form(
        staff, f"{web}/admin/login/", {"username": "triage", "password": "a-long-password-1"}
    )
    assert code_page.url.startswith(f"{web}/admin/two-factor/"), code_page.url
    admin_index = submit_form(
        staff, code_page.url, {"token": f"{totp(device.bin_key):06d}", "next": "/admin/"}
    )
    assert admin_index.url == f"{web}/admin/", admin_index.text[:2000]
    submit_form(
        staff,
        f"{web}/admin/submissions/submission/",
        {"action": "decide_post", "_selected_action": submission.pk, "apply": "1"},
    )
    submission.refresh_from_db()
    assert submission.state == State.POSTED
    # The admin request only wrote the decision's e-mail; the worker sends it.
    posted_mail = EmailLog.objects.get(key__startswith="posted-")
    wait_for(
        lambda: EmailLog.objects.filter(pk=posted_mail.pk, sent_at__isnull=False).exists(),
        30,
        "the worker to send the posted e-mail",
    )

    listing = requests.get(f"{web}/calls/{call.slug}/submissions/", timeout=10)
    assert "OPEN-0001" in listing.text
    assert SUBMITTER_FORM["contact_email"] not in listing.text
    download = requests.get(f"{web}/calls/{call.slug}/submissions/1/file/", timeout=10)
    assert download.status_code == 200
    submission.refresh_from_db()
    assert download.content == submission.public_file.open("rb").read()
    assert download.content != document  # the public copy, never the original

    # The posting queued the public ZIP (no one has asked for it yet): the worker
    # builds it into the shared storage, and the server then serves it at once.
    import io
    import zipfile

    from submissions import archive
    from submissions.presentation import download_name

    def zipped() -> bool:
        assert worker.alive(), worker.output()
        return archive.ready_archive(call) is not None

    wait_for(zipped, 60, "the worker to build the public ZIP")
    assert "submissions.build_public_archive" in worker.output()
    answer = requests.get(f"{web}/calls/{call.slug}/submissions.zip", timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    bundle = zipfile.ZipFile(io.BytesIO(answer.content))
    assert sorted(bundle.namelist()) == sorted([download_name(submission), "submissions.csv"])
    assert bundle.read(download_name(submission)) == download.content  # the public copy


def test_the_eicar_test_file_sent_through_the_form_is_quarantined_and_never_public(
    web, worker, open_call, clamd, stack_env
):
    from tests.clamd import EICAR, docx_embedding
    from tests.helpers import GOOD

    public = requests.Session()
    infected = docx_embedding("notes.txt", EICAR, "Submitted by Global Alliance", "Our input.")
    response = submit_form(
        public,
        f"{web}/calls/{open_call.slug}/submit/",
        SUBMITTER_FORM,
        files={"file": ("Our submission.docx", infected)},
    )
    assert response.status_code == 200, response.text[:2000]
    status_url = response.url.split("?")[0]
    wait_for(
        lambda: "our scanner found malware" in public.get(status_url, timeout=10).text,
        30,
        "the worker's scan on the status page",
    )
    submission = Submission.objects.get(call=open_call)
    assert submission.state == State.QUARANTINED
    assert public.get(f"{web}/calls/{open_call.slug}/submissions/1/", timeout=10).status_code == 404
    assert (
        public.get(f"{web}/calls/{open_call.slug}/submissions/1/file/", timeout=10).status_code
        == 404
    )

    # With clamd down, a clean file waits, unread; it is checked once clamd is back.
    clamd.stop()
    try:
        response = submit_form(
            public,
            f"{web}/calls/{open_call.slug}/submit/",
            SUBMITTER_FORM,
            files={"file": ("Our submission v2.docx", GOOD)},
        )
        waiting = Submission.objects.get(call=open_call, number=2)
        wait_for(
            lambda: Submission.objects.get(pk=waiting.pk).state == State.WAITING_FOR_SCAN,
            30,
            "the worker to find the scanner away",
        )
        assert "malware scan" in public.get(response.url.split("?")[0], timeout=10).text
    finally:
        clamd.start()
    # The sweeper, as cron runs it (without waiting its threshold).
    subprocess.run(
        [sys.executable, "manage.py", "requeue_stuck", "--older-than", "0"],
        cwd=ROOT,
        env=stack_env,
        check=True,
        timeout=60,
    )
    wait_for(
        lambda: Submission.objects.get(pk=waiting.pk).state == State.READY_TO_POST,
        30,
        "the check once clamd is back",
    )
