import os
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions import held_uploads
from submissions.forms import SubmissionForm
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx


def _form(call, data=None, filename="input.docx", content=None):
    content = make_docx("Global Alliance") if content is None else content
    files = {"file": SimpleUploadedFile(filename, content)}
    return SubmissionForm(
        {**SUBMITTER_FORM, "stakeholder_name": "  Global   Alliance ", **(data or {})},
        files,
        call=call,
    )


def test_valid_form_normalises_the_name(open_call):
    form = _form(open_call)
    assert form.is_valid(), form.errors
    assert form.details().stakeholder_name == "Global Alliance"


def test_the_choices_have_no_default_and_are_required(open_call):
    form = SubmissionForm(call=open_call)
    for name in ("category", "language", "publication"):
        assert form[name].value() in (None, ""), name
        assert form.fields[name].required
    assert form.fields["category"].choices[0] == ("", "Choose…")
    assert form.fields["language"].choices[0] == ("", "Choose…")
    assert "" not in dict(form.fields["publication"].choices)  # radios: none checked
    blank = _form(open_call, data={"category": "", "language": "", "publication": ""})
    assert not blank.is_valid()
    assert {"category", "language", "publication"} <= set(blank.errors)


def test_held_uploads_round_trip_and_refuse_what_they_did_not_sign(open_call):
    content = make_docx("Global Alliance")
    held = held_uploads.hold(SimpleUploadedFile("Our report.docx", content))
    assert (held.name, held.size) == ("Our report.docx", len(content))
    upload = held_uploads.take(held.reference)
    assert (upload.name, upload.size, upload.read()) == ("Our report.docx", len(content), content)
    payload = signing.loads(held.reference, salt=held_uploads.SALT)
    assert payload["path"].startswith("held/") and "Our report" not in payload["path"]
    with pytest.raises(held_uploads.HeldUploadError):
        held_uploads.take(held.reference + "x")
    with pytest.raises(held_uploads.HeldUploadError):
        held_uploads.take(signing.dumps(payload))  # signed, but not with our salt
    later = timezone.now() + held_uploads.MAX_AGE + timedelta(seconds=5)
    with time_machine.travel(later), pytest.raises(held_uploads.HeldUploadExpired):
        held_uploads.take(held.reference)
    held_uploads.release(held.reference)
    with pytest.raises(held_uploads.HeldUploadExpired):  # deleted: gone as if expired
        held_uploads.take(held.reference)


def test_held_uploads_older_than_an_age_are_deleted(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    assert held_uploads.delete_older_than(held_uploads.MAX_AGE) == 0  # no folder yet
    old = held_uploads.hold(SimpleUploadedFile("old.docx", b"old"))
    new = held_uploads.hold(SimpleUploadedFile("new.docx", b"new"))
    old_path = tmp_path / signing.loads(old.reference, salt=held_uploads.SALT)["path"]
    two_hours_ago = time.time() - 7200
    os.utime(old_path, (two_hours_ago, two_hours_ago))
    assert held_uploads.delete_older_than(held_uploads.MAX_AGE) == 1
    assert not old_path.exists()
    assert held_uploads.take(new.reference).read() == b"new"


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("input.docx", b"%PDF-1.4 ...", "This is a PDF file"),
        ("input.docx", b"hello", "not a Word document"),
        ("input.odt", make_docx("Global Alliance"), "ending in .docx"),
    ],
)
def test_file_problems_are_explained(open_call, filename, content, expected):
    form = _form(open_call, filename=filename, content=content)
    assert not form.is_valid()
    assert expected in form.errors["file"][0]


def test_empty_file_is_refused_by_django_with_a_message(open_call):
    form = _form(open_call, content=b"")
    assert not form.is_valid()
    assert form.errors["file"]


def test_too_large_file_is_refused(open_call, settings):
    settings.GC6_MAX_UPLOAD_BYTES = 1000
    form = _form(open_call)
    assert not form.is_valid()
    assert "largest accepted" in form.errors["file"][0]


def test_contact_email_must_be_an_address(open_call):
    form = _form(open_call, data={"contact_email": "not-an-address"})
    assert not form.is_valid()
    assert "contact_email" in form.errors
