"""The one archive connection a crawl writes through, shared by its pipelines, and what the
crawl does when the archive cannot take a write.

Each write is whole or not at all, so sharing a connection costs no safety, and one
connection means one writer: the pipelines can never lock each other out. The writes are
committed together every COMMIT_EVERY seconds (archive/database.py, group_commits) and when
the engine stops. The crawl holds the archive's
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
from twisted.internet.task import LoopingCall

from newsarchive.archive import Archive, describe
from newsarchive.archive.database import commit_group, group_commits
from newsarchive.archive.lock import CrawlLock

logger = logging.getLogger(__name__)
ARCHIVE_ERROR = "newsarchive/archive_error"  # stats: why the archive stopped taking writes
UNWRITTEN = "newsarchive/unwritten_failures"  # stats: failures the archive could not take
COMMIT_EVERY = 0.5  # seconds of a crawl's writes committed together (database.group_commits)
_open: WeakKeyDictionary[Crawler, tuple[Archive, CrawlLock, LoopingCall]] = WeakKeyDictionary()


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
        group_commits(archive.db)
        committer = LoopingCall(_commit, crawler, archive)
        _open[crawler] = (archive, lock, committer)
        committer.start(COMMIT_EVERY, now=False)
        crawler.signals.connect(
            lambda: close_crawl_archive(crawler), signal=signals.engine_stopped, weak=False
        )
    return _open[crawler][0]


def close_crawl_archive(crawler: Crawler) -> None:
    """The crawl's archive, if still open, committed, closed and unlocked: as its engine
    stops, or after the reactor stopped without it (a second Ctrl-C). Each write is whole
    (a savepoint, database.transaction), so what this commits is what a crash just after
    a commit would have left, and the summary's counts are what the archive holds."""
    archive, lock, committer = _open.pop(crawler, (None, None, None))
    if archive is None:
        return
    if committer.running:
        committer.stop()
    try:
        _commit(crawler, archive)
    finally:
        archive.close()
        lock.release()


def _commit(crawler: Crawler, archive: Archive) -> None:
    try:
        commit_group(archive.db)
    except sqlite3.Error as error:
        logger.error("The writes of the last %s s could not be committed", COMMIT_EVERY)
        archive_failed(crawler, error)


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
