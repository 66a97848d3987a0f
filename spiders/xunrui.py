"""Reprint sites on the XunRui template (宗教法治网 and its look-alikes), with their originals."""

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from newsarchive.crawl.destinations import FOLLOWED_SCHEMES
from newsarchive.crawl.failures import fetch_failure
from newsarchive.crawl.signals import page_redirected, report_failure
from newsarchive.parsers import page_for

ARTICLE_LINKS = (r"/show-\d+\.html$", r"/index\.php\?c=show&id=\d+$")
PAGER = (".pages", ".pagination", ".page")
STAGE = "newsarchive_stage"  # request meta: "start" for a start page, whose loss fails the run


class XunruiSpider(scrapy.Spider):
    """Column list pages -> reprints -> each reprint's 原文链接 original, in one run.

    Start pages come from NEWSARCHIVE_XUNRUI_START_URLS, or `-a start=URL[,URL...]`. Every
    article a list page links to is a page of the XunRui template, whatever its host.
    """

    name = "xunrui"

    def __init__(self, start: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.start_arg = start

    async def start(self) -> AsyncIterator[scrapy.Request]:
        urls = (
            self.start_arg.split(",")
            if self.start_arg
            else self.settings.getlist("NEWSARCHIVE_XUNRUI_START_URLS")
        )
        if not urls:
            self.logger.error(
                "No start pages: set NEWSARCHIVE_XUNRUI_START_URLS or pass -a start=URL[,URL...]"
            )
        for url in urls:
            yield scrapy.Request(
                url.strip(),
                callback=self.parse_list,
                errback=self.fetch_failed,
                meta={STAGE: "start"},
            )

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """A home or column list page: its article links and its pager's list pages."""
        if not isinstance(response, HtmlResponse):
            self.not_html(response)
            return
        site = urlsplit(response.url).netloc  # with its port: Scrapy compares netlocs
        articles = LinkExtractor(allow=ARTICLE_LINKS, allow_domains=[site])
        for link in articles.extract_links(response):
            yield response.follow(link, callback=self.parse_reprint, errback=self.fetch_failed)
        pager = LinkExtractor(restrict_css=PAGER, allow_domains=[site], deny=ARTICLE_LINKS)
        for link in pager.extract_links(response):
            yield response.follow(link, callback=self.parse_list, errback=self.fetch_failed)

    def parse_reprint(self, response: Response) -> Iterator:
        item = self.parse_article(response, "reprint", family="xunrui")
        if item is None:
            return
        yield item
        if not item.original_url:
            return
        if urlsplit(item.original_url).scheme.lower() not in FOLLOWED_SCHEMES:
            report_failure(
                self.crawler,
                url=item.original_url,
                stage="link",
                reason="unsupported_scheme",
                referer=response.url,
            )
            return
        yield scrapy.Request(
            item.original_url,
            callback=self.parse_original,
            errback=self.fetch_failed,
            meta={"allow_offsite": True},
            headers={"Referer": response.url},
        )

    def parse_original(self, response: Response) -> Iterator:
        item = self.parse_article(response, "original")
        if item is not None:
            yield item

    def parse_article(self, response: Response, kind: str, family: str | None = None):
        """The page's record, or None after recording why there is none."""
        if redirected_from := response.meta.get("redirect_urls"):
            self.crawler.signals.send_catch_log(
                page_redirected, urls=redirected_from, url=response.url
            )
        if not isinstance(response, HtmlResponse):
            self.not_html(response)
            return None
        try:
            page = page_for(response, kind, family)
            if not page.is_article():
                report_failure(
                    self.crawler,
                    url=response.url,
                    stage="parse",
                    reason="not_article",
                    http_status=response.status,
                )
                return None
            return page.to_item()
        except Exception as error:  # a parser bug loses this page, not the run
            self.logger.exception("Could not parse %s", response.url)
            report_failure(
                self.crawler,
                url=response.url,
                stage="parse",
                reason="parse_error",
                detail=f"{type(error).__name__}: {error}",
                http_status=response.status,
            )
            return None

    def not_html(self, response: Response) -> None:
        """A PDF, a Word file or an image where a page was expected: recorded, not parsed."""
        kind = (response.headers.get(b"Content-Type") or b"unknown").decode("latin-1")
        report_failure(
            self.crawler,
            url=response.url,
            stage=response.meta.get(STAGE, "parse"),
            reason="not_html",
            detail=f"Content-Type: {kind[:100]}",
            http_status=response.status,
        )

    def fetch_failed(self, failure: Failure) -> None:
        details = fetch_failure(failure)
        self.logger.info("Could not fetch %s: %s", details["url"], details["reason"])
        stage = failure.request.meta.get(STAGE, "fetch") if hasattr(failure, "request") else "fetch"
        report_failure(self.crawler, stage=stage, **details)
