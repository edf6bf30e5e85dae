"""The call's mailbox over IMAP: list the messages, fetch one, file it away as processed.

Every connection is verified TLS (IMAPS, or STARTTLS that is required and never falls
back to plain), except to a server on this machine, where "none" is allowed for the
tests and a local relay. Messages are read with BODY.PEEK[], so reading marks nothing
\\Seen, and a processed message is moved to `processed_folder`, never deleted: the
mailbox stays the record of what came in.

Every failure of the server, the network, TLS or the login is a `MailboxError`; the
worker logs it and tries again later.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

SECURITIES = ("ssl", "starttls", "none")
LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
DELETED = b"\\Deleted"


class MailboxError(Exception):
    """The mailbox could not be reached or used: worth logging and trying again later."""


class MessageGone(MailboxError):
    """The message is no longer in the folder (another reader moved or expunged it)."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    security: str  # "ssl", "starttls" or "none" (this machine only)
    user: str
    password: str
    ca_file: str = ""  # a CA bundle to verify the server with; "" = the system's
    folder: str = "INBOX"
    processed_folder: str = "Processed"  # created if missing

    def __post_init__(self) -> None:
        if self.security not in SECURITIES:
            raise MailboxError(
                f"IMAP security must be one of {', '.join(SECURITIES)}, not {self.security!r}"
            )
        if self.security == "none" and self.host not in LOCAL_HOSTS:
            raise MailboxError(
                f"IMAP without TLS is only allowed to this machine, not to {self.host!r}: "
                'use security "ssl" or "starttls"'
            )
        if not self.host or not self.user:
            raise MailboxError("the IMAP host and user must be set")
        if not 0 < self.port < 65536:
            raise MailboxError(f"the IMAP port must be between 1 and 65535, not {self.port}")
        if self.folder == self.processed_folder:
            raise MailboxError("the processed folder must differ from the folder read")

    @classmethod
    def from_settings(cls, prefix: str = "GC6_IMAP_") -> MailboxSettings:
        """The mailbox named by Django's settings `<prefix>HOST`, `PORT`, `SECURITY`, `USER`,
        `PASSWORD` or `PASSWORD_FILE` (its first line: a Docker secret), `CA_FILE`,
        `FOLDER`, `PROCESSED_FOLDER`. The port defaults to 993 for "ssl", else 143."""
        from django.conf import settings

        def get(name: str, default: Any = "") -> Any:
            return getattr(settings, prefix + name, default)

        security = str(get("SECURITY", "ssl") or "ssl").strip().lower()
        port = get("PORT", None)
        password = str(get("PASSWORD", "") or "")
        password_file = str(get("PASSWORD_FILE", "") or "")
        if password_file:
            try:
                lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise MailboxError(f"{prefix}PASSWORD_FILE cannot be read: {exc}") from exc
            password = lines[0] if lines else ""
        try:
            port_number = int(port or 0) or DEFAULT_PORTS.get(security, 0)  # unset: the usual
        except (TypeError, ValueError) as exc:
            raise MailboxError(f"{prefix}PORT is not a number: {port!r}") from exc
        return cls(
            host=str(get("HOST") or ""),
            port=port_number,
            security=security,
            user=str(get("USER") or ""),
            password=password,
            ca_file=str(get("CA_FILE") or ""),
            folder=str(get("FOLDER") or "INBOX"),
            processed_folder=str(get("PROCESSED_FOLDER") or "Processed"),
        )


@dataclass(frozen=True)
class Fetched:
    uid: int
    size: int
    raw: bytes | None  # None when the message is over max_bytes (not downloaded)


class Mailbox:
    """A session on the mailbox, logged in with `config.folder` selected.

    ::

        with Mailbox(MailboxSettings.from_settings()) as box:
            for uid in box.uids():
                message = box.fetch(uid, max_bytes=...)
                ...
                box.move_processed(uid)

    UIDs are only meaningful within `uidvalidity` (the server changes it when it
    renumbers the folder).
    """

    def __init__(self, config: MailboxSettings, timeout: float = 30) -> None:
        self.config = config
        self.timeout = timeout
        self.uidvalidity = 0
        self._client: IMAPClient | None = None
        self._processed_exists = False

    def __enter__(self) -> Mailbox:
        config = self.config
        try:
            with self._errors("connecting to"):
                self._client = IMAPClient(
                    config.host,
                    config.port,
                    ssl=config.security == "ssl",
                    ssl_context=self._tls_context() if config.security == "ssl" else None,
                    timeout=self.timeout,
                )
                if config.security == "starttls":
                    # Raises when the server does not offer STARTTLS or the handshake fails:
                    # a session meant to be encrypted never goes on in plain text.
                    self._client.starttls(self._tls_context())
            with self._errors("logging in to"):
                self._client.login(config.user, config.password)
            with self._errors(f"opening the folder {config.folder!r} on"):
                selected = self._client.select_folder(config.folder)
        except BaseException:
            self._close()
            raise
        self.uidvalidity = int(selected.get(b"UIDVALIDITY", 0))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def uids(self) -> list[int]:
        """The UIDs of every message in the folder, oldest first (the order they came in)."""
        with self._errors("listing the messages on"):
            return sorted(int(uid) for uid in self._imap.search("ALL"))

    def fetch(self, uid: int, max_bytes: int) -> Fetched:
        """The message's size and, when it is at most `max_bytes`, its bytes. Marks nothing
        \\Seen (BODY.PEEK[]). Raises `MessageGone` when it is no longer in the folder."""
        with self._errors(f"fetching message {uid} from"):
            sizes = self._imap.fetch([uid], ["RFC822.SIZE"])
            if uid not in sizes:
                raise MessageGone(f"message {uid} is no longer in {self.config.folder!r}")
            size = int(sizes[uid][b"RFC822.SIZE"])
            if size > max_bytes:
                return Fetched(uid=uid, size=size, raw=None)
            bodies = self._imap.fetch([uid], ["BODY.PEEK[]"])
            if uid not in bodies:
                raise MessageGone(f"message {uid} is no longer in {self.config.folder!r}")
            return Fetched(uid=uid, size=size, raw=bytes(bodies[uid][b"BODY[]"]))

    def headers(self, uid: int) -> bytes:
        """The message's header block only (BODY.PEEK[HEADER]): whom to answer about a
        message too large to download. Marks nothing \\Seen."""
        with self._errors(f"fetching the headers of message {uid} from"):
            found = self._imap.fetch([uid], ["BODY.PEEK[HEADER]"])
            if uid not in found:
                raise MessageGone(f"message {uid} is no longer in {self.config.folder!r}")
            return bytes(found[uid][b"BODY[HEADER]"])

    def move_processed(self, uid: int) -> None:
        """Move the message to `processed_folder` (created if missing), where it stays.

        MOVE when the server has it; else COPY, then \\Deleted and UID EXPUNGE of this one
        message (UIDPLUS), so that a message another client marked \\Deleted is never
        expunged by us. A server with neither is refused rather than risk that.
        """
        imap = self._imap
        with self._errors(f"moving message {uid} to {self.config.processed_folder!r} on"):
            self._ensure_processed_folder()
            if uid not in imap.get_flags([uid]):
                raise MessageGone(f"message {uid} is no longer in {self.config.folder!r}")
            # A \Deleted set by another client would travel with the message and let an
            # expunge of the processed folder destroy the record of what came in.
            imap.remove_flags([uid], [DELETED], silent=True)
            if imap.has_capability("MOVE"):
                imap.move([uid], self.config.processed_folder)
                return
            if not imap.has_capability("UIDPLUS"):
                raise MailboxError(
                    f"{self.config.host} has neither MOVE nor UIDPLUS: a processed message "
                    "cannot be taken out of the folder without expunging others"
                )
            imap.copy([uid], self.config.processed_folder)
            imap.add_flags([uid], [DELETED], silent=True)
            imap.uid_expunge([uid])

    # Internals

    @property
    def _imap(self) -> IMAPClient:
        if self._client is None:
            raise MailboxError("the mailbox is not open: use it as a context manager")
        return self._client

    def _tls_context(self) -> ssl.SSLContext:
        # Verification and the hostname check stay on whatever the CA bundle.
        context = ssl.create_default_context(cafile=self.config.ca_file or None)
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        return context

    def _ensure_processed_folder(self) -> None:
        if self._processed_exists:
            return
        imap = self._imap
        folder = self.config.processed_folder
        if not imap.folder_exists(folder):
            try:
                imap.create_folder(folder)
            except IMAPClientError:
                # Another worker may have created it in between; anything else is an error.
                if not imap.folder_exists(folder):
                    raise
            imap.subscribe_folder(folder)  # so that mail clients show it
        self._processed_exists = True

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        where = f"{self.config.host}:{self.config.port}"
        try:
            yield
        except MailboxError:
            raise
        except LoginError as exc:
            raise MailboxError(
                f"{doing} {where} as {self.config.user!r} failed: login refused ({exc})"
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise MailboxError(
                f"{doing} {where} failed: the server's TLS certificate was not accepted "
                f"({exc.verify_message or exc})"
            ) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            # OSError covers refused connections, timeouts and TLS errors; imaplib's
            # error covers IMAPClientError, its aborts and missing capabilities.
            raise MailboxError(f"{doing} {where} failed: {exc}") from exc

    def _close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            with suppress(OSError, imaplib.IMAP4.error):  # the connection is gone already
                client.shutdown()
