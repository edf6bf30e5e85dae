"""Demo data for `make run`: the open second-round call and a few submissions."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions import services
from submissions.enums import Category, Publication, State
from submissions.models import Call, Submission

GENEVA = ZoneInfo("Europe/Zurich")

DEMO_SUBMISSIONS = [
    (
        "Global Alliance for Migrant Workers' Rights",
        Category.CIVIL_SOCIETY,
        "PH",
        "en",
        Publication.PUBLISH,
        True,
    ),
    (
        "Commission nationale des droits de l'homme",
        Category.NHRI,
        "SN",
        "fr",
        Publication.PUBLISH,
        True,
    ),
    ("Red Jesuita con Migrantes", Category.CIVIL_SOCIETY, "MX", "es", Publication.PUBLISH, True),
    ("Permanent Mission of Ecuador", Category.STATE, "EC", "en", Publication.PUBLISH, True),
    (
        "Centre for Migration Law, Radboud University",
        Category.ACADEMIA,
        "NL",
        "en",
        Publication.DO_NOT_PUBLISH,
        False,
    ),
    (
        "Migrant Domestic Workers Network",
        Category.CIVIL_SOCIETY,
        "LB",
        "en",
        Publication.PUBLISH,
        False,
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


def demo_docx(name: str, language: str = "en", paragraphs: int = 12) -> bytes:
    """A plain Word document in `language` with `name` on its first page."""
    title, byline, paragraph = TEXTS[language]
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(byline.format(name=name))
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
    """Create the demo submissions on `call`, checked, and posted where they may be."""
    if call.submissions.exists():
        return 0
    received = call.deadline - timedelta(days=10)
    for index, (name, category, country, language, publication, post) in enumerate(
        DEMO_SUBMISSIONS
    ):
        upload = SimpleUploadedFile(f"submission-{index + 1}.docx", demo_docx(name, language))
        submission, _ = services.submission_create(
            call=call,
            details=services.SubmitterDetails(
                stakeholder_name=name,
                category=category,
                country=country,
                contact_name="Demo Contact",
                contact_email=f"contact{index + 1}@example.org",
                language=language,
                publication=publication,
            ),
            upload=upload,
            interface_language=language,
            received_at=received + timedelta(hours=index),
        )
        services.submission_check(submission_id=submission.pk)
        submission = Submission.objects.get(pk=submission.pk)
        if post and submission.state == State.READY_TO_POST:
            services.submission_post(submission=submission, actor=staff)
    return len(DEMO_SUBMISSIONS)
