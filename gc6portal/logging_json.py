"""Log lines as JSON, one object per line, with the request's and the task's ids.

GC6_LOG_FORMAT=json (production, read by a log collector) selects `JsonFormatter`;
"text" (the default, for `make run`) keeps plain lines, with the request id added by
`RequestContextFilter`. Both read the ids from the context variables below, which
gc6portal/request_id.py sets in a request and in a task, so a check's lines in the
worker carry the id of the upload that queued it.

Written with the standard library: the object has a fixed set of keys, and
python-json-logger would add a dependency without saving any of this code.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

# Standard library only: settings.py imports this module.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gc6_request_id", default=None
)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gc6_task_id", default=None
)


def current_task_id() -> str | None:
    return task_id_var.get()


def record_request_id(record: logging.LogRecord) -> str | None:
    """The id of the request the record is about. Django logs a 4xx or 5xx response
    (django.request's "Not Found: /x") once the middleware have returned, outside the
    context variable, but passes the request along: its `request_id` stands in."""
    value = request_id_var.get()
    if value is None:
        value = getattr(getattr(record, "request", None), "request_id", None)
    return value if isinstance(value, str) else None


class JsonFormatter(logging.Formatter):
    """time (UTC, ISO 8601), level, logger, message, pid, request_id (null outside a
    request or a task it queued), task_id (in a task only), exc_info and stack_info
    (the formatted traceback, when there is one). ASCII only: a stray byte in a
    message cannot break the line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
            "request_id": record_request_id(record),
        }
        task_id = current_task_id()
        if task_id is not None:
            entry["task_id"] = task_id
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=True, default=str)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` ("-" when none) to every record, for the text
    format's "%(request_id)s"."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = record_request_id(record) or "-"
        record.task_id = current_task_id() or "-"
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(log_format: str, level: str) -> dict[str, object]:
    """settings.LOGGING for GC6_LOG_FORMAT ("text" or "json") and DJANGO_LOG_LEVEL.

    Kept here (no Django import) so that settings.py can call it.
    """
    if log_format not in ("text", "json"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"GC6_LOG_FORMAT must be text or json, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "gc6portal.logging_json.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "gc6portal.logging_json.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
