"""Page 1 exactly as LibreOffice lays it out, when LibreOffice is installed.

The rules module estimates page 1 from the file; this renders it instead: the
document is converted to a PDF of its first page by `soffice`, in its own process
group with a timeout, and the page's text is read back. Any failure (no soffice,
a timeout, an unreadable PDF) returns None and the estimate stands.
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


def render_first_page(data: bytes, *, timeout: float = 30) -> str | None:
    """The text of page 1 as LibreOffice renders `data` (a .docx), or None."""
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
            _PAGE_ONE_PDF,
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
            logger.warning("LibreOffice took more than %ss to render page 1", timeout)
            return None
        pdf = Path(tmp) / "document.pdf"
        if not pdf.exists():
            return None
        try:
            reader = PdfReader(pdf)
            return reader.pages[0].extract_text() if reader.pages else None
        except (PyPdfError, ValueError, KeyError, IndexError):
            return None
