"""The draft splitter: Word's numbering and typed numbers, in three languages."""

from __future__ import annotations

import pytest

from submissions.compliance.package import UnreadableDocument
from submissions.drafts import split_draft
from submissions.drafts.split import (
    FIRST_NUMBER_NOT_ONE,
    NO_NUMBERING,
    REPEATED_NUMBER,
    SKIPPED_NUMBER,
)
from tests.drafts import builders
from tests.drafts.builders import DELETED, HIDDEN, LANGUAGES, TEXTS


@pytest.fixture(scope="session")
def lo_drafts() -> dict[str, bytes]:
    return builders.libreoffice_drafts()


def _numbered(draft):
    return {p.number: p for p in draft.paragraphs if p.number is not None}


def test_libreoffice_writes_automatic_numbering_and_typed_numbers_as_text(lo_drafts):
    for lang in LANGUAGES:
        assert "<w:numPr>" in builders.document_xml(lo_drafts[f"automatic-{lang}"])
        assert "<w:numPr>" not in builders.document_xml(lo_drafts[f"typed-{lang}"])


@pytest.mark.parametrize("kind", ["automatic", "typed"])
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


@pytest.mark.parametrize("kind", ["automatic", "typed"])
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
    assert between.text == (t["h2"] if kind == "automatic" else t["h2"].split(" ", 1)[1])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbers_agree_with_what_libreoffice_shows(lo_drafts, lang):
    data = lo_drafts[f"automatic-{lang}"]
    assert split_draft(data).numbers == builders.libreoffice_numbers(data)


def test_the_three_language_versions_have_the_same_numbers(lo_drafts):
    for kind in ("automatic", "typed"):
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


@pytest.mark.parametrize(
    "name", ["zip_bomb.docx", "external_dtd.docx", "macro_enabled.docm", "pdf_renamed.docx"]
)
def test_hostile_files_are_refused_with_their_code(name):
    data, code = builders.bad_inputs()[name]
    with pytest.raises(UnreadableDocument) as refusal:
        split_draft(data)
    assert refusal.value.code == code
