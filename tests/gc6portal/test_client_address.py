"""The client's address: REMOTE_ADDR, or behind our trusted proxies the rightmost hop
they did not write themselves; never what the client writes in a header."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from gc6portal.client_address import client_address, header_key, parse_address, trusted_networks
from submissions.models import Submission
from submissions.tokens import client_hash
from tests.conftest import SUBMITTER_FORM
from tests.documents import make_docx

PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"
LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password"  # the staff_user fixture's


@pytest.fixture
def proxies(settings):
    """A proxy of ours at 10.0.0.2, another in 192.168.0.0/16, one over IPv6."""
    settings.GC6_TRUSTED_PROXIES = [PROXY, "192.168.0.0/16", "2001:db8:ffff::/48"]
    settings.GC6_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    return settings


def _address(remote: str, forwarded: str | None = None, **meta: str) -> str:
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.GC6_TRUSTED_PROXIES = []
    assert _address(CLIENT, "198.51.100.1") == CLIENT


def test_an_untrusted_peer_is_the_client_whatever_its_header_says(proxies):
    assert _address(CLIENT, f"198.51.100.1, {PROXY}") == CLIENT
    assert _address(CLIENT, "198.51.100.1", HTTP_X_REAL_IP="198.51.100.2") == CLIENT


def test_a_trusted_proxy_gives_the_address_it_saw(proxies):
    assert _address(PROXY, CLIENT) == CLIENT


def test_the_rightmost_untrusted_hop_wins_over_what_the_client_wrote(proxies):
    assert _address(PROXY, f"198.51.100.1, 198.51.100.2, {CLIENT}") == CLIENT


@pytest.mark.parametrize(
    "spoofed", ["198.51.100.1", "10.0.0.2", "192.168.1.1, 10.0.0.2", "unknown", "1.1.1.1, ,"]
)
def test_spoofed_leftmost_values_do_not_change_the_result(proxies, spoofed):
    assert _address(PROXY, f"{spoofed}, {CLIENT}") == CLIENT
    assert _address(PROXY, f"{spoofed}, {CLIENT}, 192.168.4.4") == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_through(proxies):
    chain = f"198.51.100.1, {CLIENT}, 192.168.7.7, 192.168.0.1, {PROXY}"
    assert _address(PROXY, chain) == CLIENT


def test_a_cidr_network_trusts_every_address_in_it_and_no_other(proxies):
    assert _address("192.168.200.9", CLIENT) == CLIENT
    assert _address("192.169.0.1", CLIENT) == "192.169.0.1"
    assert _address("10.0.0.3", CLIENT) == "10.0.0.3"  # a single address is a /32


def test_ipv6_clients_and_proxies(proxies):
    assert _address("2001:db8:ffff::1", "2001:db8:1::7") == "2001:db8:1::7"
    assert _address(PROXY, "2001:DB8:1:0::7, 2001:db8:ffff::2") == "2001:db8:1::7"
    assert _address("2001:db8:1::7", CLIENT) == "2001:db8:1::7"


def test_ports_and_brackets_are_taken_off(proxies):
    assert _address(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    assert _address(PROXY, "[2001:db8::1]") == "2001:db8::1"
    assert _address(PROXY, "1.2.3.4:5678") == "1.2.3.4"
    assert _address(PROXY, '"[2001:db8::1]:443"') == "2001:db8::1"
    assert _address("10.0.0.2:41000", CLIENT) == CLIENT


def test_an_ipv4_address_mapped_into_ipv6_is_the_ipv4_one(proxies):
    assert _address("::ffff:10.0.0.2", "::ffff:203.0.113.7") == CLIENT


@pytest.mark.parametrize(
    "garbage",
    ["", "unknown", "not-an-ip", "300.1.1.1", "1.2.3.4:port", "[2001:db8::1", "[::1]x",
     "01.2.3.4", "_hidden", "x" * 10_000, "1.2.3.4/24", ",,,"],
)  # fmt: skip
def test_a_malformed_hop_ends_the_walk_without_an_error(proxies, garbage):
    """What lies left of it cannot be told from the client's own words: the nearest
    hop known good (here the proxy) stands for the client."""
    assert _address(PROXY, garbage) == PROXY
    assert _address(PROXY, f"{CLIENT}, {garbage}") == PROXY
    assert _address(PROXY, f"{garbage}, {CLIENT}") == CLIENT


def test_when_every_hop_is_trusted_the_leftmost_is_the_client(proxies):
    assert _address(PROXY, "192.168.1.1, 192.168.1.2") == "192.168.1.1"
    assert _address(PROXY) == PROXY  # the proxy's own request, no header


def test_an_unreadable_remote_addr_is_returned_as_it_is(proxies):
    assert _address("", CLIENT) == ""
    assert client_address(RequestFactory().get("/", REMOTE_ADDR=None)) == ""


def test_the_header_can_be_named_as_meta_or_as_http_spells_it(proxies):
    proxies.GC6_CLIENT_IP_HEADER = "X-Real-IP"
    assert _address(PROXY, "198.51.100.1", HTTP_X_REAL_IP=CLIENT) == CLIENT
    proxies.GC6_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert _address(PROXY, "198.51.100.1", HTTP_X_REAL_IP=CLIENT) == CLIENT
    # The old setting for "no proxy": the header is never read.
    proxies.GC6_CLIENT_IP_HEADER = "REMOTE_ADDR"
    assert _address(PROXY, CLIENT) == PROXY
    assert header_key("") is None


def test_the_trusted_proxies_setting_takes_a_string_too(settings):
    settings.GC6_TRUSTED_PROXIES = " 10.0.0.0/8 , ::1 "
    assert _address("10.9.9.9", CLIENT) == CLIENT
    assert _address("::1", CLIENT) == CLIENT


def test_a_malformed_trusted_proxy_entry_stops_the_start_up():
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300'"):
        trusted_networks("10.0.0.1, 10.0.0.300")


def test_parse_address_normalises():
    assert str(parse_address(" [2001:0db8::0001]:80 ")) == "2001:db8::1"
    assert parse_address("::ffff:1.2.3.4") == parse_address("1.2.3.4")
    assert parse_address("1.2.3.4:") is not None
    assert parse_address("[::1]:") is not None


def test_the_client_hash_follows_the_address_not_the_header(proxies):
    def hashed(remote: str, forwarded: str) -> str:
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        return client_hash(request)

    assert hashed(CLIENT, "198.51.100.1") == hashed(CLIENT, "198.51.100.2")
    assert hashed(PROXY, f"198.51.100.1, {CLIENT}") == hashed(CLIENT, "")
    assert hashed(PROXY, CLIENT) != hashed(PROXY, "198.51.100.9")


def _log_in(client, password: str, remote: str, forwarded: str):
    data = {"username": "secretariat", "password": password, "next": reverse("admin:index")}
    return client.post(LOGIN, data, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_a_login_flood_with_varying_headers_from_an_untrusted_client_is_one_client(
    client, staff_user, proxies
):
    statuses = [
        _log_in(client, "wrong-password", CLIENT, f"198.51.100.{n}").status_code for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]  # the fifth failure locks
    assert _log_in(client, PASSWORD, CLIENT, "198.51.100.99").status_code == 429
    assert AccessAttempt.objects.count() == 1


def test_a_login_flood_through_our_proxy_is_locked_out_as_its_real_client(
    client, staff_user, proxies
):
    for n in range(5):
        _log_in(client, "wrong-password", PROXY, f"198.51.100.{n}, {CLIENT}")
    assert _log_in(client, PASSWORD, PROXY, f"198.51.100.50, {CLIENT}").status_code == 429
    assert AccessAttempt.objects.count() == 1
    # Another client behind the same proxy is not locked out by it.
    assert _log_in(client, PASSWORD, PROXY, "198.51.100.9").status_code == 302


def _submit(client, call, remote: str, forwarded: str):
    data = {**SUBMITTER_FORM, "file": SimpleUploadedFile("input.docx", make_docx("Alliance"))}
    url = reverse("submissions:submit", args=[call.slug])
    return client.post(url, data, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_the_submission_limit_counts_an_untrusted_client_once_whatever_its_header(
    client, open_call, proxies
):
    proxies.GC6_SUBMISSIONS_PER_HOUR = 2
    statuses = [_submit(client, open_call, CLIENT, f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Submission.objects.count() == 2


def test_the_submission_limit_counts_the_real_client_behind_our_proxy(client, open_call, proxies):
    proxies.GC6_SUBMISSIONS_PER_HOUR = 2
    statuses = [
        _submit(client, open_call, PROXY, f"198.51.100.{n}, {CLIENT}").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _submit(client, open_call, PROXY, "198.51.100.9").status_code == 302
    assert Submission.objects.count() == 3


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
    ],
)
def test_rate_limits_count_an_ipv6_client_by_its_64(address, counted):
    from gc6portal.client_address import counted_client

    assert counted_client(address, 64) == counted
    assert counted_client("2001:db8:1:2::1", 128) == "2001:db8:1:2::1"


def test_the_submission_limit_is_not_escaped_by_rotating_ipv6_addresses(client, open_call, proxies):
    proxies.GC6_SUBMISSIONS_PER_HOUR = 2
    rotated = [f"2001:db8:5:6:{n:x}:1:2:3" for n in range(3)]
    statuses = [_submit(client, open_call, PROXY, address).status_code for address in rotated]
    assert statuses == [302, 302, 429]
    # The next /64 is another subscriber.
    assert _submit(client, open_call, PROXY, "2001:db8:5:7::1").status_code == 302


def test_a_login_flood_from_one_ipv6_64_is_one_client(client, staff_user, proxies):
    for n in range(5):
        _log_in(client, "wrong-password", PROXY, f"2001:db8:5:6::{n + 1:x}")
    assert _log_in(client, PASSWORD, PROXY, "2001:db8:5:6::ff").status_code == 429
    assert _log_in(client, PASSWORD, PROXY, "2001:db8:5:7::1").status_code == 302
