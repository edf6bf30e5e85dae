from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")

app = Celery("gc6portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
