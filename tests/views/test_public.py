"""The public pages: the calls, and the posted submissions. Nothing private leaks."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from submissions import services
from submissions.call_texts import NOTES, call_text
from submissions.enums import Publication, State
from submissions.models import Call, Submission
from tests.documents import private_draft
from tests.factories import CallFactory, SubmissionFactory

NAME = "Global Alliance for Migrant Workers' Rights"  # make_submission's


def test_home_lists_the_calls(client, open_call, gc6_call):
    response = client.get("/")
    assert response.status_code == 200
    assert open_call.title in response.text
    assert gc6_call.title in response.text


def test_call_page_shows_rules_deadline_in_geneva_time_and_questions(client, gc6_call):
    response = client.get(reverse("submissions:call", args=["gc6"]))
    assert response.status_code == 200
    assert "12 September 2022, 23:59" in response.text
    assert "5,000 words" in response.text
    assert call_text(gc6_call, "questions").lines()[0] in response.text
    assert "This call is closed" in response.text


@pytest.fixture
def posted(open_call, staff_user):
    return SubmissionFactory(
        call=open_call,
        stakeholder_name=NAME,
        contact_name="Maria Private",
        contact_email="hidden.contact@example.org",
        state=State.POSTED,
        decided_by=staff_user,
    )


def test_posted_submission_is_listed_and_readable(client, posted):
    call = posted.call
    listing = client.get(reverse("submissions:posted_list", args=[call.slug]))
    assert posted.tracking_number in listing.text
    detail = client.get(reverse("submissions:posted", args=[call.slug, posted.number]))
    assert detail.status_code == 200
    assert "Our input." in detail.text
    download = client.get(reverse("submissions:posted_file", args=[call.slug, posted.number]))
    assert download.status_code == 200
    posted.refresh_from_db()
    public = b"".join(download.streaming_content)
    assert public == posted.public_file.open("rb").read()  # the cleaned copy
    assert public != posted.file.open("rb").read()  # never the original
    assert "OPEN-0001_Global_Alliance" in download["Content-Disposition"]


def test_contact_details_never_appear_publicly(client, posted):
    call = posted.call
    for url in (
        "/",
        reverse("submissions:call", args=[call.slug]),
        reverse("submissions:posted_list", args=[call.slug]),
        reverse("submissions:posted", args=[call.slug, posted.number]),
    ):
        text = client.get(url).text
        assert "hidden.contact@example.org" not in text
        assert "Maria Private" not in text


@pytest.mark.parametrize("state", [s for s in State if s != State.POSTED])
def test_unposted_submissions_are_unreachable(client, posted, state):
    Submission.objects.filter(pk=posted.pk).update(state=state)
    call = posted.call
    listing = client.get(reverse("submissions:posted_list", args=[call.slug]))
    assert posted.tracking_number not in listing.text
    for name in ("submissions:posted", "submissions:posted_file"):
        assert client.get(reverse(name, args=[call.slug, posted.number])).status_code == 404


def test_list_filters_by_category_country_and_language(client, posted):
    url = reverse("submissions:posted_list", args=[posted.call.slug])
    assert posted.tracking_number in client.get(url, {"category": "civil_society"}).text
    assert posted.tracking_number not in client.get(url, {"category": "state"}).text
    assert posted.tracking_number not in client.get(url, {"country": "FR"}).text
    assert posted.tracking_number not in client.get(url, {"language": "es"}).text


def test_anonymous_submission_is_listed_without_its_name(
    client, open_call, make_submission, staff_user
):
    submission = make_submission(open_call, publication="publish_anonymous", name="Secret NGO")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == State.NEEDS_ATTENTION
    # Its first line names it: nobody posts it before looking at where.
    assert "name_in_anonymous_document" in submission.finding_codes
    with pytest.raises(services.ServiceError, match="names its submitter"):
        services.submission_post(submission=submission, actor=staff_user)
    services.submission_post(submission=submission, actor=staff_user, names_seen=True)
    listing = client.get(reverse("submissions:posted_list", args=[open_call.slug]))
    assert "Secret NGO" not in listing.text
    assert "Name withheld" in listing.text
    page = client.get(reverse("submissions:posted", args=[open_call.slug, 1]))
    assert "Secret NGO" not in page.text and "[name withheld]" in page.text
    download = client.get(reverse("submissions:posted_file", args=[open_call.slug, 1]))
    assert "Secret" not in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as copy:
        assert not [n for n in copy.namelist() if b"Secret NGO" in copy.read(n)]


def test_the_public_page_shows_the_public_copys_text_not_hidden_or_deleted_text(
    client, open_call, make_submission, staff_user
):
    submission = make_submission(open_call, private_draft(), name="Global Alliance")
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    # The checked text is what a reader reads (hidden text is not counted either);
    # the Secretariat still has the original file, hidden note and all.
    assert "hidden note" not in submission.text
    assert b"hidden note" in zipfile.ZipFile(submission.file.open()).read("word/document.xml")
    services.submission_post(submission=submission, actor=staff_user)
    page = client.get(reverse("submissions:posted", args=[open_call.slug, submission.number]))
    assert "The visible conclusion." in page.text
    assert "hidden note" not in page.text
    assert "deleted sentence" not in page.text
    listing = reverse("submissions:posted_list", args=[open_call.slug])
    assert "No posted submission matches" in client.get(listing, {"q": "hidden note"}).text


def test_language_switcher_changes_the_interface_language(client, open_call):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "fr"


# Calls in three languages, language conventions, the home page, the list on a phone.


@pytest.fixture(autouse=True)
def site_formats(settings):
    """The site's date formats (gc6portal/formats: "12 September 2022, 23:59" in
    English), as settings.FORMAT_MODULE_PATH names them."""
    from django.utils.formats import reset_format_cache

    settings.FORMAT_MODULE_PATH = ["gc6portal.formats"]
    reset_format_cache()
    yield
    reset_format_cache()


def _in(language: str, client, url: str, data: dict | None = None) -> str:
    """The page at `url` as a reader of `language` gets it (the switcher's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, data or {})
    assert response.status_code == 200, url
    assert f'<html lang="{language}">' in response.text
    return response.text


def _translated(language: str, message: str) -> str:
    with translation.override(language):
        return str(translation.gettext(message))


def _note(language: str) -> str:
    with translation.override(language):
        return str(NOTES[(language, "en")])


def test_home_lists_open_calls_first_with_a_button_then_closed_ones(client, open_call, gc6_call):
    later = CallFactory(title="A later open call", deadline=open_call.deadline + timedelta(days=10))
    page = _in("en", client, "/")
    open_at = page.index('id="open-calls"')
    closed_at = page.index('id="closed-calls"')
    # Open calls, soonest deadline first, then the closed ones.
    assert open_at < page.index(open_call.title) < page.index(later.title) < closed_at
    assert closed_at < page.index(gc6_call.title)
    open_part, closed_part = page[open_at:closed_at], page[closed_at:]
    for call in (open_call, later):
        submit = reverse("submissions:submit", args=[call.slug])
        assert re.search(
            rf'<a class="btn btn-primary"[^>]*href="{submit}">Send a submission</a>', open_part
        )
    # A closed call says so in words, has no form button, links to what was posted.
    assert ">Closed</span>" in closed_part
    assert ">Closed</span>" not in open_part
    assert reverse("submissions:submit", args=["gc6"]) not in page
    assert f'href="{reverse("submissions:posted_list", args=["gc6"])}"' in closed_part


def _edit(call: Call, commit, **fields) -> None:
    """As the admin edits a call: saved, committed (the public pages' cache hears it)."""
    for name, value in fields.items():
        setattr(call, name, value)
    with commit(execute=True):
        call.save()


def test_home_gives_each_open_calls_deadline_in_geneva_time(
    client, open_call, django_capture_on_commit_callbacks
):
    # 22:30 UTC in January is 23:30 in Geneva; in July (summer time) 00:30 the next day.
    commit = django_capture_on_commit_callbacks
    _edit(open_call, commit, deadline=datetime(2099, 1, 30, 22, 30, tzinfo=UTC))
    page = _in("en", client, "/")
    assert "Deadline:</strong>" in page
    assert "30 January 2099, 23:30</time> (Geneva time)" in page
    _edit(open_call, commit, deadline=datetime(2099, 7, 30, 22, 30, tzinfo=UTC))
    assert "31 July 2099, 00:30</time>" in _in("en", client, "/")


def test_a_call_is_shown_in_french_where_it_has_french_texts(client, open_call):
    Call.objects.filter(pk=open_call.pk).update(
        title_fr="Un appel ouvert",
        summary_fr="Envoyez vos contributions.",
        questions_fr="Première question ?\nDeuxième question ?",
    )
    url = reverse("submissions:call", args=[open_call.slug])
    page = _in("fr", client, url)
    assert "<h1>Un appel ouvert</h1>" in page
    assert '<p class="lead">Envoyez vos contributions.</p>' in page
    assert "<li>Première question ?</li>" in page
    assert "An open call" not in page and "First question?" not in page
    assert 'lang="en"' not in page
    assert _note("fr") not in page


def test_a_missing_french_text_is_shown_in_english_marked_and_explained(client, open_call):
    Call.objects.filter(pk=open_call.pk).update(title_fr="Un appel ouvert")  # nothing else
    url = reverse("submissions:call", args=[open_call.slug])
    page = _in("fr", client, url)
    assert "<h1>Un appel ouvert</h1>" in page
    # The English summary and questions, each marked as English for screen readers.
    assert '<p class="lead" lang="en">Send inputs.</p>' in page
    assert re.search(r'<ul lang="en"><li>First question\?</li>', page)
    # The note, in the reader's language, once for the summary and once for the questions.
    note = f'<p class="call-text-note">{escape(_note("fr"))}</p>'
    assert page.count(note) == 2
    # In English, nothing is a fallback.
    english = _in("en", client, url)
    assert 'lang="en"' not in english.split("<body>", 1)[1]
    assert "call-text-note" not in english


def test_the_spanish_home_and_list_pages_show_the_english_title_as_english(
    client, open_call, posted, django_capture_on_commit_callbacks
):
    note = _note("es")
    home = _in("es", client, "/")
    assert f'lang="en">{open_call.title}</a>' in home
    assert note in home
    listing = _in("es", client, reverse("submissions:posted_list", args=[open_call.slug]))
    assert f'lang="en">{open_call.title}</a>' in listing and note in listing
    _edit(open_call, django_capture_on_commit_callbacks, title_es="Una convocatoria abierta")
    listing = _in("es", client, reverse("submissions:posted_list", args=[open_call.slug]))
    assert ">Una convocatoria abierta</a>" in listing and note not in listing
    detail = _in("es", client, reverse("submissions:posted", args=[open_call.slug, posted.number]))
    assert ">Una convocatoria abierta</a>" in detail and note not in detail


def test_spanish_dates_follow_spanish_conventions(client, gc6_call, posted):
    page = _in("es", client, reverse("submissions:call", args=["gc6"]))
    assert "12 de septiembre de 2022 a las 23:59" in page
    assert "12 de septiembre de 2022" in _in("es", client, "/")
    Submission.objects.filter(pk=posted.pk).update(
        posted_at=datetime(2027, 1, 30, 12, 0, tzinfo=UTC)
    )
    detail = reverse("submissions:posted", args=[posted.call.slug, posted.number])
    assert "30 de enero de 2027" in _in("es", client, detail)
    assert "30 January 2027" in _in("en", client, detail)
    assert "30 janvier 2027" in _in("fr", client, detail)


@pytest.fixture
def french_colons(monkeypatch):
    """French as a translator writes it: a no-break space before a colon."""
    from django.utils.translation import trans_real

    french = trans_real.translation("fr")
    original = french.gettext
    extra = {
        "Deadline:": "Date limite\N{NO-BREAK SPACE}:",
        "Closed on:": "Clos le\N{NO-BREAK SPACE}:",
        "%(number)s: %(name)s": "%(number)s\N{NO-BREAK SPACE}: %(name)s",
    }
    monkeypatch.setattr(french, "gettext", lambda message: extra.get(message) or original(message))
    return extra


def test_each_language_punctuates_its_own_labels(client, open_call, gc6_call, french_colons):
    # The colon is in the translatable text: French puts its no-break space before it.
    page = _in("fr", client, "/")
    assert "<strong>Date limite\N{NO-BREAK SPACE}:</strong>" in page
    assert "<strong>Clos le\N{NO-BREAK SPACE}:</strong>" in page
    assert "</strong>:" not in page and "Date limite:" not in page


def test_a_posted_submissions_heading_punctuates_in_each_language(client, posted, french_colons):
    url = reverse("submissions:posted", args=[posted.call.slug, posted.number])
    assert f"<h1>{posted.tracking_number}: {NAME}</h1>".replace("'", "&#x27;") in _in(
        "en", client, url
    )
    french = _in("fr", client, url)
    assert f"<h1>{posted.tracking_number}\N{NO-BREAK SPACE}: " in french


def test_the_count_of_submissions_is_singular_or_plural(
    client, open_call, posted, django_capture_on_commit_callbacks
):
    url = reverse("submissions:posted_list", args=[open_call.slug])
    assert ">1 submission</p>" in _in("en", client, url)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache hears it
        SubmissionFactory(call=open_call, state=State.POSTED)
    assert ">2 submissions</p>" in _in("en", client, url)


def _country_options(page: str) -> list[tuple[str, str]]:
    select = page.split('id="f-country"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([A-Z]+)"[^>]*>([^<]+)</option>', select)


@pytest.fixture
def from_four_countries(open_call):
    for code in ("MX", "DE", "EG", "PH"):
        SubmissionFactory(call=open_call, country=code, state=State.POSTED)
    SubmissionFactory(call=open_call, country="FR", state=State.RECEIVED)  # not posted
    SubmissionFactory(call=CallFactory(), country="JP", state=State.POSTED)  # another call's
    return open_call


def test_the_country_filter_lists_posted_countries_named_and_sorted_per_language(
    client, from_four_countries
):
    url = reverse("submissions:posted_list", args=[from_four_countries.slug])
    assert _country_options(_in("en", client, url)) == [
        ("EG", "Egypt"),
        ("DE", "Germany"),
        ("MX", "Mexico"),
        ("PH", "Philippines"),
    ]
    # Named in French, and sorted as French sorts: "Égypte" with the Es.
    assert _country_options(_in("fr", client, url)) == [
        ("DE", "Allemagne"),
        ("EG", "Égypte"),
        ("MX", "Mexique"),
        ("PH", "Philippines"),
    ]
    assert _country_options(_in("es", client, url)) == [
        ("DE", "Alemania"),
        ("EG", "Egipto"),
        ("PH", "Filipinas"),
        ("MX", "México"),
    ]


@pytest.mark.parametrize("typed", ["MX", "mx", " Mx "])
def test_the_country_filter_takes_a_code_in_any_case(client, from_four_countries, typed):
    url = reverse("submissions:posted_list", args=[from_four_countries.slug])
    page = _in("en", client, url, {"country": typed})
    assert '<option value="MX" selected>Mexico</option>' in page
    assert ">1 submission</p>" in page
    listed = re.findall(r">(OPEN-\d{4})</a>", page)
    assert len(listed) == 1
    (mexican,) = Submission.objects.filter(call=from_four_countries, country="MX")
    assert listed == [mexican.tracking_number]


@pytest.mark.parametrize("typed", ["OPEN-0002", "open-2", "0002", "2"])
def test_a_tracking_number_in_the_search_box_finds_its_submission(client, open_call, typed):
    # (Names without digits: a bare number also finds the texts that contain it.)
    SubmissionFactory(call=open_call, stakeholder_name="Alpha Org", state=State.POSTED)
    second = SubmissionFactory(call=open_call, stakeholder_name="Beta Org", state=State.POSTED)
    page = _in(
        "en", client, reverse("submissions:posted_list", args=[open_call.slug]), {"q": typed}
    )
    assert re.findall(r">(OPEN-\d{4})</a>", page) == [second.tracking_number]


def test_a_tracking_number_search_never_shows_a_withheld_name(client, open_call):
    withheld = SubmissionFactory(
        call=open_call,
        stakeholder_name="Secret Network",
        paragraphs=("Our text.",),
        publication=Publication.PUBLISH_ANONYMOUS,
        state=State.POSTED,
    )
    url = reverse("submissions:posted_list", args=[open_call.slug])
    found = _in("en", client, url, {"q": withheld.tracking_number})
    assert withheld.tracking_number in found and "Secret Network" not in found
    assert "Name withheld" in found
    for query in ("Secret Network", "Secret"):
        assert "No posted submission matches" in _in("en", client, url, {"q": query})


def test_the_closed_call_page_dates_its_deadline_in_the_readers_language(client, gc6_call):
    url = reverse("submissions:submit", args=["gc6"])
    pages = {}
    for language in ("es", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.status_code == 403  # closed: the form is refused
        pages[language] = response.text
    assert "12 de septiembre de 2022 a las 23:59" in pages["es"]
    assert "12 September 2022, 23:59" in pages["en"]


def test_the_statistics_name_each_week_by_its_first_day_in_the_readers_language(client, open_call):
    open_call.deadline = datetime(2099, 1, 1, tzinfo=UTC)
    open_call.save()
    SubmissionFactory(
        call=open_call, state=State.POSTED, received_at=datetime(2027, 1, 27, 10, tzinfo=UTC)
    )  # a Wednesday: its week starts on Monday the 25th
    url = reverse("submissions:statistics", args=[open_call.slug])
    assert "<td>25 de enero de 2027</td>" in _in("es", client, url)
    assert "<td>25 janvier 2027</td>" in _in("fr", client, url)
    assert "<td>25 January 2027</td>" in _in("en", client, url)


def test_a_search_with_more_matches_than_the_cap_says_more_than(client, open_call, monkeypatch):
    from submissions import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        SubmissionFactory(call=open_call, stakeholder_name=f"{name} Network", state=State.POSTED)
    SubmissionFactory(call=open_call, stakeholder_name="Epsilon Forum", state=State.POSTED)
    url = reverse("submissions:posted_list", args=[open_call.slug])
    page = _in("en", client, url, {"q": "network"})
    assert "More than 3 submissions match" in page
    assert len(re.findall(r">(OPEN-\d{4})</a>", page)) == 3
    # Without a search the list counts them all.
    unsearched = _in("en", client, url)
    assert ">5 submissions</p>" in unsearched, re.findall(r'role="status">[^<]*', unsearched)
