"""Reject records that cannot be archived, with the reason, so the run goes on without them."""

from typing import Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsarchive.archive.validation import validation_errors
from newsarchive.crawl.drops import InvalidItem
from newsarchive.crawl.prepare import prepared
from newsarchive.items import Article, record_of


class ValidatePipeline:
    """Check each article against the JSON Schema and the archive's rules."""

    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.stats)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        marks = prepared(item)
        errors = marks.errors if marks else validation_errors(record_of(item))
        if errors:
            self.stats.inc_value("newsarchive/failures")
            self.stats.inc_value("newsarchive/failures/invalid")
            raise InvalidItem(item.url, errors)
        return item
