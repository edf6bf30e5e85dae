"""Reading posted submissions: search, sort, pages, statistics, feed, JSON, ZIP."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from submissions import archive, services, tasks
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
    # The list: its count, its page, the countries of its filter. The statistics: no
    # figures kept yet (no worker here), so a look for their row, the call and its four
    # counts, the row written (an update, then an insert in a savepoint: 4), then the
    # page's call. Each is then kept (tests/views/test_public_cache.py).
    for name, queries in (("posted_list", 4), ("statistics", 11), ("feed", 2), ("api", 2)):
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


def _zip_url(call) -> str:
    return reverse("submissions:zip", args=[call.slug])


def _unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv_rows(bundle: zipfile.ZipFile) -> list[dict]:
    return list(csv.DictReader(io.StringIO(bundle.read("submissions.csv").decode("utf-8-sig"))))


def _built_zip(client, call) -> zipfile.ZipFile:
    """The ZIP as the public gets it: a page asking to come back, then, once the
    worker's task has run, the file."""
    pending = client.get(_zip_url(call))
    assert pending.status_code == 202
    archive.build_archive(call.pk)  # what the worker runs
    return _unzip(client.get(_zip_url(call)))


def _stored(call) -> list[str]:
    """The call's files in the archives folder of storage."""
    _folders, files = default_storage.listdir(archive.FOLDER)
    return sorted(f for f in files if f.startswith(f"{call.slug}-"))


def test_one_zip_holds_every_posted_file_and_a_csv(client, open_call, post_many):
    posted = post_many(2)
    url = _zip_url(open_call)
    pending = client.get(url)
    assert pending.status_code == 202
    assert pending["Retry-After"] == "30"
    assert "The ZIP file is being prepared" in pending.text
    assert "Please come back in a minute." in pending.text
    assert f'href="{url}"' in pending.text
    assert not pending.has_header("Content-Disposition")

    assert archive.build_archive(open_call.pk) == archive.ready_archive(open_call)
    response = client.get(url)
    assert response["Content-Disposition"] == ('attachment; filename="OPEN-posted-submissions.zip"')
    bundle = _unzip(response)
    names = sorted(bundle.namelist())
    assert names == [
        "OPEN-0001_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "OPEN-0002_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "submissions.csv",
    ]
    posted[0].refresh_from_db()
    assert bundle.read(names[0]) == posted[0].public_file.open("rb").read()
    rows = _csv_rows(bundle)
    assert [r["tracking_number"] for r in rows] == ["OPEN-0001", "OPEN-0002"]
    assert "private.contact@example.org" not in bundle.read("submissions.csv").decode()


def test_the_zip_is_built_once_per_state_of_the_posted_set(
    client, open_call, post_many, staff_user, monkeypatch
):
    url = _zip_url(open_call)
    first, _ = post_many(2)
    assert client.get(url).status_code == 202
    built = archive.build_archive(open_call.pk)
    assert _stored(open_call) == sorted(
        [
            built.removeprefix("archives/"),
            f"{open_call.slug}-{archive.fingerprint(open_call)}.ready",
        ]
    )
    stamp = default_storage.get_modified_time(built)
    assert len(_unzip(client.get(url)).namelist()) == 3

    # While nothing changes, the task finds the archive and builds nothing.
    def never(*args, **kwargs):
        raise AssertionError("built again")

    with monkeypatch.context() as patched:
        patched.setattr(archive, "_write_archive", never)
        assert archive.build_archive(open_call.pk) == built
    assert default_storage.get_modified_time(built) == stamp
    assert len(_unzip(client.get(url)).namelist()) == 3  # served again, not rebuilt
    stored = _stored(open_call)

    services.submission_unpost(submission=first, actor=staff_user, reason="Asked")
    assert client.get(url).status_code == 202  # a new state: not built yet
    assert _stored(open_call) == stored  # the old one is kept until the new one is built
    rebuilt = archive.build_archive(open_call.pk)
    assert rebuilt != built
    assert len(_unzip(client.get(url)).namelist()) == 2  # a new state, a new archive
    assert not default_storage.exists(built)  # the old one is gone
    assert _stored(open_call) == sorted(
        [
            rebuilt.removeprefix("archives/"),
            f"{open_call.slug}-{archive.fingerprint(open_call)}.ready",
        ]
    )


def test_public_lists_never_load_the_checked_text(open_call, post_many):
    from submissions import selectors

    post_many(1)
    (listed,) = selectors.posted_submissions(call=open_call)
    # The checked text keeps hidden runs; public pages read the public copy's text only.
    assert set(Submission.SECRETARIAT_TEXT) <= listed.get_deferred_fields()
    assert "public_text" not in listed.get_deferred_fields()


def test_the_zips_csv_keeps_formulas_as_text(client, open_call, post_many):
    post_many(1, name='=HYPERLINK("https://evil.example","click")')
    rows = _csv_rows(_built_zip(client, open_call))
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


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("fr", "Le fichier ZIP est en cours de préparation"), ("es", "El archivo ZIP se está")],
)
def test_the_pending_page_speaks_the_chosen_language(
    client, open_call, post_many, language, phrase
):
    post_many(1)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    pending = client.get(_zip_url(open_call))
    assert pending.status_code == 202
    assert phrase in pending.text
    assert f'<html lang="{language}">' in pending.text
    assert "The ZIP file" not in pending.text


def test_the_build_is_queued_once_per_state_of_the_posted_set(
    client, open_call, post_many, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "queue_archive", lambda call_id: queued.append(call_id) or True)
    post_many(1)
    url = _zip_url(open_call)
    assert [client.get(url).status_code for _ in range(2)] == [202, 202]
    assert queued == [open_call.pk]  # the second visitor does not queue it again

    post_many(1)  # a new state of the posted set: queued for it too
    assert [client.get(url).status_code for _ in range(2)] == [202, 202]
    assert queued == [open_call.pk, open_call.pk]

    archive.build_archive(open_call.pk)
    assert client.get(url).status_code == 200
    assert queued == [open_call.pk, open_call.pk]  # ready: nothing queued


def test_the_pending_page_answers_while_the_broker_is_down(client, open_call, post_many, caplog):
    # The test settings point the broker at a closed port.
    post_many(1)
    assert client.get(_zip_url(open_call)).status_code == 202
    assert f"could not queue the archive of call {open_call.pk}" in caplog.text


def test_posting_and_taking_down_queue_the_archive_after_the_commit(
    open_call, post_many, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "queue_archive", queued.append)
    monkeypatch.setattr(tasks, "queue_public_pdf", lambda submission_id: True)
    with django_capture_on_commit_callbacks(execute=True):
        (posted,) = post_many(1)
    assert queued == [open_call.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_unpost(submission=posted, actor=staff_user, reason="Asked")
    assert queued == [open_call.pk, open_call.pk]


def test_every_way_off_the_site_queues_the_archive(
    open_call, post_many, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "queue_archive", queued.append)
    monkeypatch.setattr(tasks, "queue_public_pdf", lambda submission_id: True)
    by_submitter, by_staff = post_many(2)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_withdraw(submission=by_submitter)
    assert queued == [open_call.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_withdraw_for_submitter(
            submission=by_staff, actor=staff_user, reason="their e-mail of 3 May"
        )
    assert queued == [open_call.pk, open_call.pk]


def test_an_archive_never_holds_an_original_nor_a_withdrawn_submission(
    client, open_call, post_many, staff_user
):
    withdrawn, without_copy, kept = post_many(3)
    services.submission_unpost(submission=withdrawn, actor=staff_user, reason="Asked")
    # Posted before public copies existed: only its original is there.
    Submission.objects.filter(pk=without_copy.pk).update(public_file="")
    bundle = _built_zip(client, open_call)
    assert bundle.namelist() == [
        "OPEN-0003_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "submissions.csv",
    ]
    kept.refresh_from_db()
    assert bundle.read(bundle.namelist()[0]) == kept.public_file.open("rb").read()
    originals = [s.file.open("rb").read() for s in (withdrawn, without_copy, kept)]
    for name in bundle.namelist():
        assert bundle.read(name) not in originals, name
    assert [r["tracking_number"] for r in _csv_rows(bundle)] == ["OPEN-0003"]


def test_the_zips_csv_links_to_the_site_not_to_the_request(client, open_call, post_many, settings):
    settings.SITE_URL = "https://cmw-inputs.example.org"
    post_many(2)
    rows = _csv_rows(_built_zip(client, open_call))
    assert [r["url"] for r in rows] == [
        "https://cmw-inputs.example.org"
        + reverse("submissions:posted", args=[open_call.slug, number])
        for number in (1, 2)
    ]
    assert [r["file"] for r in rows] == [
        "OPEN-0001_Global_Alliance_for_Migrant_Workers_Rights.docx",
        "OPEN-0002_Global_Alliance_for_Migrant_Workers_Rights.docx",
    ]


def test_an_archive_saved_without_its_marker_is_never_served(client, open_call, post_many):
    # A build that died while storage was saving the ZIP leaves part of it, unmarked.
    post_many(1)
    half = default_storage.save(
        archive.archive_name(open_call, archive.fingerprint(open_call)), ContentFile(b"PK\x03\x04")
    )
    assert archive.ready_archive(open_call) is None
    assert client.get(_zip_url(open_call)).status_code == 202
    built = archive.build_archive(open_call.pk)
    assert built != half
    assert len(_unzip(client.get(_zip_url(open_call))).namelist()) == 2


def test_the_sweeper_queues_the_archives_not_built(open_call, post_many, monkeypatch):
    from submissions.management.commands import requeue_stuck

    queued = []
    monkeypatch.setattr(
        requeue_stuck, "queue_archive", lambda call_id: queued.append(call_id) or True
    )

    def sweep() -> str:
        out = io.StringIO()
        call_command("requeue_stuck", older_than=3600, stdout=out)
        return out.getvalue()

    assert "queued 0 archive(s)" in sweep().splitlines()  # nothing posted, nothing to build
    post_many(1)
    assert "queued 1 archive(s)" in sweep().splitlines()
    assert queued == [open_call.pk]
    archive.build_archive(open_call.pk)
    assert "queued 0 archive(s)" in sweep().splitlines()
    assert queued == [open_call.pk]
