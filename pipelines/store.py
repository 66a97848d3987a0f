"""Store articles in the archive, with every failure and the run's statistics."""

import sqlite3
from typing import Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from newsarchive.archive import Archive
from newsarchive.crawl.archive import UNWRITTEN, ArchiveFailed, archive_failed, crawl_archive
from newsarchive.crawl.drops import DuplicateItem, InvalidItem
from newsarchive.crawl.prepare import prepared_document
from newsarchive.crawl.quality import trigger_of
from newsarchive.crawl.signals import page_failed, page_redirected
from newsarchive.items import Article, record_of


class StorePipeline:
    """Save each article; record dropped duplicates, invalid items and failed pages.

    When the archive refuses a write (disk full, read-only), the crawl stops at once
    (crawl/archive.py); failures that could not be written are kept in the run's stats, so
    the summary still lists them.
    """

    def __init__(self, crawler: Crawler, archive: Archive):
        self.crawler, self.archive = crawler, archive
        self.run: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(crawler, crawl_archive(crawler))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.page_redirected, signal=page_redirected)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        try:
            self.run = self.archive.runs.start(
                self.crawler.spider.name, trigger_of(self.crawler.settings)
            )
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)
            return
        self.crawler.stats.set_value("newsarchive/run", self.run)

    def process_item(self, item):
        if isinstance(item, Article):
            try:
                stored = self.archive.records.save(
                    record_of(item),
                    self.run,
                    getattr(item, "_fingerprint", None),
                    decided=getattr(item, "_decided", None),
                    document=prepared_document(item),
                )
            except sqlite3.Error as error:
                archive_failed(self.crawler, error)
                raise ArchiveFailed(item.url, error) from error
            self.crawler.stats.inc_value(f"newsarchive/store/{stored.outcome}")
        return item

    def item_dropped(self, item, exception) -> None:
        if isinstance(exception, DuplicateItem):
            self._write(self.archive.records.save, record_of(item), self.run)  # alias, sighting
        elif isinstance(exception, InvalidItem):
            self._failure(exception.url, "validate", "invalid", "; ".join(exception.errors))

    def page_redirected(self, urls: list[str], url: str) -> None:
        """URLs that redirected to a page are its aliases: a 原文链接 naming one still resolves."""
        for alias in urls:
            if alias != url:
                self._write(self.archive.records.add_alias, alias, url, self.run)

    def item_error(self, item, response, failure) -> None:
        self._failure(
            ItemAdapter(item).get("url", ""),
            "pipeline",
            failure.type.__name__,
            failure.getErrorMessage(),
        )

    def page_failed(self, url, stage, reason, detail=None, http_status=None, referer=None) -> None:
        self._failure(url, stage, reason, detail, http_status, referer)

    def spider_closed(self, reason: str) -> None:
        if self.run is not None:
            self._write(self.archive.runs.finish, self.run, reason, self.crawler.stats.get_stats())

    def _failure(self, url, stage, reason, detail=None, http_status=None, referer=None) -> None:
        if not self._write(
            self.archive.runs.add_failure,
            url,
            stage,
            reason,
            detail,
            http_status,
            referer,
            run=self.run,
        ):
            unwritten = self.crawler.stats.get_value(UNWRITTEN, [])
            unwritten.append({"url": url, "stage": stage, "reason": reason, "detail": detail})
            self.crawler.stats.set_value(UNWRITTEN, unwritten)

    def _write(self, write, *args, **kwargs) -> bool:
        """One archive write; False after a refused one has stopped the crawl."""
        try:
            write(*args, **kwargs)
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)
            return False
        return True
