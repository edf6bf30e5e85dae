"""The public search (submissions/search.py): the full-text index of each database, the
public's query read safely, the index kept in step with what is posted.

The list's own search tests (words, names shown or withheld, tracking numbers) are in
tests/test_selectors.py and tests/test_open_data.py; they run on both databases.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from django.db import connection

from submissions import search, search_triggers, selectors
from submissions.enums import Publication, State
from submissions.models import Call, Submission
from tests.factories import SubmissionFactory

HOSTILE = [
    '"',
    '""',
    '"unbalanced quote',
    "*",
    "remit*",
    "NEAR(remittances workers)",
    "remittances NEAR workers",
    "document:remittances",
    "^remittances",
    "remittances AND OR NOT",
    "(remittances",
    "-",
    "--remittances",
    "or",
    "- or -",
    "'; DROP TABLE submissions_submission; --",
    "\x00remittances",
    "remittances " * 2000,
    "x" * 10_000,
]


def _search(call: Call, query: str) -> list[Submission]:
    return list(selectors.posted_submissions(call=call, query=query))


def _posted(call: Call, *paragraphs: str, **kwargs) -> Submission:
    return SubmissionFactory(
        call=call,
        stakeholder_name=kwargs.pop("stakeholder_name", "Alpha Org"),
        paragraphs=("Submitted by Alpha Org", *paragraphs),
        state=State.POSTED,
        **kwargs,
    )


# The public's query, read as FTS5 (pure).


@pytest.mark.parametrize("query", HOSTILE)
def test_every_term_reaches_fts5_quoted(query):
    expression = search.fts5_query(query)
    # Parsed by a real FTS5 table: no syntax error, whatever was typed.
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(document, content='')")
    if expression:
        assert db.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall() == []
    outside = expression
    for quoted in _quoted_strings(expression):
        outside = outside.replace(quoted, "")
    # Outside the quoted strings: only the operators we wrote.
    assert set(outside.replace("AND", "").replace("OR", "").replace("NOT", "")) <= set("() ")


def _quoted_strings(expression: str) -> list[str]:
    return re.findall(r'"(?:[^"]|"")*"', expression)


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("remittances", '("remittances")'),
        ("fair recruitment", '("fair") AND ("recruitment")'),
        ('"fair recruitment" costs', '("fair recruitment") AND ("costs")'),
        ("visas or permits", '("visas" OR "permits")'),
        ("visas -permits", '(("visas")) NOT ("permits")'),
        ('say "no', '("say") AND ("no")'),
        ("-permits", ""),
        ("  ", ""),
        ("* ^ ( )", ""),
    ],
)
def test_the_query_is_read_as_web_search_syntax(query, expression):
    assert search.fts5_query(query) == expression


def test_a_long_query_is_cut_to_a_few_terms():
    terms = search.fts5_query(" ".join(f"w{n}" for n in range(5000)))
    assert terms.count(" AND ") == search.MAX_TERMS - 1


# The search, on the database the suite runs on.


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_find_nothing_they_should_not_and_never_fail(open_call, query):
    posted = _posted(open_call, "Remittances should cost less for migrant workers.")
    found = _search(open_call, query)
    assert found in ([], [posted])
    # (Only-negated terms are PostgreSQL's "everything but": "- or -" is "not or".)
    if "remittances" not in query.casefold() and "-" not in query:
        assert found == []


def test_case_does_not_matter(open_call):
    posted = _posted(open_call, "Remittances should cost less.")
    assert _search(open_call, "REMITTANCES") == [posted]
    assert _search(open_call, "alpha ORG") == [posted]  # the name it shows


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL's 'simple' keeps accents")
def test_accents_do_not_matter_on_sqlite(open_call):
    posted = _posted(open_call, "La Fédération défend les travailleurs migrants.")
    assert _search(open_call, "federation defend") == [posted]
    assert _search(open_call, "FÉDÉRATION") == [posted]


def test_web_search_syntax_phrases_or_and_not(open_call):
    visas = _posted(open_call, "Visas for domestic workers.")
    permits = _posted(open_call, "Work permits for seasonal workers.", stakeholder_name="Beta Org")
    assert _search(open_call, "visas or permits") == [permits, visas]
    assert _search(open_call, "workers -visas") == [permits]
    assert _search(open_call, '"seasonal workers"') == [permits]
    assert _search(open_call, '"workers seasonal"') == []


def test_the_list_sorts_the_results(open_call):
    first = _posted(open_call, "Remittances first.")
    second = _posted(open_call, "Remittances second.", stakeholder_name="Beta Org")
    for sort, expected in (("number", [first, second]), ("stakeholder", [first, second])):
        found = list(selectors.posted_submissions(call=open_call, query="remittances", sort=sort))
        assert found == expected, sort
    newest = list(selectors.posted_submissions(call=open_call, query="remittances"))
    assert newest == sorted([first, second], key=lambda s: (s.posted_at, s.pk), reverse=True)


def test_the_index_follows_posting_taking_down_and_changes(open_call):
    posted = _posted(open_call, "Remittances should cost less.")
    rows = Submission.objects.filter(pk=posted.pk)
    rows.update(state=State.UNPOSTED)
    assert _search(open_call, "remittances") == []
    rows.update(state=State.POSTED)
    assert _search(open_call, "remittances") == [posted]
    rows.update(public_text="Pensions should follow migrant workers.")
    assert _search(open_call, "remittances") == []
    assert _search(open_call, "pensions") == [posted]
    assert _search(open_call, "alpha") == [posted]
    rows.update(publication=Publication.PUBLISH_ANONYMOUS)
    assert _search(open_call, "alpha") == []  # the name is no longer shown
    assert _search(open_call, "pensions") == [posted]
    rows.update(publication=Publication.PUBLISH, stakeholder_name="Gamma Network")
    assert _search(open_call, "gamma") == [posted]
    assert _search(open_call, "alpha") == []


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the FTS5 table is SQLite's")
def test_the_fts5_table_holds_the_posted_rows_only(open_call):
    posted = _posted(open_call, "Remittances should cost less.")
    SubmissionFactory(call=open_call, stakeholder_name="Unposted Org")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE}")  # noqa: S608 (a constant)
        assert cursor.fetchall() == [(posted.pk,)]
        Submission.objects.filter(pk=posted.pk).delete()
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")  # noqa: S608
        assert cursor.fetchone() == (0,)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the GIN index is PostgreSQL's")
def test_postgresql_answers_from_its_full_text_index(open_call):
    base = _posted(open_call, "Remittances should cost less.")
    copies = []
    # Enough rows that the state's index (every row posted) is the worse plan: with
    # 300 the planner once read them all through it and filtered.
    for number in range(2, 2002):
        copy = Submission.objects.get(pk=base.pk)
        copy.pk, copy.number = None, number
        copy.status_token_hash = f"{number:064d}"
        copy.public_text = f"Paragraph {number} on fair recruitment."
        copies.append(copy)
    Submission.objects.bulk_create(copies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE submissions_submission")
        # A few hundred rows fit a page or two, which a plain scan reads faster: the
        # planner is asked to choose among the indexes, as it does for a call's thousands.
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = selectors.posted_submissions(call=open_call, query="remittances")
    plan = queryset.explain()
    assert "submission_search" in plan, plan
    assert list(queryset) == [base]


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()} & search_triggers.TRIGGERS


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the FTS5 table is SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_migration_that_rebuilds_the_table_leaves_the_search_working(open_call, caplog):
    from django.core.management import call_command

    posted = _posted(open_call, "Remittances should cost less.")
    field = Submission._meta.get_field("stakeholder_name")
    wider = field.clone()
    wider.set_attributes_from_name("stakeholder_name")
    wider.max_length = field.max_length + 1
    # What an AlterField does on SQLite: the table copied into a new one, there and back.
    with connection.schema_editor() as editor:
        editor.alter_field(Submission, field, wider)
    with connection.schema_editor() as editor:
        editor.alter_field(Submission, wider, field)
    assert _triggers() == set()
    _posted(open_call, "Remittances while the triggers were gone.", stakeholder_name="Beta")

    call_command("migrate", verbosity=0)

    assert _triggers() == search_triggers.TRIGGERS
    assert "were missing" in caplog.text
    assert {s.stakeholder_name for s in _search(open_call, "remittances")} == {"Alpha Org", "Beta"}
    Submission.objects.filter(pk=posted.pk).update(state=State.UNPOSTED)  # followed again
    assert [s.stakeholder_name for s in _search(open_call, "remittances")] == ["Beta"]


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the FTS5 table is SQLite's")
def test_nothing_is_done_when_the_triggers_are_there(open_call):
    assert _triggers() == search_triggers.TRIGGERS
    assert search_triggers.restore_search_triggers() is False
