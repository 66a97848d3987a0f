"""One crawler of bench/crawl.py in a fresh process, reporting its own figures as JSON.

    python bench/runner.py OUT baseline START_URL SETTINGS_JSON   # through $http_proxy
    python bench/runner.py OUT newsarchive ARG ...                # `newsarchive ARG ...`

`newsarchive` runs the command line in this process (`newsarchive.cli.main`), so the bench
measures the real `newsarchive crawl`; `baseline` runs the bare spider below. After the crawl
it writes OUT, one JSON object:

- `exit`: the crawl's exit status;
- `stats`: Scrapy's stats as the spider closed (`elapsed_time_seconds` is the crawl time);
- `cpu`: CPU seconds of this process (all its threads) from spider_opened to spider_closed,
  the window of `elapsed_time_seconds`, so cpu ≈ crawl time means the crawl was CPU-bound;
- `process_cpu`: CPU seconds of the whole process, interpreter start-up included;
- `peak_mb`: `VmHWM` of /proc/self/status, the high-water mark of this process's own memory.
  exec starts it afresh; `ru_maxrss` of a child does not (on Linux it keeps the parent's);
- `workers_cpu`: CPU seconds of the processes the crawl started (newsarchive's workers,
  crawl/workers.py), counted once they were joined at the crawl's end;
- `workers_peak_mb`: their `VmHWM`s added up, read as the spider closed, while they still run.

Only the standard library and Scrapy are imported before the crawl, so the baseline's peak is
Scrapy's and newsarchive's is what `newsarchive crawl` itself imports and holds.
"""

import json
import resource
import sys
from pathlib import Path

import scrapy
from pydispatch import dispatcher  # Scrapy's signal dispatcher
from scrapy import signals

window: dict = {}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spider_opened(spider) -> None:
    window["opened"] = cpu_seconds()


def children_peak_mb() -> float:
    """The high-water marks of this process's children (the crawl's workers), added up."""
    total = 0.0
    for task in Path("/proc/self/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                total += peak_mb(Path(f"/proc/{child}/status"))
            except (OSError, RuntimeError):  # gone meanwhile
                continue
    return total


def spider_closed(spider, reason) -> None:
    # Connected for any sender, so after the crawler's own receivers, CoreStats's included.
    window["closed"] = cpu_seconds()
    window["workers_peak_mb"] = children_peak_mb()
    window["stats"] = spider.crawler.stats.get_stats()


def peak_mb(status: Path = Path("/proc/self/status")) -> float:
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmHWM in {status}")


class BaselineSpider(scrapy.Spider):
    """The sites spider's links (list pages, pager, reprints, 原文链接) and nothing else.

    Its requests reach the replay server through `http_proxy` in its environment, which
    HttpProxyMiddleware applies to robots.txt requests too, as newsarchive's middleware does.
    """

    name = "baseline"
    start_url = ""

    async def start(self):
        yield scrapy.Request(self.start_url)  # filtered like the sites spider's

    def parse(self, response):
        for href in response.xpath("//a/@href").re(r".*/show-\d+\.html$"):
            yield response.follow(href, self.parse_reprint)
        for href in response.css(".pages a::attr(href)").getall():
            yield response.follow(href, self.parse)

    def parse_reprint(self, response):
        yield {"url": response.url}
        original = response.xpath("//p[starts-with(., '原文链接')]/a/@href").get()
        if original:
            yield response.follow(original, self.parse_original)

    def parse_original(self, response):
        yield {"url": response.url}


def baseline(start_url: str, settings: str) -> int:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(json.loads(settings))
    process.crawl(BaselineSpider, start_url=start_url)
    process.start()
    return 0


def newsarchive(argv: list[str]) -> int:
    from newsarchive.cli import main

    return main(argv)


def run(argv: list[str]) -> int:
    out, kind, rest = Path(argv[0]), argv[1], argv[2:]
    dispatcher.connect(spider_opened, signal=signals.spider_opened, sender=dispatcher.Any)
    dispatcher.connect(spider_closed, signal=signals.spider_closed, sender=dispatcher.Any)
    code = baseline(*rest) if kind == "baseline" else newsarchive(rest)
    report = {
        "exit": code,
        "stats": window.get("stats", {}),
        "cpu": window.get("closed", 0.0) - window.get("opened", 0.0),
        "process_cpu": cpu_seconds(),
        "peak_mb": peak_mb(),
        "workers_cpu": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
        "workers_peak_mb": window.get("workers_peak_mb", 0.0),
    }
    out.write_text(json.dumps(report, default=str))
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
