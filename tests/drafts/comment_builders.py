"""Comment files as a stakeholder makes them: the portal's template filled in with
python-docx (as Word would), some saved again by LibreOffice, and documents of their own
in English, French and Spanish, each passage with what the reader should make of it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import docx
from docx.table import Table

from submissions.drafts.comment_files import ReadComment, comments_template
from tests.drafts.builders import _folder, _soffice

NUMBERS = [str(n) for n in range(1, 13)]  # the draft's paragraphs: 1 to 12
TITLE = "Comments on draft general comment No. 6"


def row_of(number: str | None) -> int:
    """The template's row (as Word counts, header = 1) of a paragraph; None: "General"."""
    return 2 if number is None else NUMBERS.index(number) + 3


def edited(data: bytes, edit: Callable[[Table], None]) -> bytes:
    """`data` (a .docx) with its first table changed by `edit`, saved by python-docx."""
    document = docx.Document(io.BytesIO(data))
    edit(document.tables[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_cell(cell, text: str) -> None:
    """A cell's text, one paragraph a line (as typing Enter in Word makes it)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def filled(language: str, comments: list[ReadComment]) -> bytes:
    """The blank template in `language`, each comment typed in its paragraph's row."""

    def type_in(table: Table) -> None:
        for comment in comments:
            cells = table.rows[row_of(comment.paragraph) - 1].cells
            write_cell(cells[1], comment.text)
            write_cell(cells[2], comment.proposed_wording)

    return edited(comments_template(title=TITLE, numbers=NUMBERS, language=language), type_in)


# What each language's stakeholder writes in the template.
TEMPLATE_COMMENTS = {
    "en": [
        ReadComment(None, "We welcome the draft.\nIt is timely."),
        ReadComment("1", "The scope should include seasonal workers."),
        ReadComment("4", "", "States parties shall ensure access to justice."),
        ReadComment("12", "Add a reference to the 2022 report.", "The Committee recommends..."),
    ],
    "fr": [
        ReadComment(None, "Nous saluons le projet."),
        ReadComment("2", "Le paragraphe devrait citer l’article 12 de la Convention."),
        ReadComment("7", "Préciser la portée.", "Les États parties veillent à..."),
    ],
    "es": [
        ReadComment("3", "Conviene mencionar a los trabajadores domésticos.\nY a sus familias."),
        ReadComment("11", "Suprimir.", "Los Estados partes deberían..."),
    ],
}


@dataclass(frozen=True)
class Passage:
    """Paragraphs of a stakeholder's own document, and the comments they should give."""

    lines: tuple[str, ...]
    expected: tuple[ReadComment, ...]


def _p(lines: list[str], *expected: ReadComment) -> Passage:
    return Passage(tuple(lines), expected)


def _on(numbers: str, text: str, wording: str = "", source: str = "") -> list[ReadComment]:
    return [
        ReadComment(n, text, wording, source, unknown_paragraph=n not in NUMBERS)
        for n in numbers.split()
    ]


# Each language: general text before the first reference, a heading alone on its line, a
# passage going on over paragraphs, a proposed wording, lists, ranges, a reference after a
# few words, a paragraph the draft does not have, "article 12" and years that are not
# references, a cross-reference ("see also") that does not start a passage.
OWN_DOCUMENTS: dict[str, list[Passage]] = {
    "en": [
        _p(
            ["Global Alliance: comments on the draft", "We welcome the draft, adopted in 2022."],
            ReadComment(
                None,
                "Global Alliance: comments on the draft\nWe welcome the draft, adopted in 2022.",
            ),
        ),
        _p(
            [
                "Paragraph 3",
                "It should recall article 12 of the Convention.",
                "Proposed wording: “States parties shall protect all migrant workers.”",
            ],
            *_on(
                "3",
                "It should recall article 12 of the Convention.",
                "States parties shall protect all migrant workers.",
                "Paragraph 3",
            ),
        ),
        _p(
            ["para. 5: Include domestic workers.", "See also paragraph 2 on this."],
            *_on("5", "Include domestic workers.\nSee also paragraph 2 on this.", "", "para. 5"),
        ),
        _p(
            ["Paragraphs 7 and 9 – Mention access to justice."],
            *_on("7 9", "Mention access to justice.", "", "Paragraphs 7 and 9"),
        ),
        _p(["paras. 10-12: Shorten them."], *_on("10 11 12", "Shorten them.", "", "paras. 10-12")),
        _p(
            ["With regard to § 4, we ask for data since 2015."],
            *_on("4", "With regard to § 4, we ask for data since 2015.", "", "§ 4"),
        ),
        _p(
            ["¶ 6. Redundant with the Convention, article 12."],
            *_on("6", "Redundant with the Convention, article 12.", "", "¶ 6"),
        ),
        _p(
            ["para. 40: The draft has no such paragraph."],
            *_on("40", "The draft has no such paragraph.", "", "para. 40"),
        ),
        _p(["General comments", "The draft is long."], ReadComment(None, "The draft is long.")),
    ],
    "fr": [
        _p(
            ["Observations de la Global Alliance", "Le projet date de 2023."],
            ReadComment(None, "Observations de la Global Alliance\nLe projet date de 2023."),
        ),
        _p(
            [
                "Paragraphe 3",
                "Il devrait rappeler l’article 12 de la Convention.",
                "Libellé proposé : « Les États parties protègent tous les travailleurs. »",
            ],
            *_on(
                "3",
                "Il devrait rappeler l’article 12 de la Convention.",
                "Les États parties protègent tous les travailleurs.",
                "Paragraphe 3",
            ),
        ),
        _p(
            ["par. 5 : Inclure les travailleurs domestiques."],
            *_on("5", "Inclure les travailleurs domestiques.", "", "par. 5"),
        ),
        _p(
            ["paragraphes 7 et 9 : Mentionner l’accès à la justice."],
            *_on("7 9", "Mentionner l’accès à la justice.", "", "paragraphes 7 et 9"),
        ),
        _p(
            ["§§ 10 à 12 : Les raccourcir.", "Libellé proposé :", "Texte plus court."],
            *_on("10 11 12", "Les raccourcir.", "Texte plus court.", "§§ 10 à 12"),
        ),
        _p(
            ["Paragraphe 13 : Ce paragraphe n’existe pas."],
            *_on("13", "Ce paragraphe n’existe pas.", "", "Paragraphe 13"),
        ),
        _p(
            ["Commentaires généraux :", "Le projet est long."],
            ReadComment(None, "Le projet est long."),
        ),
    ],
    "es": [
        _p(
            ["Comentarios generales", "Acogemos con satisfacción el proyecto de 2024."],
            ReadComment(None, "Acogemos con satisfacción el proyecto de 2024."),
        ),
        _p(
            [
                "Párrafo 3",
                "Debería recordar el artículo 12 de la Convención.",
                'REDACCIÓN PROPUESTA: "Los Estados partes protegerán a todos."',
            ],
            *_on(
                "3",
                "Debería recordar el artículo 12 de la Convención.",
                "Los Estados partes protegerán a todos.",
                "Párrafo 3",
            ),
        ),
        _p(
            ["párr. 5: Incluir a los trabajadores domésticos.", "Sus contratos son para 12 meses."],
            *_on(
                "5",
                "Incluir a los trabajadores domésticos.\nSus contratos son para 12 meses.",
                "",
                "párr. 5",
            ),
        ),
        _p(
            ["Párrafos 7 y 9: Mencionar el acceso a la justicia."],
            *_on("7 9", "Mencionar el acceso a la justicia.", "", "Párrafos 7 y 9"),
        ),
        _p(["párrs. 10 a 12: Acortarlos."], *_on("10 11 12", "Acortarlos.", "", "párrs. 10 a 12")),
        _p(["párrafo 99: No existe."], *_on("99", "No existe.", "", "párrafo 99")),
    ],
}


def own_document(language: str) -> bytes:
    document = docx.Document()
    for passage in OWN_DOCUMENTS[language]:
        for line in passage.lines:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def own_comments(language: str) -> list[ReadComment]:
    return [comment for passage in OWN_DOCUMENTS[language] for comment in passage.expected]


_RESAVED: dict[str, dict[str, bytes]] = {}


def resaved_by_libreoffice() -> dict[str, bytes]:
    """The filled templates ("template-en"...) and own documents ("own-en"...), opened
    and saved again as .docx by LibreOffice, all in one run (once per test session)."""
    if "docx" not in _RESAVED:
        folder = _folder("comments-")
        sources = {
            f"template-{lang}": filled(lang, TEMPLATE_COMMENTS[lang]) for lang in OWN_DOCUMENTS
        }
        sources |= {f"own-{lang}": own_document(lang) for lang in OWN_DOCUMENTS}
        (folder / "in").mkdir()
        paths = []
        for name, data in sources.items():
            path = folder / "in" / f"{name}.docx"
            path.write_bytes(data)
            paths.append(str(path))
        _soffice(
            ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), *paths],
            folder / "profile",
        )
        _RESAVED["docx"] = {n: (folder / "out" / f"{n}.docx").read_bytes() for n in sources}
    return _RESAVED["docx"]


def app_name(data: bytes) -> str:
    """docProps/app.xml: which application wrote the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("docProps/app.xml").decode("utf-8")
