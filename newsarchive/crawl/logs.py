"""The loggers held at LOG_LEVEL while a crawl fetches, so that a record below it is never made.

Scrapy sets its own logger to DEBUG and the root logger to NOTSET, and leaves its handler to
drop what is below LOG_LEVEL. Each of those records is built first, its caller's frame looked
up: the DEBUG lines Scrapy writes for every page and item ("Crawled", "Scraped from") took 2 %
of the crawl's process in bench/crawl.py, to be thrown away.
"""

import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.log import get_scrapy_root_handler

HELD = (logging.root, logging.getLogger("scrapy"))  # newsarchive's loggers go by the root's


class HeldLogLevel:
    """The extension: from the engine's start to its stop (Scrapy sets the levels again as
    the crawl begins, after the extensions are made). Only where the log is Scrapy's own: a
    program that runs the crawl with logging of its own keeps its loggers as it set them."""

    def __init__(self, level: int | str):
        self.level = level
        self.before = [logger.level for logger in HELD]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if get_scrapy_root_handler() is None:
            raise NotConfigured("the log is not Scrapy's")
        extension = cls(crawler.settings.get("LOG_LEVEL"))
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        self.before = [logger.level for logger in HELD]
        for logger in HELD:
            logger.setLevel(self.level)

    def engine_stopped(self) -> None:
        for logger, level in zip(HELD, self.before, strict=True):
            logger.setLevel(level)
