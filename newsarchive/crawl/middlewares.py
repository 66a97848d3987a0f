"""Downloader middlewares that decide where a request goes: the destination guard, and the
replay server as a proxy for offline crawls."""

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.crawl.destinations import Allowed, refusal


class DestinationGuardMiddleware:
    """Refuse, before any other middleware sees it, a request to anything but http(s) or to
    an internal address (an IP literal in any spelling); every redirect hop and meta refresh
    passes here again. Host names are judged again once resolved (resolver.py)."""

    def __init__(self, allowed: Allowed, crawler: Crawler):
        self.allowed, self.crawler = allowed, crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        allowed = Allowed.parse(crawler.settings.getlist("NEWSARCHIVE_ALLOWED_DESTINATIONS"))
        return cls(allowed, crawler)

    def process_request(self, request: Request) -> None:
        refused = refusal(request.url, self.allowed)
        if refused is not None:
            self.crawler.stats.inc_value(f"newsarchive/guard/{refused.reason}")
            raise refused


class ReplayProxyMiddleware:
    """Route requests to a replay server as an HTTP proxy, so records keep their real URLs."""

    def __init__(self, proxy_url: str):
        self.proxy_url = proxy_url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        proxy_url = crawler.settings.get("NEWSARCHIVE_REPLAY_PROXY")
        if not proxy_url:
            raise NotConfigured  # a crawl of the web, the usual case
        return cls(proxy_url)

    def process_request(self, request: Request) -> None:
        request.meta["proxy"] = self.proxy_url
