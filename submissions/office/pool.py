"""One LibreOffice kept running per process, reached through unoserver.

Starting `soffice` costs about a second; a conversion by a LibreOffice already
running costs tens of milliseconds. So each process that converts (a Celery worker's
child) keeps one: unoserver's server, started with the system Python (which has
`uno`), in its own process group, with its own profile in the temporary directory.

- A conversion that runs past its timeout: the whole group is killed (SIGKILL) and
  a new one started at once, while the caller goes on with no result.
- A LibreOffice that died between conversions (a crash, the kernel's OOM killer) is
  seen before the next one, which starts a new server; one that dies during a
  conversion is started again and the conversion tried once more.
- Memory: after a conversion, LibreOffice is restarted when its resident memory is
  above GC6_OFFICE_MAX_RSS_MB (a heavy document leaves it large: it does not give the
  memory back), and after GC6_OFFICE_MAX_CONVERSIONS conversions (a net for leaks
  that do not show as memory: handles, caches). A restart costs about 0.3 s, and
  the next caller waits for it only if it comes sooner.
- When the process exits (or dies: PR_SET_PDEATHSIG), the server stops and the
  profile is removed.

`OfficeUnavailable` means no server could be started (no python3-uno, say): the
caller falls back to a one-shot `soffice`.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import http.client
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

from prometheus_client import Counter

from gc6portal.env import env_bool, env_int, env_str

logger = logging.getLogger(__name__)
logging.getLogger("unoserver").setLevel(logging.WARNING)  # its client logs every call

# Settings from the environment, read once per process.
ENABLED = env_bool("GC6_OFFICE_POOL", True)
PYTHON = env_str("GC6_OFFICE_PYTHON", "/usr/bin/python3")
MAX_RSS_MB = env_int("GC6_OFFICE_MAX_RSS_MB", 1024)
MAX_CONVERSIONS = env_int("GC6_OFFICE_MAX_CONVERSIONS", 500)
START_TIMEOUT = env_int("GC6_OFFICE_START_TIMEOUT", 30)

LAUNCHER = Path(__file__).with_name("launcher.py")
# Starts that fail in a row before this process gives up on the server for good.
MAX_FAILED_STARTS = 3

# On the worker's /metrics/ (GC6_WORKER_METRICS_PORT): a LibreOffice that keeps dying,
# or conversions gone the slow way, show there before the queue grows.
RESTARTS = Counter(
    "gc6_office_restarts",
    "Kept LibreOffice servers started again, per reason (crash, timeout, recycled).",
    ["reason"],
)
FAILED_STARTS = Counter("gc6_office_failed_starts", "Kept LibreOffice servers that did not start.")
CONVERSIONS = Counter(
    "gc6_office_conversions",
    "Documents LibreOffice converted, per way (kept: the running server; one_shot: an "
    "soffice started for it).",
    ["way"],
)


class OfficeUnavailable(Exception):
    """No LibreOffice server could be started: convert another way."""


class ConversionFailed(Exception):
    """LibreOffice ran but gave no result (a timeout, a document it cannot read)."""


class ConversionTimedOut(ConversionFailed):
    """Past its timeout: LibreOffice was killed, and a new one started."""


# What a call to a server that died, hung or refused the document raises.
_CALL_ERRORS = (OSError, http.client.HTTPException, xmlrpc.client.Error)


def _venv_site_packages() -> str:
    import unoserver  # type: ignore[import-untyped]

    return str(Path(unoserver.__file__).resolve().parent.parent)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in a forked child


def _die_with_parent() -> None:
    # In the child, before exec: SIGTERM when the process that started it dies.
    _prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _children(pid: int) -> list[int]:
    # Every thread's children: oosplash starts soffice.bin from a thread of its own.
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _status(pid: int) -> dict[str, str]:
    """/proc/PID/status as a dict; empty when the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout (ServerProxy has none of its own)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class OfficeServer:
    """One unoserver (and its LibreOffice) for this process; thread-safe."""

    def __init__(
        self,
        *,
        python: str | None = None,
        max_rss_mb: int | None = None,
        max_conversions: int | None = None,
        start_timeout: float | None = None,
    ) -> None:
        # Unless given, the settings above (read now, so a test may set them).
        self.python = python or PYTHON
        self.max_rss_mb = MAX_RSS_MB if max_rss_mb is None else max_rss_mb
        self.max_conversions = MAX_CONVERSIONS if max_conversions is None else max_conversions
        self.start_timeout = START_TIMEOUT if start_timeout is None else start_timeout
        self.profile = Path(tempfile.mkdtemp(prefix="gc6-office-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.conversions = 0  # by the running server
        self.restarts = 0  # every start after the first: crash, timeout, memory, count
        self._ready = False
        self._soffice = 0
        self._failed_starts = 0
        self._usable: bool | None = None  # None: not yet known
        self._lock = threading.RLock()
        self.owner = os.getpid()  # a forked child inherits this object, not the server
        atexit.register(self.close)

    # The server's life.

    def usable(self) -> bool:
        """Whether this machine can run the server: the Python has `uno`."""
        if self._usable is None:
            try:
                found = subprocess.run(  # noqa: S603
                    [self.python, "-I", "-c", "import uno"], capture_output=True, timeout=30
                )
                self._usable = found.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                self._usable = False
            if not self._usable:
                logger.warning(
                    "LibreOffice is not kept running: %s cannot import uno (python3-uno); "
                    "each conversion starts soffice",
                    self.python,
                )
        return self._usable

    def start(self, reason: str = "crash") -> None:
        """Start the server unless it runs; returns at once (the first conversion waits).
        A server that ran before is counted as restarted for `reason`."""
        with self._lock:
            if self.running():
                return
            if not self.usable() or self._failed_starts >= MAX_FAILED_STARTS:
                raise OfficeUnavailable
            binary = shutil.which("soffice") or shutil.which("libreoffice")
            if binary is None:
                raise OfficeUnavailable
            if self.process is not None:
                self.restarts += 1
                RESTARTS.labels(reason).inc()
                self._kill()
            self.port, uno_port = _free_port(), _free_port()
            self.profile.mkdir(exist_ok=True)
            command = [
                self.python,
                "-I",
                str(LAUNCHER),
                _venv_site_packages(),
                "--port",
                str(self.port),
                "--uno-port",
                str(uno_port),
                "--user-installation",
                str(self.profile),
                "--executable",
                binary,
                "--quiet",
            ]
            self.process = subprocess.Popen(  # noqa: S603
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            self.conversions, self._ready, self._soffice = 0, False, 0

    def running(self) -> bool:
        """The server process is alive and, once known, its LibreOffice too."""
        if self.process is None or self.process.poll() is not None:
            return False
        if self._soffice:
            return _status(self._soffice).get("State", "Z").split()[0] not in ("Z", "X")
        return True

    def soffice_pid(self) -> int:
        """LibreOffice's own process (soffice.bin, under oosplash), once started."""
        if not self._soffice and self.process is not None:
            todo = _children(self.process.pid)
            while todo:
                pid = todo.pop()
                if _status(pid).get("Name") == "soffice.bin":
                    self._soffice = pid
                    break
                todo.extend(_children(pid))
        return self._soffice

    def rss_mb(self) -> float:
        """LibreOffice's resident memory in MB (0 when unknown)."""
        rss = _status(self.soffice_pid()).get("VmRSS", "0 kB").split()[0]
        return int(rss) / 1024

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # Answers once unoserver has connected to LibreOffice.
                self._proxy(deadline - time.monotonic()).system.listMethods()
            except _CALL_ERRORS:
                time.sleep(0.05)
                continue
            self._ready, self._failed_starts = True, 0
            self.soffice_pid()
            return
        self._failed_starts += 1
        FAILED_STARTS.inc()
        self._kill()
        self.process = None  # never ran: the next start is no restart
        logger.warning("LibreOffice's server did not start (attempt %s)", self._failed_starts)
        if self._failed_starts == MAX_FAILED_STARTS:
            logger.error("LibreOffice's server is given up: each conversion starts soffice")
        raise OfficeUnavailable

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.port}",
            transport=_Transport(max(timeout, 0.1)),
            allow_none=True,
        )

    def _kill(self) -> None:
        if self.process is None:
            return
        # The session, LibreOffice with it; while unreaped, its id cannot be reused.
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self._soffice and _status(self._soffice).get("Name") == "soffice.bin":
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._soffice, signal.SIGKILL)  # outlived its server
        self._ready, self._soffice = False, 0

    def close(self) -> None:
        """Stop the server for good and remove its profile (at the process's exit)."""
        if os.getpid() != self.owner:
            return
        with self._lock:
            self._kill()
            self.process = None
            shutil.rmtree(self.profile, ignore_errors=True)

    # Conversions.

    def convert(self, path: Path, *, options: list[str], timeout: float) -> bytes:
        """`path` converted to PDF by the kept LibreOffice with the export `options`
        (unoserver's "Name=value" strings). Raises ConversionFailed, OfficeUnavailable."""
        with self._lock:
            for attempt in (1, 2):
                if not self.running():
                    self.start()
                if not self._ready:
                    self._wait_ready()
                try:
                    pdf = self._convert_once(path, options, timeout)
                except ConversionTimedOut:
                    raise
                except ConversionFailed:
                    if not self._died_just_now() or attempt == 2:
                        raise  # a document it cannot read
                    logger.warning("LibreOffice died during a conversion: started again")
                    continue
                self.conversions += 1
                CONVERSIONS.labels("kept").inc()
                self._recycle_if_due()
                return pdf
        raise AssertionError("unreachable")

    def _died_just_now(self) -> bool:
        # A LibreOffice killed during the call may still be exiting when the error
        # comes back: a moment's wait tells a dead one from a document it refused.
        for _ in range(10):
            if not self.running():
                return True
            time.sleep(0.02)
        return False

    def _convert_once(self, path: Path, options: list[str], timeout: float) -> bytes:
        assert self.process is not None
        process = self.process
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        watchdog = threading.Timer(timeout, expire)
        watchdog.start()
        try:
            # unoserver's XML-RPC `convert`, called as its UnoClient does, but without
            # the client's retries (a refused connection is tried 5 times, 10 s apart)
            # and with a socket timeout, which the client has not.
            result = self._proxy(timeout + 5).convert(
                str(path),  # inpath: the server reads it where we wrote it
                None,  # indata
                None,  # outpath: the PDF comes back in the answer
                "pdf",  # convert_to
                "writer_pdf_Export",  # filtername
                options,  # filter_options
                False,  # update_index: as `soffice --convert-to`, the file's own indexes
            )
        except _CALL_ERRORS as error:
            if timed_out.is_set():
                self._restart("timeout")  # warming while the caller goes on
                logger.warning("LibreOffice took more than %ss to convert a document", timeout)
                raise ConversionTimedOut from error
            raise ConversionFailed(str(error)) from error
        finally:
            watchdog.cancel()
        if timed_out.is_set():  # fired as the answer came: the answer stands
            self._restart("timeout")
        if not isinstance(result, xmlrpc.client.Binary):
            raise ConversionFailed("no PDF came back")
        return result.data

    def _recycle_if_due(self) -> None:
        rss = self.rss_mb()
        if rss > self.max_rss_mb or (
            self.max_conversions and self.conversions >= self.max_conversions
        ):
            logger.info(
                "LibreOffice restarted after %s conversions at %.0f MB", self.conversions, rss
            )
            self._restart("recycled")

    def _restart(self, reason: str) -> None:
        """A new server in place of this one, starting while the caller goes on."""
        self._kill()
        with contextlib.suppress(OfficeUnavailable):
            self.start(reason)


_shared: OfficeServer | None = None
_shared_lock = threading.Lock()


def shared() -> OfficeServer:
    """This process's server (made on first use; a forked child makes its own)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.owner != os.getpid():
            _shared = OfficeServer()
        return _shared


def close_shared() -> None:
    """Stop this process's server, if it made one."""
    if _shared is not None:
        _shared.close()
