"""The demo's draft general comment, in English, French and Spanish, as Word files.

Word's automatic numbering ("List Number"), headings, sub-paragraphs and a footnote-free
text: what a Secretariat uploads in the second round. Paragraph numbers agree across
the three languages, as the portal expects.
"""

from __future__ import annotations

import io

import docx

# Per language: title, then items: ("h", heading) | ("p", paragraph) | ("s", sub-paragraph).
DRAFT: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "en": (
        "Draft general comment No. 6 (2027) on the convergence of the Convention and the "
        "Global Compact for Safe, Orderly and Regular Migration",
        [
            ("h", "I. Introduction"),
            ("p", "The Committee on the Protection of the Rights of All Migrant Workers and "
             "Members of Their Families adopts the present general comment to guide States "
             "parties in implementing the Convention together with the Global Compact."),
            ("p", "The Global Compact, endorsed by the General Assembly in its resolution "
             "73/195, rests on the obligations States have under international human rights "
             "law, including the Convention."),
            ("h", "II. Scope"),
            ("p", "The present general comment applies to all migrant workers and members of "
             "their families, whatever their migration status."),
            ("p", "States parties should:"),
            ("s", "ensure fair and ethical recruitment, free of fees for workers;"),
            ("s", "guarantee access to justice without fear of detention or deportation."),
            ("h", "III. Obligations of States parties"),
            ("p", "States parties should establish firewalls between public services and "
             "immigration enforcement."),
            ("p", "States parties should regularly review their laws and policies with the "
             "participation of migrant workers and their organisations."),
        ],
    ),
    "fr": (
        "Projet d’observation générale no 6 (2027) sur la convergence de la Convention et "
        "du Pacte mondial pour des migrations sûres, ordonnées et régulières",
        [
            ("h", "I. Introduction"),
            ("p", "Le Comité pour la protection des droits de tous les travailleurs migrants "
             "et des membres de leur famille adopte la présente observation générale pour "
             "guider les États parties dans la mise en œuvre de la Convention et du Pacte "
             "mondial."),
            ("p", "Le Pacte mondial, approuvé par l’Assemblée générale dans sa résolution "
             "73/195, repose sur les obligations des États en droit international des droits "
             "de l’homme, dont la Convention."),
            ("h", "II. Portée"),
            ("p", "La présente observation générale s’applique à tous les travailleurs migrants "
             "et aux membres de leur famille, quel que soit leur statut migratoire."),
            ("p", "Les États parties devraient :"),
            ("s", "garantir un recrutement équitable et éthique, sans frais pour les "
             "travailleurs ;"),
            ("s", "garantir l’accès à la justice sans crainte de détention ou d’expulsion."),
            ("h", "III. Obligations des États parties"),
            ("p", "Les États parties devraient établir des pare-feu entre les services publics "
             "et le contrôle de l’immigration."),
            ("p", "Les États parties devraient revoir régulièrement leurs lois et politiques "
             "avec la participation des travailleurs migrants et de leurs organisations."),
        ],
    ),
    "es": (
        "Proyecto de observación general núm. 6 (2027) sobre la convergencia de la "
        "Convención y el Pacto Mundial para la Migración Segura, Ordenada y Regular",
        [
            ("h", "I. Introducción"),
            ("p", "El Comité de Protección de los Derechos de Todos los Trabajadores "
             "Migratorios y de Sus Familiares aprueba la presente observación general para "
             "orientar a los Estados partes en la aplicación de la Convención junto con el "
             "Pacto Mundial."),
            ("p", "El Pacto Mundial, que la Asamblea General hizo suyo en su resolución "
             "73/195, se basa en las obligaciones de los Estados en virtud del derecho "
             "internacional de los derechos humanos, incluida la Convención."),
            ("h", "II. Alcance"),
            ("p", "La presente observación general se aplica a todos los trabajadores "
             "migratorios y a sus familiares, cualquiera que sea su situación migratoria."),
            ("p", "Los Estados partes deberían:"),
            ("s", "garantizar una contratación equitativa y ética, sin comisiones para los "
             "trabajadores;"),
            ("s", "garantizar el acceso a la justicia sin temor a la detención o la "
             "deportación."),
            ("h", "III. Obligaciones de los Estados partes"),
            ("p", "Los Estados partes deberían establecer cortafuegos entre los servicios "
             "públicos y el control migratorio."),
            ("p", "Los Estados partes deberían revisar periódicamente sus leyes y políticas "
             "con la participación de los trabajadores migratorios y sus organizaciones."),
        ],
    ),
}  # fmt: skip


def draft_docx(language: str) -> bytes:
    """The demo draft in `language`: numbered by Word's "List Number", sub-paragraphs typed."""
    title, items = DRAFT[language]
    document = docx.Document()
    document.add_heading(title, level=0)
    letter = 0
    for kind, text in items:
        if kind == "h":
            document.add_heading(text, level=1)
        elif kind == "p":
            document.add_paragraph(text, style="List Number")
            letter = 0
        else:
            document.add_paragraph(f"({'abcdefgh'[letter]}) {text}")
            letter += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
