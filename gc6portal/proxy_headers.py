"""The proxy's word that a request came over HTTPS, believed from our proxies only.

Django's SECURE_PROXY_SSL_HEADER (X-Forwarded-Proto) is taken from whoever sends it.
A client that reaches gunicorn past the proxy could then pass plain HTTP off as
HTTPS: no redirect to HTTPS, secure cookies sent in clear. Our proxy always sets the
header itself; from any peer that is not one of GC6_TRUSTED_PROXIES it is dropped
before anything reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings

from gc6portal.client_address import is_trusted, parse_address, trusted_networks

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def from_trusted_proxy(request: HttpRequest) -> bool:
    peer = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    return peer is not None and is_trusted(peer, trusted_networks(settings.GC6_TRUSTED_PROXIES))


class ProxyHeadersMiddleware:
    """Before SecurityMiddleware: the HTTPS header is removed unless a proxy of ours
    sent the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = settings.SECURE_PROXY_SSL_HEADER
        if header and header[0] in request.META and not from_trusted_proxy(request):
            del request.META[header[0]]
        return self.get_response(request)
