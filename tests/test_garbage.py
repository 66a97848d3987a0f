"""The crawl's garbage collector (crawl/garbage.py): tuned while its engine runs, as it was
before once it has stopped; in a real Scrapy crawl of the samples, in a process of its own."""

import gc
import json
import subprocess
import sys

from conftest import ROOT

from newsarchive.crawl import garbage

CRAWL = """
import gc, json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

seen = []

class Spider(scrapy.Spider):
    name = "gc"
    start_urls = [sys.argv[2]]

    def parse(self, response):
        seen.append({"threshold": gc.get_threshold()[0], "frozen": gc.get_freeze_count()})

process = CrawlerProcess({
    "EXTENSIONS": {"newsarchive.crawl.garbage.GarbageCollection": 400},
    "LOG_ENABLED": False,
})
before = gc.get_threshold()[0]
process.crawl(Spider)
process.start()
print(json.dumps({"before": before, "during": seen, "after": gc.get_threshold()[0],
                  "frozen_after": gc.get_freeze_count()}))
"""


def test_a_crawl_collects_garbage_less_often_while_it_runs(replay_server):
    result = subprocess.run(
        [sys.executable, "-c", CRAWL, "", "http://zjifz.org.cn/show-10595.html"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"http_proxy": replay_server.proxy_url, "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["before"] == seen["after"] == 700  # Python's default
    [during] = seen["during"]
    assert during["threshold"] == garbage.GENERATION0 == 10_000
    assert during["frozen"] > 10_000  # Scrapy's and newsarchive's objects, made before
    assert seen["frozen_after"] == 0


def test_crawls_together_in_one_process_restore_it_when_the_last_stops():
    before = gc.get_threshold()
    garbage.tune()
    garbage.tune()  # a second crawl starts
    garbage.restore()  # the first stops
    assert gc.get_threshold()[0] == garbage.GENERATION0 and gc.get_freeze_count() > 0
    garbage.restore()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    garbage.restore()  # an engine stopped that never started: nothing to undo
    assert gc.get_threshold() == before
