"""Store articles in the archive, with every failure and the run's statistics."""

from typing import Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from newsarchive.archive import Archive
from newsarchive.crawl.archive import crawl_archive
from newsarchive.crawl.drops import DuplicateItem, InvalidItem
from newsarchive.crawl.signals import page_failed, page_redirected
from newsarchive.items import Article, record_of


class StorePipeline:
    """Save each article; record dropped duplicates, invalid items and failed pages."""

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
        self.run = self.archive.runs.start(self.crawler.spider.name)
        self.crawler.stats.set_value("newsarchive/run", self.run)

    def process_item(self, item):
        if isinstance(item, Article):
            stored = self.archive.records.save(record_of(item), self.run)
            self.crawler.stats.inc_value(f"newsarchive/store/{stored.outcome}")
        return item

    def item_dropped(self, item, exception) -> None:
        if isinstance(exception, DuplicateItem):
            self.archive.records.save(record_of(item), self.run)  # notes the alias or sighting
        elif isinstance(exception, InvalidItem):
            self.archive.runs.add_failure(
                exception.url, "validate", "invalid", "; ".join(exception.errors), run=self.run
            )

    def page_redirected(self, urls: list[str], url: str) -> None:
        """URLs that redirected to a page are its aliases: a 原文链接 naming one still resolves."""
        for alias in urls:
            if alias != url:
                self.archive.records.add_alias(alias, url, self.run)

    def item_error(self, item, response, failure) -> None:
        self.archive.runs.add_failure(
            ItemAdapter(item).get("url", ""),
            "pipeline",
            failure.type.__name__,
            failure.getErrorMessage(),
            run=self.run,
        )

    def page_failed(self, url, stage, reason, detail=None, http_status=None, referer=None) -> None:
        self.archive.runs.add_failure(
            url, stage, reason, detail, http_status, referer, run=self.run
        )

    def spider_closed(self, reason: str) -> None:
        self.archive.runs.finish(self.run, reason, self.crawler.stats.get_stats())
