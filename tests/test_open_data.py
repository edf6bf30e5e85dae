"""Reading posted submissions: search, sort, pages, statistics, feed, JSON, ZIP."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from submissions import services
from submissions.models import Submission
from tests.documents import make_docx


@pytest.fixture
def post_many(open_call, make_submission, staff_user):
    def post(count: int, **kwargs) -> list[Submission]:
        posted = []
        for index in range(count):
            data = make_docx("Global Alliance", f"Paragraph about remittances number {index}.")
            submission = make_submission(open_call, data, **kwargs)
            services.submission_check(submission_id=submission.pk)
            submission.refresh_from_db()
            services.submission_post(submission=submission, actor=staff_user)
            posted.append(submission)
        return posted

    return post


def _listing(client, call, **params):
    return client.get(reverse("submissions:posted_list", args=[call.slug]), params).text


@pytest.mark.parametrize("count", [3, 30])
def test_public_pages_run_a_fixed_number_of_queries(
    client, open_call, post_many, django_assert_num_queries, count
):
    post_many(count)
    for name, queries in (("posted_list", 3), ("statistics", 5), ("feed", 2), ("api", 2)):
        with django_assert_num_queries(queries):
            client.get(reverse(f"submissions:{name}", args=[open_call.slug]))


def test_pages_of_25_in_the_chosen_order(client, open_call, post_many):
    post_many(27)
    first = re.findall(r"OPEN-\d{4}", _listing(client, open_call, sort="number"))
    assert first[:2] == ["OPEN-0001", "OPEN-0002"]
    assert len(first) == 25
    second = re.findall(r"OPEN-\d{4}", _listing(client, open_call, sort="number", page=2))
    assert second == ["OPEN-0026", "OPEN-0027"]
    assert "27 submissions" in _listing(client, open_call)


def test_search_finds_words_in_the_text(client, open_call, post_many):
    post_many(2)
    assert "OPEN-0002" in _listing(client, open_call, q="number 1")
    assert "OPEN-0001" not in _listing(client, open_call, q="number 1")
    assert "No posted submission matches" in _listing(client, open_call, q="zebra")


def test_search_does_not_reveal_a_withheld_name(client, open_call, post_many):
    post_many(1, publication="publish_anonymous", name="Secret Network")
    Submission.objects.update(public_text="Our text.")
    assert "No posted submission matches" in _listing(client, open_call, q="Secret Network")


def test_statistics_count_by_category_country_language_and_week(client, open_call, post_many):
    post_many(3)
    page = client.get(reverse("submissions:statistics", args=[open_call.slug])).text
    assert "Civil society organisation" in page
    assert "Philippines" in page
    assert "<td>3</td>" in page
    assert 'role="img"' in page


def test_the_atom_feed_lists_posted_submissions(client, open_call, post_many):
    post_many(2)
    response = client.get(reverse("submissions:feed", args=[open_call.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.content.count(b"<entry>") == 2


def test_the_json_api_pages_and_hides_private_fields(client, open_call, post_many):
    post_many(2)
    data = json.loads(client.get(reverse("submissions:api", args=[open_call.slug])).content)
    assert [r["tracking_number"] for r in data["results"]] == ["OPEN-0001", "OPEN-0002"]
    assert data["next"] is None
    record = data["results"][0]
    assert record["stakeholder"] == "Global Alliance for Migrant Workers' Rights"
    assert "contact" not in json.dumps(data)
    assert "private.contact@example.org" not in json.dumps(data)
    assert record["pdf"] is None  # until the worker has made it


def test_the_json_api_links_the_pdf_once_made(client, open_call, post_many):
    from django.core.files.base import ContentFile

    (posted,) = post_many(1)
    posted.public_pdf.save("public.pdf", ContentFile(b"%PDF-1.7 made by the worker"))
    data = json.loads(client.get(reverse("submissions:api", args=[open_call.slug])).content)
    pdf = data["results"][0]["pdf"]
    assert pdf.endswith(reverse("submissions:posted_pdf", args=[open_call.slug, 1]))
    assert client.get(pdf).status_code == 200


def test_one_zip_holds_every_posted_file_and_a_csv(client, open_call, post_many):
    posted = post_many(2)
    response = client.get(reverse("submissions:zip", args=[open_call.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == [
        "OPEN-0001_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "OPEN-0002_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "submissions.csv",
    ]
    posted[0].refresh_from_db()
    assert archive.read(names[0]) == posted[0].public_file.open("rb").read()
    rows = list(csv.DictReader(io.StringIO(archive.read("submissions.csv").decode("utf-8-sig"))))
    assert [r["tracking_number"] for r in rows] == ["OPEN-0001", "OPEN-0002"]
    assert "private.contact@example.org" not in archive.read("submissions.csv").decode()


def test_the_zip_is_built_once_per_state_of_the_posted_set(
    client, open_call, post_many, staff_user
):
    from django.core.files.storage import default_storage

    url = reverse("submissions:zip", args=[open_call.slug])
    folder = Path(default_storage.path("archives"))

    def names(response) -> list[str]:
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()

    first, _ = post_many(2)
    assert len(names(client.get(url))) == 3
    (built,) = folder.glob(f"{open_call.slug}-*.zip")
    stamp = built.stat().st_mtime_ns
    assert len(names(client.get(url))) == 3
    assert built.stat().st_mtime_ns == stamp  # served again, not rebuilt

    services.submission_unpost(submission=first, actor=staff_user, reason="Asked")
    assert len(names(client.get(url))) == 2  # a new state, a new archive
    (rebuilt,) = folder.glob(f"{open_call.slug}-*.zip")  # the old one is gone
    assert rebuilt != built
    assert not list(folder.glob("*.part"))


def test_public_lists_never_load_the_checked_text(open_call, post_many):
    from submissions import selectors

    post_many(1)
    (listed,) = selectors.posted_submissions(call=open_call)
    # The checked text keeps hidden runs; public pages read the public copy's text only.
    assert set(Submission.SECRETARIAT_TEXT) <= listed.get_deferred_fields()
    assert "public_text" not in listed.get_deferred_fields()


def test_the_zips_csv_keeps_formulas_as_text(client, open_call, post_many):
    post_many(1, name='=HYPERLINK("https://evil.example","click")')
    response = client.get(reverse("submissions:zip", args=[open_call.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("submissions.csv").decode("utf-8-sig"))))
    assert rows[0]["stakeholder"] == '\'=HYPERLINK("https://evil.example","click")'


def test_the_feed_summary_is_plain_text(client, open_call, make_submission, staff_user):
    data = make_docx("Global Alliance", "<script>alert('feed')</script> and <b>bold</b> words.")
    submission = make_submission(open_call, data, name="Global Alliance")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    services.submission_post(submission=submission, actor=staff_user)
    feed = client.get(reverse("submissions:feed", args=[open_call.slug])).content.decode()
    assert '<summary type="text">' in feed
    assert 'type="html"' not in feed
    assert "<script>" not in feed and "&lt;script&gt;alert" in feed


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "99999999999999999", "１"])
def test_the_api_answers_404_for_a_page_it_does_not_have(client, open_call, post_many, page):
    post_many(1)
    url = reverse("submissions:api", args=[open_call.slug])
    assert client.get(url, {"page": page}).status_code == 404
    assert client.get(url, {"page": "1"}).status_code == 200


def test_sorting_by_stakeholder_never_orders_by_a_withheld_name(client, open_call, post_many):
    post_many(1, name="Zzz Hidden One", publication="publish_anonymous")
    post_many(1, name="Aaa Hidden Two", publication="publish_anonymous")
    post_many(1, name="Mmm Named")
    order = re.findall(r"OPEN-\d{4}", _listing(client, open_call, sort="stakeholder"))
    # Both withheld names sort as empty (so by number), before the shown one.
    assert order == ["OPEN-0001", "OPEN-0002", "OPEN-0003"]


def test_markup_in_a_stakeholders_name_stays_text_everywhere(client, open_call, post_many):
    name = "<script>alert('name')</script> & <b>Co</b>"
    post_many(1, name=name)
    pages = [
        reverse("submissions:posted", args=[open_call.slug, 1]),
        reverse("submissions:posted_list", args=[open_call.slug]),
        reverse("submissions:feed", args=[open_call.slug]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<b>Co</b>" not in body, url
        assert "&lt;script&gt;alert" in body, url
    api = json.loads(client.get(reverse("submissions:api", args=[open_call.slug])).content)
    assert api["results"][0]["stakeholder"] == name  # JSON: the text itself, as data
