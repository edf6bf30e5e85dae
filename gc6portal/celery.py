from __future__ import annotations

import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")

if "celery" in sys.argv[0] and "worker" in sys.argv[1:]:  # `celery ... worker`
    # A worker keys private links' hashes: never with the public development key.
    import django

    django.setup()
    from gc6portal.secret_key import require_secret_key

    require_secret_key()

app = Celery("gc6portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
