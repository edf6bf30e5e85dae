"""Page 1 as LibreOffice renders it, and the fallback when it cannot."""

import os
import signal
from datetime import UTC, datetime

import pytest

from submissions import config, rendering, services
from submissions.compliance import CallRules, evaluate
from submissions.office import pool, worker
from tests.conftest import CORPUS_EXPECTED as EXPECTED
from tests.test_office_pool import require_uno
from tests.tools import require_tool


@pytest.fixture
def soffice():
    return require_tool("soffice")


def _check(data: bytes, name: str, renderer):
    return evaluate(
        data,
        rules=CallRules(word_limit=5000, deadline=None),
        stakeholder_name=name,
        received_at=datetime(2022, 9, 1, tzinfo=UTC),
        render_first_page=renderer,
    )


def test_rendered_first_page_has_the_name(soffice, lo_docs):
    text = rendering.render_first_page(lo_docs["ordinary"].read_bytes())
    assert "Submitted by: Global Alliance" in text


def test_rendered_page_one_decides_the_name_check(soffice, lo_docs):
    case = EXPECTED["name_on_page_two"]
    report = _check(
        lo_docs["name_on_page_two"].read_bytes(), case["needle"], rendering.render_first_page
    )
    assert report.first_page_method == "rendered"
    assert report.name_on_first_page is False
    assert report.codes() == ["name_not_on_first_page"]


def test_a_render_that_times_out_falls_back_to_the_estimate(soffice, lo_docs):
    data = lo_docs["ordinary"].read_bytes()
    assert rendering.render_first_page(data, timeout=0.01) is None
    report = _check(
        data, EXPECTED["ordinary"]["needle"], lambda d: rendering.render_first_page(d, timeout=0.01)
    )
    assert report.first_page_method == "estimate"
    assert report.name_on_first_page is True


def test_without_libreoffice_there_is_no_rendering(monkeypatch, lo_docs):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert rendering.soffice_path() is None
    assert rendering.render_first_page(lo_docs["ordinary"].read_bytes()) is None
    assert config.first_page_renderer() is None


def test_the_worker_renders_when_the_settings_ask(
    soffice, settings, lo_docs, open_call, make_submission
):
    settings.GC6_RENDER_FIRST_PAGE = True
    submission = make_submission(open_call, lo_docs["name_on_page_two"].read_bytes())
    services.submission_check(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.first_page_method == "rendered"
    assert [f["code"] for f in submission.findings] == ["name_not_on_first_page"]


def test_a_check_after_libreoffice_was_killed_still_renders(soffice, lo_docs):
    require_uno()
    data = lo_docs["name_on_page_two"].read_bytes()
    needle = EXPECTED["name_on_page_two"]["needle"]
    assert _check(data, needle, rendering.render_first_page).first_page_method == "rendered"
    killed = pool.shared().soffice_pid()
    assert killed > 0
    os.kill(killed, signal.SIGKILL)
    report = _check(data, needle, rendering.render_first_page)
    assert report.first_page_method == "rendered"
    assert report.codes() == ["name_not_on_first_page"]
    assert pool.shared().soffice_pid() not in (0, killed)


def test_a_worker_child_starts_libreoffice_as_it_starts(soffice, settings):
    require_uno()
    settings.GC6_RENDER_FIRST_PAGE = True
    pool.close_shared()
    worker.warm_office()
    assert pool.shared().running()
    worker.stop_office()
    assert not pool.shared().running()
    assert not pool.shared().profile.exists()


def _pdf_without_pages() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    out = BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "pdf",
    [b"", b"%PDF-1.7\n garbage", b"not a pdf at all", _pdf_without_pages()],
    ids=["empty", "truncated", "not a pdf", "no pages"],
)
def test_a_pdf_that_cannot_be_read_gives_no_page_one_nor_public_pdf(monkeypatch, pdf):
    # What LibreOffice hands back is read by PDFium; a bad answer is no answer.
    monkeypatch.setattr(rendering, "_convert", lambda *args: pdf)
    assert rendering.render_first_page(b"a .docx") is None
    assert rendering.convert_to_pdf(b"a .docx") is None
