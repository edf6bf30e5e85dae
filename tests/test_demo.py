"""The demo `make run` loads: every state a visitor can meet, and the tour it prints."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from submissions import demo as demo_data
from submissions.enums import Publication, State
from submissions.models import Submission

# Each stop of the printed tour, and what its submission must be.
# Each stop of the printed tour: its submission's state, and what its page says.
TOUR = {
    "Needs attention": (State.NEEDS_ATTENTION, "the limit is 5,000"),
    "Asked to fix": (State.NEEDS_ATTENTION, "Your comments are over the limit of 5,000 words"),
    "Accepted, kept private": (State.ACCEPTED, "not posted on the public website"),
    "Ready to post": (State.READY_TO_POST, "It will be posted"),
    "Posted": (State.POSTED, "/calls/gc6/submissions/1/"),
    "Posted without the name": (State.POSTED, "/calls/gc6/submissions/10/"),
    "Taken down": (State.UNPOSTED, "gives her passport number"),
    "Rejected": (State.REJECTED, "an advertisement for recruitment services"),
    "Withdrawn": (State.WITHDRAWN, "withdrawn"),
}
STOP = re.compile(r"^  (?P<number>GC6D?-\d{4}) (?P<label>.+?)\s+(?P<url>http\S+/status/\S+/)$")


def _load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _stops(output: str) -> dict[str, tuple[str, str]]:
    stops = {}
    for line in output.splitlines():
        if match := STOP.match(line):
            stops[match["label"]] = (match["number"], urlsplit(match["url"]).path)
    return stops


@pytest.fixture
def demo(db) -> str:
    return _load_demo()


def test_the_demo_has_a_submission_in_every_state_a_visitor_meets(demo):
    states = set(Submission.objects.values_list("state", flat=True))
    assert states >= {
        State.NEEDS_ATTENTION,
        State.ACCEPTED,
        State.READY_TO_POST,
        State.POSTED,
        State.UNPOSTED,
        State.REJECTED,
        State.WITHDRAWN,
    }
    posted = Submission.objects.filter(state=State.POSTED)
    assert posted.count() >= 3
    assert posted.filter(publication=Publication.PUBLISH_ANONYMOUS).count() == 2  # a round each
    kept_private = Submission.objects.get(state=State.ACCEPTED)
    assert kept_private.publication == Publication.DO_NOT_PUBLISH
    # Asked to fix: on the open call, so its submitter can still send a new version.
    (asked,) = Submission.objects.filter(waiting_for_submitter=True)
    assert asked.call.slug == "gc6-draft"
    assert asked.call.is_open()
    assert asked.events.filter(reason__startswith="asked to fix").exists()


def test_the_tours_status_links_open_their_submissions_pages(demo, client):
    stops = _stops(demo)
    assert set(stops) == set(TOUR)
    for label, (number, path) in stops.items():
        state, says = TOUR[label]
        page = client.get(path)
        assert page.status_code == 200, label
        assert number in page.text, label
        assert says in page.text, label
        submission = page.context["submission"]
        assert (submission.tracking_number, submission.state) == (number, state), label
        assert demo_data.TOUR_STATES[label] == state
    asked = client.get(stops["Asked to fix"][1])
    assert asked.context["can_comment_again"]  # the call is open: a new version


def test_a_stop_whose_submission_changed_state_is_left_out_of_the_tour(demo, client):
    posted = Submission.objects.get(stakeholder_name="Global Alliance for Migrant Workers' Rights")
    Submission.objects.filter(pk=posted.pk).update(state=State.UNPOSTED)
    assert "Posted" not in _stops(_load_demo())


def test_the_tour_names_every_place_to_open(demo):
    for place in (
        "http://localhost:8000/",
        "/calls/gc6-draft/",
        "/calls/gc6-draft/submit/",
        "/calls/gc6/submissions/",
        "/calls/gc6/feed/",
        "/api/calls/gc6/submissions/",
        "/admin/",
        "login admin / gc6-demo-password",
    ):
        assert place in demo


def test_loading_the_demo_again_prints_new_working_links(demo, client):
    first = _stops(demo)
    again = _load_demo()
    assert "0 new demo submission(s)" in again
    second = _stops(again)
    assert set(second) == set(TOUR)
    for label, (number, path) in second.items():
        assert path != first[label][1]  # a new link (the old ones cannot be read back)
        assert client.get(path).context["submission"].tracking_number == number
        assert client.get(first[label][1]).status_code == 200  # and the first still works


# The site's own error pages, in the visitor's language (the tests run with DEBUG off).


def test_a_missing_page_is_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert "Page not found" in response.text
    assert "Go to the home page" in response.text
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Page introuvable"), ("es", "Página no encontrada")]
)
def test_the_404_page_speaks_the_visitors_language(client, language, heading):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert heading in response.text
    assert f'<html lang="{language}">' in response.text


def test_the_500_page_is_the_sites_own_in_the_visitors_language_then_the_others():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "<h1>Something went wrong on our side</h1>" in text
    assert '<p lang="fr">' in text and '<p lang="es">' in text
    assert '<p lang="en">' not in text
    with translation.override("fr"):
        text = defaults.server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="fr">' in text
    assert '<p lang="en">' in text and '<p lang="es">' in text
    assert '<p lang="fr">' not in text


def test_the_demo_draft_shows_its_posted_comments_without_the_withheld_name(demo, client):
    page = client.get("/calls/gc6-draft/draft/fr/")
    assert page.status_code == 200
    assert "Les pare-feu doivent couvrir la santé" in page.text
    assert "Domestic Workers' Collective of Doha" not in page.text
    assert "[name withheld] can share its members" in page.text
    assert "Migrant Forum in Asia" not in page.text  # asked to fix: not posted


def test_the_anonymous_demo_submission_is_posted_without_its_name(demo, client):
    anonymous = Submission.objects.get(call__slug="gc6", publication=Publication.PUBLISH_ANONYMOUS)
    page = client.get(f"/calls/gc6/submissions/{anonymous.number}/")
    assert page.status_code == 200
    assert anonymous.stakeholder_name not in page.text
    assert "[name withheld]" in page.text
