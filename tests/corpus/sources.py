"""The test corpus: documents written by LibreOffice (from HTML) and by python-docx.

`build.py` writes them to tests/data/corpus/ and records, with the oracle in
../shared/oracle/, what LibreOffice says of each (word count by part, whether the
needle is on page 1): expected.json holds LibreOffice's answers, never ours. The
tests also rebuild the LibreOffice documents at run time (`lo_docs` fixture), so
the suite proves today's LibreOffice still writes files our checks read alike.
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

NAME = "Global Alliance for Migrant Workers' Rights"
NAME_FR = "Fédération Internationale des Ligues des Droits de l'Homme"
NAME_ES = "Red Jesuita con Migrantes"
BYLINE = f"Submitted by: {NAME}"  # 8 words

SENTENCES = [
    "The Convention provides a comprehensive legal framework for the protection of the "
    "human rights of all migrant workers and members of their families.",
    "The Global Compact is a non-binding international agreement with a menu of policy "
    "options from which States may select.",
    "States should ensure fair and ethical recruitment, access to justice and firewalls "
    "between public services and immigration enforcement.",
    "Migrant workers constitute around 169 million of the total global migrant population "
    "of more than 280 million.",
]
FILLER_WORDS = [
    "migrant",
    "workers",
    "and",
    "their",
    "families",
    "deserve",
    "equal",
    "treatment",
    "decent",
    "work",
    "fair",
    "wages",
    "safe",
    "housing",
    "health",
    "care",
    "education",
    "for",
    "their",
    "children",
    "and",
    "protection",
    "from",
    "abuse",
]


@dataclass(frozen=True)
class Source:
    """One corpus document: how to write it, and what to look for in it."""

    writer: str  # "libreoffice" (HTML converted by soffice) or "python-docx"
    build: Callable[[], str | bytes]  # HTML text, or .docx bytes
    needle: str = NAME
    description: str = ""
    # Whether page 1 can be decided without rendering (no name near a page's end).
    estimate_reliable: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)


def _page(body: str, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>GC6</title></head>'
        f"<body>{body}</body></html>"
    )


def _p(text: str, style: str = "") -> str:
    attr = f' style="{style}"' if style else ""
    return f"<p{attr}>{html.escape(text)}</p>"


def _paragraphs(count: int, offset: int = 0) -> str:
    return "\n".join(
        _p(" ".join(SENTENCES[(i + j + offset) % 4] for j in range(3))) for i in range(count)
    )


def filler(words: int) -> list[str]:
    """Paragraphs of plain words, exactly `words` in all, at most 90 a paragraph."""
    out, left, i = [], words, 0
    while left > 0:
        size = min(90, left)
        out.append(" ".join(FILLER_WORDS[(i + k) % len(FILLER_WORDS)] for k in range(size)))
        left -= size
        i += size
    return out


def _footnote(n: int, text: str) -> tuple[str, str]:
    anchor = (
        f'<a class="sdfootnoteanc" name="sdfootnote{n}anc" href="#sdfootnote{n}sym">'
        f"<sup>{n}</sup></a>"
    )
    note = (
        f'<div id="sdfootnote{n}"><p><a class="sdfootnotesym" name="sdfootnote{n}sym" '
        f'href="#sdfootnote{n}anc">{n}</a>{html.escape(text)}</p></div>'
    )
    return anchor, note


# --- written by LibreOffice -------------------------------------------------------


def ordinary() -> str:
    anchor, note = _footnote(1, "General Assembly resolution 73/195 of 19 December 2018.")
    return _page(
        "<h1>Submission to the Committee on Migrant Workers</h1>"
        f"{_p(BYLINE)}<p>The Global Compact{anchor} and the Convention converge.</p>"
        f"{_paragraphs(20)}"
        "<table border='1'><tr><td>Objective 6</td><td>articles 66 and 25</td></tr>"
        "<tr><td>Objective 12</td><td>articles 29 and 24</td></tr></table>"
        f"{note}"
    )


def name_on_page_two() -> str:
    return _page(
        "<h1>Submission to the Committee on Migrant Workers</h1>"
        f"{_paragraphs(3)}{_p(BYLINE, 'page-break-before: always')}{_paragraphs(3, 1)}"
    )


def over_limit() -> str:
    return _page(f"{_p(BYLINE)}{_paragraphs(120)}")


def french_accents() -> str:
    return _page(
        "<h1>Contribution au projet d’observation générale n° 6</h1>"
        "<p>Présentée par la FÉDÉRATION INTERNATIONALE DES LIGUES DES DROITS DE L’HOMME "
        "(FIDH)</p>"
        "<p>Les États parties doivent garantir l’accès à la justice des travailleurs "
        "migrants et des membres de leur famille, quel que soit leur statut.</p>",
        "fr",
    )


def exact_words(total: int) -> Callable[[], str]:
    def build() -> str:
        return _page(_p(BYLINE) + "".join(_p(t) for t in filler(total - 8)))

    return build


def notes_decide() -> str:
    """4,960 words of body and 80 of footnotes: under 5,000 one way, over the other."""
    notes = [_footnote(n, " ".join(filler(20))) for n in range(1, 5)]
    body = filler(4960 - 8)
    paragraphs = [
        f"<p>{html.escape(text)}{notes[i][0] if i < 4 else ''}</p>" for i, text in enumerate(body)
    ]
    return _page(_p(BYLINE) + "".join(paragraphs) + "".join(n[1] for n in notes))


def name_after_lines(lines: int) -> Callable[[], str]:
    """`lines` one-line paragraphs, then the byline: moves the name to a page's edge."""

    def build() -> str:
        before = "".join(_p(f"Line {i + 1} of the introduction.") for i in range(lines))
        return _page(
            "<h1>Submission to the Committee on Migrant Workers</h1>"
            f"{before}{_p(BYLINE)}{_paragraphs(4)}"
        )

    return build


def spanish() -> str:
    return _page(
        "<h1>Contribución al Comité de Trabajadores Migratorios</h1>"
        f"{_p('Presentada por: ' + NAME_ES)}"
        + _p(
            "Los Estados partes velarán por que los trabajadores migratorios y sus familiares "
            "tengan acceso a la justicia y a recursos efectivos, cualquiera que sea su "
            "situación migratoria. ¿Cómo garantiza el Pacto Mundial la reunificación familiar?"
        )
        * 6,
        "es",
    )


def consent(text: str, lang: str) -> Callable[[], str]:
    def build() -> str:
        return _page(f"{_p(text)}{_p(BYLINE)}{_paragraphs(6)}", lang)

    return build


def punctuation_and_tabs() -> str:
    return _page(
        _p(BYLINE)
        + "<p>Tab\tseparated\twords and a state-of-the-art, long-term follow-up.</p>"
        + _p("Em dashes—without spaces—and en dashes: 10–11 May 2022; pages 5 – 9.")
        + _p("Non\u2011breaking hyphen and rights--and duties; e-mail cmw@ohchr.org.")
        + _p("移徙工人权利委员会决定拟订第6号一般性意见。")
        + _paragraphs(3)
    )


def merged_table() -> str:
    return _page(
        _p(BYLINE) + "<table border='1'>"
        "<tr><td colspan='2'>Axis 1 on voluntary, orderly and regular migration</td></tr>"
        "<tr><td rowspan='2'>Objective 2</td><td>articles 42, 43 and 45</td></tr>"
        "<tr><td>Objective 5: articles 30, 35, 68 and 69</td></tr>"
        "</table>" + _paragraphs(2)
    )


# --- written by python-docx --------------------------------------------------------


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _body_paragraphs(document, count: int) -> None:
    for i in range(count):
        document.add_paragraph(" ".join(SENTENCES[(i + j) % 4] for j in range(3)))


def header_only() -> bytes:
    """The name only in the page header, which repeats on page 1."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = NAME
    document.add_heading("Submission to the Committee on Migrant Workers", level=1)
    _body_paragraphs(document, 8)
    return _save(document)


def comments_not_counted() -> bytes:
    document = docx.Document()
    byline = document.add_paragraph(BYLINE)
    _body_paragraphs(document, 4)
    document.add_comment(
        byline.runs, text="Internal remark that must not be counted at all", author="Editor"
    )
    return _save(document)


def fields_and_tracked_changes() -> bytes:
    """A field (its code hidden, its result shown), a tracked insertion and deletion."""
    document = docx.Document()
    document.add_paragraph(BYLINE)
    paragraph = document.add_paragraph("Inserted words ")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2022-09-01T00:00:00Z">'
        "<w:r><w:t xml:space=\"preserve\">that count here </w:t></w:r></w:ins>"
    ))  # fmt: skip
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A" w:date="2022-09-01T00:00:00Z">'
        "<w:r><w:delText>deleted words never count</w:delText></w:r></w:del>"
    ))  # fmt: skip
    field_paragraph = document.add_paragraph("Date of the call: ")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "d MMMM yyyy" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>12 September 2022</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        field_paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    _body_paragraphs(document, 3)
    return _save(document)


def section_break_then_name() -> bytes:
    """A title page ended by a 'next page' section break; the name is on page 2."""
    document = docx.Document()
    document.add_heading("Submission to the Committee on Migrant Workers", level=1)
    _body_paragraphs(document, 2)
    document.add_section()  # WD_SECTION.NEW_PAGE
    document.add_paragraph(BYLINE)
    _body_paragraphs(document, 3)
    return _save(document)


def page_break_before_name() -> bytes:
    document = docx.Document()
    document.add_heading("Submission to the Committee on Migrant Workers", level=1)
    _body_paragraphs(document, 2)
    byline = document.add_paragraph(BYLINE)
    byline.paragraph_format.page_break_before = True
    _body_paragraphs(document, 2)
    return _save(document)


def big_font_pushes_name() -> bytes:
    """Large type and spacing push the byline to page 2 with no break at all."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = docx.shared.Pt(28)
    style.paragraph_format.space_after = docx.shared.Pt(24)
    _body_paragraphs(document, 4)
    document.add_paragraph(BYLINE)
    return _save(document)


SOURCES: dict[str, Source] = {
    "ordinary": Source("libreoffice", ordinary, description="prose, a table, a footnote"),
    "name_on_page_two": Source("libreoffice", name_on_page_two,
                               description="name only after a page break"),
    "over_limit": Source("libreoffice", over_limit, description="about 7,000 words"),
    "french_accents": Source("libreoffice", french_accents, needle=NAME_FR,
                             description="French, name in capitals with accents"),
    "words_4999": Source("libreoffice", exact_words(4999), description="4,999 words"),
    "words_5000": Source("libreoffice", exact_words(5000), description="5,000 words"),
    "words_5001": Source("libreoffice", exact_words(5001), description="5,001 words"),
    "notes_decide": Source("libreoffice", notes_decide,
                           description="under 5,000 without footnotes, over with them"),
    "spanish": Source("libreoffice", spanish, needle=NAME_ES, description="Spanish prose"),
    "consent_en": Source("libreoffice", consent("NOT FOR PUBLICATION", "en"),
                         description="asks not to be published, in English"),
    "consent_fr": Source("libreoffice", consent("Merci de ne pas publier ce document.", "fr"),
                         description="asks not to be published, in French"),
    "consent_es": Source("libreoffice", consent("Por favor, no publicar este documento.", "es"),
                         description="asks not to be published, in Spanish"),
    "punctuation_tabs": Source("libreoffice", punctuation_and_tabs,
                               description="tabs, dashes, hyphens, CJK"),
    "merged_table": Source("libreoffice", merged_table, description="merged table cells"),
    "pd_header_only": Source("python-docx", header_only, description="name only in header"),
    "pd_comments": Source("python-docx", comments_not_counted, description="a comment"),
    "pd_fields_tracked": Source("python-docx", fields_and_tracked_changes,
                                description="a field, tracked insertion and deletion"),
    "pd_section_break": Source("python-docx", section_break_then_name,
                               description="name after a next-page section break"),
    "pd_page_break_before": Source("python-docx", page_break_before_name,
                                   description="name in a paragraph set to start a page"),
    "pd_big_font": Source("python-docx", big_font_pushes_name, estimate_reliable=False,
                          description="28 pt type pushes the name to page 2, no break"),
}  # fmt: skip


def edge_sources(last_line_on_page_one: int) -> dict[str, Source]:
    """The name at the very end of page 1, and at the very start of page 2. build.py
    finds with LibreOffice how many lines before the name fill page 1."""
    return {
        "name_last_line_page1": Source(
            "libreoffice", name_after_lines(last_line_on_page_one), estimate_reliable=False,
            description="the name on the last line of page 1",
        ),
        "name_first_line_page2": Source(
            "libreoffice", name_after_lines(last_line_on_page_one + 1), estimate_reliable=False,
            description="the name on the first line of page 2",
        ),
    }  # fmt: skip


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_all(sources: dict[str, Source], out_dir: Path, profile_dir: Path) -> dict[str, Path]:
    """Write every source as .docx into `out_dir`: python-docx directly, LibreOffice in
    one `soffice` call for all the HTML sources."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_paths = []
    for name, source in sources.items():
        content = source.build()
        if source.writer == "python-docx":
            (out_dir / f"{name}.docx").write_bytes(content)
        else:
            path = out_dir / f"{name}.html"
            path.write_text(content, encoding="utf-8")
            html_paths.append(str(path))
    if html_paths:
        binary = soffice()
        if binary is None:
            raise RuntimeError("LibreOffice (soffice) is not installed")
        subprocess.run(
            [binary, "--headless", "--norestore", f"-env:UserInstallation={profile_dir.as_uri()}",
             "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML",
             "--outdir", str(out_dir), *html_paths],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        for path in html_paths:
            Path(path).unlink()
    paths = {name: out_dir / f"{name}.docx" for name in sources}
    missing = [name for name, path in paths.items() if not path.exists()]
    if missing:
        raise RuntimeError(f"not written: {missing}")
    return paths
