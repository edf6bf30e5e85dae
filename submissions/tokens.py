"""Secrets kept only as hashes: the submitter's private link, the client's address."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest


def hash_token(token: str) -> str:
    """What the database keeps of a private status link (the link itself is e-mailed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (behind a proxy, from the configured header)."""
    address = request.META.get(settings.GC6_CLIENT_IP_HEADER, "") or ""
    address = address.split(",")[0].strip()
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
