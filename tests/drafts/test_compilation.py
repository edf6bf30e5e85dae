"""The Secretariat's compilation: every paragraph of the draft with every comment on it,
read back from the Word and Excel files (and once through LibreOffice)."""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx
import pytest
from django.utils import translation
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from submissions.drafts import compilation
from submissions.drafts.compilation import (
    CompiledComment,
    DraftLine,
    compilation_docx,
    compilation_xlsx,
)
from tests.tools import require_tool

TITLE = "Compilation of comments on the draft general comment No. 6"
GENERATED = "Compiled on 1 December 2026, 5 comments"
DRAFT = [
    DraftLine(None, False, "Draft general comment No. 6 on migrant workers"),
    DraftLine(None, True, "I. Introduction"),
    DraftLine("1", False, "States parties should protect workers; and"),
    DraftLine(
        "2",
        False,
        "States parties should:\n(a) protect migrant workers;\n(b) ensure access to justice.",
    ),
    DraftLine(None, True, "II. Scope"),
    DraftLine("3", False, "This general comment applies to all migrant workers."),
]
PROPOSED_2 = "States parties shall:\n(a) protect migrant workers;\n(b) ensure access to justice."
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)"]
COMMENTS = [
    CompiledComment(
        "2", "GC6C-0003", "[name withheld]", "Civil society", "Mexico", "Accepted",
        "Add a sub-paragraph.\nSee our report.", PROPOSED_2,
    ),
    CompiledComment(
        None, "GC6C-0001", "Global Alliance", "Civil society", "France", "Accepted",
        "The draft is welcome.",
    ),
    CompiledComment("1", "GC6C-0002", "Ministry", "State", "Chile", "Posted", *FORMULAS[:2]),
    CompiledComment(
        "99", "GC6C-0004", "University", "Academia", "Spain", "Accepted",
        "On a paragraph the draft does not have.", "A new paragraph.",
    ),
    CompiledComment("2", "GC6C-0005", "NHRI", "NHRI", "Ghana", "Posted", FORMULAS[2]),
]  # fmt: skip
HEADER = ["Stakeholder\nNumber\nState", "Category", "Country", "Comment", "Proposed wording"]


def _docx(**changes) -> docx.document.Document:
    arguments = {
        "title": TITLE, "draft": DRAFT, "comments": COMMENTS, "language": "en",
        "generated": GENERATED, **changes,
    }  # fmt: skip
    return docx.Document(io.BytesIO(compilation_docx(**arguments)))


def _cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _outline(document) -> list[str]:
    """The body in order: each paragraph's text, each table as its tracking numbers."""
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            numbers = " ".join(_cell_lines(row.cells[0])[1] for row in block.rows[1:])
            out.append(f"[{numbers}]")
        else:
            out.append(block.text)
    return out


def _rows_of(document, tracking_number: str):
    for table in document.tables:
        for row in table.rows:
            if _cell_lines(row.cells[0])[1:2] == [tracking_number]:
                return row
    raise AssertionError(tracking_number)


def _runs(cell, what: str) -> list[str]:
    return [r.text for p in cell.paragraphs for r in p.runs if getattr(r.font, what)]


def test_docx_follows_the_whole_draft_with_the_comments_under_each_paragraph():
    assert _outline(_docx()) == [
        TITLE,
        GENERATED,
        "General comments",
        "[GC6C-0001]",
        "Draft general comment No. 6 on migrant workers",
        "I. Introduction",
        "Paragraph 1",
        "States parties should protect workers; and",
        "[GC6C-0002]",
        "Paragraph 2",
        "States parties should:",
        "(a) protect migrant workers;",
        "(b) ensure access to justice.",
        "[GC6C-0003 GC6C-0005]",
        "II. Scope",
        "Paragraph 3",
        "This general comment applies to all migrant workers.",
        "No comments.",
        "Comments on paragraphs not in the draft",
        "Paragraph 99",
        "[GC6C-0004]",
    ]


def test_docx_headings_and_draft_text_have_their_styles():
    document = _docx()
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles[TITLE] == "Title"
    assert styles["General comments"] == "Heading 1"
    assert styles["I. Introduction"] == "Heading 1"
    assert styles["Paragraph 2"] == "Heading 2"
    assert styles["Comments on paragraphs not in the draft"] == "Heading 1"
    draft_text = [p for p in document.paragraphs if p.text.startswith("(a) protect")]
    assert [r.italic for r in draft_text[0].runs] == [True]


def test_docx_table_has_a_repeated_header_row_and_one_row_per_comment():
    document = _docx()
    assert len(document.tables) == 4
    for table in document.tables:
        assert table.style.name == "Table Grid"
        assert ["\n".join(_cell_lines(c)) for c in table.rows[0].cells] == HEADER
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr is None for r in table.rows[1:])  # only the header repeats
    row = _rows_of(document, "GC6C-0003")
    assert _cell_lines(row.cells[0]) == ["[name withheld]", "GC6C-0003", "Accepted"]
    assert [c.text for c in row.cells[1:3]] == ["Civil society", "Mexico"]
    assert _cell_lines(row.cells[3]) == ["Add a sub-paragraph.", "See our report."]


def test_docx_pages_are_landscape():
    section = _docx().sections[0]
    assert section.page_width > section.page_height
    assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE


def test_docx_proposed_wording_is_struck_and_underlined_against_the_draft_paragraph():
    document = _docx()
    cell = _rows_of(document, "GC6C-0003").cells[4]
    assert _runs(cell, "strike") == ["should"]
    assert _runs(cell, "underline") == ["shall"]
    assert _runs(cell, "bold") == ["shall"]
    assert _cell_lines(cell) == [
        "States parties shouldshall:",
        "(a) protect migrant workers;",
        "(b) ensure access to justice.",
    ]
    rewritten = _rows_of(document, "GC6C-0002").cells[4]
    assert _runs(rewritten, "strike") == ["States parties should protect workers; and"]
    assert _runs(rewritten, "underline") == [FORMULAS[1]]
    assert _rows_of(document, "GC6C-0005").cells[4].text == ""


def test_docx_proposed_wording_without_a_draft_paragraph_is_shown_as_written():
    cell = _rows_of(_docx(), "GC6C-0004").cells[4]
    assert cell.text == "A new paragraph."
    assert _runs(cell, "strike") == _runs(cell, "underline") == []


def test_docx_without_comments_says_so_under_every_paragraph_and_has_no_stray_section():
    outline = _outline(_docx(comments=[], generated=""))
    assert outline[:3] == [TITLE, "General comments", "No comments."]
    assert outline.count("No comments.") == 4
    assert "Comments on paragraphs not in the draft" not in outline


def test_docx_repeated_number_gets_its_comments_once_at_its_first_occurrence():
    draft = [DraftLine("1", False, "First."), DraftLine("1", False, "Again.")]
    outline = _outline(_docx(draft=draft))
    assert outline[outline.index("First.") + 1] == "[GC6C-0002]"
    assert outline[outline.index("Again.") + 1] == "Comments on paragraphs not in the draft"


def test_docx_core_properties_name_the_title_and_no_author():
    properties = _docx().core_properties
    assert properties.title == TITLE
    assert properties.author == ""
    assert properties.last_modified_by == ""
    assert properties.comments == ""


def test_docx_drops_characters_xml_cannot_hold():
    comment = CompiledComment(None, "GC6C-0009", "A\x00B", "C", "D", "E", "line\x0bone\r\ntwo")
    row = _rows_of(_docx(comments=[comment]), "GC6C-0009")
    assert _cell_lines(row.cells[0])[0] == "AB"
    assert _cell_lines(row.cells[3]) == ["lineone", "two"]


def test_libreoffice_opens_the_docx_and_reads_it_in_order(tmp_path):
    soffice = require_tool("soffice")
    (tmp_path / "compilation.docx").write_bytes(
        compilation_docx(
            title=TITLE, draft=DRAFT, comments=COMMENTS, language="en", generated=GENERATED
        )
    )
    subprocess.run(
        [soffice, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
         str(tmp_path / "compilation.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = (tmp_path / "compilation.txt").read_text(encoding="utf-8-sig")
    expected = [TITLE, "General comments", "The draft is welcome.", "Paragraph 1", FORMULAS[0]]
    expected += ["Paragraph 2", "See our report.", FORMULAS[2], "Paragraph 3", "No comments."]
    expected += ["Comments on paragraphs not in the draft", "Paragraph 99", "A new paragraph."]
    at = [text.find(s) for s in expected]
    assert -1 not in at, dict(zip(expected, at, strict=True))
    assert at == sorted(at)


# Excel: read from the package's XML (openpyxl is not a dependency).
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx(**changes) -> bytes:
    arguments = {"title": TITLE, "draft": DRAFT, "comments": COMMENTS, "language": "en"}
    return compilation_xlsx(**{**arguments, **changes})


def _sheet_xml(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        return {
            s.get("name"): etree.fromstring(package.read(f"xl/{targets[s.get(REL)]}"))
            for s in workbook.iter(f"{MAIN}sheet")
        }


def _sheets(data: bytes) -> dict[str, list[list[str | float]]]:
    """Each sheet's rows; a shared string as its text, a number as a float."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        shared = etree.fromstring(package.read("xl/sharedStrings.xml"))
    strings = ["".join(si.itertext()) for si in shared.iter(f"{MAIN}si")]
    out: dict[str, list[list[str | float]]] = {}
    for name, sheet in _sheet_xml(data).items():
        out[name] = [
            [
                strings[int(c.findtext(f"{MAIN}v"))] if c.get("t") == "s"
                else float(c.findtext(f"{MAIN}v"))
                for c in row.iter(f"{MAIN}c")
            ]
            for row in sheet.iter(f"{MAIN}row")
        ]  # fmt: skip
    return out


def test_xlsx_has_a_row_per_comment_in_the_draft_order_general_first():
    rows = _sheets(_xlsx())["Comments"]
    assert rows[0] == [
        "Paragraph", "Number", "Stakeholder", "Category", "Country", "State", "Comment",
        "Proposed wording", "Draft text",
    ]  # fmt: skip
    assert [r[:2] for r in rows[1:]] == [
        ["General", "GC6C-0001"],
        ["1", "GC6C-0002"],
        ["2", "GC6C-0003"],
        ["2", "GC6C-0005"],
        ["99", "GC6C-0004"],
    ]
    assert rows[3] == [
        "2", "GC6C-0003", "[name withheld]", "Civil society", "Mexico", "Accepted",
        "Add a sub-paragraph.\nSee our report.", PROPOSED_2, DRAFT[3].text,
    ]  # fmt: skip
    assert rows[1][8] == rows[5][8] == ""  # no draft text: general, and not in the draft


def test_xlsx_keeps_formula_like_comments_as_text():
    data = _xlsx()
    comments = _sheet_xml(data)["Comments"]
    assert comments.find(f".//{MAIN}f") is None
    assert {c.get("t") for c in comments.iter(f"{MAIN}c")} == {"s"}
    texts = [cell for row in _sheets(data)["Comments"] for cell in row]
    assert all(formula in texts for formula in FORMULAS)
    assert _sheet_xml(data)["Paragraphs"].find(f".//{MAIN}f") is None


def test_xlsx_counts_the_comments_of_each_paragraph():
    rows = _sheets(_xlsx())["Paragraphs"]
    assert rows == [
        ["Paragraph", "Comments", "Draft text"],
        ["General", 1.0, ""],
        ["1", 1.0, DRAFT[2].text],
        ["2", 2.0, DRAFT[3].text],
        ["3", 0.0, DRAFT[5].text],
        ["99", 1.0, "Not in the draft"],
    ]


def test_xlsx_has_an_autofilter_a_frozen_header_and_no_author():
    data = _xlsx()
    sheet = _sheet_xml(data)["Comments"]
    assert sheet.find(f"{MAIN}autoFilter").get("ref") == "A1:I6"
    pane = sheet.find(f".//{MAIN}pane")
    assert (pane.get("ySplit"), pane.get("state")) == ("1", "frozen")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(f"{dc}title") == TITLE
    assert core.findtext(f"{dc}creator") in ("", None)


def test_xlsx_without_comments_still_lists_every_paragraph():
    sheets = _sheets(_xlsx(comments=[]))
    assert sheets["Comments"][1:] == []
    assert [r[:2] for r in sheets["Paragraphs"][1:]] == [
        ["General", 0.0], ["1", 0.0], ["2", 0.0], ["3", 0.0],
    ]  # fmt: skip


@pytest.fixture
def marked_gettext(monkeypatch):
    """gettext as the module calls it, marking each label with the active language."""
    monkeypatch.setattr(compilation, "_", lambda message: f"{translation.get_language()}·{message}")


@pytest.mark.usefixtures("marked_gettext")
def test_every_label_goes_through_gettext_in_the_language_asked():
    before = translation.get_language()
    document = _docx(language="fr")
    outline = _outline(document)
    assert "fr·General comments" in outline
    assert "fr·Paragraph 2" in outline
    assert "fr·No comments." in outline
    assert "fr·Comments on paragraphs not in the draft" in outline
    header = [line for cell in document.tables[0].rows[0].cells for line in _cell_lines(cell)]
    assert header == [f"fr·{line}" for label in HEADER for line in label.split("\n")]
    sheets = _sheets(_xlsx(language="es"))
    assert list(sheets) == ["es·Comments", "es·Paragraphs"]
    assert all(str(label).startswith("es·") for label in sheets["es·Comments"][0])
    assert sheets["es·Comments"][1][0] == "es·General"
    assert sheets["es·Paragraphs"][0] == ["es·Paragraph", "es·Comments", "es·Draft text"]
    assert sheets["es·Paragraphs"][-1][2] == "es·Not in the draft"
    assert translation.get_language() == before


@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_compilations_are_made(language):
    assert len(_docx(language=language).tables) == 4
    assert len(_sheets(_xlsx(language=language))) == 2
