"""The production topology without Docker (tests/topology.py): nginx in front of two
web processes, two Celery workers, sharing only PostgreSQL, Redis and the S3 store.

One submission's whole path, each step on a machine that did not do the previous
one: uploaded through the proxy to one web, its receipt served by the other, checked
by a worker that never saw either web's disk, posted by the Secretariat elsewhere,
downloaded (the file and the ZIP of all) through the proxy from the object store.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
import requests

from tests.conftest import SUBMITTER_FORM
from tests.helpers import GOOD, submit_form
from tests.stack import wait_for
from tests.topology import shared_database, topology

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("topology"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "topology"


def _metric(text: str, name: str) -> float:
    """The value of one sample (`name` with its labels) in Prometheus' text format."""
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


def test_two_webs_and_two_workers_share_only_the_database_redis_and_the_object_store(
    stack_env,
    s3_server,
    tmp_path,
):
    started = time.monotonic()
    with (
        shared_database() as database_url,
        topology(stack_env, s3_server, tmp_path, database_url) as shape,
    ):
        shape.manage(
            f"""
            import json
            from tests.factories import CallFactory
            CallFactory(slug="{SLUG}", tracking_prefix="TOPO")
            print(json.dumps("ok"))
            """
        )
        proxy = shape.proxy_url
        form_url = f"{proxy}/calls/{SLUG}/submit/"

        # The proxy sends requests to both webs in turn.
        before = shape.answered("GET /")
        for _ in range(6):
            assert requests.get(f"{proxy}/", timeout=10).status_code == 200
        after = shape.answered_by("GET /", sum(before) + 6)
        assert [a - b for a, b in zip(after, before, strict=True)] == [3, 3]

        # The upload goes to one web; the receipt it redirects to is served by the other.
        public = requests.Session()
        receipt = submit_form(
            public, form_url, SUBMITTER_FORM, files={"file": ("Our submission.docx", GOOD)}
        )
        assert receipt.status_code == 200 and "TOPO-0001" in receipt.text, receipt.text[:2000]
        took_upload = shape.answered_by(f"POST /calls/{SLUG}/submit/")
        showed_receipt = shape.answered_by(f"GET {receipt.url.removeprefix(proxy)}")
        assert sorted([took_upload, showed_receipt]) == [[0, 1], [1, 0]]
        (original,) = s3_server.keys(shape.bucket)  # the upload is in the store...

        # ...where a worker reads it; the status page (either web) follows.
        status_url = receipt.url.split("?")[0]
        wait_for(
            lambda: "meets the call" in public.get(status_url, timeout=10).text,
            30,
            "a worker's report on the status page",
        )
        done = re.compile(r"Task submissions\.check_submission\[[-0-9a-f]+\] succeeded")
        checked_by = [w for w in shape.workers if done.search(w.log())]
        assert len(checked_by) == 1, [w.log()[-2000:] for w in shape.workers]

        # Each worker serves its own metrics: the one that checked counts the check.
        success = 'gc6_check_duration_seconds_count{outcome="success"}'
        counts = {
            w.name: _metric(
                requests.get(f"http://127.0.0.1:{w.metrics_port}/metrics", timeout=5).text,
                success,
            )
            for w in shape.workers
        }
        assert counts == {w.name: float(w in checked_by) for w in shape.workers}

        # The Secretariat posts it, from a machine of its own (a service call).
        posted = shape.manage(
            f"""
            import json
            from submissions import services
            from submissions.models import Submission
            from tests.factories import StaffFactory
            submission = Submission.objects.get(call__slug="{SLUG}")
            actor = StaffFactory(is_superuser=True)
            services.submission_post(submission=submission, actor=actor)
            submission.refresh_from_db()
            print(json.dumps([submission.state, submission.public_file.name]))
            """
        )
        assert posted[0] == "posted"
        public_copy = posted[1]
        assert public_copy in s3_server.keys(shape.bucket) and public_copy != original

        # The public downloads the copy through the proxy, served from the store.
        stored = s3_server.client().get_object(Bucket=shape.bucket, Key=public_copy)
        download = requests.get(f"{proxy}/calls/{SLUG}/submissions/1/file/", timeout=10)
        assert download.status_code == 200
        assert download.content == stored["Body"].read() != GOOD

        # The posting queued the ZIP of all: a worker builds it into the store, and
        # whichever web answers serves it.
        def zipped() -> requests.Response | None:
            answer = requests.get(f"{proxy}/calls/{SLUG}/submissions.zip", timeout=30)
            return answer if answer.status_code == 200 else None

        wait_for(lambda: zipped() is not None, 30, "a worker to build the public ZIP")
        bundle = zipfile.ZipFile(io.BytesIO(zipped().content))
        (docx,) = [name for name in bundle.namelist() if name.endswith(".docx")]
        assert bundle.read(docx) == download.content

        # No web or worker kept any of the portal's files on its own disk.
        for machine in shape.webs + shape.workers:
            assert machine.private_files() == [], machine.name
    assert time.monotonic() - started < 60
