"""Comments on the draft's paragraphs read from Word files: the portal's template (filled
in with python-docx, some saved again by LibreOffice) and stakeholders' own documents."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils.translation import gettext, override
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from submissions.compliance.package import UnreadableDocument
from submissions.drafts import comment_files as cf
from submissions.drafts.comment_files import (
    CommentReading,
    FileProblem,
    ReadComment,
    comments_document,
    comments_template,
    problem_message,
    read_comments,
)
from submissions.drafts.comment_references import RANGE_CAP, opening_reference
from tests.drafts import builders
from tests.drafts import comment_builders as cb
from tests.drafts.comment_builders import NUMBERS, TITLE, row_of

LANGUAGES = ("en", "fr", "es")


@pytest.fixture(scope="session")
def resaved() -> dict[str, bytes]:
    return cb.resaved_by_libreoffice()


def _template_with(edit) -> bytes:
    return cb.edited(comments_template(title=TITLE, numbers=NUMBERS, language="en"), edit)


def _row(table, number: str | None):
    return table.rows[row_of(number) - 1].cells


def _codes(reading: CommentReading) -> list[tuple[str, int | None, str, bool]]:
    return [(p.code, p.row, p.number, p.refusing) for p in reading.problems]


# -- the template ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_blank_template_has_the_headers_a_general_row_and_one_row_per_paragraph(language):
    data = comments_template(title=TITLE, numbers=NUMBERS, language=language)
    document = cb.docx.Document(cb.io.BytesIO(data))
    with override(language):
        headers = [gettext("Paragraph"), gettext("Comment"), gettext("Proposed wording")]
        general = gettext("General")
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == headers
    assert rows[1:] == [[general, "", ""]] + [[n, "", ""] for n in NUMBERS]
    assert document.paragraphs[0].text == TITLE
    reading = read_comments(data, NUMBERS)
    assert reading.kind == cf.TEMPLATE
    assert reading.comments == ()
    assert _codes(reading) == [(cf.NO_COMMENTS, None, "", True)]
    assert reading.refused


@pytest.mark.parametrize("language", LANGUAGES)
def test_filled_template_reads_back_row_by_row(language):
    comments = cb.TEMPLATE_COMMENTS[language]
    reading = read_comments(cb.filled(language, comments), NUMBERS)
    assert reading.kind == cf.TEMPLATE
    assert reading.comments == tuple(comments)
    assert [c.source for c in reading.comments] == [f"row {row_of(c.paragraph)}" for c in comments]
    assert [c.row for c in reading.comments] == [row_of(c.paragraph) for c in comments]
    assert reading.problems == ()
    assert not reading.refused


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_saved_again_by_libreoffice_reads_the_same(resaved, language):
    data = resaved[f"template-{language}"]
    assert "LibreOffice" in cb.app_name(data)  # LibreOffice wrote this file, not python-docx
    reading = read_comments(data, NUMBERS)
    assert reading.kind == cf.TEMPLATE
    assert reading.comments == tuple(cb.TEMPLATE_COMMENTS[language])
    assert reading.problems == ()


@pytest.mark.parametrize(
    "headers",
    [
        ("Paragraphe", "Commentaire", "Libellé proposé"),
        ("Párrafo", "Comentario", "Redacción propuesta"),
        ("Paragraph No.", "COMMENTS", "proposed  wording"),
        ("N°", "Commentaires", "Libelle propose"),
        ("Para.", "Comentarios", "Texto propuesto"),
    ],
)
def test_headers_are_recognised_in_any_language_and_spelling(headers):
    def retype(table):
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        _row(table, "5")[1].text = "On five."

    reading = read_comments(_template_with(retype), NUMBERS)
    assert (reading.kind, reading.comments) == (cf.TEMPLATE, (ReadComment("5", "On five."),))


def test_a_table_without_the_three_headers_is_read_as_a_document():
    def retype(table):
        table.rows[0].cells[2].text = "Notes"
        _row(table, "5")[1].text = "para. 5: too long."

    reading = read_comments(_template_with(retype), NUMBERS)
    assert reading.kind == cf.DOCUMENT
    # Read as text: the cells are lines, the reference starts a passage on paragraph 5.
    (on_five,) = [c for c in reading.comments if c.paragraph is not None]
    assert (on_five.paragraph, on_five.source) == ("5", "para. 5")
    assert on_five.text.startswith("too long.\n6\n7")


@pytest.mark.parametrize(
    ("cell", "number"),
    [("12.", "12"), ("para 12", "12"), ("§12", "12"), ("Para. 12 (a)", "12"), ("N° 12", "12")],
)
def test_number_cells_are_normalised(cell, number):
    def edit(table):
        cells = _row(table, "3")
        cells[0].text, cells[1].text = cell, "A comment."

    reading = read_comments(_template_with(edit), NUMBERS)
    assert reading.comments == (ReadComment(number, "A comment."),)
    assert reading.problems == ()


@pytest.mark.parametrize("label", ["Général", "Generales", "General comments", "—", "-"])
def test_general_labels_make_a_general_comment(label):
    def edit(table):
        cells = _row(table, None)
        cells[0].text, cells[1].text = label, "On the whole draft."

    reading = read_comments(_template_with(edit), NUMBERS)
    assert reading.comments == (ReadComment(None, "On the whole draft."),)


def test_a_comment_without_a_number_is_refused_naming_its_row():
    def edit(table):
        cells = _row(table, "6")
        cells[0].text, cells[1].text = "", "Which paragraph?"

    reading = read_comments(_template_with(edit), NUMBERS)
    assert _codes(reading) == [(cf.ROW_EMPTY_NUMBER, row_of("6"), "", True)]
    assert reading.refused
    assert f"Row {row_of('6')} " in problem_message(reading.problems[0])


def test_a_number_cell_with_other_text_is_refused_naming_its_row_and_text():
    def edit(table):
        cells = _row(table, "6")
        cells[0].text, cells[1].text = "Intro", "On the introduction."

    reading = read_comments(_template_with(edit), NUMBERS)
    assert _codes(reading) == [(cf.ROW_BAD_NUMBER, row_of("6"), "Intro", True)]
    message = problem_message(reading.problems[0])
    assert f"Row {row_of('6')}" in message and "“Intro”" in message


def test_blank_rows_and_numbers_without_comment_are_skipped_silently():
    def edit(table):
        _row(table, "2")[0].text = ""  # a prefilled number erased, nothing written
        table.add_row()  # an empty row at the end
        _row(table, "9")[2].text = "Only a wording."

    reading = read_comments(_template_with(edit), NUMBERS)
    assert reading.comments == (ReadComment("9", "", "Only a wording."),)
    assert reading.problems == ()


def test_a_number_the_draft_does_not_have_is_kept_and_flagged():
    def edit(table):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = "40", "On a paragraph 40."

    reading = read_comments(_template_with(edit), NUMBERS)
    last = len(NUMBERS) + 3
    assert reading.comments == (ReadComment("40", "On a paragraph 40.", unknown_paragraph=True),)
    assert _codes(reading) == [(cf.ROW_UNKNOWN_NUMBER, last, "40", False)]
    assert not reading.refused
    message = problem_message(reading.problems[0])
    assert f"Row {last} " in message and "paragraph 40" in message


def test_rows_out_of_order_are_read_in_file_order_with_one_problem():
    def edit(table):
        for number, typed in (("4", "4"), ("5", "2"), ("6", "1")):
            cells = _row(table, number)
            cells[0].text, cells[1].text = typed, f"Typed as {typed}."

    reading = read_comments(_template_with(edit), NUMBERS)
    assert [c.paragraph for c in reading.comments] == ["4", "2", "1"]
    assert _codes(reading) == [(cf.ROW_OUT_OF_ORDER, row_of("5"), "2", False)]
    assert f"Row {row_of('5')} " in problem_message(reading.problems[0])


def test_a_number_cell_merged_with_the_row_above_takes_its_number():
    def edit(table):
        _row(table, "4")[0].text = ""
        _row(table, "3")[0].merge(_row(table, "4")[0])
        _row(table, "3")[1].text = "First part."
        _row(table, "4")[1].text = "Second part."

    data = _template_with(edit)
    assert "w:vMerge/>" in builders.document_xml(data)  # a continued vertical merge
    reading = read_comments(data, NUMBERS)
    assert reading.comments == (
        ReadComment("3", "First part."),
        ReadComment("3", "Second part."),
    )
    assert _codes(reading) == [(cf.ROW_MERGED_NUMBER, row_of("4"), "3", False)]
    assert f"Row {row_of('4')}:" in problem_message(reading.problems[0])


def test_a_cell_spanning_number_and_comment_is_refused_naming_its_row():
    def edit(table):
        cells = _row(table, "8")
        cells[1].text = "Merged with its number."
        cells[0].merge(cells[1])

    data = _template_with(edit)
    assert 'w:gridSpan w:val="2"' in builders.document_xml(data)
    reading = read_comments(data, NUMBERS)
    assert _codes(reading) == [(cf.ROW_MERGED_CELLS, row_of("8"), "", True)]
    assert f"Row {row_of('8')}:" in problem_message(reading.problems[0])


def test_a_table_nested_in_a_cell_is_read_into_its_text():
    def edit(table):
        cell = _row(table, "10")[1]
        cell.text = "Two options:"
        nested = cell.add_table(rows=2, cols=1)
        nested.cell(0, 0).text, nested.cell(1, 0).text = "Option A", "Option B"

    reading = read_comments(_template_with(edit), NUMBERS)
    assert reading.comments == (ReadComment("10", "Two options:\nOption A\nOption B"),)


def test_hidden_text_and_tracked_deletions_in_a_cell_are_not_read():
    def edit(table):
        paragraph = _row(table, "2")[1].paragraphs[0]
        builders._tracked_deletion(paragraph, builders.DELETED)
        paragraph.add_run("Shown.")
        paragraph.add_run(f" {builders.HIDDEN}").font.hidden = True

    data = _template_with(edit)
    assert builders.HIDDEN in builders.document_xml(data)
    assert read_comments(data, NUMBERS).comments == (ReadComment("2", "Shown."),)


def test_a_row_deleted_as_a_tracked_change_is_not_read_but_still_counted():
    def edit(table):
        deleted, after = _row(table, "2"), _row(table, "3")
        deleted[1].text, after[0].text, after[1].text = "Deleted comment.", "", "No number."
        table.rows[row_of("2") - 1]._tr.get_or_add_trPr().append(
            parse_xml(
                f'<w:del {nsdecls("w")} w:id="9" w:author="E" w:date="2026-11-01T00:00:00Z"/>'
            )
        )

    reading = read_comments(_template_with(edit), NUMBERS)
    assert reading.comments == ()
    assert _codes(reading) == [(cf.ROW_EMPTY_NUMBER, row_of("3"), "", True)]


# -- a stakeholder's own document -----------------------------------------------------


def _unknown(language: str) -> list[tuple[str, str]]:
    return [(c.paragraph, c.source) for c in cb.own_comments(language) if c.unknown_paragraph]


@pytest.mark.parametrize("language", LANGUAGES)
def test_own_document_passages_go_to_the_paragraphs_they_name(language):
    reading = read_comments(cb.own_document(language), NUMBERS)
    expected = cb.own_comments(language)
    assert reading.kind == cf.DOCUMENT
    assert list(reading.comments) == expected
    assert [c.source for c in reading.comments] == [c.source for c in expected]
    assert [(p.code, p.number, p.source) for p in reading.problems] == [
        (cf.UNKNOWN_REFERENCE, number, source) for number, source in _unknown(language)
    ]
    assert not reading.refused


@pytest.mark.parametrize("language", LANGUAGES)
def test_own_document_saved_by_libreoffice_reads_the_same(resaved, language):
    data = resaved[f"own-{language}"]
    assert "LibreOffice" in cb.app_name(data)
    assert list(read_comments(data, NUMBERS).comments) == cb.own_comments(language)


def test_unknown_reference_message_quotes_the_reference():
    reading = read_comments(cb.own_document("en"), NUMBERS)
    (problem,) = reading.problems
    assert problem_message(problem).startswith("“para. 40” refers to paragraph 40,")


def test_a_document_without_references_is_one_general_comment():
    lines = ["In 2022, article 12 of the Convention was recalled.", "It has 93 articles."]
    reading = read_comments(builders.plain_draft(*lines), NUMBERS)
    assert reading.comments == (ReadComment(None, "\n".join(lines)),)
    assert _codes(reading) == [(cf.NO_REFERENCES, None, "", False)]


@pytest.mark.parametrize(
    "line",
    [
        "Red Andina de Personas Migrantes",
        "Presentado por la Red Andina de Personas Migrantes",
        "Présenté par la RED ANDINA de personas migrantes, 12 septembre 2022",
        "Submitted by: Red Andina de Personas Migrantes, 1 September 2022.",
        "Comments of the Red Andina de Personas Migrantes",
    ],
)
def test_a_line_naming_only_the_sender_is_no_comment(line):
    data = builders.plain_draft(line, "Párrafo 4: añadir la unidad familiar.")
    reading = read_comments(data, NUMBERS, stakeholder="Red Andina de Personas Migrantes")
    assert [(c.paragraph, c.text) for c in reading.comments] == [
        ("4", "añadir la unidad familiar.")
    ]
    # Without the sender's name, the same line is a general comment, as before.
    assert read_comments(data, NUMBERS).comments[0].text == line


@pytest.mark.parametrize(
    "line",
    [
        "Red Andina de Personas Migrantes supports the draft.",
        "La Red Andina de Personas Migrantes apoya el proyecto",
        "Nous, Red Andina de Personas Migrantes, saluons le projet",
        "Red Andina",  # part of the name only
    ],
)
def test_a_line_saying_more_than_who_sends_stays_a_comment(line):
    data = builders.plain_draft(line, "Párrafo 4: añadir la unidad familiar.")
    reading = read_comments(data, NUMBERS, stakeholder="Red Andina de Personas Migrantes")
    first = reading.comments[0]
    assert (first.paragraph, first.text) == (None, line)


def test_a_template_row_naming_the_sender_is_still_read():
    data = cb.filled("en", [ReadComment("5", "Global Alliance", "")])
    reading = read_comments(data, NUMBERS, stakeholder="Global Alliance")
    assert [(c.paragraph, c.text) for c in reading.comments] == [("5", "Global Alliance")]


def test_a_long_range_is_capped():
    data = builders.plain_draft("paras. 1-200: Everything.")
    reading = read_comments(data, [str(n) for n in range(1, 201)])
    assert [c.paragraph for c in reading.comments] == [str(n) for n in range(1, RANGE_CAP + 1)]
    assert [(p.code, p.source) for p in reading.problems] == [(cf.RANGE_TOO_LONG, "paras. 1-200")]


def test_an_empty_document_has_no_comments():
    reading = read_comments(builders.plain_draft("", "  "), NUMBERS)
    assert _codes(reading) == [(cf.NO_COMMENTS, None, "", True)]


@pytest.mark.parametrize(
    "text",
    [
        "article 12 of the Convention",
        "In 2022 the Committee met.",
        "Paragraph 2 of article 12 protects workers.",
        "Article 5, paragraph 2, of the Convention.",
        "See CMW/C/GC/1, para. 3.",
        "See also paragraph 4.",
        "1.5 million migrant workers, paragraph 1.5",
        "Las metas para 12 meses.",
        "A long opening sentence, well past a few words, then paragraph 12.",
        "sub-paragraph 3",
    ],
)
def test_prose_numbers_are_not_references(text):
    assert opening_reference(text) is None


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("para. 12", ("12",)),
        ("paragraph 12", ("12",)),
        ("paragraphs 12 and 14", ("12", "14")),
        ("paras. 12-14", ("12", "13", "14")),
        ("paras. 12–14", ("12", "13", "14")),
        ("párrafo 12", ("12",)),
        ("párr. 12", ("12",)),
        ("paragraphe 12", ("12",)),
        ("§ 12", ("12",)),
        ("¶ 12", ("12",)),
        ("§§ 3, 5 and 7", ("3", "5", "7")),
        ("Paragraph 12 and paragraph 14", ("12", "14")),
        ("Para 12", ("12",)),
        ("In paragraph 12, the draft", ("12",)),
    ],
)
def test_each_reference_form_names_its_paragraphs(text, numbers):
    found = opening_reference(text)
    assert found is not None and found.numbers == numbers


# -- the comments typed on the web page, kept as a Word file --------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_comments_document_reads_back_as_the_same_comments(language):
    comments = [
        ReadComment(None, "General view.\n\nAfter a blank line."),
        ReadComment("2", "On two.", "New text for two.\nSecond line."),
        ReadComment("2", "Another comment on two."),
        ReadComment("12", "", "Only a wording."),
        ReadComment("13", "Typed for a paragraph since removed.", unknown_paragraph=True),
    ]
    data = comments_document(
        title=TITLE, stakeholder="Global Alliance", comments=comments, language=language
    )
    document = cb.docx.Document(cb.io.BytesIO(data))
    assert document.paragraphs[0].text.endswith(" Global Alliance")
    reading = read_comments(data, NUMBERS)
    assert reading.comments == tuple(comments)
    assert reading.stakeholder == "Global Alliance"
    assert _codes(reading) == [(cf.ROW_UNKNOWN_NUMBER, 6, "13", False)]


def test_source_and_row_are_not_compared():
    read = ReadComment("3", "Text.", source="row 5", row=5)
    assert read == ReadComment("3", "Text.")
    assert dataclasses.replace(read, text="Other.") != ReadComment("3", "Text.")


# -- messages and hostile files -------------------------------------------------------


@pytest.mark.parametrize(
    "problem",
    [
        FileProblem(cf.ROW_EMPTY_NUMBER, 7, refusing=True),
        FileProblem(cf.ROW_BAD_NUMBER, 7, "Intro", refusing=True),
        FileProblem(cf.ROW_MERGED_CELLS, 7, refusing=True),
        FileProblem(cf.ROW_UNKNOWN_NUMBER, 7, "40"),
        FileProblem(cf.ROW_OUT_OF_ORDER, 7, "2"),
        FileProblem(cf.ROW_MERGED_NUMBER, 7, "3"),
        FileProblem(cf.ROW_MERGED_NUMBER, 7, ""),
        FileProblem(cf.UNKNOWN_REFERENCE, None, "40", source="para. 40"),
        FileProblem(cf.RANGE_TOO_LONG, None, "1", source="paras. 1-200"),
        FileProblem(cf.NO_COMMENTS, refusing=True),
        FileProblem(cf.NO_REFERENCES),
    ],
)
def test_every_problem_has_a_message_naming_its_row_and_number(problem):
    message = problem_message(problem)
    assert "%(" not in message and message != problem.code
    if problem.row is not None:
        assert f"Row {problem.row}" in message
    if problem.number and problem.code != cf.RANGE_TOO_LONG:
        assert problem.number in message
    if problem.source:
        assert f"“{problem.source}”" in message


@pytest.mark.parametrize(
    "name", ["binary_garbage.docx", "pdf_renamed.docx", "zip_bomb.docx", "external_dtd.docx"]
)
def test_hostile_files_are_refused_with_their_code(name):
    data, code = builders.bad_inputs()[name]
    with pytest.raises(UnreadableDocument) as refusal:
        read_comments(data, NUMBERS)
    assert refusal.value.code == code
