"""The Secretariat's draft: split on upload, a preview until published, one per language."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services
from submissions.demo_draft import draft_docx
from submissions.enums import CallKind
from submissions.models import DraftText
from tests import factories
from tests.documents import make_docx
from tests.second_round import NUMBERS, publish_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return factories.CallFactory(kind=CallKind.COMMENTS)


@pytest.fixture
def staff():
    return factories.StaffFactory()


def _upload(call, staff, data: bytes, language: str = "en", **kwargs) -> DraftText:
    return services.draft_upload(
        call=call,
        language=language,
        upload=SimpleUploadedFile("Draft GC6.docx", data),
        actor=staff,
        **kwargs,
    )


def test_an_upload_is_split_and_kept_as_an_unpublished_preview(call, staff):
    text = _upload(call, staff, draft_docx("fr"))
    assert not text.is_published
    assert text.numbers() == NUMBERS
    assert text.original_filename == "Draft GC6.docx"
    assert text.paragraph("4")["sub"] == [
        ["(a)", "garantir un recrutement équitable et éthique, sans frais pour les travailleurs ;"],
        ["(b)", "garantir l’accès à la justice sans crainte de détention ou d’expulsion."],
    ]
    assert [p["text"] for p in text.paragraphs if p["heading"]][1:] == [
        "I. Introduction",
        "II. Portée",
        "III. Obligations des États parties",
    ]


def test_publishing_makes_a_clean_public_copy_and_replaces_the_language_s_earlier_draft(
    call, staff
):
    source = docx.Document(io.BytesIO(draft_docx("en")))
    source.core_properties.author = "Jane Drafter"
    source.core_properties.comments = "internal: not for the public"
    buffer = io.BytesIO()
    source.save(buffer)
    first = publish_draft(call, "en", staff, buffer.getvalue())
    with first.public_file.open("rb") as handle:
        core = zipfile.ZipFile(io.BytesIO(handle.read())).read("docProps/core.xml").decode()
    assert "Jane Drafter" not in core and "internal" not in core
    second = publish_draft(call, "en", staff)
    first.refresh_from_db()
    assert second.is_published and not first.is_published  # kept, as an earlier upload
    assert list(call.draft_texts.filter(published_at__isnull=False)) == [second]


def test_an_unreadable_file_is_refused_with_its_reason(call, staff):
    with pytest.raises(services.ServiceError, match=r"\S"):
        _upload(call, staff, b"not a zip at all")
    assert not DraftText.objects.exists()


def test_a_draft_without_numbers_cannot_be_published_until_numbered(call, staff):
    text = _upload(call, staff, make_docx("A title", "First paragraph.", "Second paragraph."))
    assert text.numbers() == []
    assert [p["code"] for p in text.problems] == ["no_numbering"]
    with pytest.raises(services.ServiceError, match="manual mode"):
        services.draft_publish(text=text, actor=staff)
    services.draft_split_again(text=text, manual=True)
    assert text.numbers() == ["1", "2", "3"] and text.manual
    services.draft_renumber(text=text, numbers=["", "1", "2"], headings={0, 1})
    assert text.numbers() == ["1", "2"]
    assert [p["heading"] for p in text.paragraphs] == [True, False, False]  # numbered: text
    services.draft_publish(text=text, actor=staff)
    assert text.is_published


def test_the_secretariat_s_numbers_must_be_unique_and_fit_the_draft(call, staff):
    text = _upload(call, staff, make_docx("One.", "Two."), manual=True)
    with pytest.raises(services.ServiceError, match="given twice"):
        services.draft_renumber(text=text, numbers=["1", "1"])
    with pytest.raises(services.ServiceError, match="changed"):
        services.draft_renumber(text=text, numbers=["1"])
    with pytest.raises(services.ServiceError, match="at least one"):
        services.draft_renumber(text=text, numbers=["", " "])
    services.draft_renumber(text=text, numbers=["7", "7bis"])
    assert text.numbers() == ["7", "7bis"] and text.problems == []
