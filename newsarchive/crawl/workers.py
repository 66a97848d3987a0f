"""The crawl's heavy pure work on the machine's other cores: reading pages and comparing pairs.

Scrapy runs in one thread; a page object and a comparison are pure Python that holds it for a
millisecond each. NEWSARCHIVE_WORKERS processes (default: one per core beyond the first) take
that work: the reactor sends a page's bytes or a pair of records and awaits the result, and
fetches and stores meanwhile. Nothing is written from a worker, so the archive's crash safety
is the reactor's alone. 0 workers does the work in the reactor; so does a crawl whose worker
died, from then on.
"""

import asyncio
import logging
import multiprocessing
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
_pools: WeakKeyDictionary[Crawler, Executor | None] = WeakKeyDictionary()


def _pool(crawler: Crawler) -> Executor | None:
    if crawler not in _pools:
        count = crawler.settings.getint("NEWSARCHIVE_WORKERS")
        pool = None
        if count > 0:
            # spawn, not fork: a forked child would inherit the running reactor and its sockets.
            pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"))
            crawler.signals.connect(_shutdown(pool), signal=signals.engine_stopped, weak=False)
        _pools[crawler] = pool
    return _pools[crawler]


def _shutdown(pool: Executor):
    def engine_stopped() -> None:
        pool.shutdown(wait=True, cancel_futures=True)

    return engine_stopped


async def run(crawler: Crawler, function, *args) -> Any:
    """`function(*args)` in a worker (awaited), or here when there is none. Its exception is
    raised here, with the worker's traceback as its cause."""
    pool = _pool(crawler)
    if pool is None:
        return function(*args)
    # A worker is started by the submit that needs it. It starts with SIGINT blocked, the mask
    # it inherits from here: Ctrl-C to the process group is the crawl's to handle (it stops
    # the engine, which shuts the workers down), not a traceback from each worker.
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            future = pool.submit(function, *args)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return await asyncio.wrap_future(future)
    except BrokenProcessPool:
        # A worker died (killed, out of memory): the crawl goes on without workers.
        if _pools.get(crawler) is pool:
            logger.warning("A worker process died; the crawl reads and compares in-process")
            _pools[crawler] = None
            pool.shutdown(wait=False, cancel_futures=True)
        return function(*args)
