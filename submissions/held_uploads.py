"""A valid file held for a while when the rest of the form had an error.

The submission form sends the file with every other field; when another field is
wrong, the file (already checked by `forms.validate_upload`) is kept here, in the
private storage under "held/<random>.docx", and the form carries a signed reference
to it instead, so that the submitter does not have to choose it again. The client's
file name and size travel in the signed reference only, never on disk.

A reference is good for `MAX_AGE`; the sweeper (`requeue_stuck`) deletes held files
older than that, and the form deletes one as soon as a submission is made from it.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

SALT = "submissions.held_uploads"
MAX_AGE = timedelta(hours=1)
FOLDER = "held"
# What hold() writes, and nothing else: a reference cannot point anywhere but there.
_PATH = re.compile(r"held/[0-9a-f]{32}\.docx")
# A reference is about 150 characters; anything much longer is not one of ours.
_MAX_REFERENCE = 1000
_IN_MEMORY = 2_621_440  # as Django's FILE_UPLOAD_MAX_MEMORY_SIZE: beyond, a temporary file


class HeldUploadError(Exception):
    """The reference is not one we signed, or points to nothing any more."""


class HeldUploadExpired(HeldUploadError):
    """The reference was ours but is older than MAX_AGE."""


@dataclass(frozen=True)
class Held:
    """What the form shows of a held file: the client's name and its size."""

    reference: str
    name: str
    size: int


def may_hold(client: str) -> bool:
    """Whether this client (its keyed hash) may have one more file kept this hour: a
    form sent again and again with an error must not fill the private storage."""
    key = f"held-files:{client}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.GC6_HELD_FILES_PER_HOUR


def hold(upload: UploadedFile) -> Held:
    """Keep `upload` in the private storage; return the signed reference to it."""
    path = f"{FOLDER}/{secrets.token_hex(16)}.docx"
    upload.seek(0)
    saved = default_storage.save(path, upload)
    upload.seek(0)
    name = upload.name or "upload.docx"
    size = upload.size or 0
    reference = signing.dumps({"path": saved, "name": name, "size": size}, salt=SALT)
    return Held(reference=reference, name=name, size=size)


def _payload(reference: str) -> dict:
    if not reference or len(reference) > _MAX_REFERENCE:
        raise HeldUploadError("not a reference")
    try:
        payload = signing.loads(reference, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise HeldUploadExpired(str(error)) from None
    except signing.BadSignature as error:
        raise HeldUploadError(str(error)) from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("path"), str)
        and _PATH.fullmatch(payload["path"])
        and isinstance(payload.get("name"), str)
        and isinstance(payload.get("size"), int)
    ):
        raise HeldUploadError("not a held file's reference")
    return payload


def describe(reference: str) -> Held:
    """The name and size a valid reference names (raises HeldUploadError)."""
    payload = _payload(reference)
    return Held(reference=reference, name=payload["name"], size=payload["size"])


def take(reference: str) -> UploadedFile:
    """The held file as an upload, under the client's name (raises HeldUploadError).

    The file stays held until `release()`: the form may still have other errors.
    """
    payload = _payload(reference)
    # Returned open, as the upload's file: the caller's UploadedFile closes it.
    copy = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115
    try:
        with default_storage.open(payload["path"], "rb") as held:
            for chunk in held.chunks():
                copy.write(chunk)
    except FileNotFoundError:
        copy.close()
        raise HeldUploadExpired("the held file was deleted") from None
    size = copy.tell()
    copy.seek(0)
    return UploadedFile(
        file=copy,
        name=payload["name"],
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        size=size,
    )


def release(reference: str) -> None:
    """Delete the held file a (valid) reference names; nothing if it is gone or invalid."""
    try:
        payload = _payload(reference)
    except HeldUploadError:
        return
    default_storage.delete(payload["path"])


def delete_older_than(age: timedelta) -> int:
    """Delete the held files saved more than `age` ago; return how many."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    limit = timezone.now() - age
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile (a submission made from it)
            continue
    return deleted
