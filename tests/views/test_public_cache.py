"""The anonymous public pages kept in the cache (submissions/public_cache.py), the
statistics counted ahead (submissions/statistics.py), the labels and the form's
fields built once per language."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import presentation, public_cache, services, statistics
from submissions.enums import State
from tests.factories import SubmissionFactory


def _list_url(call) -> str:
    return reverse("submissions:posted_list", args=[call.slug])


def _get(client, url: str, language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "page",
    ["home", "list", "list_filtered", "detail", "statistics", "feed", "api"],
)
def test_a_public_page_is_served_from_the_cache_the_second_time(
    client, checked, page, django_assert_num_queries
):
    submission = checked[0]
    submission = SubmissionFactory(call=submission.call, state=State.POSTED, country="MX")
    call = submission.call
    url = {
        "home": reverse("submissions:home"),
        "list": _list_url(call),
        "list_filtered": _list_url(call) + "?country=mx&sort=oldest&page=1",
        "detail": reverse("submissions:posted", args=[call.slug, submission.number]),
        "statistics": reverse("submissions:statistics", args=[call.slug]),
        "feed": reverse("submissions:feed", args=[call.slug]),
        "api": reverse("submissions:api", args=[call.slug]),
    }[page]
    first = _get(client, url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content.decode() == first
    # What the middleware adds is there on every response, kept or not.
    assert "Content-Security-Policy" in second
    assert second["Content-Language"] == "en"
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]
    assert not second.cookies


def test_posting_and_taking_down_show_at_once(
    client, checked, staff_user, django_capture_on_commit_callbacks
):
    good, _flagged = checked
    url = _list_url(good.call)
    assert good.tracking_number not in _get(client, url)  # kept: nothing posted yet
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_post(submission=good, actor=staff_user)
    assert good.tracking_number in _get(client, url)
    good.refresh_from_db()
    detail = reverse("submissions:posted", args=[good.call.slug, good.number])
    assert _get(client, detail)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_unpost(submission=good, actor=staff_user, reason="Asked to")
    assert good.tracking_number not in _get(client, url)
    assert client.get(detail).status_code == 404


def test_a_change_not_committed_leaves_the_kept_page(client, checked, staff_user):
    # The bump waits for the commit: a page made meanwhile is never kept as new.
    good, _flagged = checked
    url = _list_url(good.call)
    _get(client, url)
    before = public_cache.generation()
    services.submission_post(submission=good, actor=staff_user)  # the test never commits
    assert public_cache.generation() == before


def test_each_language_has_its_own_page(client, checked):
    SubmissionFactory(call=checked[0].call, state=State.POSTED, category="civil_society")
    url = _list_url(checked[0].call)
    english = _get(client, url, "en")
    french = _get(client, url, "fr")
    assert 'lang="en"' in english and "Civil society organisation" in english
    assert 'lang="fr"' in french and "Organisation de la société civile" in french
    assert _get(client, url, "en") == english


def test_a_logged_in_user_is_never_served_a_kept_page_nor_leaves_one(staff_client, checked):
    url = _list_url(checked[0].call)
    public = Client()
    _get(public, url)  # kept for the public
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(url).status_code == 200
    assert len(queries) > 0  # rendered by the view for them
    public_cache.bump()
    staff_client.get(url)  # first after the bump: what they saw is not kept
    with CaptureQueriesContext(connection) as queries:
        public.get(url)
    assert len(queries) > 0


def test_a_page_with_a_csrf_token_is_never_kept(client, open_call):
    url = reverse("submissions:submit", args=[open_call.slug])
    first = client.get(url)
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) > 0  # the view ran again
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.content.decode()).group(1)
        for r in (first, second)
    ]
    assert tokens[0] != tokens[1]  # each masked afresh


def test_unknown_query_parameters_share_the_page(client, checked):
    url = _list_url(checked[0].call)
    _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url + "?utm_source=newsletter")
    assert len(queries) == 0


# The statistics: counted ahead, read in one get.


def test_the_statistics_page_reads_the_figures_counted_ahead(client, open_call):
    SubmissionFactory(call=open_call, state=State.POSTED, country="MX")
    statistics.refresh(open_call)
    with CaptureQueriesContext(connection) as queries:
        page = _get(client, reverse("submissions:statistics", args=[open_call.slug]))
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert "Mexico" in page


def test_the_figures_outlive_the_cache(client, open_call):
    """A Redis restart loses the cache; the figures are read from their row, not counted."""
    from django.core.cache import cache

    SubmissionFactory(call=open_call, state=State.POSTED, country="MX")
    statistics.refresh(open_call)
    before = statistics.figures(open_call)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = _get(client, reverse("submissions:statistics", args=[open_call.slug]))
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert "Mexico" in page
    assert statistics.figures(open_call) == before
    assert sum(count for _week, count in before["week"]) == 1


def test_the_statistics_follow_a_refresh_without_a_bump(client, open_call):
    url = reverse("submissions:statistics", args=[open_call.slug])
    statistics.refresh(open_call)
    assert "Mexico" not in _get(client, url)
    SubmissionFactory(call=open_call, state=State.POSTED, country="MX")
    statistics.refresh_call(open_call.pk)  # what the worker's task does
    assert "Mexico" in _get(client, url)


def test_figures_no_worker_will_refresh_are_counted_by_the_next_view(
    client, open_call, make_submission, django_capture_on_commit_callbacks
):
    # The test settings point the broker at a closed port: the refresh cannot be queued.
    url = reverse("submissions:statistics", args=[open_call.slug])
    statistics.refresh(open_call)
    assert statistics.version(open_call.slug)
    with django_capture_on_commit_callbacks(execute=True):
        make_submission(open_call)
    assert statistics.version(open_call.slug) == ""  # dropped: not shown stale
    _get(client, url)  # counts again, and keeps the figures
    assert statistics.version(open_call.slug)
    assert sum(count for _week, count in statistics.figures(open_call)["week"]) == 1


# Labels and the form's fields, once per language.


def test_the_labels_are_built_once_per_language(settings):
    from django.utils import translation

    with translation.override("fr"):
        first = presentation.labels()
        assert presentation.labels() is first
        assert first["category"]["civil_society"] == "Organisation de la société civile"
        assert first["country"]["DE"] == "Allemagne"
    with translation.override("en"):
        assert presentation.labels()["country"]["DE"] == "Germany"


def test_the_form_names_countries_in_the_readers_language(client, open_call):
    url = reverse("submissions:submit", args=[open_call.slug])
    english = _get(client, url, "en")
    french = _get(client, url, "fr")
    assert '<option value="DE">Germany</option>' in english
    assert '<option value="DE">Allemagne</option>' in french
    # Its fields are kept rendered, the token is not: the second page differs only there.
    again = _get(client, url, "fr")
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", french)
    assert len(token.findall(again)) == 1


def test_the_language_switch_works_from_a_kept_page_without_a_token(open_call):
    # Kept pages carry no CSRF token, so the switch (a POST) must not need one: changing
    # one's interface language is nothing worth forging (gc6portal/urls.py exempts it).
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("submissions:home")).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = browser.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert browser.cookies["django_language"].value == "fr"


def test_a_cache_of_one_process_keeps_a_page_a_minute_and_a_shared_one_an_hour(settings):
    settings.GC6_PUBLIC_CACHE_SECONDS = None
    assert public_cache._seconds() == public_cache.LOCAL_SECONDS  # the tests' LocMem
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # never reached: only its kind is asked
        }
    }
    assert public_cache._seconds() == public_cache.SHARED_SECONDS


def test_no_page_is_kept_when_the_operator_says_zero(
    client, open_call, settings, django_assert_num_queries
):
    settings.GC6_PUBLIC_CACHE_SECONDS = 0
    url = reverse("submissions:home")
    _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    assert len(queries) > 0
