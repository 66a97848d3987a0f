"""Redirects that go round in circles or on for ever are recorded as such, not just dropped.

Scrapy's redirect and meta-refresh middlewares give up after REDIRECT_MAX_TIMES hops with a
bare "max redirections reached", and its duplicate filter silently drops a hop back to a URL
already seen; these tell a loop from a long chain and give each its failure code.
"""

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from w3lib.url import canonicalize_url

from newsarchive.crawl.destinations import FOLLOWED_SCHEMES
from newsarchive.crawl.refusals import Refused


def _checked(hop: Request, request: Request, max_times: int) -> Request:
    """The next hop, unless it closes a loop or makes the chain too long.

    Every hop is fetched (dont_filter): the duplicate filter would otherwise drop a hop back
    to a URL seen before, and the page would be lost without a word.
    """
    chain = [canonicalize_url(url) for url in hop.meta.get("redirect_urls", [])]
    if canonicalize_url(hop.url) in chain:
        raise Refused("redirect_loop", f"{request.url} redirects back to {hop.url}")
    if len(chain) >= max_times:
        raise Refused("too_many_redirects", f"more than {max_times} redirects from {chain[0]}")
    hop.dont_filter = True
    return hop


class _Guarded:
    """What both redirect middlewares add: loops and long chains recorded, and a hop to a
    file:, ftp: or other non-http URL refused by name rather than dropped as a 3xx answer."""

    max_redirect_times: int

    def _build_redirect_request(
        self, source_request: Request, response, *, url: str, **kwargs: Any
    ) -> Request:
        if urlsplit(url).scheme.lower() not in FOLLOWED_SCHEMES:
            raise Refused("unsupported_scheme", f"{source_request.url} redirects to {url[:200]}")
        return super()._build_redirect_request(source_request, response, url=url, **kwargs)

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        hop = super()._redirect(redirected, request, reason)
        return _checked(hop, request, self.max_redirect_times)


class LoopAwareRedirectMiddleware(_Guarded, RedirectMiddleware):
    pass


class LoopAwareMetaRefreshMiddleware(_Guarded, MetaRefreshMiddleware):
    pass
