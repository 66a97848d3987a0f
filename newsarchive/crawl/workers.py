"""The crawl's heavy pure work on the machine's other cores: reading pages and comparing pairs.

Scrapy runs in one thread; a page object and a comparison are pure Python that holds it for a
millisecond each. NEWSARCHIVE_WORKERS processes (default: one per core beyond the first) take
that work: the reactor sends a page's bytes or a pair of records and awaits the result, and
fetches and stores meanwhile. Nothing is written from a worker, so the archive's crash safety
is the reactor's alone. 0 workers does the work in the reactor; so does a crawl whose worker
died, from then on.

The spider starts the first worker as it is made (start()), before Scrapy builds its engine:
the worker's own start-up, 0.4 s of imports, then passes on the other core while the crawl's
process starts up too, not while the first pages wait for it.

The pipes to the workers are read and written by the event loop itself. concurrent.futures'
ProcessPoolExecutor, which this replaces, runs two threads of its own in the crawl's process
to feed its queue and collect results: in a 5,000-page crawl they took 1.9 s of CPU and the
GIL from the reactor at every page, about what the worker saved it (bench/crawl.py).
"""

import asyncio
import logging
import os
import pickle
import struct
import traceback
from collections.abc import Callable
from itertools import count
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

from newsarchive.processes import spawn_context

logger = logging.getLogger(__name__)
_pools: WeakKeyDictionary[Crawler, "Workers | None"] = WeakKeyDictionary()
_READ_SIZE = 1 << 20


class WorkerDied(Exception):
    """The worker process ended (killed, out of memory) before it answered."""


class WorkerReplaced(Exception):
    """The worker was stopped for another task that ran too long, before it answered."""


class TaskTimedOut(Exception):
    """A task ran past NEWSARCHIVE_WORKER_TIMEOUT: a page no reader should take that long on,
    recorded as its failure; its worker was stopped and another started."""


class RemoteTraceback(Exception):
    """The worker's traceback of an exception raised there: its cause, raised here."""

    def __str__(self) -> str:
        return self.args[0]


def _frame(payload: bytes) -> bytes:
    """A message as multiprocessing's Connection.recv_bytes() reads it in the worker."""
    if len(payload) < 0x7FFFFFFF:
        return struct.pack("!i", len(payload)) + payload
    return struct.pack("!iQ", -1, len(payload)) + payload


def _unframe(buffer: bytearray) -> bytes | None:
    """The first whole message in `buffer`, taken off it; None while it is incomplete."""
    if len(buffer) < 4:
        return None
    (size,) = struct.unpack_from("!i", buffer)
    start = 4
    if size == -1:
        if len(buffer) < 12:
            return None
        (size,) = struct.unpack_from("!Q", buffer, 4)
        start = 12
    if len(buffer) < start + size:
        return None
    message = bytes(buffer[start : start + size])
    del buffer[: start + size]
    return message


def serve(tasks, results, warm_up: Callable[[], None] | None = None) -> None:
    """A worker's loop: a task in, its outcome out, until the crawl closes the pipe.
    `warm_up` runs first, before a task waits for what it does once (imports, compiling)."""
    if warm_up is not None:
        warm_up()
    while True:
        try:
            message = tasks.recv_bytes()
        except EOFError:
            return
        number, function, args = pickle.loads(message)
        try:
            done, value, remote = True, function(*args), None
        except Exception as error:
            done, value, remote = False, error, traceback.format_exc()
        try:
            value = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a result or an exception that cannot be pickled
            done, remote = False, traceback.format_exc()
            value = pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
        # The value pickled apart: one the crawl cannot rebuild still answers its caller.
        results.send_bytes(pickle.dumps((number, done, value, remote), pickle.HIGHEST_PROTOCOL))


class Worker:
    """One worker process and its two pipes, non-blocking on this side."""

    def __init__(self, context, died, warm_up: Callable[[], None] | None = None):
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=serve, args=(task_reader, result_writer, warm_up), daemon=True
        )
        self.process.start()  # SIGINT ignored: Ctrl-C is the crawl's to handle
        task_reader.close()  # the worker's ends: its exit is an end of file here
        result_writer.close()
        for connection in (self.tasks, self.results):
            os.set_blocking(connection.fileno(), False)
        self.died = died
        self.loop: asyncio.AbstractEventLoop | None = None
        self.outbox, self.inbox = bytearray(), bytearray()
        self.waiting: dict[int, asyncio.Future] = {}
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read and write through `loop` (a test runs several loops one after another)."""
        if self.loop is loop:
            return
        if self.loop is not None and not self.loop.is_closed():
            self._unwatch()
        self.loop = loop
        loop.add_reader(self.results.fileno(), self._readable)
        if self.outbox:
            loop.add_writer(self.tasks.fileno(), self._writable)

    def send(self, number: int, future: asyncio.Future, message: bytes) -> None:
        if self.closed:
            future.set_exception(WorkerDied())
            return
        self.waiting[number] = future
        if self.outbox:
            self.outbox += message
            return
        try:
            written = os.write(self.tasks.fileno(), message)
        except BlockingIOError:
            written = 0
        except OSError:
            self.close(WorkerDied())
            return
        if written < len(message):
            self.outbox += memoryview(message)[written:]
            self.loop.add_writer(self.tasks.fileno(), self._writable)

    def _writable(self) -> None:
        try:
            written = os.write(self.tasks.fileno(), self.outbox)
        except BlockingIOError:
            return
        except OSError:
            self.close(WorkerDied())
            return
        del self.outbox[:written]
        if not self.outbox:
            self.loop.remove_writer(self.tasks.fileno())

    def _readable(self) -> None:
        try:
            data = os.read(self.results.fileno(), _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.close(WorkerDied())
            return
        self.inbox += data
        while (message := _unframe(self.inbox)) is not None:
            self._answer(message)

    def _answer(self, message: bytes) -> None:
        number, done, value, remote = pickle.loads(message)
        future = self.waiting.pop(number, None)
        if future is None or future.done():  # its caller gave up waiting
            return
        try:
            value = pickle.loads(value)
        except Exception as error:  # e.g. an exception class whose arguments do not rebuild it
            done, value = False, RuntimeError(f"unreadable answer: {type(error).__name__}: {error}")
        if done:
            future.set_result(value)
        else:
            value.__cause__ = RemoteTraceback(remote)
            future.set_exception(value)

    def _unwatch(self) -> None:
        self.loop.remove_reader(self.results.fileno())
        self.loop.remove_writer(self.tasks.fileno())

    def close(self, error: BaseException) -> None:
        """Stop the worker and fail what it still owes with `error`."""
        if self.closed:
            return
        self.closed = True
        if self.loop is not None and not self.loop.is_closed():
            self._unwatch()
        self.tasks.close()  # the worker reads an end of file and returns
        self.results.close()
        if isinstance(error, WorkerReplaced):
            self.process.kill()  # busy with the task that ran too long: it would not read it
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(error)
        self.waiting.clear()
        if isinstance(error, WorkerDied):
            self.died()


class Workers:
    """The crawl's worker processes, each started when the work first needs it."""

    def __init__(self, size: int):
        self.size = size
        self.context = spawn_context()
        self.workers: list[Worker] = []
        self.numbers = count()
        self.broken = False

    def start(self, warm_up: Callable[[], None] | None) -> None:
        """The first worker, started ahead of its first task; the others when the work
        needs them."""
        if not self.workers:
            self.workers.append(Worker(self.context, self._died, warm_up))

    def submit(self, function, args: tuple) -> tuple[Worker, asyncio.Future]:
        if self.broken:
            raise WorkerDied  # one died between two tasks
        loop = asyncio.get_running_loop()
        number = next(self.numbers)
        message = _frame(pickle.dumps((number, function, args), pickle.HIGHEST_PROTOCOL))
        idle = [worker for worker in self.workers if not worker.waiting]
        if not idle and len(self.workers) < self.size:
            self.workers.append(Worker(self.context, self._died))
        worker = min(self.workers, key=lambda worker: len(worker.waiting))
        worker.bind(loop)
        future = loop.create_future()
        worker.send(number, future, message)
        return worker, future

    def replace(self, worker: Worker) -> None:
        """Stop a worker stuck on a task; the next task starts another."""
        if worker in self.workers:
            self.workers.remove(worker)
            worker.close(WorkerReplaced())

    def _died(self) -> None:
        self.broken = True

    def shutdown(self) -> None:
        for worker in self.workers:
            worker.close(asyncio.CancelledError())


def _pool(crawler: Crawler) -> Workers | None:
    if crawler not in _pools:
        size = crawler.settings.getint("NEWSARCHIVE_WORKERS")
        pool = Workers(size) if size > 0 else None
        if pool is not None:
            crawler.signals.connect(pool.shutdown, signal=signals.engine_stopped, weak=False)
        _pools[crawler] = pool
    return _pools[crawler]


def start(crawler: Crawler, warm_up: Callable[[], None] | None = None) -> None:
    """Start the crawl's first worker now; it runs `warm_up` (a module-level function, which
    the worker imports with its module) before its first task. A crawl that reads no page,
    a rerun with nothing new, pays that start-up for nothing: 0.4 s of CPU on another core."""
    if (pool := _pool(crawler)) is None:
        return
    try:
        pool.start(warm_up)
    except OSError as error:  # no process to be had (a limit, a sandbox): not a reason to stop
        logger.warning("Cannot start a worker process (%s); the crawl reads in-process", error)
        pool.shutdown()
        _pools[crawler] = None


async def run(crawler: Crawler, function, *args) -> Any:
    """`function(*args)` in a worker (awaited), or here when there is none. Its exception is
    raised here, with the worker's traceback as its cause; TaskTimedOut if it runs past
    NEWSARCHIVE_WORKER_TIMEOUT seconds (0: no limit)."""
    pool = _pool(crawler)
    if pool is None:
        return function(*args)
    timeout = crawler.settings.getfloat("NEWSARCHIVE_WORKER_TIMEOUT") or None
    try:
        for _ in range(3):  # a task whose worker was stopped for another's sake goes again
            worker, future = pool.submit(function, args)
            try:
                return await asyncio.wait_for(future, timeout)
            except TimeoutError:
                pool.replace(worker)
                raise TaskTimedOut(
                    f"{function.__name__} took over {timeout:g} s in a worker, stopped"
                ) from None
            except WorkerReplaced:
                continue
        raise WorkerReplaced
    except WorkerDied:
        # A worker died (killed, out of memory): the crawl goes on without workers.
        if _pools.get(crawler) is pool:
            logger.warning("A worker process died; the crawl reads and compares in-process")
            _pools[crawler] = None
            pool.shutdown()
        return function(*args)
