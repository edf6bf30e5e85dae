"""Settings for the GC6 submissions portal, all read from the environment.

Every variable is listed with its meaning in .env.example. The defaults are safe
for production (DEBUG off, secure cookies); `make run` sets the development ones.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from gc6portal.client_address import trusted_networks
from gc6portal.env import env_bool, env_int, env_list, env_secret, env_str
from gc6portal.logging_json import logging_config
from gc6portal.secret_key import DEVELOPMENT_KEY
from gc6portal.storage_env import private_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GC6_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# Without a key, the development key, which only offline commands may use: with DEBUG
# off, the servers (WSGI, the Celery worker) and `check --deploy` refuse it
# (gc6portal/secret_key.py); `make run` keeps a key of its own in var/.
SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or DEVELOPMENT_KEY
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("GC6_SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    # A call's title, summary and questions per language (before the admin, as it asks).
    "modeltranslation",
    # django.contrib.admin, with a site that asks staff for a second factor.
    "gc6portal.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    # Staff logins: TOTP devices (django-otp) and failed-login throttling (django-axes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "submissions",
    # Health checks, metrics and request ids: connects their signals (gc6portal/metrics.py).
    "gc6portal.metrics.ObservabilityConfig",
]

MIDDLEWARE = [
    # First: every later middleware's log lines carry the request id, and the 5xx
    # counter sees the response an exception anywhere below became.
    "gc6portal.request_id.RequestIdMiddleware",
    "gc6portal.metrics.ServerErrorMiddleware",
    # X-Forwarded-Proto is believed from our proxies only (read by SecurityMiddleware).
    "gc6portal.proxy_headers.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a code? (after authentication)
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gc6portal.urls"
WSGI_APPLICATION = "gc6portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite is the embedded default; production uses PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gc6portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web processes and the workers share the file. Transactions take the write
    # lock when they begin (IMMEDIATE), so two uploads queue for it instead of
    # deadlocking when a read turns into a write; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # A file, not memory, so that worker processes started by the tests can see it;
    # one per test process, so two test runs in one checkout never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-gc6portal-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Failed-login throttling (django-axes): after GC6_LOGIN_FAILURE_LIMIT wrong passwords
# for one username from one client, that pair is refused for GC6_LOGIN_COOLOFF_MINUTES
# (0: until a superuser deletes the access attempt). The client is the address the
# submission rate limit uses (gc6portal/client_address.py: REMOTE_ADDR, or behind
# GC6_TRUSTED_PROXIES their header's rightmost untrusted hop), stored as its keyed hash:
# the callable below hashes it, so django-axes' own address lookup (ipware,
# AXES_IPWARE_*) is never used.
AXES_FAILURE_LIMIT = env_int("GC6_LOGIN_FAILURE_LIMIT", 5)
_COOLOFF_MINUTES = env_int("GC6_LOGIN_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=_COOLOFF_MINUTES) if _COOLOFF_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "gc6portal.login_throttling.client_address"
AXES_LOCKOUT_CALLABLE = "gc6portal.login_throttling.lockout_response"
# No start-up banner on every manage.py command; failures are still logged.
AXES_VERBOSE = False

# Two-factor for staff (django-otp, TOTP): every admin page needs the password and a
# code from an authenticator app; a staff member without a device sets one up at the
# first login (gc6portal/admin_site.py). Read at each request, so tests can turn it off.
GC6_STAFF_2FA = env_bool("GC6_STAFF_2FA", True)
# The name authenticator apps show for the account.
OTP_TOTP_ISSUER = "GC6 submissions"
# The admin's device pages never show a device's secret key or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A call's texts per language (django-modeltranslation): English is the call's own
# text and stands in, with a note, where a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# English dates as the call writes them ("12 September 2022, 23:59"); French and
# Spanish keep Django's own ("12 septembre 2022", "12 de septiembre de 2022").
FORMAT_MODULE_PATH = ["gc6portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded submissions live outside any served directory; only views that check
# a submission's state hand a file out. A local folder on one machine, or an
# S3-compatible object store (GC6_STORAGE=s3) shared by several (gc6portal/storage_env.py).
PRIVATE_MEDIA_ROOT = Path(env_str("GC6_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
GC6_STORAGE = env_str("GC6_STORAGE", "local")
STORAGES = {
    "default": private_storage(PRIVATE_MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Uploads: the largest file accepted, and Django's own limits, so that the web
# process streams big bodies to a temporary file instead of holding them in memory.
GC6_MAX_UPLOAD_BYTES = env_int("GC6_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# What a .docx may hold (a 50,000-word document is about 5 MB of XML): beyond these
# a file is refused before any of it is decompressed or parsed.
GC6_ZIP_MAX_MEMBERS = env_int("GC6_ZIP_MAX_MEMBERS", 1000)
GC6_ZIP_MAX_MEMBER_BYTES = env_int("GC6_ZIP_MAX_MEMBER_BYTES", 50 * 1024 * 1024)
GC6_ZIP_MAX_TOTAL_BYTES = env_int("GC6_ZIP_MAX_TOTAL_BYTES", 200 * 1024 * 1024)
GC6_ZIP_MAX_XML_BYTES = env_int("GC6_ZIP_MAX_XML_BYTES", 25 * 1024 * 1024)
GC6_ZIP_MAX_RATIO = env_int("GC6_ZIP_MAX_RATIO", 100)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640
# Render page 1 with LibreOffice when it is installed (exact), else estimate it.
GC6_RENDER_FIRST_PAGE = env_bool("GC6_RENDER_FIRST_PAGE", True)
GC6_RENDER_TIMEOUT = env_int("GC6_RENDER_TIMEOUT", 30)
# The PDF of each posted submission's public copy, made by the worker with LibreOffice.
GC6_PDF_TIMEOUT = env_int("GC6_PDF_TIMEOUT", 90)
# Abuse: how many submissions one client (IP address) may send in an hour.
GC6_SUBMISSIONS_PER_HOUR = env_int("GC6_SUBMISSIONS_PER_HOUR", 20)
# Files kept across a form error, per client and hour (each is stored for an hour).
GC6_HELD_FILES_PER_HOUR = env_int("GC6_HELD_FILES_PER_HOUR", 20)
# The client's address (gc6portal/client_address.py) is REMOTE_ADDR, unless that is one
# of our reverse proxies (addresses and CIDR networks; none by default): then the
# rightmost address of their header (GC6_CLIENT_IP_HEADER) that is not a proxy of ours.
# Checked here, so that a typo stops the start-up.
GC6_TRUSTED_PROXIES = env_list("GC6_TRUSTED_PROXIES")
trusted_networks(GC6_TRUSTED_PROXIES)
GC6_CLIENT_IP_HEADER = env_str("GC6_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
# Rate limits and login lockouts count an IPv6 client by its network of this many bits:
# one subscriber is given a /64 and can rotate through its addresses.
GC6_IPV6_CLIENT_PREFIX = env_int("GC6_IPV6_CLIENT_PREFIX", 64)
# Anything left unchecked this long is queued again by `requeue_stuck`.
GC6_STUCK_AFTER_SECONDS = env_int("GC6_STUCK_AFTER_SECONDS", 600)
# A check the broker never took (it was down), or one waiting for the scanner, is queued
# again by the sweeper's quick pass this long after it came in: run the sweeper every
# 20 seconds or so and every check is under way within a minute of the broker's return.
GC6_UNQUEUED_AFTER_SECONDS = env_int("GC6_UNQUEUED_AFTER_SECONDS", 15)

# Malware scanning with ClamAV's daemon, before any check reads a file: its unix socket
# (GC6_CLAMD_SOCKET) or host and port. Scanning off is for development without clamd.
GC6_SCAN_ENABLED = env_bool("GC6_SCAN_ENABLED", True)
GC6_CLAMD_SOCKET = env_str("GC6_CLAMD_SOCKET", "")
GC6_CLAMD_HOST = env_str("GC6_CLAMD_HOST", "127.0.0.1")
GC6_CLAMD_PORT = env_int("GC6_CLAMD_PORT", 3310)
GC6_CLAMD_TIMEOUT = env_int("GC6_CLAMD_TIMEOUT", 30)

# The calls' mailbox, read over IMAP by `manage.py read_mailbox`: the server, the
# account (the password, or a file holding it: a Docker secret), and which folder
# holds each call's messages ("gc6:INBOX,gc6-draft:Comments"). Empty host: not read.
GC6_MAIL_ADDRESS = env_str("GC6_MAIL_ADDRESS", "")  # the calls' address, as senders write it
GC6_IMAP_HOST = env_str("GC6_IMAP_HOST", "")
GC6_IMAP_PORT = env_int("GC6_IMAP_PORT", 0)  # 0: 993 for ssl, 143 for starttls
GC6_IMAP_SECURITY = env_str("GC6_IMAP_SECURITY", "ssl")  # ssl, starttls (none: localhost only)
GC6_IMAP_USER = env_str("GC6_IMAP_USER", "")
GC6_IMAP_PASSWORD = env_str("GC6_IMAP_PASSWORD", "")
GC6_IMAP_PASSWORD_FILE = env_str("GC6_IMAP_PASSWORD_FILE", "")
GC6_IMAP_CA_FILE = env_str("GC6_IMAP_CA_FILE", "")
GC6_IMAP_PROCESSED_FOLDER = env_str("GC6_IMAP_PROCESSED_FOLDER", "Processed")
GC6_MAIL_CALLS = env_str("GC6_MAIL_CALLS", "")
# At most this many Word files are taken from one message; a larger message is not read.
GC6_MAIL_MAX_FILES = env_int("GC6_MAIL_MAX_FILES", 5)
GC6_MAIL_MAX_BYTES = env_int("GC6_MAIL_MAX_BYTES", 40 * 1024 * 1024)
# Automatic replies to one address a day at most: a loop with a misbehaving robot ends.
GC6_MAIL_REPLIES_PER_DAY = env_int("GC6_MAIL_REPLIES_PER_DAY", 20)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
COUNTRIES_FIRST_BREAK = None

# Celery: Redis broker; tasks acknowledge late so a worker that dies mid-check
# gives its task back, and the visibility timeout brings it back in minutes.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("GC6_CHECK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 10
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("GC6_VISIBILITY_TIMEOUT", 300),
    # Look for abandoned (unacknowledged) checks every 10 s, not kombu's default 100 s.
    "unacked_restore_interval": env_int("GC6_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
    # A worker killed while it held the sweep's lock would block every sweep until
    # the lock expires: 60 s, not kombu's 5 minutes.
    "unacked_mutex_expire": env_int("GC6_UNACKED_MUTEX_EXPIRE", 60),
    # Publishing from a web request gives up fast when Redis is down or hangs:
    # the submission is already saved and `requeue_stuck` queues its check later.
    "socket_timeout": 5,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = False

# E-mail: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# A mail server that hangs must not hang a receipt or a decision: the send fails, is
# logged, and the sweeper tries again.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GC6 submissions <no-reply@localhost>")

# The cache: rate counts, cached public pages and statistics. Web processes on
# several machines must share one (Redis, GC6_CACHE_URL); a single process alone
# (the tests, an offline command) keeps its own in memory.
GC6_CACHE_URL = env_str("GC6_CACHE_URL", "")
# How long a public page is kept at most (submissions/public_cache.py); empty: an hour
# in a shared cache, a minute in a process's own; 0 keeps nothing.
_PUBLIC_CACHE_SECONDS = env_str("GC6_PUBLIC_CACHE_SECONDS", "")
GC6_PUBLIC_CACHE_SECONDS = int(_PUBLIC_CACHE_SECONDS) if _PUBLIC_CACHE_SECONDS else None
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": GC6_CACHE_URL}
        if GC6_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security: secure by default; `make run` (plain HTTP on localhost) turns these off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Set by our proxy; from anyone else dropped (gc6portal/proxy_headers.py).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "submissions.views.public.csrf_failure"
# Only our own scripts, styles and pictures; nothing inline; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Joining the browsers' HSTS preload list commits the whole domain, a decision for
# whoever runs it (DJANGO_HSTS_PRELOAD=True), not a default of this application.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Logs: "text" lines (make run) or one JSON object a line (production), each with the
# request id (gc6portal/logging_json.py). In JSON, the Celery worker logs through the
# same handler instead of installing its own.
GC6_LOG_FORMAT = env_str("GC6_LOG_FORMAT", "text")
LOGGING = logging_config(GC6_LOG_FORMAT, env_str("DJANGO_LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = GC6_LOG_FORMAT == "text"
# Who may read /metrics/ (addresses and networks); anyone else gets a 404.
GC6_METRICS_ALLOWED = env_list("GC6_METRICS_ALLOWED", "127.0.0.1/32,::1")
# The orchestrator's and the proxy's probes, and Prometheus, speak plain HTTP to gunicorn.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics/$"]
