"""The draft in the admin: upload, preview, number by hand, publish (tests/drafts/builders.py
makes the files)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.compliance.package import UnreadableDocument
from submissions.drafts.split import NO_NUMBERING, Problem, problem_message
from submissions.enums import CallKind
from submissions.findings import error_message
from submissions.models import DraftText
from tests.drafts import builders
from tests.factories import CallFactory, SubmissionFactory

ADD = reverse("admin:submissions_drafttext_add")
LIST = reverse("admin:submissions_drafttext_changelist")
EN = builders.TEXTS["en"]


@pytest.fixture
def comments_call(db):
    return CallFactory(kind=CallKind.COMMENTS, tracking_prefix="GC6D", title="Draft GC6")


def _page(text: DraftText) -> str:
    return reverse("admin:submissions_drafttext_change", args=[text.pk])


def _do(text: DraftText, action: str) -> str:
    return reverse("admin:submissions_drafttext_do", args=[text.pk, action])


def _upload(client, call, data: bytes, *, language="en", manual=False, name="draft.docx"):
    fields = {"call": call.pk, "language": language, "file": SimpleUploadedFile(name, data)}
    if manual:
        fields["manual"] = "on"
    return client.post(ADD, fields)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _uploaded(client, call, data: bytes, **kwargs) -> DraftText:
    response = _upload(client, call, data, **kwargs)
    assert response.status_code == 302, response.context["form"].errors
    return DraftText.objects.latest("pk")


def test_an_upload_is_previewed_then_published(staff_client, staff_user, comments_call):
    response = _upload(staff_client, comments_call, builders.python_docx_draft("en"))
    text = DraftText.objects.get()
    assert response["Location"] == _page(text)
    assert (text.is_published, text.uploaded_by, text.numbers()) == (
        False,
        staff_user,
        ["1", "2", "3", "4"],
    )

    page = staff_client.get(_page(text), follow=True)
    assert "The draft is uploaded: check the preview below, then publish it." in _messages(page)
    html = page.text
    assert "Only the Secretariat sees this upload." in html
    assert "No English draft is published yet." in html
    assert f'<h3 class="gc6-draft-heading">{EN["h1"]}</h3>' in html
    assert '<span class="gc6-draft-number">2.</span>' in html
    assert f'<p class="gc6-draft-sub">(a) {EN["sub"][0]}</p>' in html
    assert builders.HIDDEN not in html and builders.DELETED not in html
    assert 'value="Publish this draft"' in html

    published = staff_client.post(_do(text, "publish"), follow=True)
    assert "The English draft is published." in _messages(published)
    text.refresh_from_db()
    assert (text.is_published, text.published_by) == (True, staff_user)
    assert "The public reads this draft since" in published.text
    assert 'value="Unpublish"' in published.text

    staff_client.post(_do(text, "unpublish"))
    text.refresh_from_db()
    assert not text.is_published
    history = LogEntry.objects.filter(object_id=str(text.pk)).order_by("pk")
    assert [e.get_change_message() for e in history] == ["Added.", "publish", "unpublish"]
    assert {e.user for e in history} == {staff_user}


def test_the_preview_shows_footnotes_and_typed_sub_paragraphs(staff_client, comments_call):
    text = _uploaded(
        staff_client, comments_call, builders.libreoffice_drafts()["typed-fr"], language="fr"
    )
    html = staff_client.get(_page(text)).text
    assert text.numbers() == ["1", "2", "3", "4"]
    assert f"<li>{builders.TEXTS['fr']['note']}</li>" in html
    assert f'<p class="gc6-draft-sub">(b) {builders.TEXTS["fr"]["sub"][1]}</p>' in html
    assert 'lang="fr"' in html


def test_publishing_a_second_upload_replaces_the_published_one(staff_client, comments_call):
    first = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    staff_client.post(_do(first, "publish"))
    second = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))

    html = staff_client.get(_page(second)).text
    assert "publishing this one replaces it." in html
    assert "It replaces the published English draft." in html
    response = staff_client.post(_do(second, "publish"), follow=True)
    assert "The English draft is published; it replaces the one published before." in _messages(
        response
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_published, second.is_published) == (False, True)


def test_a_draft_without_numbering_says_so_and_cannot_be_published(staff_client, comments_call):
    data = builders.plain_draft("Draft general comment", "The Committee adopts this.")
    text = _uploaded(staff_client, comments_call, data)
    page = staff_client.get(_page(text), follow=True)
    assert "Its numbering has problems: they are listed at the top." in _messages(page)
    assert problem_message(Problem(NO_NUMBERING)) in page.text
    assert 'class="errornote gc6-problems"' in page.text
    assert 'name="number"' not in page.text  # numbers by hand only in the manual mode
    assert "Publish this draft" not in page.text and "Unpublish" not in page.text

    refused = staff_client.post(_do(text, "publish"), follow=True)
    assert [m for m in _messages(refused) if "no numbered paragraph" in m]
    text.refresh_from_db()
    assert not text.is_published


def test_the_manual_mode_numbers_every_paragraph_then_takes_the_secretariats(
    staff_client, comments_call
):
    data = builders.plain_draft("Draft general comment", "Scope.", "It applies.", "It recalls.")
    text = _uploaded(staff_client, comments_call, data, manual=True)
    assert text.numbers() == ["1", "2", "3", "4"]
    html = staff_client.get(_page(text)).text
    assert html.count('name="number"') == 4
    assert 'name="number" value="4"' in html

    response = staff_client.post(
        _do(text, "renumber"), {"number": ["", "", "1", "2"], "heading": ["0"]}, follow=True
    )
    assert "The paragraphs are numbered as you gave them." in _messages(response)
    text.refresh_from_db()
    assert [p["number"] for p in text.paragraphs] == [None, None, "1", "2"]
    assert [p["heading"] for p in text.paragraphs] == [True, False, False, False]
    assert text.problems == []

    twice = staff_client.post(_do(text, "renumber"), {"number": ["", "1", "1", "2"]}, follow=True)
    assert "Paragraph number 1 is given twice." in _messages(twice)
    text.refresh_from_db()
    assert text.numbers() == ["1", "2"]

    published = staff_client.post(_do(text, "publish"), follow=True)
    assert "The English draft is published." in _messages(published)
    assert 'name="number"' not in published.text  # a published draft is not renumbered


def test_a_draft_is_split_again_in_either_mode(staff_client, comments_call):
    text = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    staff_client.post(_do(text, "split_manual"))
    text.refresh_from_db()
    assert text.manual and len(text.numbers()) == len(text.paragraphs)

    response = staff_client.post(_do(text, "split_file"), follow=True)
    assert "Split again with the file's numbering." in _messages(response)
    text.refresh_from_db()
    assert (text.manual, text.numbers()) == (False, ["1", "2", "3", "4"])


def test_a_published_draft_is_not_split_again_nor_deleted(staff_client, comments_call):
    text = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    staff_client.post(_do(text, "publish"))
    response = staff_client.post(_do(text, "split_manual"), follow=True)
    assert "A published draft is not changed: unpublish it first, or upload it again." in _messages(
        response
    )
    text.refresh_from_db()
    assert not text.manual
    delete = reverse("admin:submissions_drafttext_delete", args=[text.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert DraftText.objects.filter(pk=text.pk).exists()


def test_a_triage_member_may_prepare_a_draft_but_not_publish_it(
    client, verified_login, member, comments_call
):
    triage = member("Triage")
    triage.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_drafttext", "add_drafttext", "change_drafttext"]
        )
    )
    verified_login(client, type(triage).objects.get(pk=triage.pk))
    text = _uploaded(client, comments_call, builders.python_docx_draft("en"))
    html = client.get(_page(text)).text
    assert 'value="Publish this draft"' not in html
    assert "Publishing a draft needs the permission to post submissions" in html

    assert client.post(_do(text, "publish")).status_code == 403
    text.refresh_from_db()
    assert not text.is_published
    assert client.post(_do(text, "split_manual")).status_code == 302  # the rest is theirs


def test_the_drafts_are_refused_to_staff_without_their_permission(
    client, verified_login, member, comments_call
):
    text = services.draft_upload(
        call=comments_call,
        language="en",
        upload=SimpleUploadedFile("d.docx", builders.python_docx_draft("en")),
        actor=None,
    )
    verified_login(client, member())
    assert client.get(_page(text)).status_code in (403, 404)
    assert client.post(_do(text, "split_manual")).status_code == 403
    # Triage reads the drafts (migration 0014); only Publishing uploads and changes them.
    verified_login(client, member("Triage"))
    assert client.get(_page(text)).status_code == 200
    assert client.post(_do(text, "split_manual")).status_code == 403
    verified_login(client, member("Publishing"))
    assert client.post(_do(text, "split_manual")).status_code == 302


@pytest.mark.parametrize("name", ["entity_expansion.docx", "pdf_renamed.docx", "zero_bytes.docx"])
def test_a_hostile_file_is_refused_with_its_message(staff_client, comments_call, name):
    data, code = builders.bad_inputs()[name]
    response = _upload(staff_client, comments_call, data, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    if code != "empty_file":  # Django's own "The submitted file is empty."
        assert errors == [error_message(code)]
    assert not DraftText.objects.exists()


def test_a_file_the_splitter_cannot_read_is_the_file_fields_error(
    staff_client, comments_call, monkeypatch
):
    from submissions.services import drafts as draft_services

    def unreadable(data, limits=None, *, manual=False):
        raise UnreadableDocument("damaged_file")

    monkeypatch.setattr(draft_services, "split_draft", unreadable)
    response = _upload(staff_client, comments_call, builders.python_docx_draft("en"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [error_message("damaged_file")]
    assert not DraftText.objects.exists()


def test_a_file_not_ending_in_docx_is_refused(staff_client, comments_call):
    response = _upload(staff_client, comments_call, builders.python_docx_draft(), name="d.doc")
    assert response.context["form"].errors["file"] == [
        "The file must be a Word document ending in .docx, not “.doc”."
    ]


def test_only_calls_for_comments_take_a_draft(staff_client, comments_call, open_call):
    page = staff_client.get(ADD, {"call": comments_call.pk})
    choices = [c for c, _label in page.context["form"].fields["call"].choices if c]
    assert [int(str(c)) for c in choices] == [comments_call.pk]
    response = _upload(staff_client, open_call, builders.python_docx_draft())
    assert "call" in response.context["form"].errors


def test_the_actions_take_only_a_post(staff_client, comments_call):
    text = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    assert staff_client.get(_do(text, "publish")).status_code == 405
    assert staff_client.post(_do(text, "explode")).status_code == 404
    text.refresh_from_db()
    assert not text.is_published


def test_the_numbers_are_compared_with_the_other_languages(staff_client, comments_call):
    english = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    staff_client.post(_do(english, "publish"))
    data = builders.plain_draft("1. Le Comité.", "2. Les États.", "3. Portée.", "5. Rappel.")
    french = _uploaded(staff_client, comments_call, data, language="fr")
    html = staff_client.get(_page(french)).text
    table = html.split('class="gc6-comparisons"')[1].split("</table>")[0]
    assert "English" in table
    assert "<td>4</td><td>5</td>" in table

    spanish = _uploaded(
        staff_client, comments_call, builders.python_docx_draft("es"), language="es"
    )
    assert "The same numbers." in staff_client.get(_page(spanish)).text


def test_the_list_shows_and_filters_the_drafts(staff_client, comments_call):
    english = _uploaded(staff_client, comments_call, builders.python_docx_draft("en"))
    staff_client.post(_do(english, "publish"))
    _uploaded(staff_client, comments_call, builders.plain_draft("No numbers."), language="fr")
    page = staff_client.get(LIST)
    assert page.status_code == 200
    assert page.text.count("draft.docx") == 2
    assert problem_message(Problem(NO_NUMBERING)) in page.text
    published = staff_client.get(LIST, {"published": "yes"})
    assert list(published.context["cl"].result_list) == [english]
    french = staff_client.get(LIST, {"language__exact": "fr"})
    assert [t.language for t in french.context["cl"].result_list] == ["fr"]


def test_the_call_page_links_to_its_drafts_and_compilation(staff_client, comments_call, open_call):
    page = staff_client.get(reverse("admin:submissions_call_change", args=[comments_call.pk]))
    assert reverse("admin:submissions_call_compilation", args=[comments_call.pk]) in page.text
    assert f"{LIST}?call__id__exact={comments_call.pk}" in page.text
    other = staff_client.get(reverse("admin:submissions_call_change", args=[open_call.pk]))
    assert "compilation" not in other.text


def test_a_comments_submission_page_lists_its_comments(staff_client, comments_call):
    submission = SubmissionFactory(call=comments_call)
    submission.comments.create(position=1, paragraph="", text="Overall fine.")
    submission.comments.create(
        position=2, paragraph="2", text="Add a word.", proposed_wording="States should:"
    )
    page = staff_client.get(reverse("admin:submissions_submission_change", args=[submission.pk]))
    assert "Comments on the draft" in page.text
    assert "Overall fine." in page.text and "States should:" in page.text
    assert ">general<" in page.text
