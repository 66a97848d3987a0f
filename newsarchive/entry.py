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
    if interrupted:
        print("newsarchive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return main()
