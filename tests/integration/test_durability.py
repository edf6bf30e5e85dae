"""Never lose a submission: real Redis, real Celery workers, real gunicorn.

A worker killed in the middle of a check, Redis down or hanging while files are
uploaded, many uploads at once: every upload gets its receipt, and every receipt
ends in exactly one report.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from submissions.enums import State
from submissions.models import Submission, SubmissionEvent
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx
from tests.stack import ROOT, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CHECKED = {State.ACCEPTED, State.READY_TO_POST, State.NEEDS_ATTENTION}
BIG = Path(__file__).parent.parent.parent / "bench" / "data" / "bench_50k.docx"


def upload(url: str, call_slug: str, data: bytes) -> tuple[requests.Response, float]:
    """Send a file through the real form, as a browser does; the receipt and the time taken."""
    session = requests.Session()
    form_url = f"{url}/calls/{call_slug}/submit/"
    page = session.get(form_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    start = time.monotonic()
    response = session.post(
        form_url,
        data={"csrfmiddlewaretoken": token, **SUBMITTER_FORM},
        files={"file": ("input.docx", data)},
        headers={"Referer": form_url},
        timeout=60,
    )
    return response, time.monotonic() - start


def tracking(response: requests.Response) -> str:
    assert response.status_code == 200, response.text[:1000]
    return re.search(r"OPEN-\d{4}", response.text).group(0)


def outcome_events(submission: Submission) -> int:
    return SubmissionEvent.objects.filter(
        submission=submission, from_state=State.CHECKING, to_state__in=CHECKED
    ).count()


def test_a_worker_killed_mid_check_leaves_the_check_to_another(stack, open_call):
    first = stack.start_worker("first")
    response, _ = upload(stack.url, open_call.slug, BIG.read_bytes())
    tracking(response)
    submission = Submission.objects.get(call=open_call)
    wait_for(
        lambda: Submission.objects.get(pk=submission.pk).state == State.CHECKING,
        30,
        "the first worker to start the check",
    )
    time.sleep(0.5)  # into the check: rendering a 50,000-word file takes seconds
    first.kill(signal.SIGKILL)  # the whole worker: its main process and its child
    submission.refresh_from_db()
    assert submission.state == State.CHECKING  # killed before it could finish

    second = stack.start_worker("second")
    wait_for(
        lambda: Submission.objects.get(pk=submission.pk).state in CHECKED,
        90,
        "the second worker to finish the check",
    )
    submission.refresh_from_db()
    assert submission.check_attempts == 2
    assert outcome_events(submission) == 1
    assert "submissions.check_submission" in second.output()


def test_uploads_while_redis_is_down_get_receipts_and_are_checked_after(stack, open_call):
    stack.start_worker("worker")
    stack.redis.kill(signal.SIGKILL)
    receipts = []
    for index in range(3):
        response, seconds = upload(
            stack.url, open_call.slug, make_docx("Global Alliance", str(index))
        )
        receipts.append(tracking(response))
        assert seconds < 10  # the broker being down costs the submitter nothing
    assert receipts == ["OPEN-0001", "OPEN-0002", "OPEN-0003"]
    assert set(Submission.objects.values_list("state", flat=True)) == {State.RECEIVED}

    stack.restart_redis()
    sweep = subprocess.run(
        [sys.executable, "manage.py", "requeue_stuck", "--older-than", "0"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "queued 3" in sweep.stdout
    wait_for(
        lambda: set(Submission.objects.values_list("state", flat=True)) <= CHECKED,
        60,
        "every upload to be checked once Redis is back",
    )
    assert all(outcome_events(s) == 1 for s in Submission.objects.all())


def test_checks_the_broker_never_took_are_queued_within_seconds_of_its_return(stack, open_call):
    stack.start_worker("worker")
    stack.redis.kill(signal.SIGKILL)
    for index in range(3):
        upload(stack.url, open_call.slug, make_docx("Global Alliance", str(index)))
    assert not Submission.objects.filter(check_queued_at__isnull=False).exists()
    stack.restart_redis()
    time.sleep(1.5)
    # The sweeper as cron runs it, its stuck threshold (10 minutes) untouched: the quick
    # pass takes the never-queued checks after GC6_UNQUEUED_AFTER_SECONDS.
    sweep = subprocess.run(
        [sys.executable, "manage.py", "requeue_stuck"],
        cwd=ROOT,
        env={**stack.env, "GC6_UNQUEUED_AFTER_SECONDS": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "queued 3 unqueued" in sweep.stdout and "queued 0 stuck" in sweep.stdout
    assert not Submission.objects.filter(check_queued_at__isnull=True).exists()
    wait_for(
        lambda: set(Submission.objects.values_list("state", flat=True)) <= CHECKED,
        60,
        "every upload to be checked once Redis is back",
    )
    assert all(outcome_events(s) == 1 for s in Submission.objects.all())


def test_an_upload_while_redis_hangs_still_gets_its_receipt(stack, open_call):
    stack.start_worker("worker")
    stack.redis.popen.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        response, seconds = upload(stack.url, open_call.slug, make_docx("Global Alliance"))
        assert tracking(response) == "OPEN-0001"
        assert seconds < 20  # bounded by the broker's socket timeouts
    finally:
        stack.redis.popen.send_signal(signal.SIGCONT)
    subprocess.run(
        [sys.executable, "manage.py", "requeue_stuck", "--older-than", "0"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    wait_for(lambda: Submission.objects.get().state in CHECKED, 60, "the check")


def test_many_uploads_end_in_as_many_reports_none_lost_none_doubled(stack, open_call):
    for name in ("one", "two"):
        stack.start_worker(name)
    count = 12
    documents = [make_docx("Global Alliance", f"Input number {i}.") for i in range(count)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda d: upload(stack.url, open_call.slug, d)[0], documents))
    numbers = sorted(tracking(r) for r in responses)
    assert numbers == [f"OPEN-{i:04d}" for i in range(1, count + 1)]
    wait_for(
        lambda: Submission.objects.filter(state__in=CHECKED).count() == count,
        90,
        "every upload's report",
    )
    assert Submission.objects.count() == count
    assert all(outcome_events(s) == 1 for s in Submission.objects.all())
