"""A DNS resolver that refuses host names resolving to internal addresses.

The destination guard judges a URL's host before any connection; only resolution tells where
a host name really leads (`internal.example` -> 10.0.0.1). Scrapy's caching resolver is kept;
its answer is judged before the connection is made, for the first request and every redirect.
"""

from typing import Self
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from newsarchive.crawl.destinations import (
    REFUSED_NAMES,
    Allowed,
    RefusedDestination,
    ip_literal,
    refused_resolution,
)


class RefusedResolution(DNSLookupError):
    """A host name that resolves inside."""

    def __init__(self, refusal: RefusedDestination):
        super().__init__(str(refusal))
        self.refusal = refusal


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers that point inside the network."""

    allowed = Allowed()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        # The proxies requests go through are the user's own: the replay server on
        # 127.0.0.1, or an intranet proxy named by http_proxy.
        proxies = [crawler.settings.get("NEWSARCHIVE_REPLAY_PROXY"), *getproxies().values()]
        hosts = [urlsplit(proxy).hostname for proxy in proxies if proxy]
        entries = crawler.settings.getlist("NEWSARCHIVE_ALLOWED_DESTINATIONS")
        resolver.allowed = Allowed.parse([*entries, *filter(None, hosts)])
        return resolver

    def getHostByName(self, name: str, timeout=()):  # Twisted's interface names it so
        return super().getHostByName(name, timeout).addCallback(self._judge, name)

    def _judge(self, address: str, name: str) -> str:
        if ip_literal(name) is not None:  # the guard judged it already, port and all
            return address
        refusal = refused_resolution(name, address, self.allowed)
        if refusal is not None:
            REFUSED_NAMES[name.lower()] = refusal
            raise RefusedResolution(refusal)
        return address
