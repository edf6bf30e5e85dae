"""The compilation of a call for comments: the page, its filters, its Word and Excel
exports, and the public version that leaves withheld names out."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from submissions import services
from submissions.compliance.anonymity import WITHHELD
from submissions.enums import CallKind, Category, Publication, State
from tests.documents import make_docx
from tests.drafts import builders
from tests.factories import CallFactory, SubmissionFactory

EN, FR = builders.TEXTS["en"], builders.TEXTS["fr"]
SECRET = "Secret Coalition"


@pytest.fixture
def comments_call(db):
    return CallFactory(kind=CallKind.COMMENTS, tracking_prefix="GC6D", title="Draft GC6")


@pytest.fixture
def drafts(comments_call, staff_user):
    """The English and French drafts, published (paragraphs 1-4, headings between)."""
    for language in ("en", "fr"):
        text = services.draft_upload(
            call=comments_call,
            language=language,
            upload=SimpleUploadedFile("draft.docx", builders.python_docx_draft(language)),
            actor=staff_user,
        )
        services.draft_publish(text=text, actor=staff_user)


def _commenting(call, name, comments, *, posted_by=None, **fields):
    """A submission with its comments ((paragraph, text, wording)); posted if `posted_by`."""
    submission = SubmissionFactory(
        call=call, stakeholder_name=name, checked=posted_by is not None, **fields
    )
    for position, (paragraph, text, wording) in enumerate(comments, start=1):
        submission.comments.create(
            position=position,
            paragraph=paragraph,
            text=text,
            proposed_wording=wording,
            language="en",
        )
    if posted_by is not None:
        services.submission_post(submission=submission, actor=posted_by, names_seen=True)
        submission.refresh_from_db()
        assert submission.state == State.POSTED
    return submission


@pytest.fixture
def commented(comments_call, drafts, staff_user):
    """GC6D-0001 posted (general, ¶2), -0002 posted without its name (¶1), -0003 rejected
    (¶3), -0004 received through the services (¶3 and ¶9, which the draft lacks)."""
    alpha = _commenting(
        comments_call,
        "Alpha Network",
        [
            ("", "Overall the draft is welcome.", ""),
            ("2", "Say shall.", "States parties shall:"),
        ],
        posted_by=staff_user,
    )
    secret = _commenting(
        comments_call,
        SECRET,
        [
            (
                "1",
                f"{SECRET} asks for more on wages.",
                f"{EN['p'][0]} {SECRET} proposes it.",
            )
        ],
        posted_by=staff_user,
        publication=Publication.PUBLISH_ANONYMOUS,
        country="MX",
        category=Category.NHRI,
    )
    rejected = _commenting(
        comments_call, "Rejected Org", [("3", "Rejected view.", "")], state=State.REJECTED
    )
    waiting, _token = services.submission_create(
        call=comments_call,
        details=services.SubmitterDetails(
            stakeholder_name="Waiting State",
            category=Category.STATE,
            country="FR",
            contact_name="A Person",
            contact_email="person@example.org",
            language="en",
            publication=Publication.PUBLISH,
        ),
        upload=SimpleUploadedFile("comments.docx", make_docx("Waiting State", "Comments.")),
        interface_language="en",
        comments=[
            services.CommentDetails(paragraph="3", text="Scope is too wide."),
            services.CommentDetails(paragraph="9", text="No such paragraph."),
        ],
    )
    return {"alpha": alpha, "secret": secret, "rejected": rejected, "waiting": waiting}


def _url(call) -> str:
    return reverse("admin:submissions_call_compilation", args=[call.pk])


def _in_order(page: str, *texts: str) -> bool:
    places = [page.index(t) for t in texts]
    return places == sorted(places)


def test_the_page_shows_every_comment_under_its_paragraph(staff_client, comments_call, commented):
    response = staff_client.get(_url(comments_call))
    assert response.status_code == 200
    page = response.text
    assert _in_order(
        page,
        'id="general"',
        "Overall the draft is welcome.",
        EN["h1"],
        'id="para-1"',
        f"{SECRET} asks for more on wages.",
        'id="para-2"',
        "Say shall.",
        'id="para-3"',
        "Scope is too wide.",
        'id="para-4"',
        "Comments on paragraphs not in this draft",
        "No such paragraph.",
    )
    assert "Rejected view." not in page  # closed states are left out by default
    assert "5 comments from 3 submissions" in page
    # ¶4 nobody commented on: one line.
    assert re.search(r'<p class="gc6-compact" id="para-4">.*no comments', page)
    assert "<del>should</del><ins>shall</ins>" in page
    secret = commented["secret"]
    assert reverse("admin:submissions_submission_change", args=[secret.pk]) in page
    assert page.count("not to be named publicly") == 1
    assert "GC6D-0002" in page and "Mexico" in page


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"state": "rejected"}, ["Rejected view."]),
        ({"state": ["posted", "rejected"]}, ["Overall", "wages", "Say shall.", "Rejected view."]),
        ({"category": "state"}, ["Scope is too wide.", "No such paragraph."]),
        ({"country": "MX"}, ["wages"]),
        ({"paragraph": "3"}, ["Scope is too wide."]),
        ({"paragraph": "general"}, ["Overall"]),
        ({"q": "WAGES"}, ["wages"]),
        ({"q": "GC6D-0001"}, ["Overall", "Say shall."]),
        ({"posted_only": "on"}, ["Overall", "wages", "Say shall."]),
        ({"country": "not-a-country"}, ["Overall", "wages", "Say shall.", "Scope is", "No such"]),
    ],
)
def test_the_filters_keep_what_they_name(staff_client, comments_call, commented, params, shown):
    page = staff_client.get(_url(comments_call), params).text
    every = ["Overall", "wages", "Say shall.", "Rejected view.", "Scope is", "No such"]
    assert [t for t in every if t in page] == [t for t in every if any(t in s for s in shown)]


def test_a_paragraph_filter_shows_that_paragraph_alone(staff_client, comments_call, commented):
    page = staff_client.get(_url(comments_call), {"paragraph": "3"}).text
    assert 'id="para-3"' in page
    assert 'id="para-2"' not in page and 'id="general"' not in page


def test_the_draft_is_shown_in_the_language_asked(staff_client, comments_call, commented):
    page = staff_client.get(_url(comments_call), {"language": "fr"}).text
    assert FR["p"][2] in page and EN["p"][2] not in page
    # The reader's language otherwise, English when it has none published.
    assert EN["p"][2] in staff_client.get(_url(comments_call)).text


def test_the_export_links_keep_the_filters(staff_client, comments_call, commented):
    page = staff_client.get(_url(comments_call), {"category": "state"}).text
    assert "?category=state&amp;format=docx" in page
    assert "?category=state&amp;format=xlsx" in page


def _docx_sections(data: bytes) -> list[tuple[str, list[str]]]:
    """(heading, the text of the table rows below it) in the document's order."""
    sections: list[tuple[str, list[str]]] = []
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            if block.style.name.startswith("Heading"):
                sections.append((block.text, []))
        elif sections:
            for row in block.rows[1:]:
                sections[-1][1].append(" | ".join(cell.text for cell in row.cells))
    return sections


def _export(client, call, fmt: str, **params) -> bytes:
    response = client.get(_url(call), {**params, "format": fmt})
    assert response.status_code == 200
    kind = "compilation-public" if params.get("public") else "compilation"
    name = f"GC6D-{kind}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    return response.content


def test_the_word_export_has_every_comment_under_its_paragraph(
    staff_client, comments_call, commented
):
    sections = _docx_sections(_export(staff_client, comments_call, "docx"))
    numbered = [(h, rows) for h, rows in sections if h.startswith(("Paragraph", "General"))]
    assert [h for h, _rows in numbered] == [
        "General comments",
        "Paragraph 1",
        "Paragraph 2",
        "Paragraph 3",
        "Paragraph 4",
        "Paragraph 9",
    ]
    found = {h: [re.findall(r"GC6D-\d{4}", row)[0] for row in rows] for h, rows in numbered}
    assert found == {
        "General comments": ["GC6D-0001"],
        "Paragraph 1": ["GC6D-0002"],
        "Paragraph 2": ["GC6D-0001"],
        "Paragraph 3": ["GC6D-0004"],
        "Paragraph 4": [],
        "Paragraph 9": ["GC6D-0004"],
    }
    rows = dict(numbered)
    assert "Say shall." in rows["Paragraph 2"][0]
    assert f"{SECRET} (not to be named publicly)" in rows["Paragraph 1"][0]
    assert [h for h, _rows in sections].index(EN["h2"]) < [h for h, _r in sections].index(
        "Paragraph 3"
    )


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _first_sheet(data: bytes) -> list[list[str]]:
    """The first sheet's rows, as text (shared strings resolved)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        strings = etree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(si.itertext()) for si in strings.iter(f"{MAIN}si")]
    rows = []
    for row in etree.fromstring(archive.read("xl/worksheets/sheet1.xml")).iter(f"{MAIN}row"):
        cells = []
        for c in row.iter(f"{MAIN}c"):
            v = c.find(f"{MAIN}v")
            if c.get("t") == "s":
                cells.append(shared[int(v.text)])
            elif c.get("t") == "inlineStr":
                cells.append("".join(c.find(f"{MAIN}is").itertext()))
            else:
                cells.append(v.text if v is not None else "")
        rows.append(cells)
    return rows


def test_the_excel_export_lists_the_comments_in_the_drafts_order(
    staff_client, comments_call, commented
):
    rows = _first_sheet(_export(staff_client, comments_call, "xlsx"))
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("General", "GC6D-0001"),
        ("1", "GC6D-0002"),
        ("2", "GC6D-0001"),
        ("3", "GC6D-0004"),
        ("9", "GC6D-0004"),
    ]
    assert rows[3][6] == "Say shall." and rows[3][7] == "States parties shall:"


def _every_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_public_version_leaves_withheld_names_and_unposted_comments_out(
    staff_client, comments_call, commented, fmt
):
    secretariat = _every_text(_export(staff_client, comments_call, fmt))
    assert SECRET in secretariat and "Scope is too wide." in secretariat

    public = _every_text(_export(staff_client, comments_call, fmt, public="on"))
    assert SECRET not in public
    assert WITHHELD in public
    assert "asks for more on wages." in public
    assert "Alpha Network" in public
    assert "Scope is too wide." not in public and "Rejected view." not in public
    assert "person@example.org" not in public


def test_the_public_version_of_the_page_withholds_the_name_too(
    staff_client, comments_call, commented
):
    page = staff_client.get(_url(comments_call), {"public": "on"}).text
    assert SECRET not in page
    assert WITHHELD in page and "not to be named publicly" not in page
    # Nor does a search by the name find the one who withheld it.
    found = staff_client.get(_url(comments_call), {"public": "on", "q": SECRET}).text
    assert "wages" not in found


def test_the_page_and_exports_cost_the_same_queries_for_3_or_30_submissions(
    staff_client, comments_call, commented, django_assert_max_num_queries
):
    counts = {}
    for fmt in ("", "docx"):
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(_url(comments_call), {"format": fmt} if fmt else {})
        counts[fmt] = len(queries)
    assert max(counts.values()) <= 10  # the session, user, device, call, drafts, filters, rows
    for n in range(27):
        _commenting(comments_call, f"Network {n}", [("2", f"Comment {n}.", ""), ("", "Also.", "")])
    for fmt, count in counts.items():
        with django_assert_max_num_queries(count):
            response = staff_client.get(_url(comments_call), {"format": fmt} if fmt else {})
        assert response.status_code == 200
    assert "Comment 26." in staff_client.get(_url(comments_call)).text


def test_only_staff_who_may_see_submissions_see_the_compilation(
    client, verified_login, member, comments_call, commented, open_call
):
    verified_login(client, member("Triage"))
    assert client.get(_url(comments_call)).status_code == 200
    assert client.get(_url(open_call)).status_code == 404  # not a call for comments
    verified_login(client, member())
    assert client.get(_url(comments_call)).status_code in (403, 404)


def test_a_call_with_no_published_draft_lists_comments_by_number(staff_client, comments_call):
    _commenting(comments_call, "Early Bird", [("5", "Before the draft.", "")])
    page = staff_client.get(_url(comments_call)).text
    assert "No draft is published for this call yet" in page
    assert "Before the draft." in page
