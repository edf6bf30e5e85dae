"""The work queue's list and a submission's page in the admin: what they show, the files."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from submissions import services
from submissions.models import InternalNote, Submission
from tests.documents import make_docx
from tests.factories import SubmissionFactory

CHANGELIST = reverse("admin:submissions_submission_changelist")


def test_changelist_shows_states_and_findings(staff_client, checked):
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "OPEN-0001" in response.text
    assert "Ready to post" in response.text
    assert "name_not_on_first_page_estimated" in response.text


@pytest.mark.parametrize("rows", [6, 30])
def test_changelist_runs_a_fixed_number_of_queries(
    staff_client, open_call, django_assert_max_num_queries, rows
):
    made = SubmissionFactory.create_batch(rows, call=open_call)
    with django_assert_max_num_queries(12):
        page = staff_client.get(CHANGELIST, {"queue": "all"})
    # The rows are listed (the default queue would hide these received ones).
    assert all(s.tracking_number in page.text for s in made)


def test_change_page_shows_findings_text_and_history(staff_client, checked):
    _, flagged = checked
    response = staff_client.get(reverse("admin:submissions_submission_change", args=[flagged.pk]))
    assert response.status_code == 200
    assert "We could not find" in response.text
    assert "Nobody&#x27;s name here." in response.text
    assert "Being checked" in response.text  # the history


def test_state_is_read_only_in_the_admin(staff_client, checked):
    good, _ = checked
    url = reverse("admin:submissions_submission_change", args=[good.pk])
    response = staff_client.get(url)
    assert 'name="state"' not in response.text


def test_submissions_cannot_be_added_in_the_admin(staff_client, db):
    assert staff_client.get(reverse("admin:submissions_submission_add")).status_code == 403
    assert Submission.objects.count() == 0


def test_change_page_shows_versions_and_e_mails(
    staff_client, open_call, make_submission, mailoutbox
):

    submission = make_submission(open_call)  # its receipt is in the outbox
    services.submission_new_version(
        submission=submission,
        upload=SimpleUploadedFile("second.docx", make_docx("Global Alliance", "v2")),
    )
    url = reverse("admin:submissions_submission_change", args=[submission.pk])
    page = staff_client.get(url).text
    assert "our submission.docx" in page
    assert "second.docx" in page
    assert "Your submission OPEN-0001 has been received" in page
    assert "History" in page


def test_a_tracking_number_finds_its_submission(staff_client, queue):
    number = queue["posted"].tracking_number
    page = staff_client.get(CHANGELIST, {"q": number, "queue": "all"}).text
    shown = {name for name, s in queue.items() if f">{s.tracking_number}<" in page}
    assert shown == {"posted"}


def test_notes_are_added_with_their_author(staff_client, queue, staff_user):
    over = queue["over"]
    url = reverse("admin:submissions_submission_change", args=[over.pk])
    page = staff_client.get(url).text
    assert 'name="notes-0-text"' in page
    # Every inline's management form, as the browser sends it back.
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    form = {name: value for name, value in hidden if "FORMS" in name or name.endswith("-id")}
    form.update({"assignee": staff_user.pk, "notes-0-text": "Called the NGO: a shorter one."})
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.text[:3000]
    note = InternalNote.objects.get(submission=over)
    assert (note.author, note.text) == (staff_user, form["notes-0-text"])
    assert Submission.objects.get(pk=over.pk).assignee == staff_user
    assert "Called the NGO" in staff_client.get(url).text
    assert 'name="notes-1-text"' in staff_client.get(url).text  # a new one; the first read-only


def test_the_page_offers_the_decisions_a_person_may_take(client, queue, member, verified_login):
    over = queue["over"]
    url = reverse("admin:submissions_submission_change", args=[over.pk])
    triage_page = verified_login(client, member("Triage")).get(url).text
    assert "/decide/accept/" in triage_page and "/decide/reject/" in triage_page
    assert "/decide/post/" not in triage_page
    client.logout()
    publishing_page = verified_login(client, member("Publishing")).get(url).text
    assert "/decide/accept/" not in publishing_page
    # Post is theirs, but shown disabled while the error is open (tests/admin/test_officer.py).
    assert "Post publicly" in publishing_page and "gc6-decide-disabled" in publishing_page
    ready = reverse("admin:submissions_submission_change", args=[queue["ready"].pk])
    assert "/decide/post/" in client.get(ready).text


def test_a_staff_member_in_no_group_changes_nothing(checked, member, client, verified_login):
    good, _ = checked
    nobody = member()
    with pytest.raises(services.TransitionNotAllowed):
        services.submission_post(submission=good, actor=nobody)
    verified_login(client, nobody)
    assert client.get(CHANGELIST).status_code == 403


def test_a_campaign_letters_page_links_to_the_others(staff_client, campaign_rows):
    (shown, *others), unrelated = campaign_rows
    page = staff_client.get(reverse("admin:submissions_submission_change", args=[shown.pk])).text
    for other in others:
        assert reverse("admin:submissions_submission_change", args=[other.pk]) in page
        assert other.tracking_number in page
    assert reverse("admin:submissions_submission_change", args=[unrelated.pk]) not in page


# The files: for staff only; the public copy once posted; a withheld name previewed.


def test_original_file_is_for_staff_only(staff_client, checked):

    good, _ = checked
    url = reverse("admin:submissions_submission_file", args=[good.pk, "original"])
    assert Client().get(url).status_code == 302  # to the login page
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == good.file.open("rb").read()


def test_the_files_are_for_staff_and_the_public_copy_after_posting(staff_client, queue):
    posted, ready = queue["posted"], queue["ready"]
    public = reverse("admin:submissions_submission_file", args=[posted.pk, "public"])
    assert staff_client.get(public).status_code == 200
    unposted = reverse("admin:submissions_submission_file", args=[ready.pk, "public"])
    assert staff_client.get(unposted).status_code == 404
    version = reverse("admin:submissions_submission_version", args=[ready.pk, 1])
    response = staff_client.get(version)
    assert b"".join(response.streaming_content) == ready.file.open("rb").read()


def test_a_withheld_name_is_highlighted_and_its_copy_previewed(staff_client, named_anonymous):
    page = staff_client.get(
        reverse("admin:submissions_submission_change", args=[named_anonymous.pk])
    )
    assert "<mark>Secret NGO</mark>" in page.text
    preview = reverse("admin:submissions_submission_file", args=[named_anonymous.pk, "preview"])
    assert preview in page.text
    copy = b"".join(staff_client.get(preview).streaming_content)
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert b"[name withheld]" in archive.read("word/document.xml")
        assert not [n for n in archive.namelist() if b"Secret NGO" in archive.read(n)]
