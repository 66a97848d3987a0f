"""The one spider: every reprint site of the site profiles, and the originals they name.

A site's list pages (and its sitemaps and feeds) give its articles; each article is parsed by
its family's page object, any further pages of it fetched and joined, and its 原文链接
followed to the government original, on any host. Which sites: NEWSARCHIVE_SITES_FILE and
NEWSARCHIVE_SITES (names; empty for all), as `newsarchive crawl` sets them.
"""

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from functools import cached_property
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from newsarchive.archive import Archive, canonical
from newsarchive.crawl import workers
from newsarchive.crawl.archive import archive_failed, crawl_archive
from newsarchive.crawl.destinations import FOLLOWED_SCHEMES
from newsarchive.crawl.failures import fetch_failure
from newsarchive.crawl.incremental import KIND, Recheck, state_of_failure
from newsarchive.crawl.prepare import prepare
from newsarchive.crawl.prepare import warm_up as prepare_warm_up
from newsarchive.crawl.signals import page_redirected, report_failure
from newsarchive.crawl.warc import BUILT_BY_READER, captured
from newsarchive.crawl.warc_files import Built, Exchange, build_exchange
from newsarchive.items import Article
from newsarchive.parsers.reading import read_page
from newsarchive.sites import DEFAULT_SITES, Site, adhoc_site, choose, load_sites


def read_fetched(exchange: Exchange | None, *page) -> tuple[Built | None, tuple]:
    """What a worker does with a fetched article page, in one message: its WARC records
    built, if the WARC middleware left them to it, and the page read (read_page) into a
    record prepared for the pipelines (crawl/prepare.py)."""
    built = build_exchange(exchange) if exchange is not None else None
    reason, item, more = read_page(*page)
    return built, (reason, prepare(item) if item is not None else None, more)


def warm_up() -> None:
    """A worker's start, before its first page: this module and the parsers imported (with
    this function), and the first prepare()'s one-off work done."""
    prepare_warm_up()


STAGE = "newsarchive_stage"  # request meta: "start" for a start page, whose loss fails the run
MAX_PAGES = 20  # pages of one article joined at most: a pager that never ends is a bug


def join_pages(article: Article, page: Article) -> Article:
    """An article with its next page joined: the text, images and attachments follow on;
    a credit or 原文链接 the first pages lack is taken from this one (责任编辑 and 原文链接
    often close the last page only)."""
    credits = {
        name: getattr(page, name)
        for name in ("source", "author", "editor", "original_url")
        if not getattr(article, name) and getattr(page, name)
    }
    return replace(
        article,
        paragraphs=article.paragraphs + page.paragraphs,
        images=list(dict.fromkeys(article.images + page.images)),
        attachments=article.attachments
        + [item for item in page.attachments if item not in article.attachments],
        pages=[*(article.pages or [article.url]), page.url],
        **credits,
    )


class SitesSpider(scrapy.Spider):
    """List pages, sitemaps and feeds -> reprints (all their pages) -> each 原文链接 original."""

    name = "sites"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        workers.start(crawler, warm_up)
        return spider

    @classmethod
    def update_settings(cls, settings) -> None:
        """Each site's politeness overrides become its download slot's (DOWNLOAD_SLOTS)."""
        super().update_settings(settings)
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for site in cls.chosen(settings):
            overrides = {
                key: value
                for key, value in (
                    ("delay", site.download_delay),
                    ("concurrency", site.concurrency),
                )
                if value is not None
            }
            for host in site.hosts if overrides else ():
                slots[host] = overrides
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @staticmethod
    def chosen(settings) -> list[Site]:
        """The sites of this crawl: start pages given as NEWSARCHIVE_START_URLS (a site of
        NEWSARCHIVE_START_FAMILY), or those NEWSARCHIVE_SITES names in the sites file (none,
        or "*": all of them)."""
        if starts := settings.getlist("NEWSARCHIVE_START_URLS"):
            return [adhoc_site(starts, settings.get("NEWSARCHIVE_START_FAMILY") or "generic")]
        names = settings.getlist("NEWSARCHIVE_SITES")  # empty (scrapy crawl, scrapyd): all
        path = settings.get("NEWSARCHIVE_SITES_FILE") or DEFAULT_SITES
        return choose(load_sites(path), [] if names in ([], ["*"]) else names, path)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.sites = self.chosen(self.settings)
        if not self.sites:
            self.logger.error(
                "No sites to crawl: set NEWSARCHIVE_SITES (names, or *) or NEWSARCHIVE_START_URLS"
            )
        for site in self.sites:
            for url in site.start_urls:
                yield self.request(url, self.parse_list, site, meta={STAGE: "start"})
            for url in site.sitemaps:
                yield self.request(url, self.parse_sitemap, site, meta={STAGE: "start"})
            for url in site.feeds:
                yield self.request(url, self.parse_feed, site, meta={STAGE: "start"})

    def request(self, url: str, callback, site: Site, **options) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.fetch_failed,
            cb_kwargs={"site": site, **options.pop("cb_kwargs", {})},
            **options,
        )

    # Incremental runs ---------------------------------------------------------------------

    @cached_property
    def archive(self) -> Archive:
        return crawl_archive(self.crawler)

    @cached_property
    def recheck(self) -> Recheck:
        return Recheck.from_settings(self.settings)

    @cached_property
    def last_run_finished(self) -> bool:
        """Whether the run before this one finished: after one that was killed or stopped,
        older list pages may hold articles it never reached, so paging goes on to the end."""
        try:
            previous = self.archive.runs.before(self.run_id)
        except sqlite3.Error:
            return False
        return previous is not None and previous["finish_reason"] == "finished"

    @property
    def run_id(self) -> int | None:
        return self.crawler.stats.get_value("newsarchive/run")

    def article(
        self, url: str, site: Site | None, kind: str = "reprint", **options
    ) -> scrapy.Request | None:
        """The request for an article page, conditional where its server allows; None when
        the page was fetched lately and is not due for its recheck."""
        try:
            plan = self.recheck.plan(
                self.archive,
                url,
                kind,
                site.recheck_after if site is not None else None,
                self.run_id,
            )
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)
            return None
        if not plan.fetch:
            if not plan.again:
                self.crawler.stats.inc_value(f"newsarchive/incremental/skipped_{kind}")
            return None
        meta = {KIND: kind, BUILT_BY_READER: True, **options.pop("meta", {})}
        if plan.headers:
            meta["handle_httpstatus_list"] = [304]
        callback = self.parse_reprint if kind == "reprint" else self.parse_original
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.fetch_failed,
            cb_kwargs={"site": site} if kind == "reprint" else {},
            headers={**plan.headers, **options.pop("headers", {})},
            meta=meta,
            **options,
        )

    def missing_original(self, reprint_url: str) -> Iterator[scrapy.Request]:
        """For a known reprint not fetched again: its original, when that is due (never
        fetched, failed for a passing reason, or up for its recheck)."""
        try:
            record = self.archive.records.get(reprint_url)
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)
            return
        if record and record.get("original_url"):
            yield from self.original_of_url(record["original_url"], record["url"])

    def remember(self, response: Response) -> None:
        """What this fetch of an article page learned, for the next run's plan."""
        kind = response.meta.get(KIND)
        if kind is None:
            return
        headers = response.headers
        etag, modified = headers.get(b"ETag"), headers.get(b"Last-Modified")
        first = (response.meta.get("redirect_urls") or [response.url])[0]
        self.write(
            self.archive.fetches.remember,
            list(dict.fromkeys([first, response.url])),  # asked for, and where it led
            kind,
            response.status,
            etag.decode("latin-1") if etag else None,
            modified.decode("latin-1") if modified else None,
            self.run_id,
        )
        if kind == "original" and response.status in (200, 203, 304):
            moved = response.url if canonical(response.url) != canonical(first) else None
            self.write(
                self.archive.states.set, first, "moved" if moved else "ok", moved, run=self.run_id
            )

    def write(self, write, *args, **kwargs) -> None:
        """One archive write from the spider; a refused one stops the crawl (crawl/archive.py)."""
        try:
            write(*args, **kwargs)
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)

    def not_modified(self, response: Response) -> bool:
        """A 304: the archived record stands, seen again now."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value("newsarchive/incremental/not_modified")
        self.write(self.archive.records.touch, response.url, self.run_id)
        return True

    # Finding articles ---------------------------------------------------------------------

    def parse_list(self, response: Response, site: Site) -> Iterator[scrapy.Request]:
        """A home or column list page: its article links and its pager's list pages."""
        if not isinstance(response, HtmlResponse):
            self.not_html(response)
            return
        domains = list(site.hosts)
        articles = LinkExtractor(
            allow=site.article_urls or site.family.article_urls, allow_domains=domains
        )
        links = articles.extract_links(response)
        known = 0
        for link in links:
            request = self.article(link.url, site)
            if request is None:
                known += 1
                yield from self.missing_original(link.url)
            else:
                yield request
        stop_at_known = self.settings.getbool("NEWSARCHIVE_STOP_AT_KNOWN")
        if site.stop_at_known is not None:
            stop_at_known = site.stop_at_known
        if links and known == len(links) and stop_at_known and self.last_run_finished:
            self.crawler.stats.inc_value("newsarchive/incremental/pager_stopped")
            return  # every article here is known: the older list pages hold no new one
        lists = LinkExtractor(
            allow=site.list_urls or site.family.list_urls,
            restrict_css=site.pager or site.family.pager,
            allow_domains=domains,
            deny=site.article_urls or site.family.article_urls,
        )
        for link in lists.extract_links(response):
            yield self.request(link.url, self.parse_list, site)

    def _article_urls(self, site: Site, urls: list[str]) -> Iterator[scrapy.Request]:
        patterns = [re.compile(p) for p in site.article_urls or site.family.article_urls]
        for url in urls:
            if site.owns(url) and any(pattern.search(url) for pattern in patterns):
                if (request := self.article(url, site)) is not None:
                    yield request
                else:
                    yield from self.missing_original(url)

    def parse_sitemap(self, response: Response, site: Site) -> Iterator[scrapy.Request]:
        """A sitemap index, a sitemap (gzip too) or a sitemap.txt: the site's articles."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        if response.url.endswith(".txt") or not body.lstrip().startswith(b"<"):
            urls = [line.strip() for line in body.decode("utf-8", "replace").splitlines()]
            yield from self._article_urls(site, [url for url in urls if url])
            return
        sitemap = Sitemap(body)
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for url in locations:
                if site.owns(url):
                    yield self.request(url, self.parse_sitemap, site)
        else:
            yield from self._article_urls(site, locations)

    def parse_feed(self, response: Response, site: Site) -> Iterator[scrapy.Request]:
        """An RSS or Atom feed: the articles it links."""
        try:
            root = etree.fromstring(
                response.body, etree.XMLParser(resolve_entities=False, no_network=True)
            )
        except etree.XMLSyntaxError as error:
            report_failure(
                self.crawler,
                url=response.url,
                stage="parse",
                reason="bad_feed",
                detail=str(error)[:200],
            )
            return
        urls = [text.strip() for text in root.xpath("//item/link/text()")]
        urls += root.xpath("//*[local-name()='entry']/*[local-name()='link']/@href")
        yield from self._article_urls(site, urls)

    # Articles -----------------------------------------------------------------------------

    # The callbacks that wait for a worker are coroutines that return their output, not async
    # generators: Scrapy awaits a coroutine before its spider middlewares see the output, while
    # an await inside an async generator suspends and resumes each middleware's generator
    # around it.

    async def parse_reprint(self, response: Response, site: Site) -> list:
        self.remember(response)
        if self.not_modified(response):
            return list(self.missing_original(response.url))
        item, more = await self.parse_article(response, "reprint", site)
        return list(self.continued(item, more, site)) if item is not None else []

    def continued(self, item: Article, more: list[str], site: Site | None) -> Iterator:
        """The item once all its pages are joined: the next page to fetch, or the item (and,
        for a reprint, its original's request)."""
        fetched = set(item.pages or [item.url])
        more = [url for url in more if url not in fetched]
        if more and len(fetched) < MAX_PAGES:
            yield scrapy.Request(
                more[0],
                callback=self.parse_continuation,
                errback=self.continuation_failed,
                dont_filter=True,
                meta={BUILT_BY_READER: True},
                cb_kwargs={"item": item, "more": more[1:], "site": site},
            )
            return
        yield item
        if item.kind == "reprint" and site is not None and site.follow_originals:
            yield from self.original_of(item)

    async def parse_continuation(
        self, response: Response, item: Article, more: list[str], site: Site | None
    ) -> list:
        """Page 2, 3 … of an article: its text joins the first page's."""
        page, further = await self.parse_article(response, item.kind, site, continuation=True)
        if page is not None:
            item = join_pages(item, page)
            more = more + [url for url in further if url not in more]
        return list(self.continued(item, more, site))

    def continuation_failed(self, failure: Failure) -> Iterator:
        """A later page that cannot be had: recorded, and the article kept with what came."""
        self.fetch_failed(failure)
        kwargs = failure.request.cb_kwargs
        yield from self.continued(kwargs["item"], kwargs["more"], kwargs["site"])

    def original_of(self, item: Article) -> Iterator[scrapy.Request]:
        if item.original_url:
            yield from self.original_of_url(item.original_url, item.url)

    def original_of_url(self, url: str, reprint_url: str) -> Iterator[scrapy.Request]:
        if urlsplit(url).scheme.lower() not in FOLLOWED_SCHEMES:
            report_failure(
                self.crawler,
                url=url,
                stage="link",
                reason="unsupported_scheme",
                referer=reprint_url,
            )
            return
        request = self.article(
            url,
            None,
            "original",
            meta={"allow_offsite": True},
            headers={"Referer": reprint_url},
        )
        if request is not None:
            yield request

    async def parse_original(self, response: Response) -> list:
        self.remember(response)
        if self.not_modified(response):
            return []
        item, more = await self.parse_article(response, "original", None)
        return list(self.continued(item, more, None)) if item is not None else []

    async def parse_article(
        self, response: Response, kind: str, site: Site | None, continuation: bool = False
    ) -> tuple[Article | None, list[str]]:
        """The page's record and the URLs of the article's further pages, or (None, [])
        after recording why there is no record. The page is read in a worker process when
        there is one (crawl/workers.py)."""
        if not continuation and (redirected_from := response.meta.get("redirect_urls")):
            self.crawler.signals.send_catch_log(
                page_redirected, urls=redirected_from, url=response.url
            )
        try:
            return await self._read(response, kind, site, continuation)
        finally:
            captured(self.crawler, response)  # the WARC records, if not yet written

    async def _read(
        self, response: Response, kind: str, site: Site | None, continuation: bool
    ) -> tuple[Article | None, list[str]]:
        if not isinstance(response, HtmlResponse):
            self.not_html(response)
            return None, []
        pending = response.meta.get("warc")
        try:
            built, (reason, item, more) = await workers.run(
                self.crawler,
                read_fetched,
                pending if isinstance(pending, Exchange) else None,
                response.url,
                response.status,
                dict(response.headers),
                response.body,
                response.encoding,
                kind,
                site.family.parser if site else None,
                site.fields if site else {},
                continuation,
            )
            capture = captured(self.crawler, response, built)  # before the record is stored
            if reason is not None:
                report_failure(
                    self.crawler,
                    url=response.url,
                    stage="parse",
                    reason=reason,
                    http_status=response.status,
                )
                return None, []
            item.capture = capture  # the response as received
            return item, more
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
            return None, []

    # Failures -----------------------------------------------------------------------------

    def not_html(self, response: Response) -> None:
        """A PDF, a Word file or an image where a page was expected: recorded, not parsed."""
        kind = (response.headers.get(b"Content-Type") or b"unknown").decode("latin-1")
        if isinstance(response, TextResponse) and not kind.startswith(("text/html", "unknown")):
            kind = f"{kind} (a text, not a page)"
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
        request = getattr(failure, "request", None)
        stage = request.meta.get(STAGE, "fetch") if request is not None else "fetch"
        kind = request.meta.get(KIND) if request is not None else None
        if kind is not None and details["reason"] not in ("refused_address", "cancelled"):
            self.write(self.archive.fetches.remember, details["url"], kind, details["http_status"])
            state = state_of_failure(details["reason"])
            if kind == "original" and state is not None:
                self.write(
                    self.archive.states.set,
                    details["url"],
                    state,
                    detail=details["reason"],
                    run=self.run_id,
                )
        # After the state: the checks this failure triggers read it.
        report_failure(self.crawler, stage=stage, **details)
