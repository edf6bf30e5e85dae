"""The Secretariat's register of a call: an export (CSV, Excel) and internal statistics."""

from __future__ import annotations

import csv
import statistics as stats
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import xlsxwriter
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import notifications
from submissions.enums import State
from submissions.findings import finding_label
from submissions.models import Call, Submission

# Spreadsheets run a cell starting with these as a formula: prefixed in the CSV.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("Tracking number"),
        _("Received (Geneva time)"),
        _("On time"),
        _("Late access code"),
        _("Stakeholder"),
        _("Category"),
        _("Country"),
        _("Declared language"),
        _("Detected language"),
        _("Publication"),
        _("Words"),
        _("Words, main text"),
        _("Name on page 1"),
        _("Findings"),
        _("Overridden"),
        _("State"),
        _("Assigned to"),
        _("Duplicate group"),
        _("Duplicate reasons"),
        _("Versions"),
        _("First decision (Geneva time)"),
        _("Posted (Geneva time)"),
        _("Public page"),
        _("Contact person"),
        _("Contact e-mail"),
    ]


def rows(queryset: QuerySet[Submission]) -> Iterator[list[Any]]:
    """One row per submission, in `columns()` order; times in the call's zone, naive."""
    queryset = (
        queryset.select_related("call", "assignee", "late_access")
        .defer(*Submission.SECRETARIAT_TEXT, "public_text")
        .annotate(
            version_count=Count("versions", distinct=True),
            decided_at=Min("events__at", filter=Q(events__actor__isnull=False)),
        )
        .order_by("call", "number")
    )
    for s in queryset.iterator(chunk_size=500):
        zone = s.call.zone

        def local(moment: datetime | None, zone=zone) -> datetime | None:
            return timezone.localtime(moment, zone).replace(tzinfo=None) if moment else None

        yield [
            s.tracking_number,
            local(s.received_at),
            _yes_no(s.received_on_time),
            _("yes") if s.late_access_id else "",
            s.stakeholder_name,
            s.get_category_display(),
            s.country.name if s.country else "",  # type: ignore[attr-defined]  # a Country
            s.get_language_display(),
            s.detected_language,
            s.get_publication_display(),
            s.word_count,
            s.word_count_main,
            _yes_no(s.name_on_first_page),
            "; ".join(finding_label(f["code"]) for f in s.findings),
            "; ".join(f"{finding_label(o['code'])}: {o['reason']}" for o in s.overrides),
            s.get_state_display(),
            s.assignee.get_username() if s.assignee else "",
            s.duplicate_group,
            "; ".join(s.duplicate_reason_labels()),
            s.version_count,
            local(s.decided_at),
            local(s.posted_at),
            notifications.posted_url(s) if s.state == State.POSTED else "",
            s.contact_name,
            s.contact_email,
        ]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet never runs (formula-like text is prefixed)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(data: Iterable[list[Any]]) -> Iterator[str]:
    """The register as CSV lines, for a streaming response (a BOM first, for Excel)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns())
    for row in data:
        yield writer.writerow([csv_cell(v) for v in row])


def write_xlsx(data: Iterable[list[Any]], title: str) -> tempfile._TemporaryFileWrapper:
    """The register as an Excel workbook in a temporary file (rewound, deleted on close).

    Strings stay strings: no formulas, no links made from a submitter's text.
    """
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    workbook = xlsxwriter.Workbook(
        handle.name,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, columns(), bold)
    sheet.freeze_panes(1, 1)
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, when)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    handle.seek(0)
    return handle


def internal_statistics(call: Call) -> dict[str, Any]:
    """What the public statistics do not say: received per day, findings, time to decide."""
    submissions = Submission.objects.filter(call=call)
    by_state = dict(submissions.values_list("state").annotate(n=Count("pk")).order_by("state"))
    per_day = list(
        submissions.annotate(day=TruncDate("received_at", tzinfo=call.zone))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )
    checked = submissions.filter(checked_at__isnull=False)
    codes: Counter[str] = Counter()
    with_findings = 0
    for value in checked.values_list("finding_codes", flat=True):
        found = value.split()
        codes.update(found)
        with_findings += bool(found)
    decided = submissions.annotate(
        decided_at=Min("events__at", filter=Q(events__actor__isnull=False))
    ).filter(decided_at__isnull=False)
    hours = sorted(
        (d - r).total_seconds() / 3600 for r, d in decided.values_list("received_at", "decided_at")
    )
    return {
        "total": sum(by_state.values()),
        "by_state": [(State(s).label, n) for s, n in sorted(by_state.items())],
        "per_day": per_day,
        "checked": checked.count(),
        "with_findings": with_findings,
        "findings": [(finding_label(code), n) for code, n in codes.most_common()],
        "decided": len(hours),
        "median_hours": stats.median(hours) if hours else None,
        "slowest_hours": hours[-1] if hours else None,
        "last_received": submissions.aggregate(last=Max("received_at"))["last"],
    }
