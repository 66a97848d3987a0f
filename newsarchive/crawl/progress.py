"""Progress lines on stderr while a crawl runs, so a long run shows it is alive."""

import sys
import time
from typing import Self, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet.task import LoopingCall


def progress_line(stats: dict, elapsed: float) -> str:
    """One line of crawl counters, e.g. `12 pages · 8 new · 1 unchanged · 1 failed · 3s`."""
    get = stats.get
    return (
        f"{get('response_received_count', 0)} pages · "
        f"{get('newsarchive/store/new', 0)} new · "
        f"{get('newsarchive/store/changed', 0)} changed · "
        f"{get('newsarchive/dedupe/unchanged', 0)} unchanged · "
        f"{get('newsarchive/dedupe/alias', 0) + get('newsarchive/store/moved', 0)} aliases · "
        f"{get('newsarchive/failures', 0)} failed · {elapsed:.0f}s"
    )


class ProgressExtension:
    """Print crawl counters every NEWSARCHIVE_PROGRESS_INTERVAL seconds while they change."""

    def __init__(self, stats: StatsCollector, interval: float, stream: TextIO = sys.stderr):
        self.stats, self.interval, self.stream = stats, interval, stream
        self.started = time.monotonic()
        self.last_line = ""
        self.task = LoopingCall(self.print_progress)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured  # off: no message, it is not a misconfiguration
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task.running:
            self.task.stop()
        self.print_progress()

    def print_progress(self) -> None:
        counters = progress_line(self.stats.get_stats(), time.monotonic() - self.started)
        if counters.rsplit(" · ", 1)[0] != self.last_line.rsplit(" · ", 1)[0]:
            print(f"crawling: {counters}", file=self.stream, flush=True)
        self.last_line = counters
