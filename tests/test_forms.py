import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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


def test_publication_defaults_to_the_calls_rule(open_call):
    assert SubmissionForm(call=open_call).fields["publication"].initial == "publish"


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
