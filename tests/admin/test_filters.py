"""The work queue's filters: what needs a person by default, findings, deadline, duplicates."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from submissions import services
from submissions.enums import DuplicateReason, State

CHANGELIST = reverse("admin:submissions_submission_changelist")


def test_the_queue_shows_what_needs_a_person_oldest_first(staff_client, queue):
    page = staff_client.get(CHANGELIST).text
    ready, over = queue["ready"].tracking_number, queue["over"].tracking_number
    assert ready in page and over in page
    assert page.index(ready) < page.index(over)
    for other in ("posted", "rejected"):
        assert queue[other].tracking_number not in page
    assert "Over the word limit" in page  # a readable badge, not a code
    everything = staff_client.get(CHANGELIST, {"queue": "all"}).text
    assert all(s.tracking_number in everything for s in queue.values())


def test_a_submission_asked_for_a_fix_leaves_the_queue_until_it_answers(
    staff_client, queue, staff_user
):
    over = queue["over"]
    services.submission_request_fix(submission=over, actor=staff_user, message="Shorten it")
    assert over.tracking_number not in staff_client.get(CHANGELIST).text
    assert over.tracking_number in staff_client.get(CHANGELIST, {"queue": "waiting"}).text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"finding": "over_word_limit"}, {"over"}),
        ({"finding": "none", "queue": "all"}, {"ready", "posted", "rejected"}),
        ({"late": "on_time", "queue": "all"}, {"over", "ready", "posted", "rejected"}),
        ({"late": "late", "queue": "all"}, set()),
        ({"country": "PH", "queue": "all"}, {"over", "ready", "posted", "rejected"}),
        ({"q": "Rejected Org", "queue": "all"}, {"rejected"}),
        ({"q": "six", "queue": "all"}, {"over"}),  # the text
    ],
)
def test_filters_and_search(staff_client, queue, params, expected):
    page = staff_client.get(CHANGELIST, params).text
    shown = {name for name, s in queue.items() if f">{s.tracking_number}<" in page}
    assert shown == expected


def test_filters_and_search_work(staff_client, checked):
    good, flagged = checked
    response = staff_client.get(CHANGELIST, {"state__exact": State.NEEDS_ATTENTION})
    assert flagged.tracking_number in response.text
    assert good.tracking_number not in response.text
    response = staff_client.get(CHANGELIST, {"q": "Global Alliance"})
    assert flagged.tracking_number in response.text


def test_the_similar_text_filter_lists_exactly_the_campaign(staff_client, campaign_rows):
    letters, _unrelated = campaign_rows
    response = staff_client.get(
        reverse("admin:submissions_submission_changelist"),
        {"queue": "all", "duplicates": DuplicateReason.SIMILAR_TEXT},
    )
    assert response.status_code == 200
    listed = set(re.findall(r"OPEN-\d{4}", response.text))
    assert listed == {s.tracking_number for s in letters}
