"""Check each reprint against its original as soon as both are stored."""

from pathlib import Path
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.checks import check_reprint
from newsarchive.failures import page_failed
from newsarchive.items import Article
from newsarchive.store import Archive


class CheckPipeline:
    """After the store: a reprint is checked when it arrives, and again when its original
    arrives or fails, so every pair's check reflects what the archive holds."""

    def __init__(self, crawler: Crawler, archive_dir: Path):
        self.crawler, self.archive_dir = crawler, archive_dir
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        if not crawler.settings.getbool("NEWSARCHIVE_CHECK_ENABLED") or not path:
            raise NotConfigured
        pipeline = cls(crawler, Path(path))
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.archive = Archive(self.archive_dir)

    def process_item(self, item):
        if isinstance(item, Article):
            reprints = [item.url] if item.kind == "reprint" else self.archive.reprints_naming(item.url)
            for url in reprints:
                self._check(url)
        return item

    def page_failed(self, url: str, stage: str) -> None:
        if stage in ("fetch", "link", "parse"):
            for reprint_url in self.archive.reprints_naming(url):
                self._check(reprint_url)

    def _check(self, reprint_url: str) -> None:
        check = check_reprint(self.archive, reprint_url)
        if check is not None:
            self.crawler.stats.inc_value(f"newsarchive/check/{check['verdict'] or 'none'}")

    def spider_closed(self) -> None:
        self.archive.close()
