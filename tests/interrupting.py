"""A Scrapy extension for the Ctrl-C tests: the crawl sends itself a signal at one moment of
its run, as a user's Ctrl-C or a scheduler's SIGTERM may come, at the exact moment a test
names. Enabled by tests/test_cli.py with -s, never by the package."""

import asyncio
import os
import signal

from scrapy import signals


class Interrupt:
    """INTERRUPT_AT names a Scrapy signal; at its first sending, the process gets
    INTERRUPT_SIGNAL (SIGINT or SIGTERM), INTERRUPT_TIMES times over; its whole process
    group with INTERRUPT_GROUP, as a terminal or systemd sends it. With INTERRUPT_HOLD
    seconds, the receiver then waits that long, and so does whatever awaits the signal's
    receivers: at engine_started, the engine, which runs only once they are done."""

    def __init__(self, signum: int, times: int, hold: float, group: bool):
        self.signum, self.times, self.hold, self.group = signum, times, hold, group
        self.sent = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        extension = cls(
            getattr(signal, settings.get("INTERRUPT_SIGNAL", "SIGINT")),
            settings.getint("INTERRUPT_TIMES", 1),
            settings.getfloat("INTERRUPT_HOLD", 0),
            settings.getbool("INTERRUPT_GROUP"),
        )
        receiver = extension.send_and_hold if extension.hold else extension.send
        crawler.signals.connect(receiver, signal=getattr(signals, settings["INTERRUPT_AT"]))
        return extension

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        for _ in range(self.times):
            if self.group:
                os.killpg(os.getpgid(0), self.signum)
            else:
                os.kill(os.getpid(), self.signum)

    async def send_and_hold(self) -> None:
        self.send()
        await asyncio.sleep(self.hold)
