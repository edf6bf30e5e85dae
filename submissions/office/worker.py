"""A Celery worker's child starts its LibreOffice as it starts, and stops it as it exits.

Connected when this module is imported in the worker's main process, before the
children fork (submissions/rendering.py imports it; the tasks import rendering).
"""

from __future__ import annotations

import contextlib
from typing import Any

from celery.signals import worker_process_init, worker_process_shutdown

from submissions.office import pool


@worker_process_init.connect
def warm_office(**kwargs: Any) -> None:
    """Start the server without waiting for it (a child must be up within 4 s): the
    first check then finds LibreOffice running instead of paying its start."""
    from django.conf import settings

    from submissions import rendering

    if pool.ENABLED and settings.GC6_RENDER_FIRST_PAGE and rendering.soffice_path():
        with contextlib.suppress(pool.OfficeUnavailable):
            pool.shared().start()


@worker_process_shutdown.connect
def stop_office(**kwargs: Any) -> None:
    # billiard's children leave by os._exit: atexit would not run.
    pool.close_shared()
