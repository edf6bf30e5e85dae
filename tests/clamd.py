"""A real ClamAV daemon for the tests, with the EICAR test signature the project ships.

`clamd` is one clamd per test session and xdist worker (a test that stops it stops
only its own worker's), started in a temporary directory on a free loopback port and
a unix socket beside it, with a copy of tests/data/clamav/ as its whole database (no
freshclam, no download). `scanner` points the GC6_CLAMD_* settings at it, after
starting it again if an earlier test left it stopped.

tests/data/clamav/ holds the EICAR test file's signature twice: gc6-eicar.hdb (its MD5
and size: the 68-byte file itself) and gc6-eicar.ndb (its bytes anywhere in a file, so
that EICAR with bytes around it, or inside a stream of an OLE object, is found). clamd
reports signatures from a database it did not sign with ".UNOFFICIAL" after the name.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.documents import make_docx
from tests.ole_files import package_object
from tests.stack import Process, free_port, wait_for
from tests.tools import require_tool

SIGNATURES = Path(__file__).parent / "data" / "clamav"

# The EICAR test file, in two halves so that no scanner quarantines this source file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature.UNOFFICIAL"


def ping(address: str | tuple[str, int]) -> bool:
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(address)
            sock.sendall(b"zPING\0")
            return sock.recv(16) == b"PONG\0"
    except OSError:
        return False


class Clamd:
    """clamd on 127.0.0.1:`port` and `socket_path`, accepting streams of
    `stream_max_bytes` at most; `stop()` and `start()` again on the same addresses."""

    def __init__(self, workdir: Path, stream_max_bytes: int) -> None:
        self.binary = require_tool("clamd")
        self.workdir = workdir
        self.host = "127.0.0.1"
        self.port = free_port()
        self.socket_path = str(workdir / "clamd.ctl")
        self.stream_max_bytes = stream_max_bytes
        self.process: Process | None = None
        database = workdir / "db"
        shutil.copytree(SIGNATURES, database)
        (workdir / "tmp").mkdir()
        self.config = workdir / "clamd.conf"
        self.config.write_text(
            "\n".join(
                [
                    "Foreground yes",
                    f"LogFile {workdir / 'clamd.log'}",
                    "LogTime yes",
                    f"PidFile {workdir / 'clamd.pid'}",
                    f"TemporaryDirectory {workdir / 'tmp'}",
                    f"DatabaseDirectory {database}",
                    f"LocalSocket {self.socket_path}",
                    f"TCPSocket {self.port}",
                    f"TCPAddr {self.host}",
                    f"StreamMaxLength {stream_max_bytes}",
                    "MaxThreads 4",
                    # Our database has no bytecode signatures; don't look for them.
                    "Bytecode no",
                    "",
                ]
            )
        )

    def running(self) -> bool:
        return self.process is not None and self.process.alive()

    def start(self) -> None:
        if self.running():
            return
        self.process = Process(
            f"clamd-{self.port}",
            [self.binary, f"--config-file={self.config}"],
            dict(os.environ),
            self.workdir,
        )
        process = self.process

        def answers() -> bool:
            return ping(self.socket_path) and ping((self.host, self.port))

        # It loads its database first (a second or two), then listens.
        wait_for(lambda: answers() or not process.alive(), 60, "clamd")
        assert process.alive(), self.output()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def output(self) -> str:
        log = self.workdir / "clamd.log"
        text = self.process.output() if self.process else ""
        return text + (log.read_text(errors="replace")[-4000:] if log.exists() else "")

    def environment(self) -> dict[str, str]:
        """The settings for processes the tests start (a Celery worker...), over TCP."""
        return {
            "GC6_SCAN_ENABLED": "True",
            "GC6_CLAMD_SOCKET": "",
            "GC6_CLAMD_HOST": self.host,
            "GC6_CLAMD_PORT": str(self.port),
        }


@pytest.fixture(scope="session")
def clamd(tmp_path_factory) -> Iterator[Clamd]:
    """This worker's clamd; StreamMaxLength 1 MiB above the portal's upload limit."""
    from django.conf import settings

    server = Clamd(tmp_path_factory.mktemp("clamd"), settings.GC6_MAX_UPLOAD_BYTES + 2**20)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def scanner(clamd, settings) -> Clamd:
    """Scanning on, through clamd's TCP port (set GC6_CLAMD_SOCKET for the unix socket)."""
    clamd.start()  # an earlier test may have stopped it
    settings.GC6_SCAN_ENABLED = True
    settings.GC6_CLAMD_SOCKET = ""
    settings.GC6_CLAMD_HOST = clamd.host
    settings.GC6_CLAMD_PORT = clamd.port
    settings.GC6_CLAMD_TIMEOUT = 10
    return clamd


_OLE_TYPE = "application/vnd.openxmlformats-officedocument.oleObject"
_OLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def docx_embedding(label: str, data: bytes, *paragraphs: str) -> bytes:
    """A python-docx document (of `paragraphs`) that embeds `data` as an OLE Package, as
    Word does: how EICAR reaches the portal inside a Word file that passes its checks."""
    text = paragraphs or ("Our submission.", "With an attachment.")
    source = zipfile.ZipFile(io.BytesIO(make_docx(*text)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            member = source.read(name)
            if name == "[Content_Types].xml":
                ole_type = f'<Default Extension="bin" ContentType="{_OLE_TYPE}"/>'
                member = member.replace(b"<Default ", ole_type.encode() + b"<Default ", 1)
            elif name == "word/_rels/document.xml.rels":
                member = member.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdOle1" Type="{_OLE_REL}" '
                    'Target="embeddings/oleObject1.bin"/></Relationships>'.encode(),
                )
            archive.writestr(name, member)
        archive.writestr("word/embeddings/oleObject1.bin", package_object(label, data))
    return out.getvalue()
