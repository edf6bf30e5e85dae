"""The person behind an admin request."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member: the admin site lets nobody else reach its views."""
    return cast(User, request.user)
