"""Drop articles the archive already holds, by canonical URL and by content hash."""

from typing import Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsarchive.archive import Archive
from newsarchive.crawl.archive import crawl_archive
from newsarchive.crawl.drops import DuplicateItem
from newsarchive.items import Article, record_of


class DedupePipeline:
    """Pass new and changed articles on; drop unchanged ones and aliases.

    Dropping here keeps duplicates out of feed exports too; the store still records aliases
    and last-seen times from the dropped items.
    """

    def __init__(self, stats: StatsCollector, archive: Archive):
        self.stats, self.archive = stats, archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats, crawl_archive(crawler))

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        decision = self.archive.records.classify(record_of(item))
        if decision.outcome in ("unchanged", "alias"):
            self.stats.inc_value(f"newsarchive/dedupe/{decision.outcome}")
            raise DuplicateItem(item.url, decision)
        return item
