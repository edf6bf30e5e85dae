"""django-axes' two hooks: who the client is, and what a locked-out login sees."""

from __future__ import annotations

import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from submissions.tokens import client_hash


def client_address(request: HttpRequest) -> str:
    """The client as axes records it (AXES_CLIENT_IP_CALLABLE).

    The address is the one the submission form's rate limit uses (gc6portal/
    client_address.py: our proxies' header, from them only) and, as there, is kept only
    as its keyed hash: its first 128
    bits, written as an IPv6 address because axes stores the client in an IP address
    column. One client, one stable pseudonym; no address in clear in the database.
    """
    return str(ipaddress.IPv6Address(bytes.fromhex(client_hash(request))[:16]))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a refused login gets (AXES_LOCKOUT_CALLABLE), in the admin's frame."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Too many failed logins"),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(
        request, "admin/staff/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
