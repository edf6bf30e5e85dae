"""Helpers and data several test files share."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.enums import State
from submissions.models import Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx


def at_state(submission: Submission, state: State) -> Submission:
    """The submission put straight into `state` (for tests of what each state allows)."""
    Submission.objects.filter(pk=submission.pk).update(state=state)
    submission.refresh_from_db()
    return submission


def submit(client, call, content: bytes | None = None, **fields):
    """Send the public form of `call` as a submitter does, with a small .docx by default."""
    data = {
        **SUBMITTER_FORM,
        **fields,
        "file": SimpleUploadedFile("input.docx", content or make_docx("Global Alliance")),
    }
    return client.post(reverse("submissions:submit", args=[call.slug]), data)


def csv_export(response) -> tuple[str, list[dict[str, str]]]:
    """The raw text and the rows (by column name) of a CSV export."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# (stakeholder, received in UTC, the same moment on a Geneva clock), in the order sent:
# the tracking numbers follow this order, the times of receipt do not.
SENT = [
    (
        '=HYPERLINK("https://evil.example","Click")',
        datetime(2025, 7, 1, 10, 0, tzinfo=UTC),
        "2025-07-01 12:00",  # summer time, UTC+2
    ),
    ("移民工人联盟", datetime(2025, 1, 15, 23, 30, tzinfo=UTC), "2025-01-16 00:30"),
    ("+41 Migrants Network", datetime(2025, 1, 10, 8, 0, tzinfo=UTC), "2025-01-10 09:00"),
    ("@migrants_union", datetime(2025, 3, 1, 12, 0, tzinfo=UTC), "2025-03-01 13:00"),
    ("-1 Solidarity", datetime(2025, 2, 1, 6, 15, tzinfo=UTC), "2025-02-01 07:15"),
    ("اتحاد العمال المهاجرين", datetime(2025, 4, 2, 16, 45, tzinfo=UTC), "2025-04-02 18:45"),
]


# A file that meets the rules for "Global Alliance", and one that does not name it.
GOOD = make_docx("Submitted by Global Alliance", "Our input.")
NO_NAME = make_docx("Someone else entirely", "Our input.")


def send(call, data: bytes = GOOD, *, publication="publish", language="en"):
    """A submission sent through the services by Global Alliance: it and its token."""
    return services.submission_create(
        call=call,
        details=services.SubmitterDetails(
            "Global Alliance", "civil_society", "PH", "Maria Private",
            "maria.private@example.org", "en", publication,
        ),
        upload=SimpleUploadedFile("v1.docx", data),
        interface_language=language,
    )  # fmt: skip


def submit_form(
    session: requests.Session, url: str, data: dict, *, headers: dict | None = None, **kwargs
) -> requests.Response:
    """Over HTTP, as a browser does: GET the form page at `url` for its CSRF token, then
    POST `data` (and `kwargs`, such as files) to it."""
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": url, **(headers or {})},
        timeout=30,
        **kwargs,
    )
