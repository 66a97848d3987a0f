"""The `newsarchive` command's entry point: the command line, imported with Ctrl-C held, so that
an interrupt while Scrapy and its kin are still being imported is one line, not a traceback
from inside some module's import."""

import signal
import sys

EXIT_INTERRUPTED = 130


def run() -> int:
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    try:
        from newsarchive.cli import main
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        if interrupted:
            raise KeyboardInterrupt
        status = main()  # which reports an interrupted command by name, once it has parsed one
    except KeyboardInterrupt:  # while the command line is still being built or parsed
        print("newsarchive: interrupted", file=sys.stderr)
        status = EXIT_INTERRUPTED
    # The command is done and its status decided. Python's shutdown takes a moment (0.2 s
    # after a crawl), and puts the default action back on a signal that has a handler: a
    # Ctrl-C then would kill the process, losing the status and any output still buffered.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return status
