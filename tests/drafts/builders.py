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
# and (b) of paragraph 2, a continuation of paragraph 4, a footnote of paragraph 1.
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
    """ "automatic-en", "typed-fr"... as .docx bytes written by LibreOffice (once per run)."""
    if "docx" not in _BUILT:
        require_tool("soffice")
        folder = _folder("drafts-")
        names = []
        for lang in LANGUAGES:
            for kind, build in (("automatic", automatic_html), ("typed", typed_html)):
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
    "N." labels (LibreOffice writes list labels into the text), in order."""
    folder = _folder("draft-oracle-")
    (folder / "draft.docx").write_bytes(data)
    _soffice(
        ["--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder),
         str(folder / "draft.docx")],
        folder / "profile",
    )  # fmt: skip
    text = (folder / "draft.txt").read_text(encoding="utf-8-sig")
    return [m.group(1) for m in re.finditer(r"^\s*(\d+)\.\s", text, re.M)]


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
