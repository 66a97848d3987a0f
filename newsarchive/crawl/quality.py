"""How well each site's pages read this run, against the runs before: a template change never
passes silently.

Per site, over the article pages a run fetched (records it made and pages it could not read
as articles): the share with a title, a publication time, a body and, for reprints, a
原文链接, and the share of those 原文链接 whose original is in the archive at the end. A share
that falls by more than NEWSARCHIVE_QUALITY_DROP below its mean over the previous runs
(each with at least NEWSARCHIVE_QUALITY_MIN_PAGES pages of the site) is a drop: in the run's
stats, its summary, `newsarchive runs`, and the exit status.
"""

import sys
from collections import defaultdict
from typing import Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler

from newsarchive.archive import canonical
from newsarchive.crawl.archive import crawl_archive
from newsarchive.crawl.drops import DuplicateItem
from newsarchive.crawl.signals import page_failed
from newsarchive.items import Article

QUALITY = "newsarchive/quality"  # stats: {site: {"pages": n, field: share, ...}}
DROPS = "newsarchive/quality_drops"  # stats: [{site, field, before, now}]
FIELDS = ("title", "time", "body", "original_link", "original_reached")
PREVIOUS_RUNS = 3


class QualityMonitor:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.threshold = crawler.settings.getfloat("NEWSARCHIVE_QUALITY_DROP")
        self.min_pages = crawler.settings.getint("NEWSARCHIVE_QUALITY_MIN_PAGES")
        self.tallies: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # 原文链接 (canonical) -> the sites of the reprints naming it, until its original is
        # stored this run; those left at the end are looked up in the archive. Not a list of
        # every link the run saw, which grew by one entry a reprint, each looked up at the end.
        self.awaited: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        monitor = cls(crawler)
        crawler.signals.connect(monitor.item_seen, signal=signals.item_scraped)
        crawler.signals.connect(monitor.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(monitor.page_failed, signal=page_failed)
        crawler.signals.connect(monitor.spider_closed, signal=signals.spider_closed)
        return monitor

    def item_seen(self, item, stored: bool = True) -> None:
        if not isinstance(item, Article):
            return
        site = item.site or urlsplit(item.url).netloc
        tally = self.tallies[site]
        tally["pages"] += 1
        tally["title"] += bool(item.title)
        tally["time"] += bool(item.published_at)
        tally["body"] += bool(item.paragraphs)
        if item.kind == "reprint":
            tally["reprints"] += 1
            tally["original_link"] += bool(item.original_url)
            if item.original_url:
                self.awaited[canonical(item.original_url)].append(site)
        elif item.kind == "original" and stored:
            for reprint_site in self.awaited.pop(canonical(item.url), []):
                self.tallies[reprint_site]["original_reached"] += 1

    def item_dropped(self, item, exception) -> None:
        # Unchanged or an alias: read all the same, and in the archive; an invalid page is not.
        self.item_seen(item, stored=isinstance(exception, DuplicateItem))

    def page_failed(self, url, stage, reason, **_) -> None:
        if stage == "parse" and reason in ("not_article", "parse_error"):
            tally = self.tallies[urlsplit(url).netloc]
            tally["pages"] += 1  # a page that no longer reads as an article counts against

    def shares(self) -> dict[str, dict[str, float | int]]:
        archive = crawl_archive(self.crawler)
        for url, sites in self.awaited.items():  # stored before this run, or under another URL
            if archive.records.url_of(url) is not None:
                for site in sites:
                    self.tallies[site]["original_reached"] += 1
        self.awaited.clear()
        result = {}
        for site, tally in sorted(self.tallies.items()):
            pages, reprints = tally["pages"], tally["reprints"]
            shares: dict[str, float | int] = {"pages": pages}
            for field in ("title", "time", "body"):
                shares[field] = round(tally[field] / pages, 4) if pages else 0.0
            if reprints:
                shares["original_link"] = round(tally["original_link"] / reprints, 4)
                if linked := tally["original_link"]:
                    shares["original_reached"] = round(tally["original_reached"] / linked, 4)
            result[site] = shares
        return result

    def drops(self, now: dict[str, dict], earlier: list[dict[str, dict]]) -> list[dict]:
        found = []
        for site, shares in now.items():
            if shares["pages"] < self.min_pages:
                continue
            before = [run[site] for run in earlier if run.get(site, {}).get("pages", 0)]
            before = [run for run in before if run["pages"] >= self.min_pages]
            for field in FIELDS:
                values = [run[field] for run in before if field in run]
                if field not in shares or not values:
                    continue
                mean = sum(values) / len(values)
                if mean - shares[field] > self.threshold:
                    found.append(
                        {"site": site, "field": field, "before": round(mean, 4),
                         "now": shares[field]}
                    )  # fmt: skip
        return found

    def spider_closed(self) -> None:
        stats = self.crawler.stats
        try:
            now = self.shares()
            archive = crawl_archive(self.crawler)
            earlier = archive.runs.recent_quality(stats.get_value("newsarchive/run"), PREVIOUS_RUNS)
        except Exception as error:  # the archive failing here is reported by the store
            self.crawler.spider.logger.warning("No quality figures this run: %s", error)
            return
        stats.set_value(QUALITY, now)
        stats.set_value(DROPS, self.drops(now, earlier))


def trigger_of(settings) -> str:
    """What started a run: NEWSARCHIVE_TRIGGER (cron, systemd; the units shipped set it),
    scrapyd (its jobs have SCRAPY_JOB), else `manual` from a terminal, `unknown` without one."""
    if trigger := settings.get("NEWSARCHIVE_TRIGGER"):
        return str(trigger)
    if settings.get("NEWSARCHIVE_SCRAPYD_JOB"):
        return "scrapyd"
    return "manual" if sys.stdin is not None and sys.stdin.isatty() else "unknown"
