"""Private files in an S3-compatible object store (GC6_STORAGE=s3), against a real
S3 HTTP server (moto's, tests/s3.py): the storage's promises, the environment's
choice, and a file's whole path through the portal with nothing on a local disk."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.urls import reverse

from gc6portal.storage_env import private_storage
from submissions import archive, held_uploads, services
from submissions.enums import State
from submissions.presentation import download_name
from submissions.storage_s3 import PrivateS3Storage
from tests.clamd import EICAR, docx_embedding
from tests.helpers import GOOD, send, submit


@pytest.fixture
def storage(s3_server, s3_bucket) -> PrivateS3Storage:
    return PrivateS3Storage(**s3_server.options(s3_bucket))


def test_a_file_saved_is_read_back_listed_and_deleted(storage, s3_server, s3_bucket):
    name = storage.save("submissions/call/a.docx", ContentFile(b"first bytes"))
    assert name == "submissions/call/a.docx"
    assert s3_server.keys(s3_bucket) == [name]  # in the bucket itself, under that key
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"first bytes"
    assert storage.size(name) == len(b"first bytes")
    assert storage.listdir("submissions/call") == ([], ["a.docx"])
    assert storage.listdir("submissions") == (["call"], [])
    storage.delete(name)
    assert not storage.exists(name)
    assert s3_server.keys(s3_bucket) == []
    with pytest.raises(FileNotFoundError):
        storage.open(name, "rb")


def test_a_taken_name_is_never_overwritten(storage):
    first = storage.save("held/x.docx", ContentFile(b"one"))
    second = storage.save("held/x.docx", ContentFile(b"two"))
    assert second != first and second.startswith("held/x_") and second.endswith(".docx")
    assert storage.open(first, "rb").read() == b"one"
    assert storage.open(second, "rb").read() == b"two"


def test_no_file_has_a_url_and_objects_are_private(storage, s3_server, s3_bucket):
    name = storage.save("a.docx", ContentFile(b"x"))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(name)
    grants = s3_server.client().get_object_acl(Bucket=s3_bucket, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)
    # Without the signature, the store refuses it (no public read).
    import requests

    assert requests.get(f"{s3_server.endpoint}/{s3_bucket}/{name}", timeout=5).status_code == 403


def test_objects_are_encrypted_at_rest_when_asked(s3_server, s3_bucket):
    storage = PrivateS3Storage(**s3_server.options(s3_bucket), encryption="AES256")
    name = storage.save("a.docx", ContentFile(b"x"))
    head = s3_server.client().head_object(Bucket=s3_bucket, Key=name)
    assert head["ServerSideEncryption"] == "AES256"
    plain = PrivateS3Storage(**s3_server.options(s3_bucket)).save("b.docx", ContentFile(b"y"))
    assert "ServerSideEncryption" not in s3_server.client().head_object(Bucket=s3_bucket, Key=plain)


def test_the_prefix_keeps_the_portal_in_its_own_folder_of_the_bucket(s3_server, s3_bucket):
    storage = PrivateS3Storage(**s3_server.options(s3_bucket, location="gc6"))
    name = storage.save("submissions/a.docx", ContentFile(b"x"))
    assert s3_server.keys(s3_bucket) == [f"gc6/{name}"]
    with pytest.raises(SuspiciousFileOperation, match="path traversal"):  # never above it
        storage.save("../escape.docx", ContentFile(b"x"))


# The environment's choice (gc6portal/storage_env.py, read by settings.py).


def test_the_local_disk_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("GC6_STORAGE", raising=False)
    chosen = private_storage(tmp_path)
    assert chosen == {
        "BACKEND": "submissions.storage.PrivateStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }


def test_s3_is_chosen_with_its_settings_and_secrets_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    for name, value in {
        "GC6_STORAGE": "s3",
        "GC6_S3_BUCKET": "gc6-files",
        "GC6_S3_ENDPOINT_URL": "http://minio:9000",
        "GC6_S3_REGION": "eu-central-1",
        "GC6_S3_PREFIX": "/portal/",
        "GC6_S3_ENCRYPTION": "AES256",
        "AWS_ACCESS_KEY_ID": "key-id",
        "AWS_SECRET_ACCESS_KEY_FILE": str(secret),
    }.items():
        monkeypatch.setenv(name, value)
    chosen = private_storage(tmp_path)
    assert chosen["BACKEND"] == "submissions.storage_s3.PrivateS3Storage"
    assert chosen["OPTIONS"] == {
        "bucket_name": "gc6-files",
        "endpoint_url": "http://minio:9000",
        "region_name": "eu-central-1",
        "access_key": "key-id",
        "secret_key": "from-a-file",
        "location": "portal",
        "addressing_style": "path",
        "encryption": "AES256",
        "default_acl": "private",
    }
    # The options are the storage's own: it is made from them as Django will.
    made = PrivateS3Storage(**chosen["OPTIONS"])
    assert (made.bucket_name, made.location, made.file_overwrite) == ("gc6-files", "portal", False)
    assert made.object_parameters == {"ServerSideEncryption": "AES256"}


@pytest.mark.parametrize(
    ("environment", "message"),
    [({"GC6_STORAGE": "disk"}, "local or s3"), ({"GC6_STORAGE": "s3"}, "GC6_S3_BUCKET")],
)
def test_a_wrong_choice_stops_the_start_up(monkeypatch, tmp_path, environment, message):
    monkeypatch.delenv("GC6_S3_BUCKET", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        private_storage(tmp_path)


# A file's whole path through the portal on S3; the local private folder stays empty.


@pytest.mark.django_db
def test_an_upload_is_checked_posted_downloaded_and_zipped_from_the_object_store(
    client, open_call, staff_user, s3_storage, s3_server
):
    response = submit(client, open_call, GOOD)
    assert response.status_code == 302, response.content[:500]
    submission = open_call.submissions.get()
    original = submission.file.name
    assert s3_server.keys(s3_storage) == [original]

    services.submission_check(submission_id=submission.pk)  # what the worker runs
    submission.refresh_from_db()
    assert submission.state == State.READY_TO_POST, submission.findings
    assert submission.word_count == 6  # read from the object store

    services.submission_post(submission=submission, actor=staff_user)
    submission.refresh_from_db()
    public = submission.public_file.name
    assert public and public != original
    assert s3_server.keys(s3_storage) == sorted([original, public])
    download = client.get(
        reverse("submissions:posted_file", args=[open_call.slug, submission.number])
    )
    assert download.status_code == 200
    served = b"".join(download.streaming_content)
    assert served == s3_server.client().get_object(Bucket=s3_storage, Key=public)["Body"].read()
    assert served != GOOD  # the public copy, never the original

    built = archive.build_archive(open_call.pk)  # what the worker runs
    assert built is not None and built in s3_server.keys(s3_storage)
    answer = client.get(reverse("submissions:zip", args=[open_call.slug]))
    assert answer.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert bundle.read(download_name(submission)) == served
    # Nothing but the upload, its public copy and the archive with its marker.
    assert len(s3_server.keys(s3_storage)) == 4


@pytest.mark.django_db
def test_malware_is_moved_apart_within_the_object_store(open_call, scanner, s3_storage, s3_server):
    infected = docx_embedding("notes.txt", EICAR, "Submitted by Global Alliance", "Our input.")
    submission, _token = send(open_call, infected)
    original = submission.file.name
    assert s3_server.keys(s3_storage) == [original]
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.QUARANTINED
    moved = submission.file.name
    assert moved.startswith("quarantine/")
    assert s3_server.keys(s3_storage) == [moved]  # the upload's key is gone
    assert submission.versions.get().file.name == moved


@pytest.mark.django_db
def test_a_held_file_is_kept_in_and_taken_from_the_object_store(s3_storage, s3_server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    held = held_uploads.hold(SimpleUploadedFile("ours.docx", GOOD))
    (key,) = s3_server.keys(s3_storage)
    assert key.startswith(f"{held_uploads.FOLDER}/")
    taken = held_uploads.take(held.reference)
    assert taken.read() == GOOD
    held_uploads.release(held.reference)
    assert s3_server.keys(s3_storage) == []
    # The hourly clean-up lists and dates the held files in the store.
    held_uploads.hold(SimpleUploadedFile("again.docx", GOOD))
    assert held_uploads.delete_older_than(timedelta(hours=1)) == 0
    assert held_uploads.delete_older_than(timedelta(0)) == 1
    assert s3_server.keys(s3_storage) == []


def test_the_health_checks_storage_probe_writes_reads_and_deletes_in_the_store(
    s3_storage, s3_server
):
    from gc6portal.health import PrivateStorage as StorageProbe

    StorageProbe().run()  # raises ServiceUnavailable if any step fails
    assert s3_server.keys(s3_storage) == []  # and leaves nothing behind


def test_the_health_checks_storage_probe_fails_when_the_bucket_is_gone(s3_storage, s3_server):
    from gc6portal.health import PrivateStorage as StorageProbe

    s3_server.client().delete_bucket(Bucket=s3_storage)
    with pytest.raises(Exception, match="NoSuchBucket"):
        StorageProbe().run()
