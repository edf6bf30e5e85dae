"""The public draft: one page per language, paragraph anchors, its file, posted comments."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse

from submissions import services
from submissions.drafts.comment_files import read_comments
from submissions.models import Submission
from tests import factories
from tests.second_round import NUMBERS, comments_call, send_comments

pytestmark = pytest.mark.django_db


def _post(submission: Submission) -> None:
    staff = factories.StaffFactory(is_superuser=True)
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    if submission.open_errors():
        services.submission_accept(submission=submission, actor=staff, reason="checked")
        submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff, names_seen=True)


def test_each_language_has_its_page_with_numbered_anchors_and_a_switch(client):
    call = comments_call()
    page = client.get(reverse("submissions:draft", args=[call.slug, "es"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert re.findall(r'<section class="draft-paragraph" id="(para-\d+)"', html) == [
        f"para-{n}" for n in NUMBERS
    ]
    assert "Los Estados partes deberían establecer cortafuegos" in html
    assert '<h2 class="h4 mt-4">II. Alcance</h2>' in html
    for code, name in (("en", "English"), ("fr", "français"), ("es", "español")):
        link = reverse("submissions:draft", args=[call.slug, code])
        assert re.search(
            rf'href="{link}" hreflang="{code}" lang="{code}" data-keep-paragraph', html
        )
        assert name in html
    current = re.findall(r'aria-current="page" href="([^"]+)"', html)
    assert current == [reverse("submissions:draft", args=[call.slug, "es"])]


def test_the_draft_opens_in_the_reader_s_language_if_published(client):
    call = comments_call(languages=("en", "fr"))
    home = reverse("submissions:draft_home", args=[call.slug])
    assert client.get(home).url == reverse("submissions:draft", args=[call.slug, "en"])
    client.cookies["django_language"] = "fr"
    assert client.get(home).url == reverse("submissions:draft", args=[call.slug, "fr"])
    client.cookies["django_language"] = "es"  # not published in Spanish: English
    assert client.get(home).url == reverse("submissions:draft", args=[call.slug, "en"])
    assert client.get(reverse("submissions:draft", args=[call.slug, "es"])).status_code == 404


def test_an_unpublished_draft_and_a_call_for_inputs_have_no_draft_page(client, open_call):
    call = comments_call(languages=())
    assert client.get(reverse("submissions:draft_home", args=[call.slug])).status_code == 404
    assert client.get(reverse("submissions:draft_home", args=[open_call.slug])).status_code == 404


def test_the_official_file_is_the_clean_copy_and_the_template_lists_the_paragraphs(client):
    call = comments_call(languages=("fr",))
    response = client.get(reverse("submissions:draft_file", args=[call.slug, "fr"]))
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "python-docx" not in core  # the generator's author is gone
    template = client.get(reverse("submissions:comments_template", args=[call.slug, "fr"]))
    reading = read_comments(template.content, NUMBERS)
    assert reading.kind == "template"
    core = zipfile.ZipFile(io.BytesIO(template.content)).read("docProps/core.xml").decode()
    assert "python-docx" not in core


def test_posted_comments_are_under_their_paragraph_and_nothing_else_is(client):
    call = comments_call(languages=("en",))
    named, _ = send_comments(
        call,
        [("5", "Firewalls must cover health care.", "States parties should establish "
          "firewalls between health care and immigration enforcement."),
         (None, "A general remark.", "")],
        name="Global Alliance",
    )  # fmt: skip
    anonymous, _ = send_comments(
        call, [("5", "Hidden Collective asks for more.", "")], name="Hidden Collective",
        publication="publish_anonymous",
    )  # fmt: skip
    send_comments(call, [("5", "Not yet posted.", "")], name="Waiting NGO")
    _post(named)
    _post(anonymous)
    html = client.get(reverse("submissions:draft", args=[call.slug, "en"])).content.decode()
    section = html.split('id="para-5"')[1].split("</section>")[0]
    assert "2 comments" in section
    assert "Firewalls must cover health care." in section
    assert "[name withheld] asks for more." in section
    assert "Hidden Collective" not in html and "Waiting NGO" not in html
    assert "Not yet posted." not in html
    assert "<ins>" in section and "health care" in section.split("<ins>")[1]
    assert "1 general comment" in html
    # Each posted submission's page lists its comments, linked to their paragraphs.
    page = client.get(reverse("submissions:posted", args=[call.slug, anonymous.number])).text
    assert "[name withheld] asks for more." in page and "Hidden Collective" not in page
    assert f'href="/calls/{call.slug}/draft/#para-5"' in page
    other = html.split('id="para-4"')[1].split("</section>")[0]
    assert "<details>" not in other and "Comment on paragraph 4" in other


def test_a_proposed_wording_is_compared_with_the_paragraph_in_its_own_language(client):
    call = comments_call(languages=("en", "fr"))
    french, _ = send_comments(
        call,
        [("5", "Plus large.", "Les États parties devraient établir des pare-feu entre les "
          "services de santé et le contrôle de l’immigration.")],
        language="fr",
    )  # fmt: skip
    spanish, _ = send_comments(
        call, [("6", "Más amplio.", "Los Estados partes deberían revisar sus leyes.")],
        name="Otra Red", language="es",
    )  # fmt: skip
    _post(french)
    _post(spanish)
    html = client.get(reverse("submissions:draft", args=[call.slug, "en"])).content.decode()
    five = html.split('id="para-5"')[1].split("</section>")[0]
    # Against the French paragraph: only "de santé" is new, the rest is the same text.
    assert re.findall(r"<ins>(.*?)</ins>", five) == ["de santé"]
    assert "<del>publics</del>" in five
    # No Spanish draft is published: the wording is shown as written, not compared.
    six = html.split('id="para-6"')[1].split("</section>")[0]
    assert "<ins>" not in six and "<del>" not in six
    assert "Los Estados partes deberían revisar sus leyes." in six
