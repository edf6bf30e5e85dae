"""The public list's search: words of the posted texts (and of the names shown), or a
tracking number, through each database's full-text index.

The document searched is a posted submission's public text and, where it is
published, its stakeholder's name. Migration 0017 indexes it:
- PostgreSQL: a stored generated column `search_document`, `to_tsvector('simple',
  document)`, with a GIN index; the query is `websearch_to_tsquery`, so "quoted
  phrases", `or` and `-word` work.
- SQLite: an FTS5 table (`submissions_search`, unicode61 without diacritics, so case
  and accents do not matter), kept by triggers on the posted rows. The public's query
  is read as the same subset of web-search syntax and every term is quoted, so no
  FTS5 syntax ("NEAR", "*", column filters, unbalanced quotes) ever reaches it.
The list's sort orders the results; they are not ranked.
"""

from __future__ import annotations

import operator
import re
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from submissions.models import Call

# A longer query is cut (the public's text is hostile; a page of words finds nothing more).
MAX_QUERY = 500
MAX_TERMS = 32
FTS_TABLE = "submissions_search"
_FTS_ROWIDS = "SELECT rowid FROM submissions_search WHERE submissions_search MATCH %s"


def tracking_number_in(query: str, call: Call) -> int | None:
    """The number a query names as a tracking number of `call`: "GC6-0042", "gc6-42",
    "GC6 42", "GC60042", "0042", "#42" or "42" (another call's prefix names none)."""
    prefix = re.escape(call.tracking_prefix)
    found = re.fullmatch(rf"(?:{prefix}[\s-]*|#)?0*(\d{{1,9}})", query.strip(), re.IGNORECASE)
    return int(found.group(1)) if found else None


def search(queryset: QuerySet, query: str, *, call: Call) -> QuerySet:
    """The submissions of `queryset` (posted ones) whose document matches `query`, or
    whose number it names (see `tracking_number_in`)."""
    query = query.replace("\x00", "").strip()[:MAX_QUERY]  # no database takes a NUL
    conditions: list[Q] = []
    number = tracking_number_in(query, call)
    if number is not None:
        conditions.append(Q(number=number))
    if connection.vendor == "postgresql":
        conditions.append(Q(_PostgresMatch(query)))
    elif expression := fts5_query(query):
        # The expression is a parameter; the SQL around it is constant.
        found = RawSQL(_FTS_ROWIDS, [expression])  # noqa: S611
        conditions.append(Q(pk__in=found))
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, conditions))


class _PostgresMatch(Func):
    """`search_document @@ websearch_to_tsquery(query)`: the stored tsvector column
    (migration 0017; not a model field), on the table as the query names it."""

    output_field = BooleanField()

    def __init__(self, query: str) -> None:
        super().__init__(F("pk"), Value(query))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:  # type: ignore[override]
        (pk, _pk_params), (query, params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        column = pk.rsplit(".", 1)[0] + '."search_document"'
        return f"({column} @@ websearch_to_tsquery('simple'::regconfig, {query}))", tuple(params)


# Web-search syntax: "a phrase" (a missing closing quote ends it at the end), -word
# (not), `or` between terms; anything else is a word.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
_WORDY = re.compile(r"[^\W_]")


def fts5_query(query: str) -> str:
    """The public's query as an FTS5 expression of quoted strings, or "" for one
    without a term to look for: every term's words must be there, a phrase's in
    order; `-term` excludes; `a or b` is either. A term only negated finds nothing
    (FTS5 has no "everything but")."""
    clauses: list[list[str]] = []  # AND of ORs
    excluded: list[str] = []
    joining = False
    # (A NUL would end FTS5's reading of the expression inside a quoted string.)
    for match in _TERM.finditer(query.replace("\x00", "")[:MAX_QUERY]):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        text = phrase if phrase is not None else word
        if word is not None and not negated and word.lower() == "or" and clauses:
            joining = True
            continue
        if not _WORDY.search(text):
            continue
        quoted = '"' + text.replace('"', '""') + '"'
        if negated:
            excluded.append(quoted)
        elif joining:
            clauses[-1].append(quoted)
        else:
            clauses.append([quoted])
        joining = False
        if len(clauses) + len(excluded) >= MAX_TERMS:
            break
    if not clauses:
        return ""
    expression = " AND ".join(f"({' OR '.join(terms)})" for terms in clauses)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression
