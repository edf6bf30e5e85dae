"""X-Forwarded-Proto says "this came over HTTPS" only when our proxy says it."""

from __future__ import annotations

import pytest
from django.urls import reverse

PROXY = "10.0.0.2"
HOME = reverse("submissions:home")


@pytest.fixture
def behind_tls(settings):
    settings.GC6_TRUSTED_PROXIES = [PROXY]
    settings.SECURE_SSL_REDIRECT = True
    return settings


@pytest.mark.django_db
def test_a_client_past_the_proxy_cannot_call_plain_http_secure(client, behind_tls):
    response = client.get(HOME, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_our_proxy_saying_https_is_believed(client, behind_tls):
    response = client.get(HOME, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.django_db
def test_our_proxy_saying_http_is_redirected(client, behind_tls):
    response = client.get(HOME, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301


@pytest.mark.django_db
def test_a_forged_header_does_not_make_the_request_secure(client, behind_tls):
    behind_tls.SECURE_SSL_REDIRECT = False
    response = client.get(HOME, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response.wsgi_request.is_secure() is False
    assert "HTTP_X_FORWARDED_PROTO" not in response.wsgi_request.META
