"""The Secretariat's register: its CSV and Excel exports and its internal statistics."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from submissions import register
from submissions.enums import State
from tests.factories import SubmissionFactory
from tests.helpers import SENT, csv_export

REGISTER = reverse("admin:submissions_submission_register")


def _register_csv(client, call) -> tuple[str, list[dict[str, str]]]:
    return csv_export(client.get(REGISTER, {"call": call.pk, "export": "csv"}))


# The CSV.


def test_the_csv_has_a_header_and_one_row_per_submission_in_number_order(
    staff_client, open_call, sent
):
    text, rows = _register_csv(staff_client, open_call)
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == register.columns()
    assert header[:2] == ["Tracking number", "Received (Geneva time)"]
    assert [r["Tracking number"] for r in rows] == [s.tracking_number for s in sent]
    assert [r["Tracking number"] for r in rows] == [f"OPEN-{n:04d}" for n in range(1, 7)]


def test_the_csv_gives_times_on_a_geneva_clock(staff_client, open_call, sent):
    _text, rows = _register_csv(staff_client, open_call)
    assert [r["Received (Geneva time)"] for r in rows] == [local for _n, _at, local in SENT]


def test_the_csv_quotes_names_a_spreadsheet_would_run_as_formulas(staff_client, open_call, sent):
    _text, rows = _register_csv(staff_client, open_call)
    names = {r["Tracking number"]: r["Stakeholder"] for r in rows}
    assert names["OPEN-0001"] == "'" + SENT[0][0]
    assert names["OPEN-0003"] == "'+41 Migrants Network"
    assert names["OPEN-0004"] == "'@migrants_union"
    assert names["OPEN-0005"] == "'-1 Solidarity"
    assert [n for n in names.values() if n.startswith(("=", "+", "@", "-"))] == []


def test_the_csv_is_utf8_with_a_bom_and_keeps_non_latin_names(staff_client, open_call, sent):
    response = staff_client.get(REGISTER, {"call": open_call.pk, "export": "csv"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "移民工人联盟".encode() in raw
    assert "اتحاد العمال المهاجرين".encode() in raw
    assert response["Content-Disposition"].startswith('attachment; filename="OPEN-register-')


def test_the_export_runs_a_fixed_number_of_queries(staff_client, open_call):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            _register_csv(staff_client, open_call)
        return len(captured)

    SubmissionFactory(call=open_call, stakeholder_name="First")
    few = queries_for_export()
    for index in range(5):
        SubmissionFactory(call=open_call, stakeholder_name=f"Sender {index}")
    assert queries_for_export() == few


# The Excel workbook, read as the XML it is.


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Cell:
    value: str
    kind: str  # the cell's t attribute: "n" (a number), "s", "inlineStr", "str", ...
    style: int
    formula: bool


def _workbook(data: bytes) -> tuple[dict[str, Cell], dict[int, str]]:
    """The first sheet's cells by reference ("B2"), and each cell style's number format."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        strings = etree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(si.itertext()) for si in strings.iter(f"{MAIN}si")]
    cells = {}
    for c in etree.fromstring(archive.read("xl/worksheets/sheet1.xml")).iter(f"{MAIN}c"):
        kind = c.get("t", "n")
        v = c.find(f"{MAIN}v")
        if kind == "s":
            value = shared[int(v.text)]
        elif kind == "inlineStr":
            value = "".join(c.find(f"{MAIN}is").itertext())
        else:
            value = v.text if v is not None else ""
        cells[c.get("r")] = Cell(value, kind, int(c.get("s", 0)), c.find(f"{MAIN}f") is not None)

    styles = etree.fromstring(archive.read("xl/styles.xml"))
    codes = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    xfs = styles.find(f"{MAIN}cellXfs")
    formats = {i: codes.get(int(xf.get("numFmtId", 0)), "") for i, xf in enumerate(xfs)}
    return cells, formats


def _register_xlsx(client, call) -> bytes:
    response = client.get(REGISTER, {"call": call.pk, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.search(r'filename="OPEN-register-[\d-]+\.xlsx"', response["Content-Disposition"])
    return b"".join(response.streaming_content)


def test_the_workbook_has_the_header_and_the_rows(staff_client, open_call, sent):
    cells, _formats = _workbook(_register_xlsx(staff_client, open_call))
    header = [cells[f"{chr(ord('A') + i)}1"].value for i in range(len(register.columns()))]
    assert header == register.columns()
    assert [cells[f"A{row}"].value for row in range(2, 8)] == [s.tracking_number for s in sent]
    assert cells["E3"].value == "移民工人联盟"
    assert "A8" not in cells


def test_the_workbook_keeps_a_formula_like_name_as_text(staff_client, open_call, sent):
    cells, _formats = _workbook(_register_xlsx(staff_client, open_call))
    name = cells["E2"]  # the stakeholder of OPEN-0001
    assert name.value == SENT[0][0]
    assert name.kind in ("s", "inlineStr")
    assert [ref for ref, cell in cells.items() if cell.formula] == []


def test_the_workbook_stores_times_as_dates_on_a_geneva_clock(staff_client, open_call, sent):
    cells, formats = _workbook(_register_xlsx(staff_client, open_call))
    for row, (_name, _at, local) in enumerate(SENT, start=2):
        received = cells[f"B{row}"]
        assert received.kind == "n"
        serial = (datetime.fromisoformat(local) - datetime(1899, 12, 30)) / timedelta(days=1)
        assert float(received.value) == pytest.approx(serial, abs=1e-6)
        assert formats[received.style] == "yyyy-mm-dd hh:mm"


# Internal statistics (the `triaged` rows: tests/conftest.py).


def test_statistics_count_submissions_per_state(open_call, triaged):
    numbers = register.internal_statistics(open_call)
    assert numbers["total"] == 3
    assert {str(label): n for label, n in numbers["by_state"]} == {
        str(State.READY_TO_POST.label): 1,
        str(State.REJECTED.label): 1,
        str(State.RECEIVED.label): 1,
    }


def test_statistics_count_each_day_on_the_calls_clock(open_call, triaged):
    numbers = register.internal_statistics(open_call)
    assert numbers["per_day"] == [(date(2025, 1, 15), 1), (date(2025, 1, 16), 2)]


def test_statistics_count_checked_files_with_findings(open_call, triaged):
    numbers = register.internal_statistics(open_call)
    assert (numbers["checked"], numbers["with_findings"]) == (2, 1)


def test_time_to_decide_counts_decisions_by_people_only(open_call, triaged):
    numbers = register.internal_statistics(open_call)
    # The worker's own moves (5 minutes after receipt) are not decisions.
    assert numbers["decided"] == 1
    assert numbers["median_hours"] == 2.0
    assert numbers["slowest_hours"] == 2.0
