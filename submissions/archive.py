"""The public ZIP of a call's posted submissions, built by the worker and kept in storage.

One archive per state of the posted set (its fingerprint): a posting or a withdrawal
makes a new one, so the public never makes the server zip thousands of files per
request. Only the storage API is used (no `.path()`), so it works on object storage.

The ZIP is written to a local temporary file, then saved to storage; only then is a
small marker saved beside it, naming it. Readers look for the marker, so they never
get an archive that storage is still copying (a file system's save is not atomic).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import zipfile

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from submissions import notifications, selectors
from submissions.models import Call, Submission
from submissions.presentation import download_name, public_name
from submissions.register import csv_cell

FOLDER = "archives"
COLUMNS = [
    "tracking_number",
    "stakeholder",
    "category",
    "country",
    "language",
    "word_count",
    "posted_at",
    "file",
    "url",
]


def fingerprint(call: Call) -> str:
    """What the posted set is now: changes with a posting, a withdrawal or a new copy."""
    return _digest(_posted(call).values_list("pk", "posted_at", "public_file"))


def archive_name(call: Call, fingerprint: str) -> str:
    return f"{FOLDER}/{call.slug}-{fingerprint}.zip"


def ready_archive(call: Call, fingerprint_: str | None = None) -> str | None:
    """The storage name of the wholly saved archive of the current posted set, if any."""
    fingerprint_ = fingerprint_ or fingerprint(call)
    try:
        with default_storage.open(_marker_name(call, fingerprint_), "rb") as marker:
            name = marker.read().decode("ascii", "replace").strip()
    except FileNotFoundError:
        return None
    # Anything else (an empty marker being written, say) is not ready.
    found = _pattern(call).fullmatch(name.removeprefix(f"{FOLDER}/"))
    return name if found and found.groups() == (fingerprint_, "zip") else None


def build_archive(call_id: int) -> str | None:
    """Build the archive of the call's current posted set, unless it exists already.

    Returns its storage name (None for an unknown call, or when the posted set
    changed while it was built: the change has queued its own build).
    """
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return None
    submissions = list(_posted(call))
    current = _digest((s.pk, s.posted_at, s.public_file.name) for s in submissions)
    ready = ready_archive(call, current)
    if ready:
        return ready
    with tempfile.NamedTemporaryFile(suffix=".zip") as part:
        _write_archive(submissions, part)
        part.flush()
        name = default_storage.save(archive_name(call, current), File(part))
    wanted = _marker_name(call, current)
    marker = default_storage.save(wanted, ContentFile(name.encode("ascii")))
    if marker != wanted:  # another build of the same state finished first: keep that one
        default_storage.delete(marker)
        default_storage.delete(name)
        return ready_archive(call, current)
    _delete_older(call)
    return ready_archive(call, current)


def _posted(call: Call):
    return selectors.posted_submissions(call=call, sort="number")


def _digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]


def _marker_name(call: Call, fingerprint: str) -> str:
    return f"{FOLDER}/{call.slug}-{fingerprint}.ready"


def _pattern(call: Call) -> re.Pattern:
    """This call's archives and markers (storage may add `_abc1234` to a taken name)."""
    return re.compile(
        rf"{re.escape(call.slug)}-([0-9a-f]{{16}})(?:_[A-Za-z0-9]{{7}})?\.(zip|ready)"
    )


def _delete_older(call: Call) -> None:
    """Every archive of the call but the current posted set's: markers first, so no
    reader is sent to a deleted archive. A download under way keeps its open file."""
    current = fingerprint(call)
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    pattern = _pattern(call)
    for file in sorted(files, key=lambda f: not f.endswith(".ready")):
        found = pattern.fullmatch(file)
        if found and found.group(1) != current:
            default_storage.delete(f"{FOLDER}/{file}")


def _row(submission: Submission, name: str) -> list:
    """One line of the CSV; absolute links from SITE_URL (a worker has no request)."""
    return [
        submission.tracking_number,
        public_name(submission) or "",
        submission.category,
        submission.country.code or "",  # type: ignore[attr-defined]  # a Country
        submission.language,
        submission.word_count or "",
        submission.posted_at.isoformat() if submission.posted_at else "",
        name,
        notifications.posted_url(submission),
    ]


def _write_archive(submissions: list[Submission], target_file) -> None:
    """Each public copy, named by tracking number and stakeholder, and submissions.csv."""
    with zipfile.ZipFile(target_file, "w", zipfile.ZIP_DEFLATED) as archive:
        listing = io.StringIO()
        writer = csv.writer(listing)
        writer.writerow(COLUMNS)
        for submission in submissions:
            if not submission.public_file:
                continue  # posted before public copies existed: never the original
            name = download_name(submission)
            entry = zipfile.ZipInfo(name, date_time=submission.received_at.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            with submission.public_file.open("rb") as source, archive.open(entry, "w") as target:
                for chunk in iter(lambda: source.read(1 << 16), b""):
                    target.write(chunk)
            # A stakeholder named "=HYPERLINK(...)" stays text in a spreadsheet.
            writer.writerow([csv_cell(value) for value in _row(submission, name)])
        # UTF-8 with a byte-order mark, so that spreadsheet programs keep accents.
        archive.writestr("submissions.csv", "\ufeff" + listing.getvalue())
