"""Drafts of a general comment in English, French and Spanish, as test inputs.

LibreOffice writes them from HTML (an `<ol>` becomes Word list numbering; typed numbers
stay text); python-docx writes the ones that need its "List Number" style, hidden runs
or tracked deletions. Each language version has the same structure and numbers.
"""

from __future__ import annotations

import atexit
import functools
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.bad_inputs import made_here
from tests.tools import require_tool

# Per language: title, introduction, two headings, paragraphs 1-4, sub-paragraphs (a)
# and (b) of paragraph 2, a continuation of paragraph 4, a footnote of paragraph 1, the
# heading row of a table of treaties.
TEXTS = {
    "en": {
        "title": "Draft general comment No. 6 on migrant workers",
        "intro": "This draft is open for comments until 30 January 2027.",
        "h1": "I. Introduction",
        "h2": "II. Scope",
        "p": [
            "The Committee on Migrant Workers adopts this general comment.",
            "States parties should:",
            "This general comment applies to all migrant workers and members of their families.",
            "The Committee recalls its earlier general comments.",
        ],
        "sub": ["protect migrant workers in an irregular situation;", "ensure access to justice."],
        "more": "It also recalls the relevant treaties.",
        "note": "See CMW/C/GC/1, para. 3.",
        "treaty": ("Treaty", "Year"),
    },
    "fr": {
        "title": "Projet d’observation générale no 6 sur les travailleurs migrants",
        "intro": "Ce projet est ouvert aux commentaires jusqu’au 30 janvier 2027.",
        "h1": "I. Introduction",
        "h2": "II. Portée",
        "p": [
            "Le Comité pour la protection des droits des travailleurs migrants adopte "
            "la présente observation générale.",
            "Les États parties devraient :",
            "La présente observation générale s’applique à tous les travailleurs migrants.",
            "Le Comité rappelle ses observations générales antérieures.",
        ],
        "sub": [
            "protéger les travailleurs migrants en situation irrégulière ;",
            "garantir l’accès à la justice.",
        ],
        "more": "Il rappelle aussi les traités pertinents.",
        "note": "Voir CMW/C/GC/1, par. 3.",
        "treaty": ("Traité", "Année"),
    },
    "es": {
        "title": "Proyecto de observación general núm. 6 sobre los trabajadores migratorios",
        "intro": "Este proyecto está abierto a comentarios hasta el 30 de enero de 2027.",
        "h1": "I. Introducción",
        "h2": "II. Alcance",
        "p": [
            "El Comité de Protección de los Derechos de Todos los Trabajadores Migratorios "
            "aprueba la presente observación general.",
            "Los Estados partes deberían:",
            "La presente observación general se aplica a todos los trabajadores migratorios.",
            "El Comité recuerda sus observaciones generales anteriores.",
        ],
        "sub": [
            "proteger a los trabajadores migratorios en situación irregular;",
            "garantizar el acceso a la justicia.",
        ],
        "more": "También recuerda los tratados pertinentes.",
        "note": "Véase CMW/C/GC/1, párr. 3.",
        "treaty": ("Tratado", "Año"),
    },
}
LANGUAGES = tuple(TEXTS)
FOOTNOTE = '<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a>'


def _page(lang: str, body: str, note: str) -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>Draft</title></head><body>'
        f"{body}"
        '<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" '
        f'name="sdfootnote1sym" href="#sdfootnote1anc">1</a>{note}</p></div></body></html>'
    )


def automatic_html(lang: str) -> str:
    """Word list numbering: `<ol>` lists, a nested lettered list, a restart at 3."""
    t = TEXTS[lang]
    p, sub = t["p"], t["sub"]
    body = (
        f"<p>{t['title']}</p><p>{t['intro']}</p><h2>{t['h1']}</h2>"
        f"<ol><li><p>{p[0]}{FOOTNOTE}</p></li>"
        f'<li><p>{p[1]}</p><ol type="a"><li><p>{sub[0]}</p></li><li><p>{sub[1]}</p></li></ol>'
        f"</li></ol><h2>{t['h2']}</h2>"
        f'<ol start="3"><li><p>{p[2]}</p></li><li><p>{p[3]}</p></li></ol>'
        f"<p>{t['more']}</p>"
    )
    return _page(lang, body, t["note"])


def typed_html(lang: str) -> str:
    """Numbers typed in the text: "1. ...", "(a) ...", headings as bold lines."""
    t = TEXTS[lang]
    p, sub = t["p"], t["sub"]
    body = (
        f"<p>{t['title']}</p><p>{t['intro']}</p><p><b>{t['h1']}</b></p>"
        f"<p>1. {p[0]}{FOOTNOTE}</p><p>2. {p[1]}</p><p>(a) {sub[0]}</p><p>(b) {sub[1]}</p>"
        f"<p><b>{t['h2'].split(' ', 1)[1]}</b></p>"  # an unnumbered bold heading
        f"<p>3. {p[2]}</p><p>4. {p[3]}</p><p>{t['more']}</p>"
    )
    return _page(lang, body, t["note"])


TREATIES = (("1.", "ICRMW", "1990"), ("2.", "ICCPR", "1966"))


def treaty_rows(lang: str) -> list[str]:
    """The table of treaties after paragraph 1, as the splitter writes it in the text."""
    head = TEXTS[lang]["treaty"]
    return [f"No. | {head[0]} | {head[1]}", *(" | ".join(row) for row in TREATIES)]


def tables_html(lang: str) -> str:
    """The automatic draft with a table of treaties inside paragraph 1: a bold heading
    row, typed "1.", "2." in its first column, the footnote of paragraph 1 in a cell."""
    t = TEXTS[lang]
    p, sub, head = t["p"], t["sub"], t["treaty"]
    rows = "".join(
        f"<tr><td>{n}</td><td>{name}{FOOTNOTE if n == '1.' else ''}</td><td>{year}</td></tr>"
        for n, name, year in TREATIES
    )
    table = (
        f'<table border="1"><tr><td><b>No.</b></td><td><b>{head[0]}</b></td>'
        f"<td><b>{head[1]}</b></td></tr>{rows}</table>"
    )
    body = (
        f"<p>{t['title']}</p><p>{t['intro']}</p><h2>{t['h1']}</h2>"
        f"<ol><li><p>{p[0]}</p>{table}</li>"
        f'<li><p>{p[1]}</p><ol type="a"><li><p>{sub[0]}</p></li><li><p>{sub[1]}</p></li></ol>'
        f"</li></ol><h2>{t['h2']}</h2>"
        f'<ol start="3"><li><p>{p[2]}</p></li><li><p>{p[3]}</p></li></ol>'
        f"<p>{t['more']}</p>"
    )
    return _page(lang, body, t["note"])


def layout_html(lang: str) -> str:
    """The typed draft laid out in a two-column table after the first heading: typed
    numbers alone in the first column, the text (and "(a)", the bold heading, the
    continuation) in the second."""
    t = TEXTS[lang]
    p, sub = t["p"], t["sub"]
    rows = [
        ("1.", f"{p[0]}{FOOTNOTE}"), ("2.", p[1]), ("", f"(a) {sub[0]}"), ("", f"(b) {sub[1]}"),
        ("", f"<b>{t['h2'].split(' ', 1)[1]}</b>"), ("3.", p[2]), ("4.", p[3]), ("", t["more"]),
    ]  # fmt: skip
    cells = "".join(f"<tr><td>{n}</td><td>{text}</td></tr>" for n, text in rows)
    body = f"<p>{t['title']}</p><p>{t['intro']}</p><p><b>{t['h1']}</b></p><table>{cells}</table>"
    return _page(lang, body, t["note"])


KINDS = {"automatic": automatic_html, "typed": typed_html, "tables": tables_html,
         "layout": layout_html}  # fmt: skip


def _soffice(args: list[str], profile: Path) -> None:
    binary = require_tool("soffice")
    subprocess.run(
        [binary, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


_BUILT: dict[str, dict[str, bytes]] = {}


def _folder(prefix: str) -> Path:
    """A temporary folder, removed when the test run ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def libreoffice_drafts() -> dict[str, bytes]:
    """ "automatic-en", "typed-fr", "tables-es", "layout-en"... (`KINDS`) as .docx bytes
    written by LibreOffice (once per run)."""
    if "docx" not in _BUILT:
        require_tool("soffice")
        folder = _folder("drafts-")
        names = []
        for lang in LANGUAGES:
            for kind, build in KINDS.items():
                path = folder / f"{kind}-{lang}.html"
                path.write_text(build(lang), encoding="utf-8")
                names.append(str(path))
        _soffice(
            ["--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML",
             "--outdir", str(folder), *names],
            folder / "profile",
        )  # fmt: skip
        _BUILT["docx"] = {Path(n).stem: Path(n).with_suffix(".docx").read_bytes() for n in names}
    return _BUILT["docx"]


def libreoffice_numbers(data: bytes) -> list[str]:
    """The paragraph numbers LibreOffice shows for a .docx: its plain-text export's
    "N. " labels (LibreOffice writes list labels into the text, a space after each,
    whatever the level's suffix), in order. A typed "N." alone on its line (a table
    cell's) is not a label; a typed "N. text" would look like one: ask of automatic
    numbering only."""
    return libreoffice_numbers_of({"draft": data})["draft"]


def libreoffice_numbers_of(files: dict[str, bytes]) -> dict[str, list[str]]:
    """`libreoffice_numbers` of several files, by name, in one LibreOffice run."""
    folder = _folder("draft-oracle-")
    for name, data in files.items():
        (folder / f"{name}.docx").write_bytes(data)
    _soffice(
        ["--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder),
         *(str(folder / f"{name}.docx") for name in files)],
        folder / "profile",
    )  # fmt: skip
    found = {}
    for name in files:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8-sig")
        found[name] = [m.group(1) for m in re.finditer(r"^[ \t]*(\d+)\.[ \t]", text, re.M)]
    return found


def libreoffice_copy(data: bytes) -> bytes:
    """The .docx as LibreOffice writes it back after opening it."""
    folder = _folder("draft-copy-")
    (folder / "in").mkdir()
    (folder / "in" / "draft.docx").write_bytes(data)
    _soffice(
        ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder),
         str(folder / "in" / "draft.docx")],
        folder / "profile",
    )  # fmt: skip
    return (folder / "draft.docx").read_bytes()


@functools.cache
def bad_inputs() -> dict[str, tuple[bytes, str]]:
    """tests/bad_inputs.py's hostile files, built once (the zip bomb takes a moment)."""
    return made_here()


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HIDDEN = "HIDDEN-WORDS-NOT-SHOWN"
DELETED = "DELETED-WORDS-NOT-SHOWN"


def _tracked_deletion(paragraph, text: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="7" w:author="Editor" w:date="2026-11-01T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{text} </w:delText></w:r></w:del>'
        )
    )


def python_docx_draft(lang: str = "en") -> bytes:
    """Word numbering through the "List Number" style, a Heading 1, a hidden run and
    a tracked deletion inside paragraph 3, sub-paragraphs typed "(a)", "(b)"."""
    t = TEXTS[lang]
    document = docx.Document()
    document.add_paragraph(t["title"])
    document.add_paragraph(t["intro"])
    document.add_heading(t["h1"], 1)
    document.add_paragraph(t["p"][0], style="List Number")
    document.add_paragraph(t["p"][1], style="List Number")
    document.add_paragraph(f"(a) {t['sub'][0]}")
    document.add_paragraph(f"(b) {t['sub'][1]}")
    document.add_heading(t["h2"], 1)
    third = document.add_paragraph(style="List Number")
    _tracked_deletion(third, DELETED)
    third.add_run(t["p"][2])
    third.add_run(f" {HIDDEN}").font.hidden = True
    document.add_paragraph(t["p"][3], style="List Number")
    document.add_paragraph(t["more"])
    return _save(document)


def plain_draft(*texts: str) -> bytes:
    """Paragraphs of plain text, no style, no numbering."""
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    return _save(document)


def restarted_lists() -> bytes:
    """Two lists of one numbering definition, a heading between them: the second
    starts again at 7 by a startOverride (1, 2, then 7, 8)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = numbering.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num[@{http://schemas"
        '.openxmlformats.org/wordprocessingml/2006/main}numId="5"]'
    )
    abstract_id = abstract.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNumId"
    ).get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>'
        )
    )

    def item(text: str, num_id: str | None) -> None:
        paragraph = document.add_paragraph(text, style="List Number")
        if num_id:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/>'
                    "</w:numPr>"
                )
            )

    item("The first list, first paragraph.", None)
    item("The first list, second paragraph.", None)
    document.add_paragraph("Between the lists.", style="Heading 1")
    item("The second list starts again here.", "90")
    item("The second list goes on.", "90")
    return _save(document)


def _number(paragraph, num_id: str, ilvl: int = 0) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def table_layout_draft() -> bytes:
    """Paragraph 1 in the body, 2 to 4 in a two-column table numbered by the "List
    Number" style (a number alone in the first cell, or a cell spanning the row), 5 after
    it: the numbers run on through the table."""
    document = docx.Document()
    document.add_paragraph("Draft general comment")
    document.add_paragraph("The Committee adopts this general comment.", style="List Number")
    table = document.add_table(rows=4, cols=2)
    for row, text in ((0, "States parties should act."), (1, "They should report.")):
        table.cell(row, 0).paragraphs[0].style = "List Number"
        table.cell(row, 1).text = text
    table.cell(2, 1).text = "(a) on migrant workers in an irregular situation;"
    spanning = table.cell(3, 0).merge(table.cell(3, 1)).paragraphs[0]
    spanning.style = "List Number"
    spanning.add_run("A paragraph across the row.")
    document.add_paragraph("The Committee concludes.", style="List Number")
    return _save(document)


def header_table_draft() -> bytes:
    """A table of the document's particulars before paragraph 1, a date in a cell."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    cells = [("United Nations", "CMW/C/GC/6"), ("Distr.: General", "1 March 2027")]
    for row, texts in enumerate(cells):
        for col, text in enumerate(texts):
            table.cell(row, col).text = text
    document.add_paragraph("1. The Committee recalls.")
    return _save(document)


BOXED = "BOXED-WORDS-NOT-IN-THE-DRAFT"
_SHAPE_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _box_content() -> str:
    """A numbered paragraph and a typed "7." one, as a text box holds them."""
    return (
        f'<w:txbxContent><w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>{BOXED} '
        f"numbered</w:t></w:r></w:p><w:p><w:r><w:t>7. {BOXED} typed</w:t></w:r></w:p>"
        "</w:txbxContent>"
    )


def _drawing_box() -> str:
    """A text box as Word writes it: a drawing, its VML copy as the fallback."""
    return (
        f'<w:r {nsdecls("w")} {_SHAPE_NS}><mc:AlternateContent><mc:Choice Requires="wps">'
        '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" '
        'simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
        '<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph">'
        '<wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2000000" cy="800000"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="1" name="Box 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="2000000" cy="800000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        f"</a:prstGeom></wps:spPr><wps:txbx>{_box_content()}</wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape id="Box1" style="width:150pt;height:60pt" '
        f'type="#_x0000_t202"><v:textbox>{_box_content()}</v:textbox></v:shape></w:pict>'
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def _vml_box() -> str:
    """A text box as older Word files hold it: VML only."""
    return (
        f'<w:r {nsdecls("w")} {_SHAPE_NS}><w:pict><v:shape id="Box2" '
        'style="width:150pt;height:60pt" type="#_x0000_t202">'
        f"<v:textbox>{_box_content()}</v:textbox></v:shape></w:pict></w:r>"
    )


def text_box_draft() -> bytes:
    """Paragraphs 1-3 numbered by the "List Number" style; paragraph 2 anchors a text
    box written as Word does (drawing and VML fallback), paragraph 3 a VML-only one.
    Each box holds a paragraph of the same list and a typed "7."."""
    document = docx.Document()
    document.add_paragraph("The Committee adopts this general comment.", style="List Number")
    second = document.add_paragraph("States parties should act.", style="List Number")
    second._p.append(parse_xml(_drawing_box()))
    third = document.add_paragraph("The Committee concludes.", style="List Number")
    third._p.insert(1, parse_xml(_vml_box()))
    return _save(document)


def _level(ilvl: int, fmt: str, text: str, extra: str) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
    )


def multilevel_draft(levels: list[tuple[str, str, str]], items: list[tuple[int, str]]) -> bytes:
    """A list defined in numbering.xml: `levels` are (numFmt, lvlText, extra XML of the
    w:lvl, such as w:lvlRestart or w:suff); `items` are its (level, text) paragraphs."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    defined = "".join(_level(ilvl, *level) for ilvl, level in enumerate(levels))
    numbering.insert(  # abstract numberings come first
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="70">'
            f'<w:multiLevelType w:val="multilevel"/>{defined}</w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>')
    )
    for ilvl, text in items:
        _number(document.add_paragraph(text), "70", ilvl)
    return _save(document)
