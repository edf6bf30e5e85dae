"""The whole rule check on files LibreOffice wrote, and on files that are not Word."""

from datetime import UTC, datetime, timedelta

import pytest

from submissions.compliance import DO_NOT_PUBLISH, PUBLISH_ANONYMOUS, CallRules, Severity, evaluate
from tests.conftest import CORPUS_EXPECTED as EXPECTED
from tests.conftest import LO_AT_RUN_TIME
from tests.documents import make_docx

DEADLINE = datetime(2022, 9, 12, 21, 59, 59, 999999, tzinfo=UTC)  # 23:59:59 in Geneva
RULES = CallRules(word_limit=5000, deadline=DEADLINE)
ON_TIME = datetime(2022, 9, 1, tzinfo=UTC)


def _check(data: bytes, name: str = "Global Alliance", **kwargs):
    kwargs.setdefault("received_at", ON_TIME)
    kwargs.setdefault("rules", RULES)
    return evaluate(data, stakeholder_name=name, **kwargs)


def _main(case: dict) -> int:
    """Word's default count, as LibreOffice's parts give it: body and tables."""
    return case["parts"]["body"] + case["parts"]["tables"]


@pytest.mark.parametrize("doc", LO_AT_RUN_TIME)
def test_documents_written_now_by_libreoffice_are_read_as_recorded(lo_docs, doc):
    expected = EXPECTED[doc]
    report = _check(lo_docs[doc].read_bytes(), expected["needle"])
    assert report.word_count_with_notes == expected["lo_word_count"]
    assert report.word_count_main == _main(expected)
    assert report.name_on_first_page is expected["needle_on_page1"]


def test_ordinary_libreoffice_document_meets_the_rules(lo_docs):
    report = _check(lo_docs["ordinary"].read_bytes(), EXPECTED["ordinary"]["needle"])
    assert report.ok
    assert report.findings == ()
    assert "Objective 12" in report.text  # table text is read
    assert "73/195" in report.text  # and the footnote's


def test_over_limit_document_is_an_error_with_the_figures(lo_docs):
    report = _check(lo_docs["over_limit"].read_bytes(), EXPECTED["over_limit"]["needle"])
    (finding,) = report.findings
    assert finding.code == "over_word_limit"
    assert finding.severity == Severity.ERROR
    assert finding.params["count"] == EXPECTED["over_limit"]["lo_word_count"]
    assert finding.params["excess"] == EXPECTED["over_limit"]["lo_word_count"] - 5000
    assert not report.ok


def test_name_after_a_page_break_is_not_on_the_first_page(lo_docs):
    report = _check(
        lo_docs["name_on_page_two"].read_bytes(), EXPECTED["name_on_page_two"]["needle"]
    )
    assert report.first_page_method == "page_break"
    assert report.codes() == ["name_not_on_first_page"]
    assert report.findings[0].severity == Severity.ERROR


def test_limit_without_notes_is_a_call_setting(lo_docs):
    rules = CallRules(word_limit=1190, deadline=DEADLINE, count_notes=False)
    report = _check(lo_docs["ordinary"].read_bytes(), EXPECTED["ordinary"]["needle"], rules=rules)
    assert report.word_count == _main(EXPECTED["ordinary"])
    assert report.ok
    strict = CallRules(word_limit=1190, deadline=DEADLINE, count_notes=True)
    report = _check(lo_docs["ordinary"].read_bytes(), EXPECTED["ordinary"]["needle"], rules=strict)
    assert report.codes() == ["over_word_limit"]


def test_received_exactly_at_the_deadline_is_on_time():
    report = _check(make_docx("Global Alliance"), received_at=DEADLINE)
    assert report.received_on_time
    assert report.ok


def test_received_after_the_deadline_is_late_in_geneva_time():
    report = _check(make_docx("Global Alliance"), received_at=DEADLINE + timedelta(microseconds=1))
    assert not report.received_on_time
    (finding,) = report.findings
    assert finding.code == "received_after_deadline"
    assert finding.params["deadline"] == "2022-09-12 23:59 CEST"


def test_name_in_the_first_page_header_counts():
    import io

    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Global Alliance"
    document.add_paragraph("Our input on the general comment.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert _check(buffer.getvalue()).name_on_first_page


def test_name_only_in_document_properties_does_not_count():
    import io

    import docx

    document = docx.Document()
    document.core_properties.author = "Global Alliance"
    document.core_properties.title = "Global Alliance"
    document.add_paragraph("Our input on the general comment.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert _check(buffer.getvalue()).codes() == ["name_not_on_first_page_estimated"]


def test_publication_choices_become_findings():
    data = make_docx("Global Alliance")
    assert _check(data, publication=DO_NOT_PUBLISH).codes() == ["publication_withheld"]
    anonymous = _check(make_docx("Our input, signed by no one."), publication=PUBLISH_ANONYMOUS)
    assert anonymous.codes() == ["publication_anonymous", "name_not_on_first_page_estimated"]
    assert not anonymous.ok  # a person checks the document before posting
    named = _check(data, publication=PUBLISH_ANONYMOUS)  # and here it names its submitter
    assert named.codes() == ["publication_anonymous", "name_in_anonymous_document"]


def test_empty_document_is_an_error():
    assert _check(make_docx()).codes()[0] == "empty_document"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.7\n...", "pdf_file"),
        (b"{\\rtf1\\ansi hello}", "rtf_file"),
        (b"just some text", "text_file"),
        (b"\x00\x01\x02\x03 binary", "not_a_word_file"),
        (b"PK\x03\x04 truncated", "damaged_file"),
    ],
)
def test_files_that_are_not_word_documents_get_their_own_code(data, code):
    report = _check(data)
    assert not report.readable
    assert report.codes()[0] == code
    assert report.findings[0].severity == Severity.ERROR


def test_a_zip_without_a_word_document_is_not_a_word_file():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert _check(buffer.getvalue()).codes() == ["not_a_word_file"]


def test_a_zip_bomb_is_refused_from_its_directory():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    assert _check(buffer.getvalue()).codes() == ["package_too_large"]


def test_report_serialises_with_ok():
    data = _check(make_docx("Global Alliance")).to_dict()
    assert data["ok"] is True
    assert data["word_count"] == 2
    assert data["findings"] == []


ENGLISH = (
    "States parties shall ensure that migrant workers and members of their families have "
    "access to justice and effective remedies, whatever their migration status."
)


def test_a_request_not_to_publish_conflicts_with_posting():
    data = make_docx("Global Alliance", "NOT FOR PUBLICATION", ENGLISH)
    report = _check(data)
    assert report.codes() == ["publication_objection_in_text"]
    assert report.findings[0].params == {
        "phrase": "not for publication",
        "where": "on the first page",
    }
    assert not report.ok  # a person decides before anything is posted


def test_a_request_not_to_publish_agrees_with_do_not_publish():
    data = make_docx("Global Alliance", "NOT FOR PUBLICATION", ENGLISH)
    assert _check(data, publication=DO_NOT_PUBLISH).codes() == ["publication_withheld"]


def test_language_differs_from_the_declared_one():
    report = _check(make_docx("Global Alliance", ENGLISH), declared_language="fr")
    assert report.language == "en"
    assert report.codes() == ["language_mismatch"]
    assert report.findings[0].params == {"declared": "fr", "detected": "en"}


def test_a_language_the_call_does_not_prefer_is_a_note():
    text = (
        "Os Estados partes devem garantir que os trabalhadores migrantes e os membros das "
        "suas famílias tenham acesso à justiça e a recursos efetivos."
    )
    report = _check(make_docx("Global Alliance", text), declared_language="other")
    assert report.language == "pt"
    assert report.codes() == ["language_not_preferred"]
    assert report.findings[0].severity == Severity.INFO
    assert report.ok
