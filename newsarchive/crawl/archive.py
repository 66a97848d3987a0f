"""The one archive connection a crawl writes through, shared by its pipelines, and what the
crawl does when the archive cannot take a write.

Every write commits on its own, so sharing a connection costs no safety, and one connection
means one writer: the pipelines can never lock each other out. The crawl holds the archive's
crawl lock (archive/lock.py) from its first write until the engine stops, after every
pipeline's close_spider and spider_closed handler has written.
"""

import logging
import sqlite3
from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newsarchive.archive import Archive, describe
from newsarchive.archive.lock import CrawlLock

logger = logging.getLogger(__name__)
ARCHIVE_ERROR = "newsarchive/archive_error"  # stats: why the archive stopped taking writes
UNWRITTEN = "newsarchive/unwritten_failures"  # stats: failures the archive could not take
_open: WeakKeyDictionary[Crawler, tuple[Archive, CrawlLock]] = WeakKeyDictionary()


class ArchiveFailed(DropItem):
    """An item the archive could not store (disk full, read-only): the crawl is stopping."""

    def __init__(self, url: str, error: BaseException):
        super().__init__(
            f"Not stored, the archive failed: {url}: {describe(error)}", log_level="ERROR"
        )


def crawl_archive(crawler: Crawler) -> Archive:
    """The crawl's archive (NEWSARCHIVE_ARCHIVE), opened and locked on first use."""
    if crawler not in _open:
        path = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        if not path:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        archive = Archive(Path(path), crawler.settings.getint("NEWSARCHIVE_ARCHIVE_MAX_BYTES"))
        try:
            lock = CrawlLock.acquire(Path(path), f"spider {crawler.spidercls.name}")
        except Exception:
            archive.close()
            raise
        _open[crawler] = (archive, lock)
        crawler.signals.connect(_closer(crawler), signal=signals.engine_stopped, weak=False)
    return _open[crawler][0]


def _closer(crawler: Crawler):
    def engine_stopped() -> None:
        archive, lock = _open.pop(crawler, (None, None))
        if archive is not None:
            archive.close()
            lock.release()

    return engine_stopped


def archive_failed(crawler: Crawler, error: sqlite3.Error) -> None:
    """The archive refused a write: stop the crawl now, keeping the reason for its summary.

    Fetching on would only lose more pages; everything committed before stays.
    """
    if crawler.stats.get_value(ARCHIVE_ERROR) is not None:
        return
    crawler.stats.set_value(ARCHIVE_ERROR, describe(error))
    logger.error("The archive stopped taking writes (%s); stopping the crawl", describe(error))
    if crawler.engine is not None and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason="archive_error"))
