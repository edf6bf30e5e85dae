"""Abuse and errors: honeypot, rate limit, CSRF, security headers, error pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from submissions.models import Submission
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx


def _post(client, call, address="203.0.113.7", **extra):
    data = {
        **SUBMITTER_FORM,
        **extra,
        "file": SimpleUploadedFile("input.docx", make_docx("Global Alliance")),
    }
    return client.post(reverse("submissions:submit", args=[call.slug]), data, REMOTE_ADDR=address)


def test_the_honeypot_is_hidden_from_people(client, open_call):
    page = client.get(reverse("submissions:submit", args=[open_call.slug])).text
    trap = page[page.index('id="div_id_website"') - 80 : page.index('id="div_id_website"')]
    assert 'class="visually-hidden"' in trap
    assert 'aria-hidden="true"' in trap


def test_a_filled_honeypot_is_refused_and_nothing_saved(client, open_call):
    response = _post(client, open_call, website="https://spam.example")
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_client_is_limited_per_hour_others_are_not(client, open_call, settings):
    settings.GC6_SUBMISSIONS_PER_HOUR = 2
    assert [_post(client, open_call).status_code for _ in range(3)] == [302, 302, 429]
    assert "in the last hour" in _post(client, open_call).text
    assert _post(client, open_call, address="198.51.100.9").status_code == 302
    assert Submission.objects.count() == 3


def test_the_client_address_is_kept_only_as_a_keyed_hash(client, open_call):
    _post(client, open_call)
    submission = Submission.objects.get()
    assert "203.0.113.7" not in submission.client_hash
    assert len(submission.client_hash) == 64


def test_a_form_without_csrf_token_gets_a_plain_explanation(open_call):
    client = Client(enforce_csrf_checks=True)
    response = _post(client, open_call)
    assert response.status_code == 403
    assert "This page has expired" in response.text
    assert not Submission.objects.exists()


@pytest.mark.parametrize("url", ["/", "/calls/gc6/", "/calls/gc6/submissions/"])
def test_pages_carry_security_headers(client, gc6_call, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_the_policy_would_block(client, gc6_call):
    for url in ("/", "/calls/gc6/", "/calls/gc6/submissions/"):
        assert "<script>" not in client.get(url).text


def test_unknown_pages_get_a_helpful_404(client, db):
    response = client.get("/calls/no-such-call/")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.text


def test_the_500_page_stands_alone_in_three_languages():
    page = render_to_string("500.html")
    assert "Nothing you sent has been lost" in page
    assert 'lang="fr"' in page
    assert 'lang="es"' in page
