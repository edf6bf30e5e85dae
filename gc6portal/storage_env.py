"""Which private storage the environment chose: a local folder or an object store.

GC6_STORAGE=local (the default): submissions.storage.PrivateStorage in
GC6_PRIVATE_MEDIA_ROOT, for one machine. GC6_STORAGE=s3: an S3-compatible object
store (AWS S3, MinIO, Ceph) through django-storages, the only place that web and
worker processes on several machines then share files:

- GC6_S3_BUCKET (required), GC6_S3_ENDPOINT_URL (empty: AWS), GC6_S3_REGION,
  GC6_S3_PREFIX (a folder in the bucket);
- AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_*_FILE (a Docker secret);
  both empty: boto3's own chain (an instance role, ~/.aws);
- GC6_S3_ADDRESSING_STYLE: path (the default with an endpoint: MinIO and Ceph behind
  one host name), virtual, or empty for boto3's choice;
- GC6_S3_ENCRYPTION: AES256 or aws:kms to have each object encrypted at rest by the
  store, empty to leave it to the bucket's rule;
- GC6_S3_ACL: the canned ACL each object is written with (private); empty for a
  bucket whose ACLs are disabled (S3's "bucket owner enforced").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from gc6portal.env import env_secret, env_str


def private_storage(local_root: Path) -> dict[str, Any]:
    """The STORAGES["default"] entry for the environment's choice."""
    choice = env_str("GC6_STORAGE", "local")
    if choice == "local":
        return {
            "BACKEND": "submissions.storage.PrivateStorage",
            "OPTIONS": {"location": str(local_root)},
        }
    if choice != "s3":
        raise ImproperlyConfigured(f"GC6_STORAGE must be local or s3, not {choice!r}")
    bucket = env_str("GC6_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("GC6_STORAGE=s3 needs GC6_S3_BUCKET")
    endpoint = env_str("GC6_S3_ENDPOINT_URL") or None
    return {
        "BACKEND": "submissions.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env_str("GC6_S3_REGION") or None,
            "access_key": env_secret("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("GC6_S3_PREFIX").strip("/"),
            "addressing_style": env_str("GC6_S3_ADDRESSING_STYLE", "path" if endpoint else "")
            or None,
            "encryption": env_str("GC6_S3_ENCRYPTION"),
            "default_acl": env_str("GC6_S3_ACL", "private") or None,
        },
    }
