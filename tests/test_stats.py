"""The crawl's stats collector (crawl/stats.py): Scrapy's in-memory stats, read plainly."""

from scrapy import Spider
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from newsarchive import settings
from newsarchive.crawl.stats import CrawlStats


class NamedSpider(Spider):
    name = "named"


def crawler():
    made = get_crawler(NamedSpider, {"STATS_CLASS": settings.STATS_CLASS})
    made.spider = NamedSpider()  # what the crawl sets as it opens the spider
    return made


def test_the_crawl_keeps_its_stats_in_the_plain_collector():
    assert type(crawler().stats) is CrawlStats


def test_its_methods_are_read_as_they_are_not_through_scrapys_wrapper():
    stats = crawler().stats
    assert stats.inc_value.__func__ is StatsCollector.inc_value
    assert stats.get_value.__func__ is StatsCollector.get_value


def test_it_counts_as_scrapys_collector_does_and_keeps_the_stats_after_the_close():
    stats = crawler().stats
    stats.open_spider()
    stats.inc_value("pages")
    stats.inc_value("pages", 2)
    stats.inc_value("bytes", 10, start=5)
    for value in (3, 7, 5):
        stats.max_value("largest", value)
        stats.min_value("smallest", value)
    stats.set_value("reason", "finished")
    assert stats.get_value("pages") == 3
    assert stats.get_value("missing", "none") == "none"
    expected = {"pages": 3, "bytes": 15, "largest": 7, "smallest": 3, "reason": "finished"}
    assert stats.get_stats() == expected
    stats.close_spider(reason="finished")
    assert stats.spider_stats == {"named": expected}
