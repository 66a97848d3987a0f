"""A Scrapy extension for the logging tests: the log records the crawl made, counted by level
and by logger, from its start and from the engine's start (`running`: while pages are
fetched), written to LOG_PROBE_FILE as the spider closes. Enabled by tests/test_cli.py
with -s, never by the package. Its handler takes every record that is made at all: one below
the root logger's level is never made, and never reaches it."""

import json
import logging
from collections import Counter
from pathlib import Path

from scrapy import signals


class CountingHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.NOTSET)
        self.running = False
        self.counts = {name: Counter() for name in ("levels", "loggers", "running")}

    def emit(self, record: logging.LogRecord) -> None:
        self.counts["levels"][record.levelname] += 1
        self.counts["loggers"][record.name] += 1
        if self.running:
            self.counts["running"][record.levelname] += 1


class LogProbe:
    def __init__(self, path: Path):
        self.path, self.handler = path, CountingHandler()
        logging.root.addHandler(self.handler)

    @classmethod
    def from_crawler(cls, crawler):
        probe = cls(Path(crawler.settings["LOG_PROBE_FILE"]))
        crawler.signals.connect(probe.engine_started, signal=signals.engine_started)
        crawler.signals.connect(probe.spider_closed, signal=signals.spider_closed)
        return probe

    def engine_started(self) -> None:
        self.handler.running = True

    def spider_closed(self) -> None:
        logging.root.removeHandler(self.handler)
        self.path.write_text(json.dumps(self.handler.counts))
