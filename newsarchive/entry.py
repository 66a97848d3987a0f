"""The `newsarchive` command's entry point: the command line, imported inside a guard, so that
Ctrl-C while Scrapy and its kin are still being imported is one line, not a traceback."""

import sys

EXIT_INTERRUPTED = 130


def run() -> int:
    try:
        from newsarchive.cli import main
    except KeyboardInterrupt:
        print("newsarchive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return main()
