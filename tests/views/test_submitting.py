"""Sending a file through the form: the receipt, errors, the deadline and late access."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions import held_uploads, services
from submissions.enums import LatePolicy, State
from submissions.models import Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx
from tests.helpers import submit


def test_submitting_shows_a_receipt_with_a_tracking_number(
    client, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, open_call)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "OPEN-0001" in receipt.text
    assert "Thank you" in receipt.text
    assert receipt["Cache-Control"] == "no-store"
    submission = Submission.objects.get()
    assert submission.state == State.RECEIVED  # the broker is down: the sweeper will queue it


def test_form_errors_are_summarised_and_nothing_is_saved(client, open_call):
    response = submit(client, open_call, content=b"%PDF-1.4", contact_email="nope")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'href="#id_file"' in response.text
    assert 'href="#id_contact_email"' in response.text
    assert not Submission.objects.exists()


def test_closed_call_refuses_submissions(client, gc6_call):
    response = submit(client, gc6_call)
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_deadline_passes_and_the_form_closes(client, open_call):
    with time_machine.travel(open_call.deadline + timedelta(seconds=1)):
        response = client.get(reverse("submissions:submit", args=[open_call.slug]))
    assert response.status_code == 403


# After the deadline: the call's late policy, and late access codes.


@pytest.fixture
def after_deadline(open_call):
    with time_machine.travel(open_call.deadline + timedelta(hours=2), tick=False):
        yield open_call


def test_refuse_policy_closes_the_form_after_the_deadline(client, after_deadline):
    response = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert response.status_code == 403
    assert "late access code" in response.text
    assert submit(client, after_deadline).status_code == 403
    assert not Submission.objects.exists()


def test_accept_policy_takes_late_files_and_flags_them(client, after_deadline):
    after_deadline.late_policy = LatePolicy.ACCEPT
    after_deadline.save()
    page = client.get(reverse("submissions:submit", args=[after_deadline.slug]))
    assert "The deadline has passed" in page.text
    assert submit(client, after_deadline).status_code == 302
    submission = Submission.objects.get()
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    assert [f["code"] for f in submission.findings] == ["received_after_deadline"]


def test_a_late_access_code_opens_the_form_once(client, after_deadline, late_code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    page = client.get(url, {"code": late_code.code})
    assert page.status_code == 200
    assert "late access code issued to Global Alliance" in page.text
    assert submit(client, after_deadline, late_code=late_code.code).status_code == 302
    submission = Submission.objects.get()
    assert submission.late_access == late_code
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.received_on_time is True
    assert [f["code"] for f in submission.findings] == ["received_with_late_access"]
    assert submission.state == State.READY_TO_POST  # a note only: nothing needs a person
    # Used once: the same code no longer opens the form.
    assert client.get(url, {"code": late_code.code}).status_code == 403


def test_a_wrong_or_expired_code_is_explained(client, after_deadline, late_code):
    url = reverse("submissions:submit", args=[after_deadline.slug])
    response = client.get(url, {"code": "made-up"})
    assert response.status_code == 403
    assert "This code is not valid" in response.text
    with time_machine.travel(late_code.valid_until + timedelta(seconds=1)):
        assert client.get(url, {"code": late_code.code}).status_code == 403


# A file that passed its checks is kept when another field has an error.


HELD_NOTICE = "We kept your file “our report.docx”"


@pytest.fixture
def storage_root(settings, tmp_path, _private_storage) -> Path:
    """This test's own private storage, so that its held files are the only ones there."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(root)}},
    }
    return root


def _send(client, call, *, upload=None, **fields):
    data = {**SUBMITTER_FORM, **fields}
    if upload is not None:
        data["file"] = upload
    return client.post(reverse("submissions:submit", args=[call.slug]), data)


def _held_reference(response) -> str:
    match = re.search(r'name="held_file" value="([^"]+)"', response.text)
    assert match, "no held file in the form"
    return html.unescape(match.group(1))


def _held_files(root: Path) -> list[Path]:
    return sorted((root / "held").glob("*")) if (root / "held").exists() else []


def test_a_valid_file_is_kept_across_an_error_and_used_on_the_next_send(
    client, open_call, storage_root
):
    content = make_docx("Global Alliance")
    first = _send(
        client, open_call, upload=SimpleUploadedFile("our report.docx", content), contact_email=""
    )
    assert first.status_code == 400
    assert HELD_NOTICE in first.text
    assert "Choose another file to replace it." in first.text
    assert 'type="file"' in first.text  # still there, to replace it
    assert 'href="#id_file"' not in first.text  # the file is not one of the problems
    (held,) = _held_files(storage_root)
    assert held.read_bytes() == content
    assert "our report" not in held.name  # never the client's name on disk
    assert not Submission.objects.exists()

    second = _send(client, open_call, held_file=_held_reference(first))
    assert second.status_code == 302, second.content.decode()
    submission = Submission.objects.get()
    assert submission.original_filename == "our report.docx"
    assert submission.file.read() == content
    assert _held_files(storage_root) == []  # deleted once the submission has it


def test_the_held_file_is_carried_across_a_second_error(client, open_call, storage_root):
    upload = SimpleUploadedFile("our report.docx", make_docx("Global Alliance"))
    first = _send(client, open_call, upload=upload, contact_email="")
    second = _send(client, open_call, held_file=_held_reference(first), contact_name="")
    assert second.status_code == 400
    assert HELD_NOTICE in second.text
    assert _held_reference(second) == _held_reference(first)
    assert _send(client, open_call, held_file=_held_reference(second)).status_code == 302


def test_a_new_file_replaces_the_held_one(client, open_call, storage_root):
    old = SimpleUploadedFile("our report.docx", make_docx("Global Alliance", "Old text."))
    first = _send(client, open_call, upload=old, contact_email="")
    new_content = make_docx("Global Alliance", "New text.")
    second = _send(
        client,
        open_call,
        upload=SimpleUploadedFile("second.docx", new_content),
        held_file=_held_reference(first),
    )
    assert second.status_code == 302
    submission = Submission.objects.get()
    assert submission.original_filename == "second.docx"
    assert submission.file.read() == new_content
    assert _held_files(storage_root) == []  # the replaced one is deleted too


def test_a_new_file_with_another_error_replaces_the_held_one_on_the_page(
    client, open_call, storage_root
):
    old = SimpleUploadedFile("our report.docx", make_docx("Global Alliance"))
    first = _send(client, open_call, upload=old, contact_email="")
    new = SimpleUploadedFile("second.docx", make_docx("Global Alliance"))
    second = _send(
        client, open_call, upload=new, held_file=_held_reference(first), contact_email=""
    )
    assert "We kept your file “second.docx”" in second.text
    assert HELD_NOTICE not in second.text
    assert len(_held_files(storage_root)) == 1


def test_a_file_that_fails_its_checks_is_not_kept(client, open_call, storage_root):
    response = _send(
        client,
        open_call,
        upload=SimpleUploadedFile("our report.docx", b"%PDF-1.4"),
        contact_email="",
    )
    assert response.status_code == 400
    assert "We kept your file" not in response.text
    assert _held_files(storage_root) == []


def test_a_forged_reference_is_refused_with_a_message(client, open_call, storage_root):
    first = _send(
        client,
        open_call,
        upload=SimpleUploadedFile("our report.docx", make_docx("Global Alliance")),
        contact_email="",
    )
    reference = _held_reference(first)
    for forged in (reference[:-2] + "xx", "not-a-reference", signing.dumps({"path": "../x"})):
        response = _send(client, open_call, held_file=forged)
        assert response.status_code == 400
        assert "We could not use the file you chose earlier" in response.text
        assert "Please choose the file again." in response.text
        assert 'href="#id_file"' in response.text
        assert "We kept your file" not in response.text
        assert 'name="held_file" value=""' in response.text or 'value="' + forged not in (
            response.text
        )
    assert not Submission.objects.exists()


def test_a_reference_pointing_outside_the_held_folder_is_refused(client, open_call):
    forged = signing.dumps(
        {"path": "submissions/upload.docx", "name": "x.docx", "size": 1},
        salt=held_uploads.SALT,
    )
    response = _send(client, open_call, held_file=forged)
    assert response.status_code == 400
    assert "We could not use the file you chose earlier" in response.text


def test_an_expired_reference_is_refused_with_a_message(client, open_call, storage_root):
    first = _send(
        client,
        open_call,
        upload=SimpleUploadedFile("our report.docx", make_docx("Global Alliance")),
        contact_email="",
    )
    reference = _held_reference(first)
    with time_machine.travel(timezone.now() + held_uploads.MAX_AGE + timedelta(minutes=1)):
        response = _send(client, open_call, held_file=reference)
    assert response.status_code == 400
    assert "was kept for an hour only" in response.text
    assert "Please choose the file again." in response.text
    assert not Submission.objects.exists()


def test_a_reference_to_a_swept_file_is_refused_with_a_message(client, open_call, storage_root):
    first = _send(
        client,
        open_call,
        upload=SimpleUploadedFile("our report.docx", make_docx("Global Alliance")),
        contact_email="",
    )
    for held in _held_files(storage_root):
        held.unlink()
    response = _send(client, open_call, held_file=_held_reference(first))
    assert response.status_code == 400
    assert "Please choose the file again." in response.text


def test_the_choices_have_no_default(client, open_call):
    page = client.get(reverse("submissions:submit", args=[open_call.slug]))
    assert page.status_code == 200
    assert re.search(
        r'<select name="category"[^>]*>\s*<option value="" selected>Choose…', page.text
    )
    assert re.search(
        r'<select name="language"[^>]*>\s*<option value="" selected>Choose…', page.text
    )
    assert "checked" not in re.search(r'name="publication"[\s\S]*?</fieldset>', page.text).group(0)
    # Sent without looking: each is a problem to fix, not a State.
    response = _send(client, open_call, category="", language="", publication="", upload=None)
    for field in ("category", "language", "publication"):
        assert f'href="#id_{field}' in response.text
    assert 'href="#id_publication_0"' in response.text  # a radio group: its first button
    assert not Submission.objects.exists()


def test_the_held_files_name_is_shown_as_text(client, open_call, storage_root):
    upload = SimpleUploadedFile("a<img src=x onerror=alert(1)>.docx", make_docx("Global Alliance"))
    response = _send(client, open_call, upload=upload, contact_email="")
    assert "We kept your file “a&lt;img src=x onerror=alert(1)&gt;.docx”" in response.text
    assert "<img" not in response.text


def test_a_held_file_that_no_longer_passes_its_checks_is_dropped(
    client, open_call, storage_root, settings
):
    upload = SimpleUploadedFile("our report.docx", make_docx("Global Alliance"))
    first = _send(client, open_call, upload=upload, contact_email="")
    settings.GC6_MAX_UPLOAD_BYTES = 1000
    response = _send(client, open_call, held_file=_held_reference(first))
    assert response.status_code == 400
    assert "largest accepted" in response.text
    assert "We kept your file" not in response.text
    assert 'name="held_file" value="' not in response.text
    assert _held_files(storage_root) == []


def test_a_client_has_only_so_many_files_kept_an_hour(client, open_call, storage_root, settings):
    settings.GC6_HELD_FILES_PER_HOUR = 2
    for _ in range(3):
        page = _send(
            client,
            open_call,
            upload=SimpleUploadedFile("our report.docx", make_docx("Global Alliance")),
            contact_email="",
        )
        assert page.status_code == 400
    assert HELD_NOTICE not in page.text  # the third is not kept: it is chosen again
    assert len(_held_files(storage_root)) == 2
