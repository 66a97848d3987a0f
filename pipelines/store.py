"""Store articles in the archive, with every failure and the run's statistics."""

from pathlib import Path
from typing import Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.failures import page_failed, page_redirected
from newsarchive.items import Article
from newsarchive.records import record_of
from newsarchive.store import Archive
from pipelines.dedupe import DuplicateItem
from pipelines.validate import InvalidItem


class StorePipeline:
    """Save each article; record dropped duplicates, invalid items and failed pages."""

    def __init__(self, crawler: Crawler, archive_dir: Path):
        self.crawler, self.archive_dir = crawler, archive_dir
        self.archive: Archive | None = None
        self.run: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        if not path:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        pipeline = cls(crawler, Path(path))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.page_redirected, signal=page_redirected)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.archive = Archive(self.archive_dir)
        self.run = self.archive.start_run(self.crawler.spider.name)
        self.crawler.stats.set_value("newsarchive/run", self.run)

    def process_item(self, item):
        if isinstance(item, Article):
            stored = self.archive.save(record_of(item), self.run)
            self.crawler.stats.inc_value(f"newsarchive/store/{stored.outcome}")
        return item

    def item_dropped(self, item, exception) -> None:
        if isinstance(exception, DuplicateItem):
            self.archive.save(record_of(item), self.run)  # notes the alias or sighting
        elif isinstance(exception, InvalidItem):
            self.archive.add_failure(exception.url, "validate", "invalid",
                                     "; ".join(exception.errors), run=self.run)

    def page_redirected(self, urls: list[str], url: str) -> None:
        """URLs that redirected to a page are its aliases: a 原文链接 naming one still resolves."""
        for alias in urls:
            if alias != url:
                self.archive.add_alias(alias, url, self.run)

    def item_error(self, item, response, failure) -> None:
        self.archive.add_failure(ItemAdapter(item).get("url", ""), "pipeline",
                                 failure.type.__name__, failure.getErrorMessage(), run=self.run)

    def page_failed(self, url, stage, reason, detail=None, http_status=None, referer=None) -> None:
        self.archive.add_failure(url, stage, reason, detail, http_status, referer, run=self.run)

    def spider_closed(self, spider, reason: str) -> None:
        self.archive.finish_run(self.run, reason, self.crawler.stats.get_stats())
        self.archive.close()
