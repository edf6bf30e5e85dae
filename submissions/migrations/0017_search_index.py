"""The public search's full-text index (submissions/search.py) and the duplicates
index (services/grouping.py), both filled from the rows already there.

The searched document is spelled out here as search.py describes it (the public
text, and the stakeholder's name where its publication is "publish"):
- PostgreSQL: a stored generated tsvector column `search_document` with a GIN index;
- SQLite: an FTS5 table of the posted rows, kept by triggers. A later migration that
  makes SQLite rebuild submissions_submission (an AlterField, say) drops the triggers
  with the old table; after every migrate, submissions/search_triggers.py creates them
  again from SQLITE below and refills the index.
"""

import django.db.models.deletion
from django.db import migrations, models

DOCUMENT = (
    "{row}public_text || ' ' || "
    "CASE WHEN {row}publication = 'publish' THEN {row}stakeholder_name ELSE '' END"
)

# A stored column (Django's model does not know it; the database computes it), so that
# no query computes a text's tsvector row by row, and the planner has its statistics.
POSTGRES = [
    "ALTER TABLE submissions_submission ADD COLUMN search_document tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {DOCUMENT.format(row='')})) STORED",
    "CREATE INDEX submission_search ON submissions_submission USING gin (search_document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS submission_search",
    "ALTER TABLE submissions_submission DROP COLUMN IF EXISTS search_document",
]

# A contentless FTS5 table (the text stays in submissions_submission only); a row leaves
# it by the 'delete' command with the values it was added with, which the triggers
# compute from the old row as they did from the new one.
_ADD = (
    "INSERT INTO submissions_search(rowid, document) "
    f"SELECT new.id, {DOCUMENT.format(row='new.')} WHERE new.state = 'posted';"
)
_REMOVE = (
    "INSERT INTO submissions_search(submissions_search, rowid, document) "
    f"SELECT 'delete', old.id, {DOCUMENT.format(row='old.')} WHERE old.state = 'posted';"
)
SQLITE = [
    "CREATE VIRTUAL TABLE submissions_search USING fts5("
    "document, content='', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions_submission "
    f"BEGIN {_ADD} END",
    f"CREATE TRIGGER submissions_search_delete AFTER DELETE ON submissions_submission "
    f"BEGIN {_REMOVE} END",
    "CREATE TRIGGER submissions_search_update AFTER UPDATE OF "
    "state, public_text, publication, stakeholder_name ON submissions_submission "
    f"BEGIN {_REMOVE} {_ADD} END",
    "INSERT INTO submissions_search(rowid, document) "
    f"SELECT id, {DOCUMENT.format(row='')} FROM submissions_submission WHERE state = 'posted'",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS submissions_search_insert",
    "DROP TRIGGER IF EXISTS submissions_search_delete",
    "DROP TRIGGER IF EXISTS submissions_search_update",
    "DROP TABLE IF EXISTS submissions_search",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []))


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []))


def fill_duplicate_keys(apps, schema_editor):
    """Each call grouped again as the incremental grouping keeps it, its index filled."""
    from submissions import duplicates  # pure: stored values in, keys and groups out

    Submission = apps.get_model("submissions", "Submission")
    DuplicateKey = apps.get_model("submissions", "DuplicateKey")
    fields = ("pk", "number", "sha256", "stakeholder_name", "text_signature")
    for call_id in Submission.objects.values_list("call_id", flat=True).distinct():
        rows = list(
            Submission.objects.filter(call_id=call_id)
            .exclude(state="withdrawn")
            .order_by("number")
            .values(*fields)
        )
        groups = duplicates.group(rows)
        for pk, group, reasons in Submission.objects.filter(call_id=call_id).values_list(
            "pk", "duplicate_group", "duplicate_reasons"
        ):
            wanted = groups.get(pk, (None, []))
            if (group, reasons) != wanted:
                Submission.objects.filter(pk=pk).update(
                    duplicate_group=wanted[0], duplicate_reasons=wanted[1]
                )
        DuplicateKey.objects.bulk_create(
            (
                DuplicateKey(call_id=call_id, submission_id=row["pk"], key=key)
                for row in rows
                for key in set(duplicates.keys(row))
            ),
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0016_check_queued_at"),
    ]

    operations = [
        migrations.RunPython(search_index, drop_search_index),
        migrations.CreateModel(
            name="DuplicateKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=300)),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="submissions.call",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="duplicate_keys",
                        to="submissions.submission",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["call", "key"], name="duplicate_key_lookup")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("submission", "key"), name="unique_duplicate_key"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_duplicate_keys, migrations.RunPython.noop),
    ]
