"""The demo's submissions: who sends what, in which language, and what becomes of it."""

from __future__ import annotations

from typing import Any

from submissions.enums import Category, Publication

CAMPAIGN = (
    "We, the undersigned, call on the Committee to state clearly that every migrant worker, "
    "whatever their status, has the right to a written contract in a language they understand, "
    "to keep their own passport, to change employer without losing their residence, and to "
    "complain without fear of detention or deportation. The general comment should name "
    "recruitment fees as a form of exploitation and ask States to ban them outright. "
)

# Each demo submission: who sends it, what it is about (its own words, so only the
# campaign's texts are near-identical), and what the demo shows with it.
DEMO_SUBMISSIONS: list[dict[str, Any]] = [
    {
        "name": "Global Alliance for Migrant Workers' Rights",
        "category": Category.CIVIL_SOCIETY,
        "country": "PH",
        "language": "en",
        "focus": "Seafarers and fishers recruited through agencies in Manila face wage theft "
        "at sea, confiscated documents and no access to a court in the flag State. We ask the "
        "Committee to read articles 25 and 54 together with objective 6 of the Compact.",
        "then": "post",
        "tour": ("Posted", "a link to its public page; its submitter may still withdraw it"),
    },
    {
        "name": "Commission nationale des droits de l'homme",
        "category": Category.NHRI,
        "country": "SN",
        "language": "fr",
        "focus": "Les travailleuses domestiques sénégalaises au Moyen-Orient signalent des "
        "heures sans limite et l'impossibilité de quitter l'employeur. Nous recommandons des "
        "accords bilatéraux fondés sur la Convention et un mécanisme de plainte consulaire.",
        "then": "post",
    },
    {
        "name": "Red Jesuita con Migrantes",
        "category": Category.CIVIL_SOCIETY,
        "country": "MX",
        "language": "es",
        "focus": "En la frontera sur de México, las personas trabajadoras agrícolas "
        "temporales no reciben atención médica y sus salarios se pagan en efectivo sin "
        "recibo. Pedimos cortafuegos entre los servicios de salud y el control migratorio.",
        "then": "post",
    },
    {
        "name": "Permanent Mission of Ecuador",
        "category": Category.STATE,
        "country": "EC",
        "language": "en",
        "focus": "Ecuador's human mobility law recognises universal citizenship. We share "
        "our experience of consular protection for nationals abroad and of regularisation "
        "for Venezuelan workers, and suggest indicators drawn from the Compact's review.",
        "then": "post",
    },
    {
        "name": "Centre for Migration Law, Radboud University",
        "category": Category.ACADEMIA,
        "country": "NL",
        "language": "en",
        "focus": "Our research compares labour inspection and immigration enforcement in "
        "eleven European States: where inspectors report irregular workers, complaints fall "
        "by half. The general comment should say that inspection serves workers first.",
        "publication": Publication.DO_NOT_PUBLISH,
        "tour": (
            "Accepted, kept private",
            "meets the rules; its submitter asked for it not to be posted",
        ),
    },
    {
        "name": "Migrant Domestic Workers Network",
        "category": Category.CIVIL_SOCIETY,
        "country": "LB",
        "language": "en",
        "focus": "The kafala system ties a worker's residence to one employer. Members of "
        "our network describe locked doors, unpaid months and no day off. We urge the "
        "Committee to call kafala incompatible with article 11 of the Convention.",
        "paragraphs": 50,  # over the word limit (about 5,150 words): for a person to decide
        "tour": ("Needs attention", "over the word limit: the report says by how much"),
    },
    {
        "name": "Observatorio de Movilidad Humana",
        "category": Category.ACADEMIA,
        "country": "CL",
        "language": "es",
        "focus": "Analizamos las expulsiones administrativas de trabajadores migrantes "
        "entre 2018 y 2022 y encontramos que la mayoría no tuvo asistencia letrada. "
        "Proponemos garantías mínimas de debido proceso inspiradas en el artículo 22.",
        "byline": False,  # its name is not on page 1: for a person to decide
    },
    *(
        {
            "name": name,
            "category": Category.CIVIL_SOCIETY,
            "country": country,
            "language": "en",
            "focus": CAMPAIGN,
            "publication": publication,
            **extra,
        }
        for name, country, publication, extra in (
            (
                "Justice for Workers Coalition",
                "KE",
                Publication.PUBLISH,
                {"tour": ("Ready to post", "checked and fine: waits for the Secretariat to post")},
            ),
            ("Workers Across Borders", "NP", Publication.PUBLISH, {}),
            (
                "A migrant worker in the Gulf",
                "",
                Publication.PUBLISH_ANONYMOUS,
                {
                    # Someone looked at where the document names its sender: each is
                    # replaced in the public copy.
                    "then": "post",
                    "tour": (
                        "Posted without the name",
                        "its public copy reads [name withheld] where the text named its sender",
                    ),
                },
            ),
        )
    ),
    {
        "name": "Fair Recruitment Initiative",
        "category": Category.CIVIL_SOCIETY,
        "country": "NP",
        "language": "en",
        "focus": "Workers who paid recruitment fees in Kathmandu told us their stories. One "
        "of them, named here with her passport number, was sent home after complaining.",
        "then": "take_down",
        "reason": "The document names a worker and gives her passport number: it is taken "
        "down until a version without them is sent.",
        "tour": ("Taken down", "it was posted, then withdrawn from the site: the reason is shown"),
    },
    {
        "name": "GlobalStaff Recruitment Ltd",
        "category": Category.OTHER,
        "country": "AE",
        "language": "en",
        "focus": "GlobalStaff places nurses, drivers and domestic workers with employers in "
        "the Gulf within four weeks. Contact our offices for our rates and conditions.",
        "then": "reject",
        "reason": "This is an advertisement for recruitment services, not an input to the "
        "general comment.",
        "tour": ("Rejected", "the Secretariat's reason, as its submitter reads it"),
    },
    {
        "name": "Asociación de Trabajadoras del Hogar",
        "category": Category.CIVIL_SOCIETY,
        "country": "PE",
        "language": "es",
        "focus": "Las trabajadoras del hogar migrantes en Lima trabajan sin contrato escrito "
        "y sin seguridad social. Enviaremos una versión conjunta con otras organizaciones.",
        "then": "withdraw",
        "tour": ("Withdrawn", "withdrawn by its submitter through the private link"),
    },
]

# On the open second-round call: comments on the draft's paragraphs ("comments": the
# paragraph, the comment, a proposed wording), typed on the site unless "paragraphs"
# asks for a long Word file of the submitter's own.
DRAFT_SUBMISSIONS: list[dict[str, Any]] = [
    {
        "name": "Migrant Forum in Asia",
        "category": Category.CIVIL_SOCIETY,
        "country": "PH",
        "language": "en",
        "focus": "The draft should say more about the children of migrant workers who stay "
        "behind, and about the return and reintegration of workers after a crisis.",
        "paragraphs": 50,  # over the word limit
        "comments": [
            ("3", "Paragraph 3 should name the children who stay behind in countries of "
             "origin.", ""),
        ],
        "then": "ask_fix",
        "reason": "Your comments are over the limit of 5,000 words. Please send a shorter "
        "version through this link before the deadline.",
        "tour": (
            "Asked to fix",
            "the Secretariat's request, and the form to send a new version (the call is open)",
        ),
    },
    {
        "name": "Fédération internationale pour les droits humains",
        "category": Category.CIVIL_SOCIETY,
        "country": "FR",
        "language": "fr",
        "comments": [
            (None, "Le projet gagnerait à citer la jurisprudence du Comité sur les "
             "communications individuelles.", ""),
            ("1", "Nous saluons l’approche du projet, qui lit le Pacte mondial à la lumière "
             "de la Convention.", ""),
            ("5", "Les pare-feu doivent couvrir la santé, l’éducation et la justice.",
             "Les États parties devraient établir des pare-feu entre les services de santé, "
             "d’éducation et de justice et le contrôle de l’immigration."),
        ],
        "then": "post",
    },
    {
        "name": "Mesa Nacional para las Migraciones en Guatemala",
        "category": Category.CIVIL_SOCIETY,
        "country": "GT",
        "language": "es",
        "comments": [
            ("4", "Las comisiones de contratación deben prohibirse expresamente.",
             "Los Estados partes deberían prohibir toda comisión de contratación a cargo de "
             "los trabajadores:"),
        ],
        "then": "post",
    },
    {
        "name": "Domestic Workers' Collective of Doha",
        "category": Category.CIVIL_SOCIETY,
        "country": "QA",
        "language": "en",
        "publication": Publication.PUBLISH_ANONYMOUS,
        "comments": [
            ("3", "Domestic workers are often left out of labour law: the general comment "
             "should say that it applies to them in full. The Domestic Workers' Collective "
             "of Doha can share its members' accounts.", ""),
        ],
        "then": "post",
    },
]  # fmt: skip

# A title, a "submitted by" line and a paragraph, in each language of the demo.
TEXTS = {
    "en": (
        "Submission to the Committee on Migrant Workers",
        "Submitted by: {name}",
        "The Convention and the Global Compact converge on the protection of migrant "
        "workers and members of their families. States should ensure fair recruitment, "
        "access to justice and firewalls between public services and immigration "
        "enforcement. ",
    ),
    "fr": (
        "Contribution au Comité des travailleurs migrants",
        "Présentée par : {name}",
        "La Convention et le Pacte mondial convergent sur la protection des travailleurs "
        "migrants et des membres de leur famille. Les États devraient garantir un "
        "recrutement équitable et l'accès à la justice, quel que soit le statut. ",
    ),
    "es": (
        "Contribución al Comité de Trabajadores Migratorios",
        "Presentada por: {name}",
        "La Convención y el Pacto Mundial convergen en la protección de los trabajadores "
        "migratorios y de sus familiares. Los Estados deben garantizar una contratación "
        "equitativa y el acceso a la justicia, cualquiera que sea su situación. ",
    ),
}
