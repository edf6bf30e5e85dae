"""The register in the admin: its page, who may see it, and the export action."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory
from tests.helpers import csv_export

REGISTER = reverse("admin:submissions_submission_register")


CHANGELIST = reverse("admin:submissions_submission_changelist")


def test_the_register_page_shows_the_numbers(staff_client, open_call, triaged):
    response = staff_client.get(REGISTER, {"call": open_call.pk})
    assert response.status_code == 200
    page = response.text
    assert "1 (50%)" in page  # checked with at least one finding
    assert "2.0 hours" in page
    assert "2025-01-16" in page  # the chart of days
    assert f"?call={open_call.pk}&amp;export=csv" in page


def test_the_export_action_exports_only_the_selected_submissions(staff_client, sent):
    chosen = [sent[1], sent[4]]
    response = staff_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [s.pk for s in chosen]}
    )
    _text, rows = csv_export(response)
    assert [r["Tracking number"] for r in rows] == ["OPEN-0002", "OPEN-0005"]
    assert [r["Stakeholder"] for r in rows] == ["移民工人联盟", "'-1 Solidarity"]


@pytest.fixture
def no_permission_client(client, verified_login):
    """A staff member in no group: no permission to view submissions."""
    return verified_login(client, StaffFactory(username="no-group"))


@pytest.mark.parametrize("params", [{}, {"export": "csv"}, {"export": "xlsx"}])
def test_the_register_is_refused_without_view_permission(
    no_permission_client, open_call, sent, params
):
    response = no_permission_client.get(REGISTER, {"call": open_call.pk, **params})
    # The register hides itself from staff who may not view submissions, as the
    # admin's file views do (404, not the changelist's 403).
    assert response.status_code == 404
    assert "OPEN-0001" not in response.content.decode()


def test_the_register_sends_a_visitor_to_the_login_page(open_call, sent):
    response = Client().get(REGISTER, {"call": open_call.pk, "export": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# A call id that is unknown or not a number shows the latest call (it once was a 500).
@pytest.mark.parametrize("call_id", ["999", "abc"])
def test_the_register_of_an_unknown_call_shows_the_latest_call(
    staff_client, open_call, sent, call_id
):
    response = staff_client.get(REGISTER, {"call": call_id})
    assert response.status_code == 200
    assert response.context["call"] == open_call
