"""Demo data for `make run`: the open second-round call and submissions in every state
a visitor can meet, each made through the services as a submitter and the Secretariat
would make it; and the tour `make run` prints, with their private status links.

A private link exists only when it is made (only its hash is stored): the first load
prints the receipts' links; a later one makes each tour stop a new link.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions import notifications, private_links, services
from submissions.demo_data import DEMO_SUBMISSIONS, DRAFT_SUBMISSIONS, TEXTS
from submissions.demo_draft import DRAFT, draft_docx
from submissions.drafts.comment_files import ReadComment, comments_document
from submissions.enums import CallKind, Publication, State
from submissions.models import Call, Submission
from submissions.views.draft import call_title

GENEVA = ZoneInfo("Europe/Zurich")


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
            # The call's texts in each language (the demo's own translations).
            "title_en": "Draft General Comment No. 6: comments from stakeholders",
            "title_fr": "Projet d'observation générale n° 6 : observations des parties prenantes",
            "title_es": (
                "Proyecto de observación general núm. 6: observaciones de las partes interesadas"
            ),
            "summary_en": (
                "The working group has published its draft of General Comment No. 6 on the "
                "convergence of the Convention and the Global Compact for Migration, and "
                "invites all stakeholders to comment on it."
            ),
            "summary_fr": (
                "Le groupe de travail a publié son projet d'observation générale n° 6 sur la "
                "convergence de la Convention et du Pacte mondial sur les migrations, et invite "
                "toutes les parties prenantes à le commenter."
            ),
            "summary_es": (
                "El grupo de trabajo ha publicado su proyecto de observación general núm. 6 "
                "sobre la convergencia de la Convención y el Pacto Mundial para la Migración, e "
                "invita a todas las partes interesadas a formular observaciones."
            ),
            "questions_en": (
                "Which parts of the draft should be clarified or strengthened?\n"
                "Which obligations of States parties does the draft leave out?\n"
                "How can the draft better reflect the experience of migrant workers?"
            ),
            "questions_fr": (
                "Quelles parties du projet devraient être précisées ou renforcées ?\n"
                "Quelles obligations des États parties le projet omet-il ?\n"
                "Comment le projet peut-il mieux refléter l'expérience des travailleurs migrants ?"
            ),
            "questions_es": (
                "¿Qué partes del proyecto deberían aclararse o reforzarse?\n"
                "¿Qué obligaciones de los Estados partes omite el proyecto?\n"
                "¿Cómo puede el proyecto reflejar mejor la experiencia de los trabajadores "
                "migratorios?"
            ),
            "opens_at": today - timedelta(days=1),
            "deadline": deadline,
            "word_limit": 5000,
            "kind": CallKind.COMMENTS,
            "comment_word_limit": 500,
        },
    )
    return call


def load_draft(call: Call, staff) -> int:
    """The draft in English, French and Spanish, uploaded and published as the
    Secretariat would (a language already published is left as it is)."""
    published = 0
    for language in DRAFT:
        if call.draft_texts.filter(language=language, published_at__isnull=False).exists():
            continue
        upload = SimpleUploadedFile(f"draft-{language}.docx", draft_docx(language))
        text = services.draft_upload(call=call, language=language, upload=upload, actor=staff)
        services.draft_publish(text=text, actor=staff)
        published += 1
    return published


@dataclass(frozen=True)
class TourStop:
    """A demo submission to look at: what it shows, and its private status link."""

    label: str
    tracking_number: str
    status_url: str
    hint: str


def _create(call: Call, demo: dict[str, Any], index: int, received: datetime) -> tuple:
    # Each written against the draft in its submitter's language.
    comments = [
        services.CommentDetails(paragraph, text, wording, language=demo["language"])
        for paragraph, text, wording in demo.get("comments", ())
    ]
    if comments and "paragraphs" not in demo:
        # Typed on the site: kept as the portal's Word copy, as the form does.
        data = comments_document(
            title=call_title(call, demo["language"]),
            stakeholder=demo["name"],
            comments=[ReadComment(c.paragraph, c.text, c.proposed_wording) for c in comments],
            language=demo["language"],
        )
    else:
        data = demo_docx(
            demo["name"],
            demo["language"],
            paragraphs=demo.get("paragraphs", 12),
            focus=demo["focus"],
            byline=demo.get("byline", True),
        )
    return services.submission_create(
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
        received_at=received,
        comments=comments,
    )


def _then(submission: Submission, demo: dict[str, Any], staff) -> None:
    """What the Secretariat (or the submitter) did with it after the check."""
    then = demo.get("then")
    reason = demo.get("reason", "")
    if then in ("post", "take_down"):
        if submission.state not in State.POSTABLE or submission.open_errors():
            return  # the check found what a person must decide first: left in the queue
        services.submission_post(submission=submission, actor=staff, names_seen=True)
    if then == "take_down":
        submission.refresh_from_db()
        services.submission_unpost(submission=submission, actor=staff, reason=reason)
    elif then == "reject":
        services.submission_reject(submission=submission, actor=staff, reason=reason)
    elif then == "withdraw":
        services.submission_withdraw(submission=submission)
    elif then == "ask_fix":
        services.submission_request_fix(submission=submission, actor=staff, message=reason)


def load_submissions(call: Call, staff, draft: Call | None = None) -> tuple[int, list[TourStop]]:
    """Create the demo submissions, checked, then decided as the demo says.

    On `call` (the closed GC6 call): posted ones (one without its name), one taken down,
    one rejected, one withdrawn by its submitter, and some waiting in the Secretariat's
    queue (over the word limit, no name on page 1, a campaign of three, one kept
    private). On `draft` (open, comments on the draft): one whose submitter was asked
    to fix it, and comments posted under their paragraphs (one without its name).

    Each is made once (a stakeholder already on the call is left as it is), so loading
    again adds only what an older demo lacked; the tour's stops loaded before get a new
    private link (the first ones cannot be read back). Returns how many were created
    and the tour's stops, in the order of TOUR_ORDER.
    """
    calls = [(call, DEMO_SUBMISSIONS, call.deadline - timedelta(days=10))]
    if draft is not None:
        calls.append((draft, DRAFT_SUBMISSIONS, timezone.now() - timedelta(hours=2)))
    created = 0
    stops: list[TourStop] = []
    for target, demos, received in calls:
        for index, demo in enumerate(demos):
            submission = target.submissions.filter(stakeholder_name=demo["name"]).first()
            if submission is None:
                at = received + timedelta(hours=index)
                submission, token = _create(target, demo, index, at)
                services.submission_check(submission_id=submission.pk)
                _then(Submission.objects.get(pk=submission.pk), demo, staff)
                created += 1
                url = notifications.status_url(token)
            elif "tour" in demo:
                if submission.state != TOUR_STATES[demo["tour"][0]]:
                    continue  # an older demo's, or since changed by hand: not that stop
                url = private_links.new_link(submission)
            if "tour" in demo:
                label, hint = demo["tour"]
                stops.append(TourStop(label, submission.tracking_number, url, hint))
    return created, sorted(stops, key=lambda stop: TOUR_ORDER.index(stop.label))


# The tour's stops in the order a visitor meets them, from waiting to done, and the
# state each one's submission is in.
TOUR_STATES: dict[str, State] = {
    "Needs attention": State.NEEDS_ATTENTION,
    "Asked to fix": State.NEEDS_ATTENTION,
    "Accepted, kept private": State.ACCEPTED,
    "Ready to post": State.READY_TO_POST,
    "Posted": State.POSTED,
    "Posted without the name": State.POSTED,
    "Taken down": State.UNPOSTED,
    "Rejected": State.REJECTED,
    "Withdrawn": State.WITHDRAWN,
}
TOUR_ORDER = tuple(TOUR_STATES)


def tour(stops: list[TourStop], *, admin: str, password: str) -> str:
    """What `make run` prints once the portal is up: where to go and what to try."""

    def url(name: str, *args: str) -> str:
        return notifications.absolute(reverse(name, args=args))

    places = [
        ("Home", url("submissions:home"), "the calls; switch the language in the header"),
        (
            "An open call",
            url("submissions:call", "gc6-draft"),
            "its rules up front: the word limit, the deadline in Geneva time and yours",
        ),
        (
            "The form",
            url("submissions:submit", "gc6-draft"),
            "send a .docx; leave a field empty: the errors are listed, your file is kept",
        ),
        (
            "Posted submissions",
            url("submissions:posted_list", "gc6"),
            "filter by category, country or language, search the text, sort",
        ),
        ("Statistics", url("submissions:statistics", "gc6"), "by category, country, week"),
        ("Atom feed", url("submissions:feed", "gc6"), "the posted submissions, newest first"),
        ("JSON API", url("submissions:api", "gc6"), "the same, with links to each file"),
        (
            "A missing page",
            notifications.absolute("/no-such-page/"),
            "the site's own 404, in the language chosen",
        ),
        (
            "Admin",
            notifications.absolute("/admin/"),
            f"login {admin} / {password}: the work queue, decisions, the register",
        ),
    ]
    lines = [f"The GC6 submissions portal is running at {url('submissions:home')}", ""]
    lines += ["What to open, and what to try there:"]
    width = max(len(label) for label, _, _ in places)
    for label, address, hint in places:
        lines += [f"  {label:<{width}}  {address}", f"  {'':<{width}}  {hint}"]
    if stops:
        lines += ["", "Demo submissions, by their submitters' private status links:"]
        width = max(len(f"{stop.tracking_number} {stop.label}") for stop in stops)
        for stop in stops:
            name = f"{stop.tracking_number} {stop.label}"
            lines += [f"  {name:<{width}}  {stop.status_url}", f"  {'':<{width}}  {stop.hint}"]
    return "\n".join(lines)
