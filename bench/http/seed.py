"""Seed the two databases for run.py, each in a process of its own (two settings modules).

    seed.py portal DATABASE_URL COUNT   # bench_public_pages.fill(): COUNT posted submissions
    seed.py bare SQLITE_PATH COUNT      # the same rows (names, categories, texts) in the bare model

The portal's call ("bench") is then opened (deadline in 30 days), so that the upload
figure sends its files to the same call of COUNT posted submissions.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CALL_SLUG = "bench"
sys.path.insert(0, str(ROOT / "bench"))
# The posted texts' words, one list for every benchmark (load.py imports it from here).
from bench_public_pages import WORDS  # noqa: E402


def seed_portal(database_url: str, count: int) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import bench_public_pages  # the posted submissions its figures use

    bench_public_pages.setup(database_url)
    bench_public_pages.fill(count)
    from django.utils import timezone

    from submissions.models import Call

    Call.objects.filter(slug=CALL_SLUG).update(deadline=timezone.now() + timedelta(days=30))


def seed_bare(path: str, count: int) -> None:
    sys.path.insert(0, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare.settings"
    os.environ["BARE_DATABASE"] = path
    os.environ.setdefault("BARE_MEDIA_ROOT", str(Path(path).parent / "bare-media"))
    os.environ.setdefault("DJANGO_SECRET_KEY", "seeding-only")
    import django

    django.setup()
    from bare.models import Submission
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", run_syncdb=True, verbosity=0)

    # As bench_public_pages.fill() makes them: the same names, categories and texts.
    categories = [value for value, _label in Submission.CATEGORIES]
    languages = ["en", "fr", "es", "ar"]
    now = timezone.now()
    batch = []
    for number in range(1, count + 1):
        batch.append(
            Submission(
                number=number,
                stakeholder_name=f"Org {number}",
                category=categories[number % len(categories)],
                country=["PH", "MX", "FR"][number % 3],
                language=languages[number % 4],
                posted_at=now - timedelta(hours=number % 2000),
                text=" ".join(WORDS[(number + i) % len(WORDS)] for i in range(300)),
            )
        )
        if len(batch) == 2000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)


if __name__ == "__main__":
    kind, target, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"portal": seed_portal, "bare": seed_bare}[kind](target, total)
