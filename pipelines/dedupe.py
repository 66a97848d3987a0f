"""Drop articles the archive already holds, by canonical URL and by content hash."""

from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newsarchive.items import Article
from newsarchive.records import record_of
from newsarchive.store import Archive, Stored


class DuplicateItem(DropItem):
    """An unchanged page, or the same article under a second URL; the store notes which."""

    def __init__(self, url: str, decision: Stored):
        super().__init__(f"{decision.outcome.capitalize()}: {url} (stored as {decision.url})",
                         log_level="DEBUG")
        self.url, self.decision = url, decision


class DedupePipeline:
    """Pass new and changed articles on; drop unchanged ones and aliases.

    Dropping here keeps duplicates out of feed exports too; the store still records aliases
    and last-seen times from the dropped items.
    """

    def __init__(self, stats: StatsCollector, archive_dir: Path):
        self.stats, self.archive_dir = stats, archive_dir
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        if not path:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        return cls(crawler.stats, Path(path))

    def open_spider(self) -> None:
        self.archive = Archive(self.archive_dir)

    def close_spider(self) -> None:
        self.archive.close()

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        decision = self.archive.classify(record_of(item))
        if decision.outcome in ("unchanged", "alias"):
            self.stats.inc_value(f"newsarchive/dedupe/{decision.outcome}")
            raise DuplicateItem(item.url, decision)
        return item
