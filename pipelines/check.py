"""Check each reprint against its original as soon as both are stored."""

import sqlite3
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.archive import Archive
from newsarchive.checking import check_reprint
from newsarchive.crawl.archive import archive_failed, crawl_archive
from newsarchive.crawl.signals import page_failed
from newsarchive.items import Article, record_of


class CheckPipeline:
    """After the store: a pair is checked once both pages are stored, or once the original
    has failed; a reprint naming no original is checked on arrival. Reprints whose original
    never came are checked when the spider closes."""

    def __init__(self, crawler: Crawler, archive: Archive):
        self.crawler, self.archive = crawler, archive
        self.waiting: set[str] = set()  # reprints whose original is on its way

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSARCHIVE_CHECK_ENABLED"):
            raise NotConfigured
        pipeline = cls(crawler, crawl_archive(crawler))
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        return pipeline

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.kind == "original":
            original = record_of(item)
            for url in self.archive.reprints_naming(item.url):
                self._check(url, original)
        elif item.original_url and not self._original_settled(item.original_url):
            self.waiting.add(item.url)  # checking now would be redone in a moment
        else:
            self._check(item.url, reprint=record_of(item))
        return item

    def _original_settled(self, url: str) -> bool:
        return (
            self.archive.records.url_of(url) is not None
            or self.archive.runs.latest_failure(url) is not None
        )

    def page_failed(self, url: str, stage: str) -> None:
        if stage in ("fetch", "link", "parse"):
            for reprint_url in self.archive.reprints_naming(url):
                self._check(reprint_url)

    def _check(
        self, reprint_url: str, original: dict | None = None, reprint: dict | None = None
    ) -> None:
        self.waiting.discard(reprint_url)
        try:
            check = check_reprint(self.archive, reprint_url, original, reprint)
        except sqlite3.Error as error:  # `newsarchive check` makes it again later
            archive_failed(self.crawler, error)
            return
        if check is not None:
            self.crawler.stats.inc_value(f"newsarchive/check/{check['verdict'] or 'none'}")

    def open_spider(self) -> None:
        """Reprints a killed run stored but never checked: checked by this one, at its end
        if their original does not come first."""
        try:
            self.waiting.update(self.archive.checks.unchecked_reprints())
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)

    def close_spider(self) -> None:
        """Reprints whose original never came: checked as they are."""
        for reprint_url in sorted(self.waiting):
            self._check(reprint_url)
