"""The crawl's stats collector: Scrapy's own, read without a hook on every attribute.

Scrapy 2.19's StatsCollector overrides __getattribute__ to wrap its methods in a warning for a
deprecated `spider` argument. The hook runs on every attribute read, its methods' own reads of
`_stats` included, and each of those first fails to find a cached wrapper: an AttributeError
raised and caught. The counters the middlewares and pipelines keep for every page made that
2.5 % of the crawl's process in bench/crawl.py. newsarchive passes no `spider` argument, so
the plain attribute lookup does the same work.
"""

from scrapy.statscollectors import MemoryStatsCollector


class CrawlStats(MemoryStatsCollector):
    """MemoryStatsCollector (the stats kept after the spider closes), minus the hook."""

    __getattribute__ = object.__getattribute__
