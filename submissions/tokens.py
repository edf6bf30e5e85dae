"""Secrets kept only as hashes: the submitter's private link, the client's address."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from gc6portal.client_address import client_address, counted_client


def hash_token(token: str) -> str:
    """What the database keeps of a private status link (the link itself is e-mailed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client as rate limits count it: its address (behind our
    trusted proxies, the one they saw), or for IPv6 its /64 (GC6_IPV6_CLIENT_PREFIX)."""
    address = counted_client(client_address(request), settings.GC6_IPV6_CLIENT_PREFIX)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
