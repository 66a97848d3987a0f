"""Check each reprint against its original as soon as both are stored."""

import asyncio
import logging
import sqlite3
from collections.abc import Coroutine, Iterable
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.archive import Archive, canonical
from newsarchive.checking import compare_and_encode, pair_of
from newsarchive.crawl import workers
from newsarchive.crawl.archive import archive_failed, crawl_archive
from newsarchive.crawl.signals import page_failed
from newsarchive.items import Article, record_of

logger = logging.getLogger(__name__)
BATCH = 32  # checks in flight at once when many are due together (a spider closing)
# Reprints waiting for their original kept as records for their check, the newest this many:
# as many as there are originals on their way, usually; one past it is read from the archive,
# as is one whose stored record has changed since (it became an alias, or a newer version).
HELD = 200


class CheckPipeline:
    """After the store: a pair is checked once both pages are stored, or once the original
    has failed; a reprint naming no original is checked on arrival. Reprints whose original
    never came are checked when the spider closes.

    The records are read and the check stored here, in the crawl's process; the comparison
    itself, the heavy part, runs in a worker (crawl/workers.py) while the crawl goes on. A
    check lost with its worker (kill -9) leaves its reprint unchecked, and the next crawl's
    open_spider finds it.
    """

    def __init__(self, crawler: Crawler, archive: Archive):
        self.crawler, self.archive = crawler, archive
        self.waiting: set[str] = set()  # reprints whose original is on its way
        self.held: dict[str, tuple[str, dict]] = {}  # the newest's fingerprints and records
        self.newest: dict[str, int] = {}  # reprint URL -> its latest check in flight
        self.started = 0
        self.background: set[asyncio.Future] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSARCHIVE_CHECK_ENABLED"):
            raise NotConfigured
        pipeline = cls(crawler, crawl_archive(crawler))
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        return pipeline

    async def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.kind == "original":
            await self._check_all(self.archive.reprints_naming(item.url), record_of(item))
        elif item.original_url and not self._original_settled(item.original_url):
            self.waiting.add(item.url)  # checking now would be redone in a moment
            self._hold(canonical(item.url), getattr(item, "_fingerprint", None), record_of(item))
        else:
            await self._check(item.url, reprint=record_of(item))
        return item

    def _hold(self, url: str, fingerprint: str | None, record: dict) -> None:
        self.held.pop(url, None)
        if fingerprint is None:
            return
        self.held[url] = fingerprint, record
        if len(self.held) > HELD:
            del self.held[next(iter(self.held))]  # the one waiting longest

    def _held(self, url: str) -> dict | None:
        """The reprint's record kept since it was stored, if the archive still has it so."""
        fingerprint, record = self.held.pop(canonical(url), (None, None))
        if record is not None and self.archive.records.fingerprint_of(url) == fingerprint:
            return record
        return None

    def _original_settled(self, url: str) -> bool:
        return (
            self.archive.records.url_of(url) is not None
            or self.archive.runs.latest_failure(url) is not None
        )

    def page_failed(self, url: str, stage: str) -> None:
        if stage in ("fetch", "link", "parse"):
            reprints = self.archive.reprints_naming(url)
            if reprints:
                self._in_background(self._check_all(reprints))

    def _in_background(self, coroutine: Coroutine) -> None:
        """Checks started by a signal, which cannot wait for them: close_spider does."""
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("A reprint check failed", exc_info=task.exception())

    async def _check_all(self, reprint_urls: Iterable[str], original: dict | None = None) -> None:
        urls = list(reprint_urls)
        for start in range(0, len(urls), BATCH):
            await asyncio.gather(
                *(self._check(url, original) for url in urls[start : start + BATCH])
            )

    async def _check(
        self, reprint_url: str, original: dict | None = None, reprint: dict | None = None
    ) -> None:
        self.waiting.discard(reprint_url)
        self.started += 1
        mine = self.newest[reprint_url] = self.started
        try:
            if reprint is None:
                reprint = self._held(reprint_url)
            pair = pair_of(self.archive, reprint_url, original, reprint)
            if pair is None:
                return
            check, document = await workers.run(self.crawler, compare_and_encode, pair)
            if self.newest.get(reprint_url) != mine:
                return  # a check begun later, on newer records, stores its own
            if self.archive.records.fingerprint_of(check["reprint_url"]) is None:
                return  # an alias now, of a URL that took its record over with its check
            self.archive.checks.save(check, document)
        except sqlite3.Error as error:  # `newsarchive check` makes it again later
            archive_failed(self.crawler, error)
            return
        finally:
            if self.newest.get(reprint_url) == mine:
                del self.newest[reprint_url]
        self.crawler.stats.inc_value(f"newsarchive/check/{check['verdict'] or 'none'}")

    def open_spider(self) -> None:
        """Reprints a killed run stored but never checked: checked by this one, at its end
        if their original does not come first."""
        try:
            self.waiting.update(self.archive.checks.unchecked_reprints())
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)

    async def close_spider(self) -> None:
        """Checks still running finish; reprints whose original never came are checked as
        they are."""
        while self.background:
            await asyncio.gather(*self.background, return_exceptions=True)
        await self._check_all(sorted(self.waiting))
