"""Private storage in an S3-compatible object store (AWS S3, MinIO, Ceph), for web and
worker processes on several machines (GC6_STORAGE=s3, read in settings.py).

It keeps PrivateStorage's promises: no file has a URL (no public one, no signed
one), objects are written private, a name already taken is never overwritten (the
storage picks another), and each object may be encrypted at rest by the store.
A save returns once the store answered the PUT, which S3 does only when the object
is durable: the fsync of the local disk, here.

Imported only when chosen: boto3 costs the other processes nothing.
"""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend with the private storage's rules forced on."""

    def __init__(self, *, encryption: str = "", **kwargs: Any) -> None:
        kwargs.update(
            # Nothing here is ever linked to: a view that checks the state serves it.
            querystring_auth=False,
            custom_domain=None,
            # Two uploads never share a name; if one did, the second gets another.
            file_overwrite=False,
            # No gzip on the way in: the bytes read back are the bytes received.
            gzip=False,
        )
        kwargs.setdefault("default_acl", "private")
        if encryption:  # "AES256" (the store's keys) or "aws:kms"
            parameters = dict(kwargs.get("object_parameters") or {})
            parameters["ServerSideEncryption"] = encryption
            kwargs["object_parameters"] = parameters
        super().__init__(**kwargs)

    def url(
        self,
        name: str | None,
        parameters: Any = None,
        expire: Any = None,
        http_method: Any = None,
    ) -> str:
        raise ValueError("Private files have no public URL.")
