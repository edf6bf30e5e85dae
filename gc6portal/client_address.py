"""Who the client is: its address, as the connection or our own proxies report it.

REMOTE_ADDR is the other end of the connection: the client itself, or a proxy in front
of the portal. A proxy's header (GC6_CLIENT_IP_HEADER, X-Forwarded-For by default) is
believed only when REMOTE_ADDR is one of GC6_TRUSTED_PROXIES, and only as far as
trusted proxies wrote it. Each proxy appends the address it saw connect, so walking the
header from the right, past our own proxies, the first other address is the one the
outermost trusted proxy saw: the client. Everything to its left was written by that
client and may say anything, so a faked address cannot buy a fresh login lockout or
submission limit.

Pure functions of the request and the settings; nothing is stored.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the rightmost
    untrusted address of their header.

    A malformed entry in the header ends the walk: what lies left of it cannot be
    told from what the client wrote, so the nearest hop known good stands for the
    client. When every hop is trusted (a request made by a proxy itself), the leftmost.
    An unreadable REMOTE_ADDR (a unix socket gives "") is returned as it is.
    """
    raw_peer = str(request.META.get("REMOTE_ADDR") or "")
    peer = parse_address(raw_peer)
    if peer is None:
        return raw_peer.strip()
    networks = trusted_networks(settings.GC6_TRUSTED_PROXIES)
    header = header_key(settings.GC6_CLIENT_IP_HEADER)
    if header is None or not is_trusted(peer, networks):
        return str(peer)
    nearest = peer
    for entry in reversed(str(request.META.get(header) or "").split(",")):
        hop = parse_address(entry)
        if hop is None:
            break
        if not is_trusted(hop, networks):
            return str(hop)
        nearest = hop
    return str(nearest)


def counted_client(address: str, ipv6_prefix: int) -> str:
    """What rate limits and lockouts count as one client: an IPv4 address, or the
    network of an IPv6 address's first `ipv6_prefix` bits (a /64 by default).

    A subscriber or a cloud machine is given a whole /64 and can rotate through its
    addresses at will; counted one by one, each would get a fresh allowance.
    Anything that is not an address (a unix socket's "") is counted as it is.
    """
    parsed = parse_address(address)
    if not isinstance(parsed, ipaddress.IPv6Address) or ipv6_prefix >= 128:
        return str(parsed) if parsed is not None else address
    return str(ipaddress.IPv6Network((parsed, ipv6_prefix), strict=False))


def parse_address(value: str) -> Address | None:
    """An IP address from one hop as proxies write it, or None if it is not one.

    Takes "203.0.113.7", "203.0.113.7:5678", "2001:db8::1", "[2001:db8::1]" and
    "[2001:db8::1]:443" (quotes around it too, as RFC 7239 writes IPv6); an IPv4 address
    mapped into IPv6 ("::ffff:203.0.113.7", a dual-stack socket's) is the IPv4 one.
    """
    text = value.strip().strip('"')
    if len(text) > 64:  # longer than any address with a port and a zone
        return None
    port = ""
    if text.startswith("["):
        text, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    elif text.count(":") == 1:
        text, _, port = text.partition(":")
    if port and not port.isdigit():
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def trusted_networks(entries: str | Iterable[str]) -> tuple[Network, ...]:
    """GC6_TRUSTED_PROXIES as networks: addresses and CIDR networks, a comma-separated
    string or a list of them. An entry that is neither stops the start-up."""
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(entry.strip() for entry in entries if entry.strip()))


@functools.lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"GC6_TRUSTED_PROXIES: {entry!r} is not an IP address or a network "
                "(write 10.0.0.5, 10.0.0.0/8 or 2001:db8::/32, separated by commas)"
            ) from None
    return tuple(networks)


def is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def header_key(name: str) -> str | None:
    """The request.META key of GC6_CLIENT_IP_HEADER, or None for no header.

    Takes the META spelling ("HTTP_X_FORWARDED_FOR") or the header's own
    ("X-Forwarded-For"); "REMOTE_ADDR" or empty, the old way to say "no proxy", is none.
    """
    name = name.strip()
    if not name or name == "REMOTE_ADDR":
        return None
    if name.startswith("HTTP_"):
        return name
    return "HTTP_" + name.upper().replace("-", "_")
