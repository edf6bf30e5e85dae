"""The upload load generator: CLIENTS threads sending uploads for DURATION seconds.

    load.py bare URL [--clients 16] [--duration 15]     # one multipart POST per upload
    load.py portal URL [--clients 16] [--duration 15]   # the form's GET, then its POST

Prints one JSON line: uploads a second, p50/p99 of an upload (for the portal, its GET and
POST together, and each apart), and the statuses that were not the expected redirect.
Plain `http.client` with the body built once, so that the client costs little of the
machine the servers share: gunicorn's sync workers close every connection anyway.
The file is a small .docx from tests/documents.py with the stakeholder's name on page 1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from seed import WORDS  # noqa: E402  (bench/http, this script's folder)

from tests.documents import make_docx  # noqa: E402

STAKEHOLDER = "Bench Alliance for Migrant Workers"
FIELDS = {
    "stakeholder_name": STAKEHOLDER,
    "category": "civil_society",
    "country": "PH",
    "contact_name": "Bench Person",
    "contact_email": "bench@example.org",
    "language": "en",
    "publication": "publish",
    "late_code": "",
    "website": "",  # the robots' trap: left empty, as a person leaves it
}
BOUNDARY = "gc6-bench-boundary-7f3a9c"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HELD = re.compile(rb'name="held_file"[^>]*value="([^"]*)"')
SUBMIT_PATH = "/calls/bench/submit/"


def docx_file() -> bytes:
    body = " ".join(WORDS[i % len(WORDS)] for i in range(400))
    return make_docx(f"Submission by {STAKEHOLDER}", body)


def multipart(fields: dict[str, str], data: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="submission.docx"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        "\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


class Client:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def send(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def bare_upload(client: Client, data: bytes) -> tuple[bool, str, list[float]]:
    body = multipart(FIELDS, data)
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    start = time.perf_counter()
    status, _headers, _body = client.send("POST", "/upload/", body, headers)
    return status == 302, f"POST {status}", [time.perf_counter() - start]


def portal_upload(client: Client, data: bytes) -> tuple[bool, str, list[float]]:
    """The form's GET (its CSRF cookie and token, the held-file field), then its POST."""
    start = time.perf_counter()
    status, headers, page = client.send("GET", SUBMIT_PATH)
    got = time.perf_counter()
    if status != 200:
        return False, f"GET {status}", [got - start]
    cookie = next(
        c.split(";", 1)[0] for c in headers.get_all("Set-Cookie", []) if c.startswith("csrftoken=")
    )
    token = TOKEN.search(page)
    held = HELD.search(page)
    fields = {
        **FIELDS,
        "csrfmiddlewaretoken": token.group(1).decode() if token else "",
        "held_file": held.group(1).decode() if held else "",
    }
    body = multipart(fields, data)
    status, _headers, _body = client.send(
        "POST",
        SUBMIT_PATH,
        body,
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Cookie": cookie},
    )
    end = time.perf_counter()
    return status == 302, f"POST {status}", [end - start, got - start, end - got]


def run(kind: str, url: str, clients: int, duration: float) -> dict:
    upload = {"bare": bare_upload, "portal": portal_upload}[kind]
    data = docx_file()
    client = Client(url)
    samples: list[list[float]] = []
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + duration

    def loop() -> None:
        while time.perf_counter() < deadline:
            try:
                ok, what, times = upload(client, data)
            except (OSError, http.client.HTTPException) as error:
                ok, what, times = False, type(error).__name__, []
            done = time.perf_counter() <= deadline
            with lock:
                if ok and done:
                    samples.append(times)
                elif not ok:
                    failures[what] += 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = {"uploads": len(samples), "per_second": len(samples) / duration}
    names = ["upload"] if kind == "bare" else ["upload", "get", "post"]
    for index, name in enumerate(names):
        times = sorted(s[index] for s in samples) or [0.0]
        result[f"{name}_p50_ms"] = statistics.median(times) * 1000
        result[f"{name}_p99_ms"] = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    result["failures"] = dict(failures)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["bare", "portal"])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=15)
    args = parser.parse_args()
    print(json.dumps(run(args.kind, args.url, args.clients, args.duration)))


if __name__ == "__main__":
    main()
