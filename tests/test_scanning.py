"""submissions.scanning against a real clamd (tests/clamd.py) and against fake ones."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from submissions import scanning
from submissions.compliance.package import open_document
from submissions.scanning import CLEAN, INFECTED, UNAVAILABLE, ScanResult
from tests.clamd import EICAR, EICAR_SIGNATURE, docx_embedding
from tests.documents import make_docx
from tests.stack import free_port

integration = pytest.mark.integration


@pytest.fixture(params=["tcp", "unix"])
def transport(request, scanner, settings) -> str:
    """The real clamd, through its TCP port and through its unix socket."""
    if request.param == "unix":
        settings.GC6_CLAMD_SOCKET = scanner.socket_path
    return request.param


@integration
def test_scan_clean_docx_is_clean(transport):
    assert scanning.scan_bytes(make_docx("A clean submission.")) == ScanResult(CLEAN)


@integration
def test_scan_eicar_is_infected(transport):
    result = scanning.scan_bytes(EICAR)

    assert result == ScanResult(INFECTED, signature=EICAR_SIGNATURE)
    assert not result.clean


@integration
def test_scan_eicar_with_bytes_around_it_is_infected(scanner):
    """The .ndb body signature: the .hdb alone knows only the 68-byte file."""
    result = scanning.scan_bytes(b"A letter.\n" + EICAR + b"\nRegards.\n")

    assert result == ScanResult(INFECTED, signature=EICAR_SIGNATURE)


@integration
def test_scan_docx_embedding_eicar_is_infected(transport):
    data = docx_embedding("notes.txt", EICAR)
    # Deflated inside the zip: only a scanner that opens archives can see it...
    assert EICAR not in data
    # ...and the portal's own inspection reads it as a Word file that embeds a file.
    embedded = open_document(data).embedded
    assert [(item.kind, item.label) for item in embedded] == [("file", "notes.txt")]

    assert scanning.scan_bytes(data) == ScanResult(INFECTED, signature=EICAR_SIGNATURE)


@integration
def test_scan_docx_embedding_harmless_file_is_clean(scanner):
    assert scanning.scan_bytes(docx_embedding("notes.txt", b"Just notes.")).verdict == CLEAN


@integration
def test_scan_file_at_the_upload_limit_is_clean(scanner, settings):
    """clamd's StreamMaxLength is above the portal's limit, as production's must be."""
    data = b"\0" * settings.GC6_MAX_UPLOAD_BYTES

    assert scanning.scan_bytes(data) == ScanResult(CLEAN)


@integration
@pytest.mark.parametrize("beyond", [1, 40 * 2**20])
def test_scan_over_stream_max_length_is_unavailable(transport, scanner, beyond):
    result = scanning.scan_bytes(b"\0" * (scanner.stream_max_bytes + beyond))

    assert result.verdict == UNAVAILABLE
    assert "INSTREAM size limit exceeded" in result.detail


class RecordingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.sizes.append(size)
        return super().read(size)


@integration
def test_scan_file_streams_in_chunks_to_the_end(scanner):
    handle = RecordingFile(b"\0" * (3 * 2**20) + EICAR)

    result = scanning.scan_file(handle)

    assert result.verdict == INFECTED  # the last chunk was sent too
    assert set(handle.sizes) == {scanning.CHUNK_BYTES}
    assert len(handle.sizes) == 3 * 2**20 // scanning.CHUNK_BYTES + 2


@integration
def test_scan_when_the_file_cannot_be_read_is_unavailable(scanner):
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("disk gone")

    result = scanning.scan_file(Broken())

    assert result == ScanResult(UNAVAILABLE, detail="scan failed: OSError: disk gone")


@integration
def test_scanner_available_when_clamd_answers(transport):
    assert scanning.scanner_available()


@integration
def test_scan_while_clamd_is_down_is_unavailable_then_clean_once_it_is_back(scanner, settings):
    scanner.stop()
    try:
        started = time.monotonic()
        result = scanning.scan_bytes(make_docx("A clean submission."))
        elapsed = time.monotonic() - started

        assert result.verdict == UNAVAILABLE
        assert result.detail.startswith(f"cannot connect to clamd at 127.0.0.1:{scanner.port}: ")
        assert elapsed < settings.GC6_CLAMD_TIMEOUT
        assert not scanning.scanner_available()
    finally:
        scanner.start()

    assert scanning.scan_bytes(make_docx("A clean submission.")) == ScanResult(CLEAN)
    assert scanning.scanner_available()


@integration
def test_scan_with_unix_socket_missing_is_unavailable(scanner, settings, tmp_path):
    settings.GC6_CLAMD_SOCKET = str(tmp_path / "no-clamd.ctl")

    result = scanning.scan_bytes(b"hello")

    assert result.verdict == UNAVAILABLE
    assert result.detail.startswith(f"cannot connect to clamd at unix socket {tmp_path}")


# Without clamd: a server that never answers, and servers that answer what clamd would not.


@pytest.fixture
def silent_server(settings) -> Iterator[socket.socket]:
    """A port that accepts connections (the kernel does) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        settings.GC6_SCAN_ENABLED = True
        settings.GC6_CLAMD_SOCKET = ""
        settings.GC6_CLAMD_HOST = "127.0.0.1"
        settings.GC6_CLAMD_PORT = server.getsockname()[1]
        settings.GC6_CLAMD_TIMEOUT = 0.5
        yield server


@pytest.mark.parametrize("size", [10, 20 * 2**20], ids=["waiting-for-reply", "while-sending"])
def test_scan_when_clamd_hangs_is_unavailable_within_the_timeout(silent_server, size):
    started = time.monotonic()
    result = scanning.scan_bytes(b"\0" * size)

    assert result == ScanResult(UNAVAILABLE, detail="clamd did not answer within 0.5s")
    assert time.monotonic() - started < 1.5
    assert not scanning.scanner_available()


def fake_clamd(settings, reply: bytes) -> threading.Thread:
    """A one-connection server that reads a whole INSTREAM request and sends `reply`."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    settings.GC6_SCAN_ENABLED = True
    settings.GC6_CLAMD_SOCKET = ""
    settings.GC6_CLAMD_HOST = "127.0.0.1"
    settings.GC6_CLAMD_PORT = server.getsockname()[1]
    settings.GC6_CLAMD_TIMEOUT = 5

    def serve() -> None:
        with server, server.accept()[0] as connection:
            received = b""
            while not received.endswith(b"\0\0\0\0"):
                received += connection.recv(4096)
            assert received == b"zINSTREAM\0" + b"\0\0\0\x05hello" + b"\0\0\0\0"
            connection.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"stream: OK\0", ScanResult(CLEAN)),
        (b"stream: Some.Thing-1 FOUND\0", ScanResult(INFECTED, signature="Some.Thing-1")),
        (
            b"stream: Can't allocate memory ERROR\0",
            ScanResult(UNAVAILABLE, detail="clamd replied: stream: Can't allocate memory ERROR"),
        ),
        (b"UNKNOWN COMMAND\0", ScanResult(UNAVAILABLE, detail="clamd replied: UNKNOWN COMMAND")),
        (b"stream:  FOUND\0", ScanResult(UNAVAILABLE, detail="clamd replied: stream:  FOUND")),
        (
            b"stream: OK",
            ScanResult(UNAVAILABLE, detail="clamd's reply was cut short: b'stream: OK'"),
        ),
    ],
    ids=["ok", "found", "error", "unknown", "found-nothing", "no-terminator"],
)
def test_scan_trusts_only_clamds_own_replies(settings, reply, expected):
    thread = fake_clamd(settings, reply)

    assert scanning.scan_bytes(b"hello") == expected
    thread.join(5)


def test_scan_when_clamd_closes_without_a_reply_is_unavailable(settings):
    thread = fake_clamd(settings, b"")
    port = settings.GC6_CLAMD_PORT

    result = scanning.scan_bytes(b"hello")

    assert result == ScanResult(
        UNAVAILABLE,
        detail=f"clamd at 127.0.0.1:{port} closed the connection without a reply",
    )
    thread.join(5)


def test_scan_disabled_is_clean_without_asking_clamd(settings):
    settings.GC6_SCAN_ENABLED = False
    settings.GC6_CLAMD_SOCKET = ""
    settings.GC6_CLAMD_HOST = "127.0.0.1"
    settings.GC6_CLAMD_PORT = free_port()  # nothing listens

    assert scanning.scan_bytes(EICAR) == ScanResult(CLEAN, detail="scanning disabled")
    assert scanning.scan_file(io.BytesIO(EICAR)).clean
    assert scanning.scanner_available()


def test_scan_without_clamd_is_unavailable(settings):
    settings.GC6_SCAN_ENABLED = True
    settings.GC6_CLAMD_SOCKET = ""
    settings.GC6_CLAMD_HOST = "127.0.0.1"
    settings.GC6_CLAMD_PORT = free_port()

    result = scanning.scan_bytes(b"hello")

    assert result.verdict == UNAVAILABLE
    assert not result.clean
    assert "ConnectionRefusedError" in result.detail
