"""How the public pages scale: 200 vs 20,000 posted submissions, in the same run.

Each page's median time with 20,000 posted submissions is divided by its time with
200: a page that does not scale with the number of submissions stays near 1. The
list and the statistics must stay flat thanks to indexes and pages of 25; search
over 20,000 texts is measured against the list.
Run: .venv/bin/python bench/bench_public_pages.py [--database-url URL]
(SQLite in a temporary file by default; pass a PostgreSQL URL to measure that.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (200, 20_000)
# Every posted text is 300 of these, in turn (bench/http/seed.py seeds its bare rows alike).
WORDS = (
    "migrant",
    "workers",
    "access",
    "to",
    "justice",
    "fair",
    "recruitment",
    "remittances",
    "family",
)
RUNS = 9
PAGES = {
    "home": "/",
    "posted list": "/calls/bench/submissions/",
    "posted list, page 40": "/calls/bench/submissions/?page=40&sort=number",
    "filtered list": "/calls/bench/submissions/?category=academia&language=fr",
    "search": "/calls/bench/submissions/?q=remittances",
    "statistics": "/calls/bench/statistics/",
    "JSON API": "/api/calls/bench/submissions/",
}


def setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Static files are not collected for a benchmark: plain URLs, no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def fill(total: int) -> None:
    """Posted submissions with varied metadata and a text of 300 words each."""
    from datetime import timedelta

    from django.utils import timezone

    from submissions.enums import Category, State
    from submissions.models import Call, Submission

    call, _ = Call.objects.get_or_create(
        slug="bench",
        defaults={
            "tracking_prefix": "BENCH",
            "title": "Benchmark call",
            "summary": "-",
            "opens_at": timezone.now() - timedelta(days=90),
            "deadline": timezone.now(),
        },
    )
    start = call.submissions.count()
    categories, languages = list(Category.values), ["en", "fr", "es", "ar"]
    now = timezone.now()
    batch = []
    for number in range(start + 1, total + 1):
        text = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(300))
        batch.append(
            Submission(
                call=call,
                number=number,
                state=State.POSTED,
                stakeholder_name=f"Org {number}",
                category=categories[number % len(categories)],
                country=["PH", "MX", "FR"][number % 3],
                contact_name="x",
                contact_email="x@example.org",
                language=languages[number % 4],
                publication="publish",
                file=f"bench/{number}.docx",
                original_filename="x.docx",
                file_size=1,
                sha256="0" * 64,
                status_token_hash=f"{number:064d}",
                text=text,
                public_text=text,
                received_at=now - timedelta(hours=number % 2000),
                posted_at=now,
            )
        )
        if len(batch) == 2000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)


def timings() -> dict[str, float]:
    from django.test import Client

    client = Client()
    out = {}
    for name, url in PAGES.items():
        assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        out[name] = statistics.median(samples)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    results = {}
    for size in SIZES:
        fill(size)
        results[size] = timings()
    small, large = SIZES
    print(f"| page | ms with {small} | ms with {large:,} | ratio |")
    print("|---|---|---|---|")
    for name in PAGES:
        a, b = results[small][name] * 1000, results[large][name] * 1000
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
