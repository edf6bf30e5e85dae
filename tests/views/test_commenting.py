"""Commenting on the draft, three ways to one review: typed, the template, one's own file."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import docx
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions.compliance.package import UnreadableDocument
from submissions.drafts.comment_files import comments_template, read_comments
from submissions.models import Call, Submission
from tests.conftest import SUBMITTER_FORM
from tests.second_round import NUMBERS, comments_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Call:
    return comments_call(languages=("en", "fr"), comment_word_limit=30)


def _url(call: Call) -> str:
    return reverse("submissions:comment", args=[call.slug])


def _review_rows(html: str) -> int:
    return int(re.search(r'name="review-TOTAL_FORMS" value="(\d+)"', html).group(1))


def _send_back(client, call: Call, html: str, **changes) -> object:
    """Send the review page's form as the submitter sees it, with `changes`."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[match.group(1)] = match.group(2)
    for match in re.finditer(r'<select name="([^"]+)".*?</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(0))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    data.update({k: v for k, v in SUBMITTER_FORM.items() if k not in data})
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return client.post(_url(call), data)


def _typed(client, call: Call, **fields) -> object:
    return client.post(_url(call), {**SUBMITTER_FORM, "step": "read", **fields})


def test_the_form_shows_every_paragraph_and_opens_the_one_asked_for(client, call):
    html = client.get(_url(call) + "?p=3").content.decode()
    opened = re.findall(r'<details class="draft-paragraph[^"]*" id="(para-\d+)" open', html)
    assert opened == ["para-3"]
    assert len(re.findall(r'name="typed-c\d+"', html)) == len(NUMBERS)
    assert "I. Introduction" in html


def test_typed_comments_are_reviewed_then_sent_with_a_word_copy(client, call):
    review = _typed(
        client,
        call,
        **{
            "typed-general": "The draft is welcome.",
            "typed-c4": "Firewalls should cover health care.",
            "typed-w4": "States parties should establish firewalls between health care "
            "and immigration enforcement.",
        },
    )
    html = review.content.decode()
    assert review.status_code == 200 and _review_rows(html) == 2
    assert "<del>" in html or "<ins>" in html  # the wording against paragraph 5
    sent = _send_back(client, call, html)
    assert sent.status_code == 302 and "?notice=received" in sent.url
    submission = Submission.objects.get()
    assert list(submission.comments.values_list("paragraph", "text")) == [
        ("", "The draft is welcome."),
        ("5", "Firewalls should cover health care."),
    ]
    with submission.file.open("rb") as handle:
        words = "\n".join(p.text for p in docx.Document(handle).paragraphs)
    assert "Global Alliance" in words
    assert mail.outbox and submission.tracking_number in mail.outbox[0].body
    status = client.get(sent.url).content.decode()
    assert "Firewalls should cover health care." in status and "Paragraph 5" in status


def test_nothing_typed_and_no_file_is_a_clear_error(client, call):
    response = _typed(client, call)
    assert response.status_code == 400
    assert "Write a comment on at least one paragraph" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_comment_over_the_call_s_limit_is_refused_with_its_count(client, call):
    review = _typed(client, call, **{"typed-c0": "word " * 31})
    sent = _send_back(client, call, review.content.decode())
    assert sent.status_code == 400
    assert "This has 31 words; the call takes at most 30 a comment." in sent.content.decode()
    assert not Submission.objects.exists()


def _filled_template(rows: dict[str, tuple[str, str]], name: str = "Global Alliance") -> bytes:
    document = docx.Document(
        io.BytesIO(comments_template(title="GC6", numbers=NUMBERS, language="en"))
    )
    table = document.tables[0]
    for row in table.rows[1:]:
        number = row.cells[0].text.strip()
        if number in rows:
            row.cells[1].text, row.cells[2].text = rows[number]
    document.paragraphs[0].insert_paragraph_before(f"Submitted by {name}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_template_is_read_row_by_row_and_the_file_kept(client, call):
    data = _filled_template({"2": ("On two.", ""), "6": ("On six.", "Review laws yearly.")})
    assert read_comments(data, NUMBERS).kind == "template"
    review = _typed(client, call, **{"upload-file": SimpleUploadedFile("ours.docx", data)})
    html = review.content.decode()
    assert review.status_code == 200 and _review_rows(html) == 2
    assert "ours.docx" in html and "row" in html
    sent = _send_back(client, call, html)
    assert sent.status_code == 302
    submission = Submission.objects.get()
    assert submission.original_filename == "ours.docx"
    with submission.file.open("rb") as handle:
        assert handle.read() == data
    assert list(submission.comments.values_list("paragraph", "text", "proposed_wording")) == [
        ("2", "On two.", ""),
        ("6", "On six.", "Review laws yearly."),
    ]


def _own_document(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_references_to_paragraphs_the_draft_lacks_are_flagged_until_corrected(client, call):
    data = _own_document(
        "Comments of Global Alliance",
        "Paragraph 3: the scope should name domestic workers.",
        "Para. 99: this paragraph does not exist.",
    )
    review = _typed(client, call, **{"upload-file": SimpleUploadedFile("own.docx", data)})
    html = review.content.decode()
    assert "The draft has no paragraph 99" in html
    assert "99 (not in the draft)" in html
    refused = _send_back(client, call, html)
    assert refused.status_code == 400 and not Submission.objects.exists()
    rows = _review_rows(html)
    index = next(
        i
        for i in range(rows)
        if re.search(
            rf'name="review-{i}-paragraph"(?:(?!</select>).)*value="99" selected', html, re.S
        )
    )
    sent = _send_back(client, call, refused.content.decode(), **{f"review-{index}-paragraph": "6"})
    assert sent.status_code == 302
    assert "6" in Submission.objects.get().comments.values_list("paragraph", flat=True)


def test_the_line_naming_the_sender_is_not_offered_as_a_comment(client, call):
    # The name on page 1, as the call asks, in the words of the form's language.
    data = _own_document(
        "Présenté par Global Alliance",
        "Paragraphe 3 : le champ devrait nommer les travailleuses domestiques.",
    )
    review = _typed(client, call, **{"upload-file": SimpleUploadedFile("own.docx", data)})
    html = review.content.decode()
    assert review.status_code == 200 and _review_rows(html) == 1
    assert "Présenté par" not in html
    assert _send_back(client, call, html).status_code == 302
    assert list(Submission.objects.get().comments.values_list("paragraph", flat=True)) == ["3"]


def test_a_template_row_without_a_number_is_refused_naming_the_row(client, call):
    data = _filled_template({"2": ("On two.", "")})
    document = docx.Document(io.BytesIO(data))
    row = document.tables[0].rows[4]
    row.cells[0].text, row.cells[1].text = "", "A comment on no paragraph."
    buffer = io.BytesIO()
    document.save(buffer)
    response = _typed(
        client, call, **{"upload-file": SimpleUploadedFile("t.docx", buffer.getvalue())}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 5" in html or "row 5" in html
    assert not Submission.objects.exists()


def test_a_hostile_file_gets_its_message_not_a_500(client, call):
    response = _typed(
        client, call, **{"upload-file": SimpleUploadedFile("x.docx", b"PK\x03\x04junk")}
    )
    assert response.status_code == 400
    assert "Or send a Word file of comments" in response.content.decode()
    with pytest.raises(UnreadableDocument):
        read_comments(b"PK\x03\x04junk", NUMBERS)


def test_a_closed_call_takes_no_comments_and_the_first_round_form_sends_here(client, call):
    submit = client.get(reverse("submissions:submit", args=[call.slug]))
    assert submit.status_code == 302 and submit.url == _url(call)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(days=1))
    assert client.get(_url(call)).status_code == 403


def test_a_new_version_starts_from_the_comments_sent_and_replaces_them(client, call):
    review = _typed(client, call, **{"typed-c1": "First thoughts on two."})
    sent = _send_back(client, call, review.content.decode())
    token = sent.url.split("/status/")[1].split("/")[0]
    version_url = reverse("submissions:comment_version", args=[token])
    page = client.get(version_url).content.decode()
    assert "First thoughts on two." in page
    review = client.post(version_url, {"step": "read", "typed-c1": "", "typed-c2": "On three."})
    html = review.content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[match.group(1)] = match.group(2)
    data["review-0-paragraph"] = "3"
    done = client.post(version_url, data)
    assert done.status_code == 302 and done.url.endswith("?notice=version")
    submission = Submission.objects.get()
    assert list(submission.comments.values_list("paragraph", "text")) == [("3", "On three.")]
    assert submission.versions.count() == 2


def test_the_steps_speak_french(client, call):
    client.cookies["django_language"] = "fr"
    response = _typed(client, call)
    assert response.status_code == 400
    assert "Écrivez un commentaire" in response.content.decode()


@pytest.mark.integration
def test_a_comment_file_carrying_malware_is_refused_before_it_is_read(client, call):
    from tests.clamd import EICAR, EICAR_SIGNATURE, docx_embedding

    infected = docx_embedding("notes.txt", EICAR, "Comments of Global Alliance", "Para. 3: ok.")
    response = _typed(client, call, **{"upload-file": SimpleUploadedFile("c.docx", infected)})
    assert response.status_code == 400
    assert EICAR_SIGNATURE in response.content.decode()
    assert "Check your comments" not in response.content.decode()
