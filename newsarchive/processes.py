"""Worker processes that leave Ctrl-C to the command that started them.

A terminal sends Ctrl-C to the whole process group: to the command, and to every worker it
spawned. A worker with Python's own handler then prints a KeyboardInterrupt traceback from
wherever it was (from the site module's import, if it was still starting), while the command
stops cleanly with one line. So the workers start with SIGINT ignored, which they inherit:
Python then installs no handler of its own. The command stops them as it stops.
"""

import multiprocessing.context
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _SpawnProcess(multiprocessing.context.SpawnProcess):
    def start(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            super().start()  # only the main thread may set a signal's handler
            return
        # Blocked meanwhile, so that a Ctrl-C to the command itself waits rather than meet
        # the ignored state too. That holds while this is the process's only thread; with
        # others (a pool's), one of them takes it, and it is lost: a few milliseconds a
        # worker, once.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            super().start()
        finally:
            signal.signal(signal.SIGINT, handler)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class _SpawnContext(multiprocessing.context.SpawnContext):
    Process = _SpawnProcess


def spawn_context() -> multiprocessing.context.SpawnContext:
    """multiprocessing's spawn context, its processes started with SIGINT ignored. Spawn, not
    fork: a forked child would share the parent's reactor and open SQLite connection."""
    return _SpawnContext()


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """A Ctrl-C meanwhile is noted and raised as it ends: not in the middle of starting a
    worker, which a pool has then started but not counted, and never stops; its start-up
    then fails as the pool is torn down ("FileNotFoundError" from a semaphore)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: noted.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted:
            signal.raise_signal(signal.SIGINT)  # to the handler there was: KeyboardInterrupt
