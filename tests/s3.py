"""A real S3-compatible HTTP server for the tests: moto's standalone server.

`s3_server` is one server per test session and xdist worker, on a free loopback port
(moto keeps its buckets in memory: nothing on disk, gone when it stops). Each test
that asks for `s3_bucket` gets a bucket of its own, so tests share no object;
`s3_storage` points the portal's private storage (STORAGES["default"]) at it, as
GC6_STORAGE=s3 does in production, and `S3Server.environment()` gives the same
settings to the processes a test starts.

moto is a development dependency (requirements-dev.txt): without it the tests that
need it skip on a developer's machine and fail when CI=true, like a missing tool.
"""

from __future__ import annotations

import itertools
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.stack import Process, free_port, wait_for

# moto accepts any credentials; boto3 needs some to sign its requests.
ACCESS_KEY = "gc6-test-access-key"
SECRET_KEY = "gc6-test-secret-key"
REGION = "us-east-1"
_numbers = itertools.count(1)


def _require_moto() -> None:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        message = "moto[server] is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI must run every test")
        pytest.skip(message)


class S3Server:
    """moto's server on 127.0.0.1:`port`."""

    def __init__(self, workdir: Path) -> None:
        _require_moto()
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        env = {**os.environ, "AWS_DEFAULT_REGION": REGION}
        self.process = Process(f"moto-{self.port}", args, env, workdir)

        def answers() -> bool:
            try:
                return requests.get(self.endpoint + "/", timeout=1).status_code == 200
            except requests.RequestException:
                return not self.process.alive()

        wait_for(answers, 30, "moto's S3 server")
        assert self.process.alive(), self.process.output()

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> str:
        name = f"gc6-test-{next(_numbers)}-{uuid.uuid4().hex[:8]}"
        self.client().create_bucket(Bucket=name)
        return name

    def options(self, bucket: str, **extra: Any) -> dict[str, Any]:
        """PrivateS3Storage's options for `bucket`, as gc6portal/storage_env.py makes them."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
            **extra,
        }

    def environment(self, bucket: str) -> dict[str, str]:
        """The settings for processes the tests start (gunicorn, Celery workers)."""
        return {
            "GC6_STORAGE": "s3",
            "GC6_S3_BUCKET": bucket,
            "GC6_S3_ENDPOINT_URL": self.endpoint,
            "GC6_S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def keys(self, bucket: str) -> list[str]:
        """Every object's key in `bucket` (read with boto3, not through the portal)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def stop(self) -> None:
        self.process.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server) -> str:
    return s3_server.new_bucket()


@pytest.fixture
def s3_storage(settings, s3_server, s3_bucket) -> str:
    """This test's private storage is `s3_bucket` on moto's server; returns the bucket."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "submissions.storage_s3.PrivateS3Storage",
            "OPTIONS": s3_server.options(s3_bucket),
        },
    }
    return s3_bucket
