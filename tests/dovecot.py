"""A real Dovecot IMAP server for the mailbox tests: STARTTLS and IMAPS, one test user.

Everything it needs (configuration, certificates, sockets, state, log, maildir) lives
in one temporary folder that is removed at the end: nothing in the work tree, /etc or
/var. Its TLS certificate is signed by a CA made for the session, so the tests verify
the server as production does, against `ca_file`.

As root (CI), Dovecot runs its login processes as the package's `dovenull` and its
auth as `dovecot`, and the test user's mail as `nobody` (root may not own mail), so
the folder is world-readable and the maildir is chowned to `nobody`. As another user,
everything runs as that user, without chroot.

One server per xdist worker, started the first time a test asks for it; `empty()`
gives each test a clean mailbox.
"""

from __future__ import annotations

import datetime
import getpass
import grp
import ipaddress
import os
import pwd
import re
import shutil
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from imapclient import IMAPClient

from submissions.mailbox.imap import MailboxSettings
from tests.stack import Process, free_port, wait_for
from tests.tools import require_tool

USER = "submissions@example.org"
# A space and quotes: the client has to quote it (a passwd-file only forbids ":").
PASSWORD = 'open "sesame" 42'

# Certificates


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _validity(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return builder.not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(
        now + datetime.timedelta(days=2)
    )


def make_authority(common_name: str = "GC6 test CA") -> Authority:
    """A self-signed CA, with the extensions strict verifiers (Python 3.13+) ask for."""
    key = ec.generate_private_key(ec.SECP256R1())
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        _validity(x509.CertificateBuilder())
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, cert)


def issue_server_cert(authority: Authority, folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 signed by `authority`: (cert, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        _validity(x509.CertificateBuilder())
        .subject_name(_name("localhost"))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)  # read by Dovecot's config process, which runs as root
    return cert_file, key_file


# The server


def _config(
    root: Path, listen: list[str], imap_port: int, imaps_port: int, cert: Path, key: Path
) -> str:
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam("nobody")
        own_users = []  # the package's dovecot and dovenull, login processes chrooted
    else:
        mail_user = pwd.getpwuid(os.geteuid())
        me, group = getpass.getuser(), grp.getgrgid(os.getegid()).gr_name
        own_users = [
            f"default_internal_user = {me}",
            f"default_login_user = {me}",
            f"default_internal_group = {group}",
        ]
    no_chroot = [] if os.geteuid() == 0 else ["  chroot ="]
    lines = [
        "protocols = imap",
        f"listen = {', '.join(listen)}",
        f"base_dir = {root}/run",
        f"state_dir = {root}/state",
        f"log_path = {root}/dovecot.log",
        "ssl = required",
        f"ssl_cert = <{cert}",
        f"ssl_key = <{key}",
        "auth_mechanisms = plain login",
        "# A wrong password is answered at once, not after Dovecot's 2 seconds.",
        "auth_failure_delay = 0",
        "passdb {",
        "  driver = passwd-file",
        f"  args = scheme=PLAIN username_format=%u {root}/passwd",
        "}",
        "userdb {",
        "  driver = static",
        f"  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/mail/%u",
        "}",
        "mail_location = maildir:~/Maildir",
        f"first_valid_uid = {min(mail_user.pw_uid, 500)}",
        *own_users,
        "service imap-login {",
        *no_chroot,
        "  inet_listener imap {",
        f"    port = {imap_port}",
        "  }",
        "  inet_listener imaps {",
        f"    port = {imaps_port}",
        "    ssl = yes",
        "  }",
        "}",
        *(["service anvil {", *no_chroot, "}"] if no_chroot else []),
    ]
    return "\n".join(lines) + "\n"


def _can_listen_on(address: str) -> bool:
    try:
        with socket.socket() as sock:
            sock.bind((address, 0))
        return True
    except OSError:
        return False


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.settimeout(1)
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


def _greets_tls(port: int, ca_file: str) -> bool:
    context = ssl.create_default_context(cafile=ca_file)
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=0.5) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1") as sock,
        ):
            sock.settimeout(1)
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


class Dovecot:
    """The running server: where it listens, who may log in, and a mail client's view."""

    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self, root: Path, authority: Authority) -> None:
        binary = require_tool("dovecot")
        self.root = root
        self.ca_file = str(root / "ca.pem")
        (root / "ca.pem").write_bytes(authority.pem())
        cert, key = issue_server_cert(authority, root)
        self.port, self.imaps_port = free_port(), free_port()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        mail = root / "mail" / USER
        mail.mkdir(parents=True)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            for path in (mail.parent, mail):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        config = root / "dovecot.conf"
        # Another address of this machine that the certificate does not name (Linux answers
        # on all of 127.0.0.0/8); None where it cannot be used.
        self.unnamed_host = "127.0.0.2" if _can_listen_on("127.0.0.2") else None
        listen = [self.host, *([self.unnamed_host] if self.unnamed_host else [])]
        config.write_text(_config(root, listen, self.port, self.imaps_port, cert, key))
        self.log = root / "dovecot.log"
        self.process = Process(
            f"dovecot-{self.port}", [binary, "-F", "-c", str(config)], dict(os.environ), root
        )
        wait_for(
            lambda: (
                (_greets(self.port) and _greets_tls(self.imaps_port, self.ca_file))
                or not self.process.alive()
            ),
            20,
            "dovecot",
        )
        assert self.process.alive(), self.process.output() + self.log_text()

    def stop(self) -> None:
        self.process.stop()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_size(self) -> int:
        return self.log.stat().st_size

    def logins_since(self, offset: int) -> list[str]:
        """The log's lines for the logins after `offset` (say ", TLS," when encrypted)."""
        with self.log.open("rb") as log:
            log.seek(offset)
            lines = log.read().decode(errors="replace").splitlines()
        return [line for line in lines if "imap-login: Info: Login: " in line]

    def settings(self, **changes) -> MailboxSettings:
        """The portal's settings for this server: STARTTLS verified against its CA."""
        values = {
            "host": self.host,
            "port": self.port,
            "security": "starttls",
            "user": self.user,
            "password": self.password,
            "ca_file": self.ca_file,
            **changes,
        }
        return MailboxSettings(**values)

    @contextmanager
    def client(self, folder: str | None = None) -> Iterator[IMAPClient]:
        """A mail client of its own (another person's, as the portal sees it), logged in."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.starttls(ssl.create_default_context(cafile=self.ca_file))
        client.login(self.user, self.password)
        try:
            if folder is not None:
                client.select_folder(folder)
            yield client
        finally:
            client.logout()

    def append(self, raw: bytes, folder: str = "INBOX", flags: tuple[bytes, ...] = ()) -> int:
        """Deliver a message as a mail client does (IMAP APPEND); its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            answer = client.append(folder, raw, flags=flags)
        match = re.search(rb"\[APPENDUID \d+ (\d+)\]", answer)
        assert match, answer
        return int(match.group(1))

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """The bytes of each message in the folder, oldest first, read without marking."""
        with self.client(folder) as client:
            uids = sorted(client.search("ALL"))
            found = client.fetch(uids, ["BODY.PEEK[]"])
        return [found[uid][b"BODY[]"] for uid in uids]

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        """Each message's flags by UID."""
        with self.client(folder) as client:
            found = client.get_flags(client.search("ALL"))
        return {uid: set(flags) for uid, flags in found.items()}

    def folders(self) -> set[str]:
        with self.client() as client:
            return {name for _flags, _sep, name in client.list_folders()}

    def empty(self) -> None:
        """INBOX without messages and no other folder, as for a new mailbox."""
        with self.client("INBOX") as client:
            uids = client.search("ALL")
            if uids:
                client.delete_messages(uids, silent=True)
                client.uid_expunge(uids)
            for _flags, _separator, name in client.list_folders():
                if name != "INBOX":
                    client.unsubscribe_folder(name)
                    client.delete_folder(name)


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """A Dovecot in a temporary folder of its own, stopped and removed afterwards."""
    # Not pytest's tmp_path: its folders are private to their owner, and Dovecot's own
    # users must read the configuration and the passwd-file.
    root = Path(tempfile.mkdtemp(prefix="gc6-dovecot-"))
    root.chmod(0o755)
    try:
        server = Dovecot(root, make_authority())
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot for this xdist worker's session (see the module's docstring)."""
    with running_dovecot() as server:
        yield server


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    """A Dovecot for this test alone, for a wrong password: Dovecot makes the next login
    from the same address wait 4 seconds after one (no setting turns that off), which
    the shared server's other tests should not pay."""
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mailbox_settings(dovecot) -> MailboxSettings:
    """The portal's mailbox settings pointing at the test Dovecot, its folders emptied."""
    dovecot.empty()
    return dovecot.settings()
