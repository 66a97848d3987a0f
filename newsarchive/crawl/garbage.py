"""Python's cyclic garbage collector, tuned for the crawl's process.

A crawl makes and drops a few hundred container objects a page (requests, responses,
Deferreds, items). At Python's default threshold of 700 new containers, the collector ran
about 1,400 times in a 5,000-page crawl of bench/crawl.py (with checks) and took 1.3 s of the
crawl's 9.8 s of CPU, scanning again and again objects that live as long as the crawl. Those
made before the first request (Scrapy's and newsarchive's own) are frozen out of its scans,
and it runs after GENERATION0 new containers: 0.25 s of 8.6 s. Reference counting frees
nearly all of a page's objects by itself; the collector is left the few cycles (a Failure and
its traceback), and the crawl's peak memory stayed within a few MB (bench/crawl.py prints it).

The worker processes keep the default: their collections cost no CPU that the bench could
measure, and a cycle there can hold a parsed page's tree, memory the threshold does not count
(their peak rose from 89 to 110 MB at 10,000).
"""

import gc
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler

GENERATION0 = 10_000
_running = 0  # crawls of this process that have tuned it
_before = gc.get_threshold()  # the thresholds before the first of them


def tune() -> None:
    """Freeze what exists and raise the first generation's threshold (once for crawls that
    run together in one process)."""
    global _running, _before
    if _running == 0:
        _before = gc.get_threshold()
        gc.collect()
        gc.freeze()
        gc.set_threshold(GENERATION0, *_before[1:])
    _running += 1


def restore() -> None:
    """As before tune(), once the last crawl that tuned it has stopped."""
    global _running
    if _running == 0:
        return  # an engine stopped that never started
    _running -= 1
    if _running == 0:
        gc.set_threshold(*_before)
        gc.unfreeze()


class GarbageCollection:
    """The extension: the collector tuned from the engine's start to its stop."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(tune, signal=signals.engine_started)
        crawler.signals.connect(restore, signal=signals.engine_stopped)
        return extension
