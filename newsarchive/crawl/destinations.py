"""Where a request may go: http(s) to public addresses only, unless a user allows more.

Every link newsarchive follows was written by a third party, so a list link, a 原文链接, a
redirect or a meta refresh may name `file:///etc/passwd`, `http://127.0.0.1/`, the cloud
metadata address, or a host name that resolves inside the network. The policy here judges a
URL's host before any connection (an IP literal in any spelling is judged as the address it
is) and, through the resolver (resolver.py), the address a host name really resolves to.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsarchive.crawl.refusals import Refused

FOLLOWED_SCHEMES = ("http", "https")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(Refused):
    """A request to a destination newsarchive never fetches."""


# Host names refused on resolution (resolver.py), with why. Twisted reports a refused answer
# as a failed lookup ("no results") and drops the exception; failures.py finds the reason here.
REFUSED_NAMES: dict[str, RefusedDestination] = {}


def ip_literal(host: str) -> Address | None:
    """The address a URL host names by itself, in any spelling a resolver accepts.

    `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` and `127.1` all name 127.0.0.1 (inet_aton reads
    them as the C library does); `::ffff:127.0.0.1` is IPv6. None for a host name.
    """
    host = host.rstrip(".").strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: mapped, 6to4, Teredo or NAT64 (64:ff9b::/96)."""
    if address.version == 4:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def internal_kind(address: Address) -> str | None:
    """Why an address is not on the public internet, or None when it is."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return internal_kind(embedded)
    for kind in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind
    if not address.is_global:
        return "shared"  # 100.64.0.0/10 (carrier-grade NAT) and the like
    return None


@dataclass(frozen=True)
class Allowed:
    """Destinations a user deliberately allows (NEWSARCHIVE_ALLOWED_DESTINATIONS): networks
    (`10.1.0.0/16`), addresses, host names, each optionally with a port (`127.0.0.1:8080`)."""

    networks: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None], ...] = ()
    hosts: tuple[tuple[str, int | None], ...] = ()

    @classmethod
    def parse(cls, entries: list[str]) -> "Allowed":
        networks, hosts = [], []
        for entry in filter(None, (entry.strip() for entry in entries)):
            host, port = entry, None
            parts = urlsplit(f"//{entry}")
            if parts.port is not None:
                host, port = parts.hostname, parts.port
            try:
                networks.append((ipaddress.ip_network(host.strip("[]"), strict=False), port))
            except ValueError:
                hosts.append((host.lower().rstrip("."), port))
        return cls(tuple(networks), tuple(hosts))

    def host(self, host: str, port: int | None) -> bool:
        host = host.lower().rstrip(".")
        return any(name == host and allowed in (None, port) for name, allowed in self.hosts)

    def address(self, address: Address, port: int | None) -> bool:
        """Whether `address` is allowed; a rule with a port needs that port (None: unknown)."""
        return any(
            address in network and allowed in (None, port) for network, allowed in self.networks
        )


def refusal(url: str, allowed: Allowed) -> RefusedDestination | None:
    """Why `url` may not be requested, judged before any connection; None when it may."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in FOLLOWED_SCHEMES:
        return RefusedDestination("unsupported_scheme", f"not an http(s) URL: {url[:200]}")
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return RefusedDestination("invalid_url", f"bad port in {url[:200]}")
    if not host:
        return RefusedDestination("invalid_url", f"no host in {url[:200]}")
    if allowed.host(host, port):
        return None
    address = ip_literal(host)
    if address is None:
        return None
    kind = internal_kind(address)
    if kind is None or allowed.address(address, port):
        return None
    return RefusedDestination("refused_address", f"{host} is {address} ({kind})")


def refused_resolution(host: str, resolved: str, allowed: Allowed) -> RefusedDestination | None:
    """Why a host name may not be reached at the address it resolved to; None when it may."""
    try:
        address = ipaddress.ip_address(resolved)
    except ValueError:
        return None
    kind = internal_kind(address)
    if kind is None or allowed.host(host, None) or allowed.address(address, None):
        return None
    return RefusedDestination("refused_address", f"{host} resolves to {address} ({kind})")
