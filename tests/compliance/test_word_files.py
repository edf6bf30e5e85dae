"""The rules on files Microsoft Word saved (tests/data/word/), against LibreOffice's answers.

The real files and the variants (a real file changed in one place, see
tests/corpus/word_variants.py) are made by tests/corpus/word_build.py, which
records in answers.json what LibreOffice says of each; never our own numbers.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from submissions.compliance import CallRules, clean_docx, evaluate, public_text
from submissions.compliance.package import open_document
from submissions.compliance.text import ASSUMED_PAGE, ASSUMED_STYLES, DEFAULT_PAGE, extract
from tests.corpus.word_variants import NAME, rewrite
from tests.libreoffice_answers import header_text_box_words, libreoffice_reference, within

WORD = Path(__file__).parent.parent / "data" / "word"
ANSWERS = json.loads((WORD / "answers.json").read_text(encoding="utf-8"))
RULES = CallRules(word_limit=5000, deadline=None)
# LibreOffice imports no tracked change from these: it shows deleted and moved-away
# text as ordinary text, where Word's final view (and our count) leaves it out.
LIBREOFFICE_SHOWS_DELETIONS = {"TestFiles__RP__RP018-MoveFrom-MoveTo-CC"}


def _data(name: str) -> bytes:
    return (WORD / f"{name}.docx").read_bytes()


def _check(data: bytes, name: str = NAME):
    return evaluate(
        data, rules=RULES, stakeholder_name=name, received_at=datetime(2022, 9, 1, tzinfo=UTC)
    )


def _agrees(ours: int, answer: dict) -> bool:
    return any(within(ours, ref) for ref in libreoffice_reference(answer) if ref is not None)


def _with_deleted_text(data: bytes) -> bytes:
    """The file with its tracked deletions and moves turned into ordinary text."""

    def edit(xml: bytes) -> bytes:
        for old, new in ((b"w:del ", b"w:ins "), (b"w:del>", b"w:ins>"), (b"w:delText", b"w:t")):
            xml = xml.replace(old, new)
        return xml.replace(b"w:moveFrom ", b"w:ins ").replace(b"w:moveFrom>", b"w:ins>")

    return rewrite(data, {"word/document.xml": edit})


def test_the_subset_covers_real_files_and_variants():
    sources = [answer["source"] for answer in ANSWERS.values()]
    assert sum(s == "word-corpus" for s in sources) >= 45
    assert sum(s.startswith("variant") for s in sources) >= 10


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_word_file_gets_a_report(name):
    report = _check(_data(name))
    assert report.readable, report.codes()
    assert report.word_count is not None


@pytest.mark.parametrize("name", sorted(set(ANSWERS) - LIBREOFFICE_SHOWS_DELETIONS))
def test_word_count_agrees_with_libreoffice_on_the_same_parts(name):
    data = _data(name)
    answer = ANSWERS[name].get("final_view") or ANSWERS[name]
    ours = _check(data).word_count_with_notes + header_text_box_words(data)
    assert _agrees(ours, answer), (ours, libreoffice_reference(answer))


@pytest.mark.parametrize("name", sorted(LIBREOFFICE_SHOWS_DELETIONS))
def test_where_libreoffice_keeps_deleted_text_our_count_with_it_is_libreoffices(name):
    final = _check(_data(name)).word_count_with_notes
    with_deletions = _check(_with_deleted_text(_data(name))).word_count_with_notes
    assert final < with_deletions
    assert _agrees(with_deletions, ANSWERS[name])


def test_list_labels_are_not_counted():
    answer = ANSWERS["NewDocxDocuments__NumberedList"]
    per_part, total = libreoffice_reference(answer)
    assert per_part < total  # LibreOffice's total counts "1.", "2.", ...
    assert _check(_data("NewDocxDocuments__NumberedList")).word_count == per_part


def test_a_text_box_stored_only_as_vml_is_counted_once():
    report = _check(_data("variant_vml_only_text_box"))
    assert report.word_count_main == 0
    assert report.word_count_with_notes == ANSWERS["variant_vml_only_text_box"]["lo_word_count"]
    assert report.word_count_with_notes == _check(_data("NewDocxDocuments__TextBox")).word_count


def test_a_page_mark_inside_a_word_keeps_it_one_word():
    report = _check(_data("variant_page_mark_inside_word"))
    assert report.word_count == _check(_data("NewDocxDocuments__Plain")).word_count
    assert report.word_count == ANSWERS["variant_page_mark_inside_word"]["lo_word_count"]
    assert "Video provides" in report.text


def test_fields_show_their_results_never_codes_or_nested_results():
    report = _check(_data("variant_nested_and_empty_fields"))
    assert "Before Outer shown result after." in report.text
    assert "[Type your name]" in report.text  # a MACROBUTTON shows its prompt
    for code in ("Inner result words", "DOCPROPERTY", "QUOTE", "MACROBUTTON", "PAGE"):
        assert code not in report.text
    # LibreOffice computes the never-updated PAGE field ("1"): one word more.
    assert report.word_count == ANSWERS["variant_nested_and_empty_fields"]["lo_word_count"] - 1


def test_text_hidden_through_styles_is_neither_counted_nor_read():
    report = _check(_data("variant_hidden_through_styles"))
    assert report.word_count == ANSWERS["variant_hidden_through_styles"]["lo_word_count"]
    assert report.word_count == _check(_data("NewDocxDocuments__Plain")).word_count
    assert "Hidden by" not in report.text
    assert "Hidden by" not in public_text(clean_docx(_data("variant_hidden_through_styles")))


def test_text_hidden_on_the_run_is_neither_counted_nor_published():
    data = _data("TestFiles__HC019-Hidden-Run")
    assert _agrees(_check(data).word_count, ANSWERS["TestFiles__HC019-Hidden-Run"])
    with zipfile.ZipFile(io.BytesIO(clean_docx(data))) as archive:
        assert b"w:vanish" not in archive.read("word/document.xml").split(b"<w:body>")[1]


@pytest.mark.parametrize(
    ("name", "assumed"),
    [
        ("variant_no_section_properties", {ASSUMED_PAGE}),
        ("TestFiles__HC047-No-Section", {ASSUMED_PAGE}),
        ("variant_no_styles_part", {ASSUMED_STYLES}),
        ("variant_empty_styles_part", {ASSUMED_STYLES}),
    ],
)
def test_a_missing_part_takes_words_defaults_and_says_so(name, assumed):
    opened = open_document(_data(name))
    text = extract(opened.package, opened.main)
    assert text.assumed == assumed
    if ASSUMED_PAGE in assumed:
        assert (text.page_width_twips, text.page_height_twips) == DEFAULT_PAGE
    report = _check(_data(name))
    assert report.word_count == libreoffice_reference(ANSWERS[name])[0]
    if report.first_page_method == "estimate":
        (finding,) = [f for f in report.findings if f.code == "defaults_assumed"]
        assert finding.params == {"assumed": sorted(assumed)}


def test_a_file_without_numbering_or_settings_is_read():
    report = _check(_data("variant_no_numbering_or_settings"))
    assert report.word_count == ANSWERS["variant_no_numbering_or_settings"]["lo_word_count"]


def test_strict_ooxml_is_read_like_transitional():
    strict = _check(_data("variant_strict"))
    assert strict.word_count_with_notes == ANSWERS["variant_strict"]["lo_word_count"]
    assert strict.text == _check(_data("NewDocxDocuments__FootNote")).text
    assert public_text(clean_docx(_data("variant_strict"))) == strict.text


def test_a_body_of_only_a_table_is_read_and_its_name_found():
    report = _check(_data("variant_only_a_table"))
    assert report.word_count == ANSWERS["variant_only_a_table"]["lo_word_count"]
    assert report.name_on_first_page is ANSWERS["variant_only_a_table"]["needle_on_page1"] is True


def test_a_footnote_cited_on_page_one_is_on_page_one():
    report = _check(_data("variant_name_in_footnote"))
    assert report.first_page_method == "estimate"
    assert report.name_on_first_page is ANSWERS["variant_name_in_footnote"]["needle_on_page1"]
    assert report.name_on_first_page is True


def test_an_alternative_chunk_is_read_where_word_merges_it():
    report = _check(_data("TestFiles__CA__CA009-altChunk"))
    assert "This is the first paragraph in inserted content." in report.text
    assert _agrees(report.word_count, ANSWERS["TestFiles__CA__CA009-altChunk"])


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("NewDocxDocuments__Chart", [["chart", 1, []]]),
        ("NewDocxDocuments__EmbeddedWorkbook", [["workbook", 1, []]]),
        ("TestFiles__HC044-Embedded-Workbook", [["workbook", 1, []]]),
    ],
)
def test_embedded_content_is_listed_and_left_out_of_the_public_copy(name, kinds):
    report = _check(_data(name))
    assert report.readable
    (finding,) = [f for f in report.findings if f.code == "embedded_content"]
    assert finding.params == {"embedded": kinds}
    assert len(report.embedded) == sum(count for _kind, count, _labels in kinds)
    with zipfile.ZipFile(io.BytesIO(clean_docx(_data(name)))) as archive:
        names = archive.namelist()
        assert not [n for n in names if n.lower().startswith("word/embeddings/")]
        for xml in (n for n in names if n.endswith((".xml", ".rels"))):
            assert b"embeddings/" not in archive.read(xml), xml
            assert b"OLEObject" not in archive.read(xml), xml
    assert public_text(clean_docx(_data(name))) == report.text


def _name_after(marker: bytes) -> bytes:
    """Word's sample paragraph three times, the third opening with `marker` and the name."""

    def edit(xml: bytes) -> bytes:
        start = xml.index(b"<w:p ")
        end = xml.index(b"</w:p>", start) + len(b"</w:p>")
        paragraph = xml[start:end]
        third = paragraph.replace(b"<w:t>", marker + f"<w:t>{NAME}. ".encode(), 1)
        return xml[:start] + paragraph * 2 + third + xml[end:]

    return rewrite(_data("NewDocxDocuments__Plain"), {"word/document.xml": edit})


def test_a_name_just_past_words_saved_page_end_is_a_warning():
    report = _check(_name_after(b"<w:lastRenderedPageBreak/>"))
    assert report.first_page_method == "page_break"
    assert report.codes() == ["name_near_page_end"]
    assert not report.has_errors


def test_a_name_past_a_hard_page_break_is_an_error():
    report = _check(_name_after(b'<w:br w:type="page"/>'))
    assert report.first_page_method == "page_break"
    assert report.codes() == ["name_not_on_first_page"]


def test_a_program_inside_an_alternative_chunk_is_refused():
    from tests.ole_files import package_object

    buffer = io.BytesIO(_data("NewDocxDocuments__Plain"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/embeddings/oleObject1.bin", package_object("run.bat", b"@echo"))
    inner = buffer.getvalue()
    smuggled = rewrite(
        _data("TestFiles__CA__CA009-altChunk"), {"word/afchunk2.dat": lambda _: inner}
    )
    report = _check(smuggled)
    assert not report.readable
    assert report.findings[0].code == "embedded_program"
    assert report.findings[0].params == {"name": "run.bat"}


def test_an_alternative_chunk_reaches_the_public_copy_as_plain_text_only():
    data = _data("TestFiles__CA__CA009-altChunk")
    clean = clean_docx(data)
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert "word/afchunk2.dat" not in archive.namelist()
        assert b"altChunk" not in archive.read("word/document.xml")
    assert public_text(clean) == _check(data).text
