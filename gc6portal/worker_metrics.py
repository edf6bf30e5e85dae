"""The Celery worker's own metrics endpoint, for a worker on a machine of its own.

The web's /metrics/ adds up the counts of the processes that share its
PROMETHEUS_MULTIPROC_DIR: a worker on another machine is not among them, so its
check durations and task failures would be seen by no one. With
GC6_WORKER_METRICS_PORT set, the worker's main process serves them itself
(prometheus-client's own HTTP server, in a thread) at http://ADDRESS:PORT/metrics,
ADDRESS being GC6_WORKER_METRICS_ADDRESS (127.0.0.1 by default: give the address of
the machine's internal network, or 0.0.0.0 in a container, for Prometheus to reach).

The counts are those of the worker's pool processes, added up in multiprocess mode
over its PROMETHEUS_MULTIPROC_DIR; without one, the worker makes an empty one of its
own (removed when it stops). Only the counted metrics are served here (check
durations, task failures and retries); the queue length and the submissions by state
stay on the web's /metrics/, which reads them from Redis and the database.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from gc6portal.env import env_int, env_str


def prepare() -> int | None:
    """The port to serve on, or None; makes sure multiprocess mode is on. Call before
    prometheus_client is first imported (Django's set-up imports it): the mode is
    chosen then."""
    port = env_int("GC6_WORKER_METRICS_PORT", 0)
    if not port:
        return None
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        directory = tempfile.mkdtemp(prefix="gc6-worker-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        owner = os.getpid()

        def remove() -> None:  # by the worker itself, not a pool process exiting
            if os.getpid() == owner:
                shutil.rmtree(directory, ignore_errors=True)

        atexit.register(remove)
    return port


def serve(port: int) -> None:
    """Serve every pool process's counts on `port`, from a thread of this process. A
    port already taken stops the worker's start-up (OSError)."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    address = env_str("GC6_WORKER_METRICS_ADDRESS", "127.0.0.1")
    start_http_server(port, addr=address, registry=registry)
