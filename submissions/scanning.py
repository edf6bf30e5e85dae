"""Virus scanning of received files with ClamAV's daemon (clamd).

Every file is streamed to clamd with INSTREAM before the check reads it. Only clamd's
own "stream: OK" makes a file CLEAN; a signature found makes it INFECTED; anything
else (no connection, a timeout, a file over clamd's StreamMaxLength, an ERROR reply, a
reply cut short) is UNAVAILABLE, so that the file waits for a scan instead of passing.
No function here raises.

Settings (read at each call, so tests can change them):

- `GC6_CLAMD_SOCKET`: clamd's unix socket; when set, it is used instead of TCP.
- `GC6_CLAMD_HOST`, `GC6_CLAMD_PORT`: clamd's TCP address (127.0.0.1:3310).
- `GC6_CLAMD_TIMEOUT`: seconds a whole scan may take, connection to reply (30).
- `GC6_SCAN_ENABLED`: False only for development without clamd; see `scan_file`.

clamd's protocol (man clamd): `zINSTREAM\\0`, then chunks each preceded by its length
as 4 bytes big-endian, a zero length to end; the reply ends with a NUL byte. We speak
it ourselves rather than through clamav-client (0.7.2): that library loses clamd's
"size limit exceeded" reply when the file is larger than the socket's buffers (a bare
BrokenPipeError), connects to a unix socket with no timeout, sends 1 KiB chunks, and
returns an empty result when clamd closes without a reply.
"""

from __future__ import annotations

import io
import socket
import struct
import time
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

CLEAN = "CLEAN"
INFECTED = "INFECTED"
UNAVAILABLE = "UNAVAILABLE"

CHUNK_BYTES = 64 * 1024
# clamd's replies are one short line; a longer one is not clamd.
MAX_REPLY_BYTES = 4096
_OK_REPLY = "stream: OK"
_PREFIX, _FOUND = "stream: ", " FOUND"


@dataclass(frozen=True)
class ScanResult:
    verdict: str  # CLEAN, INFECTED or UNAVAILABLE
    signature: str = ""  # clamd's name for what it found, when INFECTED
    # Why the scan did not happen or what disabled it: for logs and the admin, never
    # for the public (it names hosts, sockets and clamd's own messages).
    detail: str = ""

    @property
    def clean(self) -> bool:
        return self.verdict == CLEAN


class _Unavailable(Exception):
    """The scan cannot give a verdict; the message says why."""


class _Connection:
    """One connection to clamd, every operation bounded by one deadline."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        path = getattr(settings, "GC6_CLAMD_SOCKET", "") or ""
        if path:
            self.where = f"unix socket {path}"
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address: str | tuple[str, int] = path
        else:
            host = getattr(settings, "GC6_CLAMD_HOST", "") or "127.0.0.1"
            port = int(getattr(settings, "GC6_CLAMD_PORT", 3310))
            self.where = f"{host}:{port}"
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            address = (host, port)
        try:
            self._arm()
            self.sock.connect(address)
        except OSError as error:
            self.sock.close()
            raise _Unavailable(
                f"cannot connect to clamd at {self.where}: {_describe(error)}"
            ) from None

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(left)

    def send(self, data: bytes) -> None:
        self._arm()
        self.sock.sendall(data)

    def reply(self) -> str:
        """clamd's reply up to its NUL; a reply cut short is no reply."""
        received = b""
        while b"\0" not in received:
            if len(received) > MAX_REPLY_BYTES:
                raise _Unavailable(f"clamd's reply is too long: {received[:200]!r}")
            self._arm()
            data = self.sock.recv(MAX_REPLY_BYTES)
            if not data:
                if received:
                    raise _Unavailable(f"clamd's reply was cut short: {received[:200]!r}")
                raise _Unavailable(f"clamd at {self.where} closed the connection without a reply")
            received += data
        return received.split(b"\0", 1)[0].decode("utf-8", "replace").strip()

    def close(self) -> None:
        self.sock.close()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _timeout() -> float:
    return float(getattr(settings, "GC6_CLAMD_TIMEOUT", 30))


def _verdict(reply: str) -> ScanResult:
    if reply == _OK_REPLY:
        return ScanResult(CLEAN)
    if reply.startswith(_PREFIX) and reply.endswith(_FOUND):
        signature = reply[len(_PREFIX) : -len(_FOUND)].strip()
        if signature:
            return ScanResult(INFECTED, signature=signature)
    # "INSTREAM size limit exceeded. ERROR", "stream: <why> ERROR", or not clamd at all.
    return ScanResult(UNAVAILABLE, detail=f"clamd replied: {reply[:300]}")


def _stream(connection: _Connection, handle: BinaryIO) -> str:
    connection.send(b"zINSTREAM\0")
    try:
        while chunk := handle.read(CHUNK_BYTES):
            connection.send(struct.pack("!L", len(chunk)) + chunk)
        connection.send(struct.pack("!L", 0))
    except (BrokenPipeError, ConnectionResetError) as error:
        # clamd stops reading past StreamMaxLength: it has said so before closing.
        try:
            return connection.reply()
        except (_Unavailable, OSError):
            raise _Unavailable(
                f"clamd at {connection.where} closed the connection while the file was sent "
                f"({_describe(error)})"
            ) from None
    return connection.reply()


def scan_file(handle: BinaryIO) -> ScanResult:
    """Scan what `handle` holds from its current position, read in chunks of CHUNK_BYTES.

    Never raises: a failure of any kind is UNAVAILABLE with its detail. With
    GC6_SCAN_ENABLED set to False every file is CLEAN ("scanning disabled") without
    clamd being asked: only for development on a machine without clamd, never in
    production.
    """
    if not getattr(settings, "GC6_SCAN_ENABLED", True):
        return ScanResult(CLEAN, detail="scanning disabled")
    timeout = _timeout()
    try:
        connection = _Connection(timeout)
        try:
            return _verdict(_stream(connection, handle))
        finally:
            connection.close()
    except _Unavailable as why:
        return ScanResult(UNAVAILABLE, detail=str(why))
    except TimeoutError:  # socket.timeout too
        return ScanResult(UNAVAILABLE, detail=f"clamd did not answer within {timeout:g}s")
    except Exception as error:  # whatever fails, the file is not CLEAN
        return ScanResult(UNAVAILABLE, detail=f"scan failed: {_describe(error)}")


def scan_bytes(data: bytes) -> ScanResult:
    """Scan `data` as `scan_file` does."""
    return scan_file(io.BytesIO(data))


def scanner_available() -> bool:
    """Whether clamd answers PING with PONG within GC6_CLAMD_TIMEOUT, for a health check.

    True when scanning is disabled (GC6_SCAN_ENABLED False): nothing waits for clamd.
    """
    if not getattr(settings, "GC6_SCAN_ENABLED", True):
        return True
    try:
        connection = _Connection(_timeout())
        try:
            connection.send(b"zPING\0")
            return connection.reply() == "PONG"
        finally:
            connection.close()
    except Exception:  # any failure means "not available"
        return False
