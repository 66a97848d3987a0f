"""Reject records that cannot be archived, with the reason, so the run goes on without them."""

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsarchive.items import Article
from newsarchive.records import record_of, validation_errors


class InvalidItem(DropItem):
    """A record that broke the schema or a rule; the store records it as a failure."""

    def __init__(self, url: str, errors: list[str]):
        super().__init__(f"Invalid record {url}: {'; '.join(errors)}")
        self.url, self.errors = url, errors


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
        record = record_of(item)
        errors = validation_errors(record)
        if errors:
            self.stats.inc_value("newsarchive/failures")
            self.stats.inc_value("newsarchive/failures/invalid")
            raise InvalidItem(record["url"], errors)
        return item
