"""`newsarchive crawl`: run a spider over its sites, then print the summary and exit status."""

import argparse
import sys
import time
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsarchive.archive import DATABASE_NAME, Archive
from newsarchive.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    UsageError,
    UserError,
    archive_dir,
)
from newsarchive.output.terminal import crawl_summary, verdict_line
from newsarchive.replay.process import ReplayError, ReplayProcess
from newsarchive.sites import SITES_FILE, SiteError, load_sites

# Facts about the sites, recorded but no malfunction of the crawl: a page that answers 404 or
# 410 is gone; a 原文链接 that is not http(s) is never followed.
NOT_OUR_FAULT = {"http_404", "http_410", "unsupported_scheme"}
NOTHING_TO_CRAWL = (
    "nothing to crawl: give start pages with --start URL, set NEWSARCHIVE_XUNRUI_START_URLS "
    "(-s NEWSARCHIVE_XUNRUI_START_URLS=URL,URL), or crawl the bundled samples with "
    "--replay samples"
)


def assignments(pairs: list[str]) -> dict[str, str]:
    """-s NAME=VALUE options as a dict; a malformed one is a usage error."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def crawl_settings(args: argparse.Namespace) -> Settings:
    """newsarchive's settings, then what the command line says: -s, --archive, --replay."""
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("LOG_LEVEL", "INFO" if args.verbose else "WARNING", priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS_INTERVAL", 0 if args.quiet else 2.0, priority="cmdline")
    if args.replay:
        # Replayed pages come from this machine: no need to be polite to ourselves.
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    overrides = assignments(args.set)
    settings.setdict(overrides, priority="cmdline")
    named = overrides.get("NEWSARCHIVE_ARCHIVE")
    if args.archive and named is not None and Path(named) != Path(args.archive):
        raise UsageError(f"--archive {args.archive} and -s NEWSARCHIVE_ARCHIVE={named} disagree")
    settings.set(
        "NEWSARCHIVE_ARCHIVE",
        str(archive_dir(args) if named is None else named),
        priority="cmdline",
    )
    return settings


def start_urls(args: argparse.Namespace, settings: Settings) -> list[str]:
    """--start, else the setting, else the replayed directory's sites file."""
    if args.start:
        return args.start
    if configured := settings.getlist("NEWSARCHIVE_XUNRUI_START_URLS"):
        return configured
    sites_file = args.replay / SITES_FILE if args.replay else None
    if sites_file and sites_file.exists():
        try:
            return [url for site in load_sites(sites_file) for url in site.start_urls]
        except SiteError as error:
            raise UserError(str(error)) from error
    raise UsageError(NOTHING_TO_CRAWL)


def crawl(args: argparse.Namespace) -> int:
    if args.replay and not args.replay.is_dir():
        raise UserError(f"replay directory not found: {args.replay}")
    settings = crawl_settings(args)
    urls = start_urls(args, settings)
    archive = Path(settings.get("NEWSARCHIVE_ARCHIVE"))
    started = time.monotonic()
    try:
        replay = ReplayProcess(args.replay).start() if args.replay else None
    except ReplayError as error:
        raise UserError(str(error)) from error
    try:
        if replay:
            settings.set("NEWSARCHIVE_REPLAY_PROXY", replay.proxy_url, priority="cmdline")
            print(f"Replaying {args.replay} through {replay.proxy_url}", file=sys.stderr)
        process = CrawlerProcess(settings)
        try:
            crawler = process.create_crawler(args.spider)
        except KeyError as error:
            raise UsageError(f"unknown spider {args.spider!r}") from error
        process.crawl(crawler, start=",".join(urls))
        process.start()
    finally:
        if replay:
            replay.stop()
    run_id = crawler.stats.get_value("newsarchive/run")
    if run_id is None:
        print(
            "newsarchive crawl: the crawl did not start; run with -v for Scrapy's log",
            file=sys.stderr,
        )
        return EXIT_ERROR
    with Archive(archive) as store:
        run, failures = store.runs.get(run_id), store.runs.failures(run_id)
        counts, verdicts = store.counts(), store.checks.verdict_counts()
    print(crawl_summary(run, failures, counts, archive / DATABASE_NAME, time.monotonic() - started))
    if verdicts:
        print(f"Checks   {verdict_line(verdicts)} (`newsarchive report` shows them side by side)")
    return exit_status(run, failures)


def exit_status(run: dict, failures: list[dict]) -> int:
    if run["finish_reason"] != "finished":
        return EXIT_ERROR
    if any(failure["reason"] not in NOT_OUR_FAULT for failure in failures):
        return EXIT_PARTIAL
    return EXIT_OK
