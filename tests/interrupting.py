"""A Scrapy extension for the Ctrl-C tests: the crawl sends itself a signal at one moment of
its run, as a user's Ctrl-C or a scheduler's SIGTERM may come, at the exact moment a test
names. Enabled by tests/test_cli.py with -s, never by the package."""

import os
import signal

from scrapy import signals


class Interrupt:
    """INTERRUPT_AT names a Scrapy signal; at its first sending, the process gets
    INTERRUPT_SIGNAL (SIGINT or SIGTERM), INTERRUPT_TIMES times over."""

    def __init__(self, signum: int, times: int):
        self.signum, self.times, self.sent = signum, times, False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        extension = cls(
            getattr(signal, settings.get("INTERRUPT_SIGNAL", "SIGINT")),
            settings.getint("INTERRUPT_TIMES", 1),
        )
        crawler.signals.connect(extension.send, signal=getattr(signals, settings["INTERRUPT_AT"]))
        return extension

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        for _ in range(self.times):
            os.kill(os.getpid(), self.signum)
