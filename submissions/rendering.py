"""LibreOffice's view of a document, when it is installed: page 1 and the public PDF.

The rules module estimates page 1 from the file; this renders it instead: the
document is converted to a PDF of its first page by `soffice`, in its own process
group with a timeout, and the page's text is read back. The public copy of a
posted submission is converted whole, the same way. Any failure (no soffice, a
timeout, an unreadable PDF) returns None: the estimate stands, and the public
page offers the .docx alone.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

# PDF export of page 1 only: the layout of later pages is never computed for output.
_PAGE_ONE_PDF = 'pdf:writer_pdf_Export:{"PageRange":{"type":"string","value":"1"}}'


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


def _convert(data: bytes, export_filter: str, timeout: float) -> bytes | None:
    """`data` (a .docx) converted by LibreOffice with `export_filter`, or None."""
    binary = soffice_path()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="gc6-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
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
            tmp,
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
        pdf = Path(tmp) / "document.pdf"
        return pdf.read_bytes() if pdf.exists() else None


def render_first_page(data: bytes, *, timeout: float = 30) -> str | None:
    """The text of page 1 as LibreOffice renders `data` (a .docx), or None."""
    pdf = _convert(data, _PAGE_ONE_PDF, timeout)
    if pdf is None:
        return None
    try:
        reader = PdfReader(io.BytesIO(pdf))
        return reader.pages[0].extract_text() if reader.pages else None
    except (PyPdfError, ValueError, KeyError, IndexError):
        return None


def convert_to_pdf(data: bytes, *, timeout: float = 60) -> bytes | None:
    """The whole document as LibreOffice prints it (tagged PDF/A-2b), or None."""
    pdf = _convert(data, _PUBLIC_PDF, timeout)
    if pdf is None:
        return None
    try:
        return pdf if PdfReader(io.BytesIO(pdf)).pages else None
    except (PyPdfError, ValueError, KeyError, IndexError):
        return None
