"""Drop articles the archive already holds, by canonical URL and by content hash."""

import sqlite3
from typing import Self

from scrapy.crawler import Crawler

from newsarchive.archive import Archive, fingerprint
from newsarchive.crawl.archive import ArchiveFailed, archive_failed, crawl_archive
from newsarchive.crawl.drops import DuplicateItem
from newsarchive.crawl.prepare import prepared
from newsarchive.items import Article, record_of


class DedupePipeline:
    """Pass new and changed articles on; drop unchanged ones and aliases.

    Dropping here keeps duplicates out of feed exports too; the store still records aliases
    and last-seen times from the dropped items.
    """

    def __init__(self, crawler: Crawler, archive: Archive):
        self.crawler, self.stats, self.archive = crawler, crawler.stats, archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawl_archive(crawler))

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        record = record_of(item)
        try:
            # Computed once (where the page was read, if it was): the store uses it too.
            marks = prepared(item)
            item._fingerprint = marks.fingerprint if marks else fingerprint(record)
            # Kept for the store, which takes it if nothing was written meanwhile.
            item._decided = self.archive.records.decide(record, item._fingerprint)
            decision = item._decided.stored
        except sqlite3.Error as error:
            archive_failed(self.crawler, error)
            raise ArchiveFailed(item.url, error) from error
        if decision.outcome in ("unchanged", "alias"):
            self.stats.inc_value(f"newsarchive/dedupe/{decision.outcome}")
            raise DuplicateItem(item.url, decision)
        return item
