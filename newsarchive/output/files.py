"""Files written whole or not at all: a reader never sees half an export or report page."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or what a plain open() would give a new file."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(path: str | Path | None, durable: bool = True):
    """A binary file that replaces `path` only once fully written; stdout for None or `-`.
    `durable` syncs it to disk first, so a crash right after cannot leave it empty."""
    if path in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.fchmod(descriptor, _mode_for(target))  # mkstemp makes 0600; an export is for sharing
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
