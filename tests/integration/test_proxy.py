"""nginx in front of gunicorn, as deployed (tests/proxy.py): slow clients, huge bodies
and floods stop at the proxy, and the public pages keep answering."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("stack"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _slow_upload(url: str, path: str, stop: threading.Event) -> None:
    """A client sending a 20 MB form body at about 100 bytes a second."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {20 * 1024 * 1024}\r\n\r\n"
            ).encode()
        )
        while not stop.is_set():
            try:
                sock.sendall(b"x" * 10)
            except OSError:
                return  # cut off by the proxy: as it should
            time.sleep(0.1)


def _answers_quickly(url: str, times: int = 5) -> list[float]:
    seconds = []
    for _ in range(times):
        started = time.monotonic()
        assert requests.get(url, timeout=5).status_code == 200
        seconds.append(time.monotonic() - started)
    return seconds


def test_slow_uploads_do_not_hold_up_the_public_pages(proxy, open_call):
    stop = threading.Event()
    slow = [
        threading.Thread(
            target=_slow_upload, args=(proxy.url, f"/calls/{open_call.slug}/submit/", stop)
        )
        for _ in range(4)  # twice gunicorn's two sync workers
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1)
        seconds = _answers_quickly(proxy.url + "/")
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
    assert max(seconds) < 1, seconds


def test_a_huge_body_is_refused_by_the_proxy_before_it_is_read(proxy, open_call):
    host, port = proxy.url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                f"POST /calls/{open_call.slug}/submit/ HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {1024**3}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert time.monotonic() - started < 2
    assert max(_answers_quickly(proxy.url + "/")) < 1


def test_a_login_flood_is_slowed_at_the_proxy(proxy):
    codes = [requests.get(proxy.url + "/admin/login/", timeout=5).status_code for _ in range(12)]
    assert codes[0] == 200 and 429 in codes, codes
    assert max(_answers_quickly(proxy.url + "/")) < 1


def test_the_portal_believes_the_client_address_only_from_its_proxy(proxy, open_call):
    from django.test import RequestFactory

    from submissions.models import Submission
    from submissions.tokens import client_hash
    from tests.conftest import SUBMITTER_FORM
    from tests.documents import make_docx

    page = requests.Session()
    form = page.get(f"{proxy.url}/calls/{open_call.slug}/submit/", timeout=10)
    token = form.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = page.post(
        f"{proxy.url}/calls/{open_call.slug}/submit/",
        data={"csrfmiddlewaretoken": token, **SUBMITTER_FORM},
        files={"file": ("input.docx", make_docx("Global Alliance", "Input."))},
        # A client pretending to be another: the proxy adds the real address after it.
        headers={"X-Forwarded-For": "203.0.113.9", "Referer": form.url},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:500]
    stored = Submission.objects.get(call=open_call).client_hash
    real = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    forged = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    assert stored == client_hash(real) != client_hash(forged)


def test_a_flood_of_rejected_many_member_zips_leaves_the_list_answering(proxy, open_call):
    """Eight clients re-sending a 100,000-member "docx": the proxy's form rate limit
    turns most away, and those that reach the portal are refused from the zip's end
    record without reading its directory."""
    from tests.conftest import SUBMITTER_FORM
    from tests.documents import zip_of_members

    bomb = zip_of_members(100_000)
    submit = f"{proxy.url}/calls/{open_call.slug}/submit/"
    session = requests.Session()
    form = session.get(submit, timeout=10)
    token = form.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    def send() -> requests.Response:
        return session.post(
            submit,
            data={"csrfmiddlewaretoken": token, **SUBMITTER_FORM},
            files={"file": ("input.docx", bomb)},
            headers={"Referer": submit},
            timeout=30,
        )

    # One that reaches the portal: refused with the reason, nothing stored.
    first = send()
    assert first.status_code == 400  # the form again, with its errors
    assert "unusually large number of internal parts" in first.text

    stop = threading.Event()
    answers: list[int] = []

    def flood() -> None:
        while not stop.is_set():
            answers.append(send().status_code)

    threads = [threading.Thread(target=flood) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        seconds = _answers_quickly(f"{proxy.url}/calls/{open_call.slug}/submissions/")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert max(seconds) < 1, seconds
    assert 429 in answers, answers
    assert set(answers) <= {400, 429}, answers
