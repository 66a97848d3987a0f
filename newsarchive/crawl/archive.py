"""The one archive connection a crawl writes through, shared by its pipelines.

Every write commits on its own, so sharing a connection costs no safety, and one connection
means one writer: the pipelines can never lock each other out. It closes when the engine
stops, after every pipeline's close_spider and spider_closed handler has written.
"""

from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsarchive.archive import Archive

_open: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()


def crawl_archive(crawler: Crawler) -> Archive:
    """The crawl's archive (NEWSARCHIVE_ARCHIVE), opened on first use."""
    if crawler not in _open:
        path = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        if not path:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        _open[crawler] = Archive(Path(path))
        crawler.signals.connect(_closer(crawler), signal=signals.engine_stopped, weak=False)
    return _open[crawler]


def _closer(crawler: Crawler):
    def engine_stopped() -> None:
        archive = _open.pop(crawler, None)
        if archive is not None:
            archive.close()

    return engine_stopped
