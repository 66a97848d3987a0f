"""Downloader middleware that sends every request through the replay server."""

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


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
