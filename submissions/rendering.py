"""LibreOffice's view of a document, when it is installed: page 1 and the public PDF.

The rules module estimates page 1 from the file; this renders it instead: the
document is converted to a PDF of its first page by LibreOffice, with a timeout,
and the page's text is read back. The public copy of a posted submission is
converted whole, the same way. LibreOffice is kept running (submissions/office:
unoserver, one per process, GC6_OFFICE_POOL); where it cannot be (no python3-uno),
each conversion starts `soffice` in its own process group. Any failure (no soffice,
a timeout, an unreadable PDF) returns None: the estimate stands, and the public
page offers the .docx alone.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]

from submissions.office import pool, worker  # noqa: F401  (worker: Celery's hookup)

logger = logging.getLogger(__name__)

# PDF export of page 1 only: the layout of later pages is never computed for output.
_PAGE_ONE_PDF = 'pdf:writer_pdf_Export:{"PageRange":{"type":"string","value":"1"}}'
# The same through unoserver, whose options are "Name=value": "1" would be sent as a
# number, which the filter ignores (every page exported), so the range is "1-1".
_PAGE_ONE_OPTIONS = ["PageRange=1-1"]


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    # One LibreOffice profile per process: two soffice runs must not share one, and
    # creating a profile costs a second, so a worker process keeps its own, and
    # removes it when it exits.
    path = Path(tempfile.gettempdir()) / f"gc6-lo-profile-{os.getuid()}-{os.getpid()}"
    if not path.exists():
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# The whole document as a tagged (accessible) PDF/A-2b: readable by screen readers
# and fit for the archive.
_PUBLIC_PDF = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"SelectPdfVersion":{"type":"long","value":"2"}}'
)
_PUBLIC_OPTIONS = ["UseTaggedPDF=true", "SelectPdfVersion=2"]


def _convert(data: bytes, export_filter: str, options: list[str], timeout: float) -> bytes | None:
    """`data` (a .docx) converted by LibreOffice with `export_filter` (`options` for
    the kept LibreOffice), or None."""
    binary = soffice_path()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="gc6-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        if pool.ENABLED:
            try:
                return pool.shared().convert(source, options=options, timeout=timeout)
            except pool.ConversionTimedOut:
                return None
            except pool.ConversionFailed:
                # LibreOffice 7.4 loads no document with comments over UNO (it does
                # in a conversion from the command line): those go the slow way.
                logger.info("the kept LibreOffice could not load a document: soffice instead")
            except pool.OfficeUnavailable:
                pass  # said once in the log: a one-shot soffice instead
        return _convert_one_shot(binary, source, export_filter, timeout)


def _convert_one_shot(
    binary: str, source: Path, export_filter: str, timeout: float
) -> bytes | None:
    """`source` converted by an `soffice` started for it alone, or None."""
    command = [
        binary,
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--convert-to",
        export_filter,
        "--outdir",
        str(source.parent),
        str(source),
    ]
    process = subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        logger.warning("LibreOffice took more than %ss to convert a document", timeout)
        return None
    pdf = source.with_suffix(".pdf")
    if not pdf.exists():
        return None
    pool.CONVERSIONS.labels("one_shot").inc()
    return pdf.read_bytes()


def render_first_page(data: bytes, *, timeout: float = 30) -> str | None:
    """The text of page 1 as LibreOffice renders `data` (a .docx), or None."""
    pdf = _convert(data, _PAGE_ONE_PDF, _PAGE_ONE_OPTIONS, timeout)
    return None if pdf is None else _first_page_text(pdf)


def convert_to_pdf(data: bytes, *, timeout: float = 60) -> bytes | None:
    """The whole document as LibreOffice prints it (tagged PDF/A-2b), or None."""
    pdf = _convert(data, _PUBLIC_PDF, _PUBLIC_OPTIONS, timeout)
    return pdf if pdf is not None and _first_page_text(pdf) is not None else None


def _first_page_text(pdf: bytes) -> str | None:
    """Page 1's text read by PDFium (Chromium's PDF library; 1.7 ms for a full page of
    text where pypdf took 37), or None for a PDF without pages or one it cannot read."""
    try:
        document = pypdfium2.PdfDocument(pdf)
    except (pypdfium2.PdfiumError, ValueError):
        return None
    try:
        if len(document) == 0:
            return None
        page = document[0]
        textpage = page.get_textpage()
        text: str = textpage.get_text_range()
        textpage.close()
        page.close()
        return text.replace("\r\n", "\n")  # PDFium ends its lines as Windows does
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()
