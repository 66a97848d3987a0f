"""Redirects that go round in circles or on for ever are recorded as such, not just dropped.

Scrapy's redirect and meta-refresh middlewares give up after REDIRECT_MAX_TIMES hops with a
bare "max redirections reached", and its duplicate filter silently drops a hop back to a URL
already seen; these tell a loop from a long chain and give each its failure code.
"""

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import HtmlResponse, Response
from w3lib.html import get_meta_refresh
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
    """Scrapy's meta refresh, which reads the first 4,096 characters of a page, asked only of
    the pages that may hold one.

    Scrapy decodes the whole page to scan its start: 45 µs a page in the crawl's process,
    which reads no other page text (the worker parses the bytes). w3lib scans the bytes
    themselves where the encoding allows it, and decodes only on a hit. 4 bytes a character
    at most, and a BOM, hold those characters, and a tag the limit cuts is read whole: a page
    the bytes rule out has no refresh in its first 4,096 characters either.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and get_meta_refresh(
            response.body,
            response.url,
            response.encoding,
            self._ignore_tags,
            max_scan=REFRESH_BYTES,
        ) == (None, None):
            return response
        return super().process_response(request, response)


REFRESH_BYTES = 4 * 4096 + 4  # what holds the 4,096 characters Scrapy reads
