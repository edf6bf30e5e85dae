"""SQLite's search index put back after a migration rebuilt the table it follows.

SQLite alters most columns by copying `submissions_submission` into a new table, and
its triggers go with the old one: the FTS5 index (migration 0017) would then silently
stop following what is posted. After every `migrate`, missing triggers are created
again from migration 0017's own statements, and the index is filled anew from the
posted rows, since it missed whatever changed while they were gone. (A migration that
redefines the triggers must point `_MIGRATION` at itself.)
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.db import connections, transaction

from submissions.search import FTS_TABLE

logger = logging.getLogger(__name__)

TRIGGERS = frozenset(
    {"submissions_search_insert", "submissions_search_delete", "submissions_search_update"}
)
_MIGRATION = "submissions.migrations.0017_search_index"


def restore_search_triggers(using: str = "default") -> bool:
    """Create the search triggers again if any is missing; True if it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name LIKE 'submissions\\_search%' ESCAPE '\\'"
        )
        present = {name for (name,) in cursor.fetchall()}
    if FTS_TABLE not in present or present >= TRIGGERS:
        return False  # before migration 0017, or nothing lost
    statements: list[str] = import_module(_MIGRATION).SQLITE
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    refill = statements[-1]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name in sorted(TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in triggers:
            cursor.execute(statement)
        cursor.execute("INSERT INTO submissions_search(submissions_search) VALUES ('delete-all')")
        cursor.execute(refill)
    logger.warning(
        "search index: triggers %s were missing (a migration rebuilt the table); "
        "created again and the index refilled",
        ", ".join(sorted(TRIGGERS - present)),
    )
    return True


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    restore_search_triggers(using)
