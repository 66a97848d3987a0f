"""`python -m newsarchive.replay DIR [PORT]`: serve DIR and print the proxy URL on stdout.

This is how a crawl runs its replay server in a process of its own (process.py): the
server's threads then never compete with the crawl for the interpreter.
"""

import signal
import sys
from pathlib import Path

from newsarchive.replay.server import ReplayServer


def main(argv: list[str]) -> int:
    # Ctrl-C in a terminal reaches the whole process group; the crawl that started this
    # server decides when it stops (SIGTERM or stdin closed), so the crawl can end cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    directory, port = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 0
    try:
        server = ReplayServer(directory, port=port)
    except OSError as error:
        print(f"error: {error}", flush=True)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print(server.proxy_url, flush=True)
    except BrokenPipeError:
        return 0  # the crawl stopped before it read where we serve: nothing to do
    with server:
        sys.stdin.read()  # serve until the parent closes our stdin (or is gone)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
