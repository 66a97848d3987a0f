"""One crawl per archive at a time: an exclusive OS lock on a file in the archive directory.

The lock is the kernel's (flock), so it goes with the process that held it, even one killed
with SIGKILL: there is no stale lock to clean up. The file's text only names the holder, for
the message the next crawl prints.
"""

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.archive.errors import ArchiveBusy

LOCK_NAME = "crawl.lock"
_held: dict[Path, "CrawlLock"] = {}  # this process's locks, by archive directory


class CrawlLock:
    """The right to write an archive as a crawl; `acquire` returns it or raises ArchiveBusy."""

    def __init__(self, directory: Path, descriptor: int):
        self.directory, self.descriptor = directory, descriptor

    @classmethod
    def acquire(cls, directory: Path, holder: str = "") -> "CrawlLock":
        """Take the lock now or raise ArchiveBusy naming who has it; never waits. A process
        that holds it already gets the same lock again."""
        directory = Path(directory).resolve()
        if directory in _held:
            return _held[directory]
        descriptor = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = os.pread(descriptor, 1000, 0).decode("utf-8", "replace").strip()
            os.close(descriptor)
            raise ArchiveBusy(
                f"another crawl is writing to {directory}" + (f" ({who})" if who else "")
            ) from None
        started = datetime.now(UTC).isoformat(timespec="seconds")
        text = f"pid {os.getpid()}, started {started}{', ' + holder if holder else ''}"
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, text.encode("utf-8"), 0)
        lock = _held[directory] = cls(directory, descriptor)
        return lock

    def release(self) -> None:
        if _held.pop(self.directory, None) is not None:
            os.ftruncate(self.descriptor, 0)
            os.close(self.descriptor)  # closing the descriptor releases the flock
