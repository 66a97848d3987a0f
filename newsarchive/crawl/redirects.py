"""Redirects that go round in circles or on for ever are recorded as such, not just dropped.

Scrapy's redirect and meta-refresh middlewares give up after REDIRECT_MAX_TIMES hops with a
bare "max redirections reached"; these tell a loop (a URL seen before in the chain) from a
long chain, and give each its failure code.
"""

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from w3lib.url import canonicalize_url

from newsarchive.crawl.failures import Refused


def _checked(redirected: Request, request: Request, max_times: int) -> None:
    """Raise if this hop closes a loop or makes the chain too long.

    A page may redirect to itself once (to set a cookie, say); a third visit is a loop.
    """
    chain = [canonicalize_url(url) for url in (*request.meta.get("redirect_urls", []), request.url)]
    if chain.count(canonicalize_url(redirected.url)) >= 2:
        raise Refused("redirect_loop", f"{request.url} redirects back to {redirected.url}")
    if len(chain) > max_times:
        raise Refused("too_many_redirects", f"more than {max_times} redirects from {chain[0]}")


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        _checked(redirected, request, self.max_redirect_times)
        return super()._redirect(redirected, request, reason)


class LoopAwareMetaRefreshMiddleware(MetaRefreshMiddleware):
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        _checked(redirected, request, self.max_redirect_times)
        return super()._redirect(redirected, request, reason)
