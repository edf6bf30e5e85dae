"""The draft splitter: Word's numbering and typed numbers, in three languages."""

from __future__ import annotations

import pytest

from submissions.compliance.package import UnreadableDocument
from submissions.drafts import split_draft
from submissions.drafts.split import (
    FIRST_NUMBER_NOT_ONE,
    NO_NUMBERING,
    NUMBER_OUT_OF_ORDER,
    REPEATED_NUMBER,
    SKIPPED_NUMBER,
    Problem,
    problem_message,
)
from tests.drafts import builders
from tests.drafts.builders import BOXED, DELETED, HIDDEN, LANGUAGES, TEXTS

# Chapters at level 0 ("I."), paragraphs at level 1 ("1."), as UN documents number them.
CHAPTERS = [(0, "Chapter one"), (1, "Para a"), (1, "Para b"), (0, "Chapter two"), (1, "Para c")]
NEVER_AGAIN = '<w:lvlRestart w:val="0"/>'
# Nothing after the chapters' label, a space after the paragraphs'.
SUFFIXES = [
    ("upperRoman", "%1.", '<w:suff w:val="nothing"/>'),
    ("decimal", "%2.", '<w:suff w:val="space"/>'),
]


def _chapters(paragraph_level_extra: str) -> bytes:
    levels = [("upperRoman", "%1.", ""), ("decimal", "%2.", paragraph_level_extra)]
    return builders.multilevel_draft(levels, CHAPTERS)


@pytest.fixture(scope="session")
def lo_drafts() -> dict[str, bytes]:
    return builders.libreoffice_drafts()


@pytest.fixture(scope="session")
def built() -> dict[str, bytes]:
    """python-docx files with their copies as LibreOffice writes them back."""
    files = {
        "layout": builders.table_layout_draft(),
        "text-box": builders.text_box_draft(),
        "restart-default": _chapters(""),
        # A level restarting after itself or a deeper level: ignored (the default).
        "restart-ignored": _chapters('<w:lvlRestart w:val="2"/>'),
        "suffixes": builders.multilevel_draft(SUFFIXES, CHAPTERS),
    }
    files["text-box-libreoffice"] = builders.libreoffice_copy(files["text-box"])
    return files


@pytest.fixture(scope="session")
def shown(built, lo_drafts) -> dict[str, list[str]]:
    """The numbers LibreOffice shows for each built file and the table drafts."""
    tables = {f"tables-{lang}": lo_drafts[f"tables-{lang}"] for lang in LANGUAGES}
    return builders.libreoffice_numbers_of(built | tables)


def _numbered(draft):
    return {p.number: p for p in draft.paragraphs if p.number is not None}


def test_libreoffice_writes_automatic_numbering_and_typed_numbers_as_text(lo_drafts):
    for lang in LANGUAGES:
        assert "<w:numPr>" in builders.document_xml(lo_drafts[f"automatic-{lang}"])
        assert "<w:numPr>" not in builders.document_xml(lo_drafts[f"typed-{lang}"])


@pytest.mark.parametrize("kind", ["automatic", "typed", "layout"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbered_paragraphs_are_found(lo_drafts, kind, lang):
    draft = split_draft(lo_drafts[f"{kind}-{lang}"])
    t = TEXTS[lang]
    assert draft.problems == ()
    numbered = _numbered(draft)
    assert list(numbered) == ["1", "2", "3", "4"]
    # Each paragraph's text, without its number; paragraph 4 goes on after the list.
    assert numbered["1"].text == t["p"][0]
    assert numbered["3"].text == t["p"][2]
    assert numbered["4"].text == f"{t['p'][3]}\n{t['more']}"
    # The sub-paragraphs belong to paragraph 2, with their labels.
    labels = [label for label, _ in numbered["2"].sub]
    assert [text for _, text in numbered["2"].sub] == t["sub"]
    assert labels == (["a.", "b."] if kind == "automatic" else ["(a)", "(b)"])
    assert numbered["2"].text.split("\n") == [
        t["p"][1],
        f"{labels[0]} {t['sub'][0]}",
        f"{labels[1]} {t['sub'][1]}",
    ]
    # The footnote cited in paragraph 1 is attached to it, and only to it.
    assert numbered["1"].footnotes == (t["note"],)
    assert all(not p.footnotes for p in draft.paragraphs if p.number != "1")


@pytest.mark.parametrize("kind", ["automatic", "typed", "layout", "tables"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_title_and_introduction_stay_unnumbered_and_headings_are_kept(lo_drafts, kind, lang):
    draft = split_draft(lo_drafts[f"{kind}-{lang}"])
    t = TEXTS[lang]
    first = draft.paragraphs[:3]
    assert [(p.number, p.heading, p.text) for p in first] == [
        (None, False, t["title"]),
        (None, False, t["intro"]),
        (None, True, t["h1"]),
    ]
    # The heading between paragraphs 2 and 3 ("II. Scope", or a bold "Scope").
    between = draft.paragraphs[draft.paragraphs.index(_numbered(draft)["2"]) + 1]
    assert between.heading and between.number is None
    typed = kind in ("typed", "layout")
    assert between.text == (t["h2"].split(" ", 1)[1] if typed else t["h2"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbers_agree_with_what_libreoffice_shows(lo_drafts, lang):
    data = lo_drafts[f"automatic-{lang}"]
    assert split_draft(data).numbers == builders.libreoffice_numbers(data)


def test_the_three_language_versions_have_the_same_numbers(lo_drafts):
    for kind in builders.KINDS:
        shapes = {
            lang: [(p.number, p.heading, len(p.sub)) for p in split_draft(data).paragraphs]
            for lang in LANGUAGES
            if (data := lo_drafts[f"{kind}-{lang}"])
        }
        assert shapes["en"] == shapes["fr"] == shapes["es"], kind
    python_docx = {
        lang: split_draft(builders.python_docx_draft(lang)).numbers for lang in LANGUAGES
    }
    assert python_docx["en"] == python_docx["fr"] == python_docx["es"] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_list_number_style_is_found_through_the_style(lang):
    data = builders.python_docx_draft(lang)
    xml = builders.document_xml(data)
    assert 'w:val="ListNumber"' in xml
    assert "<w:numPr>" not in xml  # the numbering is only in the style
    draft = split_draft(data)
    t = TEXTS[lang]
    assert draft.problems == ()
    numbered = _numbered(draft)
    assert numbered["1"].text == t["p"][0]
    assert [label for label, _ in numbered["2"].sub] == ["(a)", "(b)"]
    # Headings made with the Heading 1 style, between the numbers.
    assert [p.text for p in draft.paragraphs if p.heading] == [t["h1"], t["h2"]]


def test_python_docx_numbers_agree_with_libreoffice():
    data = builders.python_docx_draft("en")
    assert split_draft(data).numbers == builders.libreoffice_numbers(data)


def test_hidden_runs_and_tracked_deletions_are_not_shown():
    data = builders.python_docx_draft("en")
    xml = builders.document_xml(data)
    assert HIDDEN in xml and DELETED in xml  # they are in the file...
    draft = split_draft(data)
    everything = "\n".join(p.text for p in draft.paragraphs)
    assert HIDDEN not in everything and DELETED not in everything  # ...but not shown
    assert _numbered(draft)["3"].text == TEXTS["en"]["p"][2]


def test_a_list_restarted_by_an_override_counts_from_its_start_override():
    data = builders.restarted_lists()
    draft = split_draft(data)
    assert draft.numbers == builders.libreoffice_numbers(data) == ["1", "2", "7", "8"]
    assert [(p.code, p.numbers) for p in draft.problems] == [
        (SKIPPED_NUMBER, ("3", "4", "5", "6")),
    ]


def test_no_numbering_is_a_problem_and_manual_mode_numbers_every_paragraph():
    texts = ["Draft general comment", "The Committee considers.", "", "States should act."]
    data = builders.plain_draft(*texts)
    draft = split_draft(data)
    assert [p.code for p in draft.problems] == [NO_NUMBERING]
    assert all(p.number is None for p in draft.paragraphs)
    manual = split_draft(data, manual=True)
    assert [(p.number, p.text) for p in manual.paragraphs] == [
        ("1", texts[0]),
        ("2", texts[1]),
        ("3", texts[3]),
    ]
    assert manual.problems == ()


def test_repeated_and_skipped_numbers_are_reported_not_fatal():
    data = builders.plain_draft(
        "1. The Committee recalls.",
        "2. States parties should act.",
        "2. States parties should also report.",
        "5. The Committee concludes.",
    )
    draft = split_draft(data)
    assert draft.numbers == ["1", "2", "2", "5"]
    assert [(p.code, p.numbers) for p in draft.problems] == [
        (REPEATED_NUMBER, ("2",)),
        (SKIPPED_NUMBER, ("3", "4")),
    ]


def test_a_draft_starting_past_one_is_reported():
    draft = split_draft(builders.plain_draft("3. The Committee recalls.", "4. It concludes."))
    assert [(p.code, p.numbers) for p in draft.problems] == [(FIRST_NUMBER_NOT_ONE, ("3",))]


def test_numbers_inside_sentences_and_years_are_not_paragraph_numbers():
    data = builders.plain_draft(
        "1. The Committee recalls.",
        "2022 was the year of the first call.",
        "1.5 million migrant workers were counted.",
    )
    draft = split_draft(data)
    assert draft.numbers == ["1"]
    assert draft.paragraphs[0].text.split("\n") == [
        "The Committee recalls.",
        "2022 was the year of the first call.",
        "1.5 million migrant workers were counted.",
    ]


# -- tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_table_inside_a_paragraph_joins_its_text_one_line_a_row(lo_drafts, shown, lang):
    data = lo_drafts[f"tables-{lang}"]
    assert "<w:tbl>" in builders.document_xml(data)
    draft = split_draft(data)
    t = TEXTS[lang]
    # The typed "1.", "2." of its rows and its bold heading row are text, not numbers.
    assert draft.numbers == shown[f"tables-{lang}"] == ["1", "2", "3", "4"]
    assert draft.problems == ()
    first = _numbered(draft)["1"]
    assert first.text.split("\n") == [t["p"][0], *builders.treaty_rows(lang)]
    assert first.footnotes == (t["note"],)  # cited in a cell of the table
    assert [p.text for p in draft.paragraphs if p.heading] == [t["h1"], t["h2"]]


def test_a_table_laid_out_with_the_numbers_continues_the_draft(built, shown):
    draft = split_draft(built["layout"])
    assert draft.numbers == shown["layout"] == ["1", "2", "3", "4", "5"]
    assert draft.problems == ()
    numbered = _numbered(draft)
    # A number alone in the first cell numbers the text in the next one.
    assert numbered["2"].text == "States parties should act."
    assert numbered["3"].sub == (("(a)", "on migrant workers in an irregular situation;"),)
    assert numbered["4"].text == "A paragraph across the row."
    assert numbered["5"].text == "The Committee concludes."
    manual = split_draft(built["layout"], manual=True)
    assert [p.text for p in manual.paragraphs][2] == "2. States parties should act."


def test_a_table_before_the_first_number_stays_an_unnumbered_paragraph():
    draft = split_draft(builders.header_table_draft())
    assert [(p.number, p.text) for p in draft.paragraphs] == [
        (None, "United Nations | CMW/C/GC/6\nDistr.: General | 1 March 2027"),
        ("1", "The Committee recalls."),
    ]


# -- text boxes -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["text-box", "text-box-libreoffice"])
def test_text_boxes_are_left_out_and_do_not_count(built, shown, name):
    data = built[name]
    xml = builders.document_xml(data)
    assert "w:txbxContent" in xml and "mc:Fallback" in xml and xml.count(BOXED) >= 4
    draft = split_draft(data)
    # The box's numbered paragraph takes no number from the body's list, as in LibreOffice.
    assert draft.numbers == shown[name] == ["1", "2", "3"]
    assert draft.problems == ()
    assert all(BOXED not in p.text for p in draft.paragraphs)
    assert _numbered(draft)["2"].text == "States parties should act."
    assert all(BOXED not in p.text for p in split_draft(data, manual=True).paragraphs)


# -- w:lvlRestart and w:suff ----------------------------------------------------------


def test_a_level_restarting_by_default_after_a_higher_one_agrees_with_libreoffice(built, shown):
    for name in ("restart-default", "restart-ignored"):
        draft = split_draft(built[name])
        assert [p.text for p in draft.paragraphs if p.heading] == [
            "I. Chapter one",
            "II. Chapter two",
        ]
        assert draft.numbers == shown[name] == ["1", "2", "1"]


def test_a_level_that_never_restarts_numbers_on_through_the_chapters():
    # LibreOffice (7.4) does not read w:lvlRestart: the expected numbers are Word's
    # (ECMA-376 17.9.10, "Restart list after" unticked in Word's list dialog).
    draft = split_draft(_chapters(NEVER_AGAIN))
    assert draft.numbers == ["1", "2", "3"]
    assert draft.problems == ()
    assert [p.text for p in draft.paragraphs if p.heading] == ["I. Chapter one", "II. Chapter two"]


def test_a_level_restarting_after_a_given_level_only_goes_on_under_the_levels_between():
    items = [(0, "One"), (1, "a"), (2, "i"), (2, "ii"), (1, "b"), (2, "iii"), (0, "Two"),
             (1, "a"), (2, "i")]  # fmt: skip
    levels = [("decimal", "%1.", ""), ("lowerLetter", "(%2)", ""), ("lowerRoman", "(%3)", "")]
    for restart, after_b, after_two in (("1", "(iii)", "(i)"), ("0", "(iii)", "(iv)")):
        levels[2] = ("lowerRoman", "(%3)", f'<w:lvlRestart w:val="{restart}"/>')
        numbered = _numbered(split_draft(builders.multilevel_draft(levels, items)))
        assert [label for label, _ in numbered["1"].sub] == ["(a)", "(i)", "(ii)", "(b)", after_b]
        assert [label for label, _ in numbered["2"].sub] == ["(a)", after_two], restart


def test_the_suffix_after_a_label_changes_the_text_not_the_number(built, shown):
    data = built["suffixes"]
    draft = split_draft(data)
    assert draft.numbers == shown["suffixes"] == ["1", "2", "1"]
    # Nothing after "I.", as Word (and LibreOffice's PDF) shows it; a space after "1.".
    assert [p.text for p in draft.paragraphs if p.heading] == ["I.Chapter one", "II.Chapter two"]
    assert [p.text for p in split_draft(data, manual=True).paragraphs][:2] == [
        "I.Chapter one",
        "1. Para a",
    ]


# -- typed numbers --------------------------------------------------------------------


def test_a_typed_number_is_one_after_a_mark_or_a_tab_or_as_the_next_number():
    data = builders.plain_draft(
        "1. The Committee recalls.",
        "2) States parties should act.",
        "3\tThe Committee notes.",  # python-docx writes a w:tab
        "100 States have ratified the Convention.",
        "2022 saw the first call for inputs.",
        "12.5 per cent of migrant workers are women.",
        "4 million migrant workers were counted.",
        "4 States parties have reported.",  # the next number, then a space
        "6 The Committee concludes.",  # not the next number: text of paragraph 4
        "5.The Committee ends.",
    )
    assert "<w:tab/>" in builders.document_xml(data)
    draft = split_draft(data)
    assert draft.numbers == ["1", "2", "3", "4", "5"]
    assert draft.problems == ()
    numbered = _numbered(draft)
    assert numbered["2"].text == "States parties should act."
    assert numbered["3"].text.split("\n") == [
        "The Committee notes.",
        "100 States have ratified the Convention.",
        "2022 saw the first call for inputs.",
        "12.5 per cent of migrant workers are women.",
        "4 million migrant workers were counted.",
    ]
    assert numbered["4"].text == "States parties have reported.\n6 The Committee concludes."
    assert numbered["5"].text == "The Committee ends."


def test_a_first_typed_number_followed_by_a_space_must_be_one():
    draft = split_draft(builders.plain_draft("3 States have ratified.", "1 The Committee."))
    assert draft.numbers == ["1"]
    assert draft.paragraphs[0].number is None


# -- problems in words ----------------------------------------------------------------


def test_each_problem_is_a_sentence_naming_its_numbers():
    data = builders.plain_draft("3. A.", "3. B.", "1. C.", "9. D.", "10. E.", "12. F.")
    draft = split_draft(data)
    assert [problem_message(p) for p in draft.problems] == [
        "The first number is 3, not 1.",
        "Paragraph number 3 appears more than once.",
        "Number 1 comes after 3.",
        "Numbers 4 to 8 are missing.",
        "Number 11 is missing.",
    ]
    assert draft.problems[2] == Problem(NUMBER_OUT_OF_ORDER, ("3", "1"))
    assert problem_message(Problem(SKIPPED_NUMBER, ("5", "6"))) == "Numbers 5 and 6 are missing."
    assert problem_message(Problem(NO_NUMBERING)) == (
        "No numbered paragraphs were found: use the manual mode to number every paragraph yourself."
    )
    assert problem_message(Problem("some_new_code")) == "some_new_code"


def test_a_long_gap_names_its_first_and_last_missing_numbers():
    draft = split_draft(builders.plain_draft("1. The Committee recalls.", "200. It concludes."))
    (problem,) = draft.problems
    assert problem.numbers == (*(str(n) for n in range(2, 21)), "199")
    assert problem_message(problem) == "Numbers 2 to 199 are missing."


@pytest.mark.parametrize(
    "name", ["zip_bomb.docx", "external_dtd.docx", "macro_enabled.docm", "pdf_renamed.docx"]
)
def test_hostile_files_are_refused_with_their_code(name):
    data, code = builders.bad_inputs()[name]
    with pytest.raises(UnreadableDocument) as refusal:
        split_draft(data)
    assert refusal.value.code == code
