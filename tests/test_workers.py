"""The crawl's worker processes (crawl/workers.py), real processes over real pipes: answers
reach their callers, a worker's exception is raised with its traceback, and a worker that dies
leaves the work to the crawl's own process."""

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from newsarchive.crawl import workers


# Run in the worker: module-level, so that the worker imports them by name.
def where(value):
    return value, os.getpid()


def fail(message):
    raise ValueError(message)


def slow(seconds):
    time.sleep(seconds)
    return os.getpid()


def unpicklable():
    return lambda: None


def imported(name):
    return name in sys.modules, os.getpid()


def import_colorsys():
    import colorsys  # noqa: F401  # a module nothing else here imports


@pytest.fixture
def crawler():
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_WORKERS": 1})
    yield crawler
    pool = workers._pools.get(crawler)
    if pool is not None:
        pool.shutdown()


def test_each_answer_reaches_its_caller_from_another_process(crawler):
    async def many():
        return await asyncio.gather(*(workers.run(crawler, where, n) for n in range(200)))

    answers = asyncio.run(many())
    assert [value for value, _ in answers] == list(range(200))
    assert {pid for _, pid in answers} != {os.getpid()}
    assert len({pid for _, pid in answers}) == 1  # one worker, started once


def test_a_worker_started_ahead_takes_the_first_task_warmed_up(crawler):
    before = {child.pid for child in multiprocessing.active_children()}
    workers.start(crawler, import_colorsys)
    started = {child.pid for child in multiprocessing.active_children()} - before
    assert len(started) == 1  # running before any task was sent
    assert asyncio.run(workers.run(crawler, imported, "colorsys")) == (True, *started)
    assert asyncio.run(workers.run(crawler, imported, "wave"))[0] is False  # nothing else


def test_a_worker_that_cannot_be_started_ahead_leaves_the_work_here(crawler, monkeypatch, caplog):
    def refused(process):  # a fault this machine will not cause for real: out of processes
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused)
    with caplog.at_level(logging.WARNING, logger="newsarchive.crawl.workers"):
        workers.start(crawler, import_colorsys)
    assert "Cannot start a worker process" in caplog.text
    assert asyncio.run(workers.run(crawler, where, 1)) == (1, os.getpid())


def test_no_worker_is_started_ahead_without_workers():
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_WORKERS": 0})
    before = {child.pid for child in multiprocessing.active_children()}
    workers.start(crawler, import_colorsys)
    assert {child.pid for child in multiprocessing.active_children()} == before


def test_a_message_larger_than_the_pipe_goes_whole_both_ways(crawler):
    body = bytes(range(256)) * 40_000  # 10 MB: many writes and reads each way
    value, pid = asyncio.run(workers.run(crawler, where, body))
    assert value == body and pid != os.getpid()


def test_a_workers_exception_is_raised_here_with_its_traceback(crawler):
    with pytest.raises(ValueError, match="no such page") as raised:
        asyncio.run(workers.run(crawler, fail, "no such page"))
    cause = raised.value.__cause__
    assert isinstance(cause, workers.RemoteTraceback)
    assert "in fail" in str(cause) and "raise ValueError(message)" in str(cause)


def test_a_result_that_cannot_be_sent_back_is_an_error_not_a_hang(crawler):
    with pytest.raises(RuntimeError, match="pickle"):
        asyncio.run(workers.run(crawler, unpicklable))


def worker_pid(crawler) -> int:
    [worker] = workers._pools[crawler].workers
    return worker.process.pid


def test_a_worker_killed_between_tasks_leaves_them_to_this_process(crawler, caplog):
    async def crawl():
        first = await workers.run(crawler, where, 1)
        os.kill(worker_pid(crawler), signal.SIGKILL)
        await asyncio.sleep(0.3)  # the loop reads the pipe's end of file meanwhile
        second = await asyncio.wait_for(workers.run(crawler, where, 2), 10)
        return first, second, await workers.run(crawler, where, 3)

    with caplog.at_level(logging.WARNING):
        first, second, third = asyncio.run(crawl())
    assert first[1] != os.getpid()
    assert second == (2, os.getpid()) and third == (3, os.getpid())  # from then on
    assert "A worker process died" in caplog.text


def test_a_task_sent_to_a_worker_found_dead_is_done_here(crawler):
    asyncio.run(workers.run(crawler, where, 1))
    os.kill(worker_pid(crawler), signal.SIGKILL)  # while no loop reads its pipe
    time.sleep(0.2)
    assert asyncio.run(asyncio.wait_for(workers.run(crawler, where, 2), 10)) == (2, os.getpid())


def test_a_worker_killed_mid_task_leaves_that_task_to_this_process(crawler):
    async def killed_while_sleeping():
        task = asyncio.ensure_future(workers.run(crawler, slow, 0.5))
        await asyncio.sleep(0.2)  # the worker is sleeping in slow()
        os.kill(worker_pid(crawler), signal.SIGKILL)
        return await asyncio.wait_for(task, 10)

    asyncio.run(workers.run(crawler, where, 0))  # the worker started
    assert asyncio.run(killed_while_sleeping()) == os.getpid()


def test_no_workers_means_the_work_is_done_here():
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_WORKERS": 0})
    assert asyncio.run(workers.run(crawler, where, 5)) == (5, os.getpid())


def test_a_worker_ignores_ctrl_c_which_is_the_crawls_to_handle(crawler):
    asyncio.run(workers.run(crawler, where, 0))
    pid = worker_pid(crawler)
    os.kill(pid, signal.SIGINT)  # as a terminal sends it to the whole process group
    assert asyncio.run(workers.run(crawler, where, 1)) == (1, pid)  # alive, and still working
    status = dict(
        line.split(":\t") for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    assert int(status["SigIgn"], 16) & (1 << (signal.SIGINT - 1))


@pytest.fixture
def impatient():
    crawler = get_crawler(
        settings_dict={"NEWSARCHIVE_WORKERS": 1, "NEWSARCHIVE_WORKER_TIMEOUT": 0.5}
    )
    yield crawler
    workers._pools[crawler].shutdown()


def test_a_task_that_runs_too_long_fails_alone_and_its_worker_is_replaced(impatient):
    """A page no reader should take that long on is a failure of its own; the task queued
    behind it on the same worker is answered by the next worker, and the crawl's process
    never does the stuck task itself."""

    async def crawl():
        stuck = asyncio.ensure_future(workers.run(impatient, slow, 30))
        await asyncio.sleep(0.1)
        first = worker_pid(impatient)
        queued = asyncio.ensure_future(workers.run(impatient, where, 1))
        with pytest.raises(workers.TaskTimedOut, match=r"slow took over 0\.5 s"):
            await stuck
        return first, await asyncio.wait_for(queued, 10), await workers.run(impatient, where, 2)

    started = time.monotonic()
    first, queued, later = asyncio.run(crawl())
    assert time.monotonic() - started < 10
    assert queued[0] == 1 and queued[1] not in (first, os.getpid())
    assert later == (2, queued[1])  # the new worker goes on
    assert not Path(f"/proc/{first}").exists()  # the stuck one was stopped


class Unrebuildable(Exception):
    """Pickles, but cannot be unpickled: its __init__ wants two arguments, args holds one."""

    def __init__(self, code, detail):
        super().__init__(f"{code}: {detail}")


def fail_oddly():
    raise Unrebuildable(404, "gone")


def test_an_answer_that_cannot_be_rebuilt_here_still_reaches_its_caller(crawler):
    with pytest.raises(RuntimeError, match="unreadable answer"):
        asyncio.run(asyncio.wait_for(workers.run(crawler, fail_oddly), 10))
    assert asyncio.run(workers.run(crawler, where, 1))[0] == 1  # the worker goes on
