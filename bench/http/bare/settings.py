"""A bare Django 5.2 project, as `startproject` makes it, with three views: the baseline
the portal is measured against (bench/http/run.py).

What differs from `startproject`: settings from the environment (DEBUG off, the key, the
database file or PostgreSQL URL and the upload folder in /tmp, given by run.py), the
project package is its own app (models, views, templates), and SQLite gets the portal's
options (WAL, IMMEDIATE transactions, a 20 s busy timeout), so that the two differ in
what they do per request, not in how the database file is opened.
"""

from __future__ import annotations

import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bare",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["BARE_DATABASE"],
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
if os.environ["BARE_DATABASE"].startswith("postgres://"):  # run.py --database postgresql
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["BARE_DATABASE"])}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
MEDIA_ROOT = os.environ["BARE_MEDIA_ROOT"]
