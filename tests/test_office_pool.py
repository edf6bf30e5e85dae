"""LibreOffice kept running (submissions/office): the same page 1, and its recoveries.

Real LibreOffice through unoserver, started with the system Python (python3-uno).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from pypdf import PdfReader

from submissions import rendering
from submissions.office import pool
from tests.stack import wait_for
from tests.tools import require_path, require_tool

pytestmark = pytest.mark.xdist_group("office_pool")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
WORD = ROOT.parent / "shared" / "word-corpus" / "open-xml-powertools" / "files"
# 179 pages: LibreOffice lays them all out before it exports page 1.
HEAVY = "TestFiles__LIR003-en-US-upperLetter.docx"


def require_uno() -> None:
    """The system Python with python3-uno: skip without it, but fail in CI."""
    require_tool("soffice")
    found = subprocess.run([pool.PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if found.returncode != 0:
        message = f"{pool.PYTHON} cannot import uno (apt install python3-uno)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI must run every test")
        pytest.skip(message)


@pytest.fixture(scope="module")
def office():
    require_uno()
    server = pool.OfficeServer()
    yield server
    server.close()


def _page_one(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _convert(server: pool.OfficeServer, data: bytes, tmp_path: Path, **kwargs) -> bytes:
    source = tmp_path / "document.docx"
    source.write_bytes(data)
    return server.convert(source, options=rendering._PAGE_ONE_OPTIONS, timeout=30, **kwargs)


def _counted(name: str, **labels: str) -> float:
    """A counter of the worker's /metrics/, as this process has it."""
    return REGISTRY.get_sample_value(f"{name}_total", labels) or 0.0


def _gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "\nState:\tZ" in status.read_text()


@pytest.mark.parametrize(
    "path",
    [
        CORPUS / "name_last_line_page1.docx",  # the name is the last line of page 1
        CORPUS / "name_first_line_page2.docx",
        CORPUS / "french_accents.docx",
        WORD / "NewDocxDocuments__TableOfContents.docx",  # its indexes left as saved
        WORD / HEAVY,
    ],
    ids=lambda path: path.stem,
)
def test_page_one_through_the_pool_is_the_one_shot_page_one(office, monkeypatch, tmp_path, path):
    data = require_path(path, "the Word corpus").read_bytes()
    pdf = _convert(office, data, tmp_path)
    monkeypatch.setattr(pool, "ENABLED", False)
    one_shot = rendering.render_first_page(data)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # PageRange reached the filter
    assert one_shot
    assert _page_one(pdf) == one_shot


def test_the_public_pdf_stays_tagged_pdf_a_2b(office, tmp_path):
    source = tmp_path / "document.docx"
    source.write_bytes((CORPUS / "over_limit.docx").read_bytes())
    reader = PdfReader(
        io.BytesIO(office.convert(source, options=rendering._PUBLIC_OPTIONS, timeout=60))
    )
    metadata = reader.xmp_metadata
    assert metadata is not None
    assert (metadata.pdfaid_part, metadata.pdfaid_conformance) == ("2", "B")
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert len(reader.pages) > 1  # the whole document


def test_a_conversion_past_its_timeout_kills_libreoffice_and_the_next_one_works(office, tmp_path):
    data = require_path(WORD / HEAVY, "the Word corpus").read_bytes()
    _convert(office, data, tmp_path)  # running, with a known LibreOffice
    killed, restarts = office.soffice_pid(), office.restarts
    timeouts = _counted("gc6_office_restarts", reason="timeout")
    assert killed > 0
    started = time.monotonic()
    source = tmp_path / "heavy.docx"
    source.write_bytes(data)
    with pytest.raises(pool.ConversionTimedOut):
        office.convert(source, options=rendering._PAGE_ONE_OPTIONS, timeout=0.05)
    assert time.monotonic() - started < 5
    assert _gone(killed)
    assert office.restarts == restarts + 1
    assert _counted("gc6_office_restarts", reason="timeout") == timeouts + 1
    ordinary = (CORPUS / "ordinary.docx").read_bytes()
    assert "Submitted by: Global Alliance" in _page_one(_convert(office, ordinary, tmp_path))


def test_a_libreoffice_killed_between_checks_is_started_again(office, tmp_path):
    data = (CORPUS / "ordinary.docx").read_bytes()
    before = _page_one(_convert(office, data, tmp_path))
    killed = office.soffice_pid()
    crashes, kept = (
        _counted("gc6_office_restarts", reason="crash"),
        _counted("gc6_office_conversions", way="kept"),
    )
    assert killed > 0
    os.kill(killed, signal.SIGKILL)
    assert _page_one(_convert(office, data, tmp_path)) == before
    assert office.soffice_pid() not in (0, killed)
    assert _counted("gc6_office_restarts", reason="crash") == crashes + 1
    assert _counted("gc6_office_conversions", way="kept") == kept + 1


def test_libreoffice_over_its_memory_cap_is_restarted_after_the_conversion(office, tmp_path):
    data = (CORPUS / "ordinary.docx").read_bytes()
    _convert(office, data, tmp_path)
    first, restarts = office.soffice_pid(), office.restarts
    recycled = _counted("gc6_office_restarts", reason="recycled")
    assert office.rss_mb() > 10  # measured, so a cap can act
    office.max_rss_mb = 10
    try:
        text = _page_one(_convert(office, data, tmp_path))
    finally:
        office.max_rss_mb = pool.MAX_RSS_MB
    assert "Submitted by: Global Alliance" in text  # that answer stands
    assert office.restarts == restarts + 1
    assert _counted("gc6_office_restarts", reason="recycled") == recycled + 1
    assert _gone(first)
    assert _page_one(_convert(office, data, tmp_path)) == text


def test_libreoffice_is_restarted_after_its_number_of_conversions(office, tmp_path):
    data = (CORPUS / "ordinary.docx").read_bytes()
    _convert(office, data, tmp_path)
    office.max_conversions, restarts = office.conversions + 2, office.restarts
    try:
        _convert(office, data, tmp_path)
        assert office.restarts == restarts
        _convert(office, data, tmp_path)
        assert office.restarts == restarts + 1
    finally:
        office.max_conversions = pool.MAX_CONVERSIONS


def test_without_uno_the_pool_falls_back_to_one_soffice_per_render(monkeypatch, caplog, lo_docs):
    require_tool("soffice")
    no_uno = pool.OfficeServer(python=sys.executable)  # the virtualenv's: no uno
    monkeypatch.setattr(pool, "_shared", no_uno)
    data = lo_docs["ordinary"].read_bytes()
    one_shot = _counted("gc6_office_conversions", way="one_shot")
    with caplog.at_level("WARNING", logger="submissions.office.pool"):
        first = rendering.render_first_page(data)
        second = rendering.render_first_page(data)
    assert "Submitted by: Global Alliance" in first
    assert _counted("gc6_office_conversions", way="one_shot") == one_shot + 2
    assert second == first
    assert no_uno.process is None
    said = [r.getMessage() for r in caplog.records if "cannot import uno" in r.getMessage()]
    assert len(said) == 1  # once, not at every render
    no_uno.close()


def test_a_server_that_never_starts_is_given_up_after_three_tries(monkeypatch, caplog, lo_docs):
    require_uno()
    require_tool("soffice")
    # No LibreOffice answers within a millisecond: each start fails as a hung one does.
    hung = pool.OfficeServer(start_timeout=0.001)
    monkeypatch.setattr(pool, "_shared", hung)
    data = lo_docs["ordinary"].read_bytes()
    failed, one_shot = (
        _counted("gc6_office_failed_starts"),
        _counted("gc6_office_conversions", way="one_shot"),
    )
    crashes = _counted("gc6_office_restarts", reason="crash")
    with caplog.at_level("WARNING", logger="submissions.office.pool"):
        pages = [rendering.render_first_page(data) for _ in range(pool.MAX_FAILED_STARTS + 1)]
    assert all("Submitted by: Global Alliance" in page for page in pages)
    assert _counted("gc6_office_failed_starts") == failed + pool.MAX_FAILED_STARTS
    assert _counted("gc6_office_restarts", reason="crash") == crashes  # it never ran
    assert _counted("gc6_office_conversions", way="one_shot") == one_shot + len(pages)
    assert "given up" in caplog.text
    with pytest.raises(pool.OfficeUnavailable):  # no fourth try
        hung.start()
    assert not hung.running()
    hung.close()


def test_the_server_stops_and_its_profile_goes_when_its_process_dies(tmp_path):
    require_uno()
    # A process that starts the server and dies without any clean-up (as a worker's
    # child killed at its hard time limit).
    script = (
        "import os, sys; from pathlib import Path; from submissions.office import pool;"
        "s = pool.OfficeServer(); p = Path(sys.argv[1]);"
        "s.convert(p, options=[], timeout=30);"
        "print(s.soffice_pid(), s.profile, flush=True); os._exit(0)"
    )
    source = tmp_path / "document.docx"
    source.write_bytes((CORPUS / "ordinary.docx").read_bytes())
    out = subprocess.run(
        [sys.executable, "-c", script, str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    soffice, profile = int(out[0]), Path(out[1])
    assert soffice > 0
    # Generous: on a loaded CI machine LibreOffice took over 15 s to stop once.
    wait_for(lambda: _gone(soffice) and not profile.exists(), 45, "LibreOffice to stop")


def test_a_document_the_kept_libreoffice_cannot_load_is_rendered_by_soffice(
    office, monkeypatch, tmp_path
):
    data = (CORPUS / "pd_comments.docx").read_bytes()
    # LibreOffice 7.4 loads no document with comments over UNO (if a later one does,
    # this fails, and the fallback can go).
    with pytest.raises(pool.ConversionFailed):
        _convert(office, data, tmp_path)
    assert office.running()  # the server survives the refusal
    kept = rendering.render_first_page(data)
    monkeypatch.setattr(pool, "ENABLED", False)
    assert kept
    assert kept == rendering.render_first_page(data)
