"""Demo data for `make run`: the open second-round call and a few submissions."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions import services
from submissions.enums import Category, Publication, State
from submissions.models import Call, Submission

GENEVA = ZoneInfo("Europe/Zurich")

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
        "post": True,
    },
    {
        "name": "Commission nationale des droits de l'homme",
        "category": Category.NHRI,
        "country": "SN",
        "language": "fr",
        "focus": "Les travailleuses domestiques sénégalaises au Moyen-Orient signalent des "
        "heures sans limite et l'impossibilité de quitter l'employeur. Nous recommandons des "
        "accords bilatéraux fondés sur la Convention et un mécanisme de plainte consulaire.",
        "post": True,
    },
    {
        "name": "Red Jesuita con Migrantes",
        "category": Category.CIVIL_SOCIETY,
        "country": "MX",
        "language": "es",
        "focus": "En la frontera sur de México, las personas trabajadoras agrícolas "
        "temporales no reciben atención médica y sus salarios se pagan en efectivo sin "
        "recibo. Pedimos cortafuegos entre los servicios de salud y el control migratorio.",
        "post": True,
    },
    {
        "name": "Permanent Mission of Ecuador",
        "category": Category.STATE,
        "country": "EC",
        "language": "en",
        "focus": "Ecuador's human mobility law recognises universal citizenship. We share "
        "our experience of consular protection for nationals abroad and of regularisation "
        "for Venezuelan workers, and suggest indicators drawn from the Compact's review.",
        "post": True,
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
        }
        for name, country, publication in (
            ("Justice for Workers Coalition", "KE", Publication.PUBLISH),
            ("Workers Across Borders", "NP", Publication.PUBLISH),
            ("A migrant worker in the Gulf", "", Publication.PUBLISH_ANONYMOUS),
        )
    ),
]

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


def demo_docx(
    name: str, language: str = "en", paragraphs: int = 12, focus: str = "", byline: bool = True
) -> bytes:
    """A plain Word document in `language`, with `name` on its first page if `byline`."""
    title, by, paragraph = TEXTS[language]
    document = docx.Document()
    document.add_heading(title, level=1)
    if byline:
        document.add_paragraph(by.format(name=name))
    if focus:
        document.add_paragraph(focus)
    for _ in range(paragraphs):
        document.add_paragraph(paragraph * 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def open_call(today: datetime | None = None) -> Call:
    """The second round the GC6 call announces: comments on the draft, open now."""
    today = (today or timezone.now()).astimezone(GENEVA)
    deadline = datetime.combine(today.date() + timedelta(days=60), time.max, tzinfo=GENEVA)
    call, _ = Call.objects.update_or_create(
        slug="gc6-draft",
        defaults={
            "tracking_prefix": "GC6D",
            "title": "Draft General Comment No. 6: comments from stakeholders",
            "summary": (
                "The working group has published its draft of General Comment No. 6 on the "
                "convergence of the Convention and the Global Compact for Migration, and "
                "invites all stakeholders to comment on it."
            ),
            "questions": (
                "Which parts of the draft should be clarified or strengthened?\n"
                "Which obligations of States parties does the draft leave out?\n"
                "How can the draft better reflect the experience of migrant workers?"
            ),
            "opens_at": today - timedelta(days=1),
            "deadline": deadline,
            "word_limit": 5000,
        },
    )
    return call


def load_submissions(call: Call, staff) -> int:
    """Create the demo submissions on `call`, checked, and posted where the demo says.

    Those not posted wait in the Secretariat's queue: one over the word limit, one
    without its name on page 1, a campaign of three, one to be posted anonymously.
    """
    if call.submissions.exists():
        return 0
    received = call.deadline - timedelta(days=10)
    for index, demo in enumerate(DEMO_SUBMISSIONS):
        data = demo_docx(
            demo["name"],
            demo["language"],
            paragraphs=demo.get("paragraphs", 12),
            focus=demo["focus"],
            byline=demo.get("byline", True),
        )
        submission, _ = services.submission_create(
            call=call,
            details=services.SubmitterDetails(
                stakeholder_name=demo["name"],
                category=demo["category"],
                country=demo["country"],
                contact_name="Demo Contact",
                contact_email=f"contact{index + 1}@example.org",
                language=demo["language"],
                publication=demo.get("publication", Publication.PUBLISH),
            ),
            upload=SimpleUploadedFile(f"submission-{index + 1}.docx", data),
            interface_language=demo["language"],
            received_at=received + timedelta(hours=index),
        )
        services.submission_check(submission_id=submission.pk)
        submission = Submission.objects.get(pk=submission.pk)
        if demo.get("post") and submission.state == State.READY_TO_POST:
            services.submission_post(submission=submission, actor=staff)
    return len(DEMO_SUBMISSIONS)
