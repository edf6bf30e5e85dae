from __future__ import annotations

import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")

if "celery" in sys.argv[0] and "worker" in sys.argv[1:]:  # `celery ... worker`
    from gc6portal import worker_metrics

    # Before Django's set-up imports prometheus_client (gc6portal/worker_metrics.py).
    metrics_port = worker_metrics.prepare()
    # A worker keys private links' hashes: never with the public development key.
    import django

    django.setup()
    from gc6portal.secret_key import require_secret_key

    require_secret_key()
    if metrics_port:  # in this, the main process: the pool's processes fork from it
        worker_metrics.serve(metrics_port)

app = Celery("gc6portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
