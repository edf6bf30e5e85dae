"""The mailbox over IMAP, against a real Dovecot (tests/dovecot.py): verified TLS only,
reading marks nothing, and a processed message is moved, never deleted."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

import pytest

from submissions.mailbox.imap import (
    Mailbox,
    MailboxError,
    MailboxSettings,
    MessageGone,
)
from tests.dovecot import make_authority
from tests.stack import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("dovecot")]

SEEN = b"\\Seen"
DELETED = b"\\Deleted"


def message(subject: str, body: str = "Our input.") -> bytes:
    """An e-mail as a mail client sends it (CRLF line ends, so its size is its length)."""
    return (
        f"From: Global Alliance <input@example.org>\r\n"
        f"To: submissions@example.org\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <{subject.replace(' ', '.')}@example.org>\r\n"
        f"\r\n"
        f"{body}\r\n"
    ).encode()


def login_line(dovecot, offset: int) -> str:
    """The log line of the one login after `offset` (Dovecot's log lags a little)."""
    wait_for(lambda: dovecot.logins_since(offset), 5, "the login in Dovecot's log")
    [line] = dovecot.logins_since(offset)
    return line


# TLS and login


def test_starttls_verified_against_the_ca_reads_the_folder(dovecot, mailbox_settings):
    uid = dovecot.append(message("first"))
    offset = dovecot.log_size()
    with Mailbox(mailbox_settings) as box:
        assert box.uids() == [uid]
        assert box.uidvalidity > 0
    assert ", TLS," in login_line(dovecot, offset)


def _over(dovecot, settings: MailboxSettings, security: str) -> MailboxSettings:
    port = dovecot.imaps_port if security == "ssl" else dovecot.port
    return replace(settings, security=security, port=port)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_another_ca_fails_and_never_goes_on_in_plain(dovecot, mailbox_settings, tmp_path, security):
    stranger = tmp_path / "other-ca.pem"
    stranger.write_bytes(make_authority("Someone else's CA").pem())
    # Dovecot lets a plain-text login from this machine through: a client that fell
    # back to plain text here would log in, not fail.
    settings = replace(_over(dovecot, mailbox_settings, security), ca_file=str(stranger))
    with pytest.raises(MailboxError, match="certificate was not accepted"):
        Mailbox(settings).__enter__()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_the_certificate_must_name_the_host(dovecot, mailbox_settings, security):
    if dovecot.unnamed_host is None:
        pytest.skip("127.0.0.2 is not an address of this machine")
    settings = replace(_over(dovecot, mailbox_settings, security), host=dovecot.unnamed_host)
    with pytest.raises(MailboxError, match="certificate was not accepted"):
        Mailbox(settings).__enter__()


def test_starttls_required_when_the_server_does_not_offer_it(mailbox_settings):
    """As a man in the middle who strips STARTTLS would: no login, password never sent."""
    received: list[bytes] = []
    with socket.create_server(("127.0.0.1", 0)) as server:
        thread = threading.Thread(target=_serve_without_starttls, args=(server, received))
        thread.start()
        settings = replace(mailbox_settings, port=server.getsockname()[1])
        with pytest.raises(MailboxError, match="STARTTLS"):
            Mailbox(settings).__enter__()
        thread.join(10)
    assert received  # the client did talk to it
    assert mailbox_settings.password.encode() not in b"".join(received)
    assert b"LOGIN" not in b"".join(received).upper()


def _serve_without_starttls(server: socket.socket, received: list[bytes]) -> None:
    server.settimeout(10)
    connection, _address = server.accept()
    with connection, connection.makefile("rwb") as stream:
        stream.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no TLS here\r\n")
        stream.flush()
        for line in stream:
            received.append(line)
            tag, _, command = line.strip().partition(b" ")
            if command.upper() == b"CAPABILITY":
                stream.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
            elif command.upper() == b"LOGOUT":
                stream.write(b"* BYE\r\n" + tag + b" OK bye\r\n")
                stream.flush()
                return
            else:
                stream.write(tag + b" BAD not here\r\n")
            stream.flush()


def test_imaps_verified_against_the_ca_by_name(dovecot, mailbox_settings):
    uid = dovecot.append(message("first"))
    settings = replace(mailbox_settings, host="localhost", port=dovecot.imaps_port, security="ssl")
    offset = dovecot.log_size()
    with Mailbox(settings) as box:
        assert box.uids() == [uid]
    assert ", TLS," in login_line(dovecot, offset)


def test_no_tls_allowed_to_this_machine(dovecot, mailbox_settings):
    uid = dovecot.append(message("first"))
    with Mailbox(replace(mailbox_settings, security="none")) as box:
        assert box.uids() == [uid]


@pytest.mark.parametrize("host", ["imap.example.org", "10.0.0.5", "127.0.0.1.example.org"])
def test_no_tls_refused_to_another_machine(host):
    with pytest.raises(MailboxError, match="only allowed to this machine"):
        MailboxSettings(host=host, port=143, security="none", user="u", password="p")


def test_unknown_security_refused():
    with pytest.raises(MailboxError, match="must be one of"):
        MailboxSettings(host="imap.example.org", port=143, security="tls", user="u", password="p")


def test_wrong_password_is_a_mailbox_error_without_the_password(own_dovecot):
    settings = own_dovecot.settings(password="not the password")
    with pytest.raises(MailboxError, match="login refused") as failure:
        Mailbox(settings).__enter__()
    assert "not the password" not in str(failure.value)


def test_refused_connection_is_a_mailbox_error(mailbox_settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # bound, never listening: refused
        with pytest.raises(MailboxError, match="connecting to"):
            Mailbox(replace(mailbox_settings, port=closed_port)).__enter__()


# Reading


def test_uids_oldest_first(dovecot, mailbox_settings):
    sent = [message("first"), message("second"), message("third")]
    for raw in sent:
        dovecot.append(raw)
    with Mailbox(mailbox_settings) as box:
        uids = box.uids()
        assert uids == sorted(uids)
        assert [box.fetch(uid, max_bytes=10_000).raw for uid in uids] == sent


def test_reading_the_folder_twice_gives_the_same_uids(dovecot, mailbox_settings):
    dovecot.append(message("first"))
    dovecot.append(message("second"))
    with Mailbox(mailbox_settings) as box:
        first = box.uids()
        for uid in first:
            box.fetch(uid, max_bytes=10_000)
        assert box.uids() == first
    with Mailbox(mailbox_settings) as box:
        assert box.uids() == first
    assert len(first) == 2


def test_fetch_leaves_the_message_unseen(dovecot, mailbox_settings):
    raw = message("first")
    uid = dovecot.append(raw)
    with Mailbox(mailbox_settings) as box:
        fetched = box.fetch(uid, max_bytes=10_000)
    assert (fetched.uid, fetched.size, fetched.raw) == (uid, len(raw), raw)
    assert SEEN not in dovecot.flags()[uid]


def test_message_over_max_bytes_is_not_downloaded_but_its_size_is_known(dovecot, mailbox_settings):
    raw = message("big", "x" * 5000)
    uid = dovecot.append(raw)
    with Mailbox(mailbox_settings) as box:
        over = box.fetch(uid, max_bytes=len(raw) - 1)
        at_limit = box.fetch(uid, max_bytes=len(raw))
    assert (over.size, over.raw) == (len(raw), None)
    assert at_limit.raw == raw
    assert SEEN not in dovecot.flags()[uid]


def test_fetch_of_a_message_another_client_expunged_is_message_gone(dovecot, mailbox_settings):
    uid = dovecot.append(message("first"))
    with Mailbox(mailbox_settings) as box:
        assert box.uids() == [uid]
        with dovecot.client("INBOX") as other:
            other.delete_messages([uid])
            other.uid_expunge([uid])
        with pytest.raises(MessageGone):
            box.fetch(uid, max_bytes=10_000)


# Filing away


def _inbox_with_neighbours(dovecot) -> tuple[int, bytes, int, int]:
    """INBOX with the message to move, one before it and one another client marked
    \\Deleted (its own expunge, not ours, would remove it): the uids and the bytes."""
    before = dovecot.append(message("before"))
    uid = dovecot.append(raw := message("to move"))
    deleted = dovecot.append(message("deleted by someone else"), flags=(DELETED,))
    return uid, raw, before, deleted


def _assert_moved_and_neighbours_untouched(dovecot, raw, before, deleted):
    assert "Processed" in dovecot.folders()
    assert dovecot.messages("Processed") == [raw]
    assert dovecot.messages("INBOX") == [message("before"), message("deleted by someone else")]
    flags = dovecot.flags("INBOX")
    assert sorted(flags) == [before, deleted]
    assert DELETED in flags[deleted]
    assert DELETED not in flags[before]
    assert [DELETED in found for found in dovecot.flags("Processed").values()] == [False]


def test_move_processed_moves_to_a_new_processed_folder(dovecot, mailbox_settings):
    uid, raw, before, deleted = _inbox_with_neighbours(dovecot)
    assert "Processed" not in dovecot.folders()
    with Mailbox(mailbox_settings) as box:
        box.move_processed(uid)
        assert box.uids() == [before, deleted]
    _assert_moved_and_neighbours_untouched(dovecot, raw, before, deleted)


def test_move_processed_without_move_copies_and_expunges_only_that_message(
    dovecot, mailbox_settings
):
    uid, raw, before, deleted = _inbox_with_neighbours(dovecot)
    offset = dovecot.log_size()
    with Mailbox(mailbox_settings) as box:
        real = box._imap.has_capability
        box._imap.has_capability = lambda name: name.upper() != "MOVE" and real(name)
        box.move_processed(uid)
        assert box.uids() == [before, deleted]
    _assert_moved_and_neighbours_untouched(dovecot, raw, before, deleted)
    wait_for(lambda: "Disconnected" in dovecot.log_text()[offset:], 5, "the logout")
    # Dovecot's logout line counts what the session expunged: only ours.
    assert "expunged=1" in dovecot.log_text()[offset:]


def test_move_processed_to_an_existing_folder(dovecot, mailbox_settings):
    dovecot.append(earlier := message("earlier"), folder="Processed")
    uid = dovecot.append(raw := message("to move"))
    with Mailbox(mailbox_settings) as box:
        box.move_processed(uid)
    assert dovecot.messages("Processed") == [earlier, raw]
    assert dovecot.messages("INBOX") == []


def test_move_processed_keeps_a_message_another_client_marked_deleted(dovecot, mailbox_settings):
    uid = dovecot.append(raw := message("to move"))
    with Mailbox(mailbox_settings) as box:
        with dovecot.client("INBOX") as other:
            other.delete_messages([uid])  # marked, not expunged
        box.move_processed(uid)
    assert dovecot.messages("Processed") == [raw]
    assert [DELETED in found for found in dovecot.flags("Processed").values()] == [False]


def test_move_processed_of_a_message_gone_is_message_gone(dovecot, mailbox_settings):
    uid = dovecot.append(message("first"))
    with Mailbox(mailbox_settings) as box:
        box.move_processed(uid)
        with pytest.raises(MessageGone):
            box.move_processed(uid)
    assert len(dovecot.messages("Processed")) == 1


# Settings


def test_from_settings_with_a_password_file(dovecot, mailbox_settings, settings, tmp_path):
    secret = tmp_path / "imap_password"
    secret.write_text(dovecot.password + "\n")  # as a Docker secret ends
    settings.GC6_IMAP_HOST = dovecot.host
    settings.GC6_IMAP_PORT = str(dovecot.port)  # from the environment: a string
    settings.GC6_IMAP_SECURITY = "starttls"
    settings.GC6_IMAP_USER = dovecot.user
    settings.GC6_IMAP_PASSWORD = "not this one"
    settings.GC6_IMAP_PASSWORD_FILE = str(secret)
    settings.GC6_IMAP_CA_FILE = dovecot.ca_file
    settings.GC6_IMAP_FOLDER = "INBOX"
    settings.GC6_IMAP_PROCESSED_FOLDER = "Done"
    config = MailboxSettings.from_settings()
    assert config == replace(mailbox_settings, processed_folder="Done")
    uid = dovecot.append(message("first"))
    with Mailbox(config) as box:
        box.move_processed(uid)
    assert dovecot.messages("Done") == [message("first")]


def _only_required_settings(settings) -> None:
    for name in ("PORT", "SECURITY", "PASSWORD_FILE", "CA_FILE", "FOLDER", "PROCESSED_FOLDER"):
        if hasattr(settings, f"GC6_IMAP_{name}"):
            delattr(settings, f"GC6_IMAP_{name}")
    settings.GC6_IMAP_HOST = "imap.example.org"
    settings.GC6_IMAP_USER = "submissions@example.org"
    settings.GC6_IMAP_PASSWORD = "secret"


def test_from_settings_defaults_to_imaps_on_its_port(settings):
    _only_required_settings(settings)
    config = MailboxSettings.from_settings()
    assert (config.security, config.port, config.ca_file) == ("ssl", 993, "")
    assert (config.folder, config.processed_folder) == ("INBOX", "Processed")


@pytest.mark.parametrize("port", [None, "", 0])
def test_from_settings_starttls_without_a_port_uses_143(settings, port):
    _only_required_settings(settings)
    settings.GC6_IMAP_SECURITY = "STARTTLS"
    if port is not None:
        settings.GC6_IMAP_PORT = port
    config = MailboxSettings.from_settings()
    assert (config.security, config.port) == ("starttls", 143)


def test_from_settings_with_a_missing_password_file(settings, tmp_path):
    settings.GC6_IMAP_HOST = "imap.example.org"
    settings.GC6_IMAP_USER = "submissions@example.org"
    settings.GC6_IMAP_PASSWORD_FILE = str(tmp_path / "absent")
    with pytest.raises(MailboxError, match="PASSWORD_FILE"):
        MailboxSettings.from_settings()
