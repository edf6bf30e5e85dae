"""No server starts with DEBUG off and the development secret key.

The key signs sessions and CSRF tokens and keys the hashes of private links and client
addresses: a server with the public development key would let anyone forge them. The
settings fall back to that key so that offline commands (`split_draft`, `checkdocx`,
`makemigrations`) work anywhere; the processes that serve refuse it: the WSGI
application (gunicorn, runserver), the Celery worker, and `check --deploy`.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY = "django-insecure-local-development-only"
REFUSAL = (
    "DJANGO_SECRET_KEY is not set (nor DJANGO_SECRET_KEY_FILE), or is the development "
    "key, and DEBUG is off: set it to a long random value, for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
    "or set DJANGO_DEBUG=True on a developer's machine."
)


def unsafe() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY in ("", DEVELOPMENT_KEY)


def require_secret_key() -> None:
    """Called as a server starts: stop it, saying what to set."""
    if unsafe():
        raise ImproperlyConfigured(REFUSAL)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [checks.Error(REFUSAL, id="gc6portal.E001")] if unsafe() else []
