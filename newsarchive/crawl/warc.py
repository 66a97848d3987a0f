"""Downloader middleware: every response a crawl fetches, written as received to WARC files.

The files are `<archive>/warc/newsarchive-<UTC time>-<serial>.warc.gz`, a gzip member per
record, each file opening with a `warcinfo` record. A fetch is a `response` record (status
line, headers and body bytes as received: still compressed, 3xx included) and the `request`
record that asked for it, linked by WARC-Concurrent-To; `request.meta["warc"]` then points
at the response record, for the spider to store with the page's record.

An article page's records are built where the page is read, in a worker process
(crawl/workers.py): building and gzipping them cost the reactor 0.4 ms a page. The middleware
then leaves a pending `Exchange` in the meta, and the spider writes the built bytes with
`captured()` before it stores the record; whatever is still pending when the spider closes is
written then, so no fetch goes unrecorded.
"""

import logging
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any, Self
from urllib.parse import urldefrag
from weakref import WeakKeyDictionary, WeakSet

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newsarchive.crawl.archive import archive_failed
from newsarchive.crawl.warc_files import (
    Built,
    Exchange,
    WarcFiles,
    request_head,
    response_head,
)

logger = logging.getLogger(__name__)
_middlewares: WeakKeyDictionary[Crawler, "WarcMiddleware"] = WeakKeyDictionary()
WARC_DIR = "warc"  # inside the archive directory
STATS = "newsarchive/warc/"
# Request meta: the page's reader builds its records (an article page, when fetched whole).
BUILT_BY_READER = "newsarchive_warc_built_by_reader"
# What the downloader flags a cut-short body with, as WARC-Truncated says it.
TRUNCATED = {"dataloss": "disconnect", "partial": "unspecified"}
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# Settings a reader of the files needs to judge how the pages were fetched.
INFO_SETTINGS = (
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_TIMEOUT",
    "NEWSARCHIVE_SITES_FILE",
    "NEWSARCHIVE_SITES",
    "NEWSARCHIVE_START_URLS",
    "NEWSARCHIVE_REPLAY_PROXY",
    "NEWSARCHIVE_WARC_MAX_BYTES",
)


class WarcMiddleware:
    """Write every response the downloader fetches, and its request, to the archive's WARC
    files (NEWSARCHIVE_WARC_ENABLED), then set `request.meta["warc"]` to the response record.

    A response that no fetch produced (HTTP cache, a middleware's own answer) is not written,
    and neither is a request refused before download (destination guard, robots.txt): it has
    no response. Through a replay proxy, the records name the page's URL, not the proxy.
    """

    def __init__(self, files: WarcFiles, crawler: Crawler):
        self.files, self.crawler = files, crawler
        self.stats: StatsCollector = crawler.stats
        self.sent: WeakSet[Request] = WeakSet()  # requests that went on to the downloader
        self.pending: set[Exchange] = set()  # fetched, left to the reader to build
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_WARC_ENABLED"):
            raise NotConfigured
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if not archive:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        info = {
            "software": f"newsarchive/{version('newsarchive')}",
            "format": "WARC File Format 1.1",
            "conformsTo": CONFORMS_TO,
            "description": (
                f"replayed through {proxy} (newsarchive replay): pages from a copy, not the web"
                if (proxy := settings.get("NEWSARCHIVE_REPLAY_PROXY"))
                else "pages fetched from the web by a newsarchive crawl"
            ),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "scrapy-version": scrapy.__version__,
            "python-version": platform.python_version(),
            "spider": crawler.spidercls.name,
        } | {name: _setting(settings.get(name)) for name in INFO_SETTINGS}
        files = WarcFiles(
            Path(archive) / WARC_DIR, settings.getint("NEWSARCHIVE_WARC_MAX_BYTES"), info
        )
        middleware = _middlewares[crawler] = cls(files, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        request.meta.pop("warc", None)  # copied from the request a redirect or retry came from
        self.sent.add(request)

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.sent.discard(request)

    def process_response(self, request: Request, response: Response) -> Response:
        if request not in self.sent or "cached" in response.flags:
            self.stats.inc_value(STATS + "not_fetched")
            return response
        self.sent.discard(request)
        if self.failed:
            return response
        url = urldefrag(response.url)[0]
        fields = {}
        if request.meta.get("proxy") is None and response.ip_address is not None:
            fields["WARC-IP-Address"] = str(response.ip_address)  # under a proxy: the proxy's
        for flag in set(response.flags) & set(TRUNCATED):
            fields["WARC-Truncated"] = TRUNCATED[flag]
        run = self.stats.get_value("newsarchive/run")  # set by the store pipeline
        if run is not None:
            self.files.info["isPartOf"] = f"newsarchive run {run}"  # in the next warcinfo
        try:
            exchange = self.files.prepare(
                url,
                request_head(request, url) + (request.body or b""),
                response_head(response) + response.body,
                fields,
            )
        except OSError as error:
            self._failed(url, error)
            return response
        if request.meta.get(BUILT_BY_READER) and response.status == 200:
            self.pending.add(exchange)
            request.meta["warc"] = exchange  # captured() writes it
        else:
            request.meta["warc"] = self.write(exchange)
        return response

    def write(self, exchange: Exchange, built: Built | None = None) -> dict[str, Any] | None:
        """Write a fetch (WarcFiles.write); None once the files cannot be written."""
        self.pending.discard(exchange)
        if self.failed:
            return None
        try:
            return self.files.write(exchange, built)
        except OSError as error:
            self._failed(exchange.url, error)
            return None
        finally:  # this run's files as they are now, for the run's summary
            self.stats.set_value(STATS + "records", self.files.records)
            self.stats.set_value(STATS + "bytes", sum(self.files.sizes.values()))
            self.stats.set_value(STATS + "files", dict(self.files.sizes))

    def _failed(self, url: str, error: OSError) -> None:
        # The page would be stored without its evidence: stop, as a full archive does.
        self.failed = True
        logger.error("Cannot write the WARC record of %s: %s", url, error)
        archive_failed(self.crawler, error)

    def spider_closed(self) -> None:
        for exchange in list(self.pending):  # fetched, but never read (the crawl was stopped)
            self.write(exchange)
        self.files.close()


def captured(crawler: Crawler, response: Response, built: Built | None = None) -> dict | None:
    """The pointer to the response's WARC record, which the spider stores with its record:
    written now, from `built` if given, when the middleware left it to the page's reader."""
    capture = response.meta.get("warc")
    if isinstance(capture, Exchange):
        capture = _middlewares[crawler].write(capture, built)
        response.meta["warc"] = capture
    return capture


def _setting(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return "" if value is None else str(value)
