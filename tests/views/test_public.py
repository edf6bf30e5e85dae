"""The public pages: the calls, and the posted submissions. Nothing private leaks."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from submissions import services
from submissions.enums import State
from submissions.models import Submission
from tests.documents import private_draft
from tests.factories import SubmissionFactory

NAME = "Global Alliance for Migrant Workers' Rights"  # make_submission's


def test_home_lists_the_calls(client, open_call, gc6_call):
    response = client.get("/")
    assert response.status_code == 200
    assert open_call.title in response.text
    assert gc6_call.title in response.text


def test_call_page_shows_rules_deadline_in_geneva_time_and_questions(client, gc6_call):
    response = client.get(reverse("submissions:call", args=["gc6"]))
    assert response.status_code == 200
    assert "12 September 2022, 23:59" in response.text
    assert "5,000 words" in response.text
    assert gc6_call.question_list()[0] in response.text
    assert "This call is closed" in response.text


@pytest.fixture
def posted(open_call, staff_user):
    return SubmissionFactory(
        call=open_call,
        stakeholder_name=NAME,
        contact_name="Maria Private",
        contact_email="hidden.contact@example.org",
        state=State.POSTED,
        decided_by=staff_user,
    )


def test_posted_submission_is_listed_and_readable(client, posted):
    call = posted.call
    listing = client.get(reverse("submissions:posted_list", args=[call.slug]))
    assert posted.tracking_number in listing.text
    detail = client.get(reverse("submissions:posted", args=[call.slug, posted.number]))
    assert detail.status_code == 200
    assert "Our input." in detail.text
    download = client.get(reverse("submissions:posted_file", args=[call.slug, posted.number]))
    assert download.status_code == 200
    posted.refresh_from_db()
    public = b"".join(download.streaming_content)
    assert public == posted.public_file.open("rb").read()  # the cleaned copy
    assert public != posted.file.open("rb").read()  # never the original
    assert "OPEN-0001_Global_Alliance" in download["Content-Disposition"]


def test_contact_details_never_appear_publicly(client, posted):
    call = posted.call
    for url in (
        "/",
        reverse("submissions:call", args=[call.slug]),
        reverse("submissions:posted_list", args=[call.slug]),
        reverse("submissions:posted", args=[call.slug, posted.number]),
    ):
        text = client.get(url).text
        assert "hidden.contact@example.org" not in text
        assert "Maria Private" not in text


@pytest.mark.parametrize("state", [s for s in State if s != State.POSTED])
def test_unposted_submissions_are_unreachable(client, posted, state):
    Submission.objects.filter(pk=posted.pk).update(state=state)
    call = posted.call
    listing = client.get(reverse("submissions:posted_list", args=[call.slug]))
    assert posted.tracking_number not in listing.text
    for name in ("submissions:posted", "submissions:posted_file"):
        assert client.get(reverse(name, args=[call.slug, posted.number])).status_code == 404


def test_list_filters_by_category_country_and_language(client, posted):
    url = reverse("submissions:posted_list", args=[posted.call.slug])
    assert posted.tracking_number in client.get(url, {"category": "civil_society"}).text
    assert posted.tracking_number not in client.get(url, {"category": "state"}).text
    assert posted.tracking_number not in client.get(url, {"country": "FR"}).text
    assert posted.tracking_number not in client.get(url, {"language": "es"}).text


def test_anonymous_submission_is_listed_without_its_name(
    client, open_call, make_submission, staff_user
):
    submission = make_submission(open_call, publication="publish_anonymous", name="Secret NGO")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    # Its first line names it: nobody posts it before looking at where.
    assert "name_in_anonymous_document" in submission.finding_codes
    with pytest.raises(services.ServiceError, match="names its submitter"):
        services.submission_post(submission=submission, actor=staff_user)
    services.submission_post(submission=submission, actor=staff_user, names_seen=True)
    listing = client.get(reverse("submissions:posted_list", args=[open_call.slug]))
    assert "Secret NGO" not in listing.text
    assert "Name withheld" in listing.text
    page = client.get(reverse("submissions:posted", args=[open_call.slug, 1]))
    assert "Secret NGO" not in page.text and "[name withheld]" in page.text
    download = client.get(reverse("submissions:posted_file", args=[open_call.slug, 1]))
    assert "Secret" not in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as copy:
        assert not [n for n in copy.namelist() if b"Secret NGO" in copy.read(n)]


def test_the_public_page_shows_the_public_copys_text_not_hidden_or_deleted_text(
    client, open_call, make_submission, staff_user
):
    submission = make_submission(open_call, private_draft(), name="Global Alliance")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    # The checked text is what a reader reads (hidden text is not counted either);
    # the Secretariat still has the original file, hidden note and all.
    assert "hidden note" not in submission.text
    assert b"hidden note" in zipfile.ZipFile(submission.file.open()).read("word/document.xml")
    services.submission_post(submission=submission, actor=staff_user)
    page = client.get(reverse("submissions:posted", args=[open_call.slug, submission.number]))
    assert "The visible conclusion." in page.text
    assert "hidden note" not in page.text
    assert "deleted sentence" not in page.text
    listing = reverse("submissions:posted_list", args=[open_call.slug])
    assert "No posted submission matches" in client.get(listing, {"q": "hidden note"}).text


def test_language_switcher_changes_the_interface_language(client, open_call):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "fr"
