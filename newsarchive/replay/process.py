"""The replay server in a child process, for `newsarchive crawl --replay`.

The server's threads would otherwise share the crawl's interpreter lock and take a seventh
of its CPU; in a process of its own it uses the second core. The child serves until its
stdin closes, so it never outlives the crawl, even one that is killed.
"""

import subprocess
import sys
from pathlib import Path
from typing import Self


class ReplayError(Exception):
    """The replay server could not start (a missing directory, a port in use)."""


class ReplayProcess:
    """`with ReplayProcess(directory) as replay:` serves it at `replay.proxy_url`."""

    def __init__(self, directory: Path, port: int = 0):
        self.directory, self.port = Path(directory), port
        self.process: subprocess.Popen | None = None
        self.proxy_url = ""

    def start(self) -> Self:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsarchive.replay", str(self.directory), str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            # Its own session: a terminal's Ctrl-C goes to the crawl, which stops it in turn.
            start_new_session=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise ReplayError(line.removeprefix("error: ") or "the replay server did not start")
        self.proxy_url = line
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
