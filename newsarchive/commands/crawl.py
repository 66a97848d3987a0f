"""`newsarchive crawl`: run a spider over its sites, then print the summary and exit status."""

import argparse
import json
import logging
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from newsarchive.archive import DATABASE_NAME, Archive, ArchiveError
from newsarchive.archive.lock import CrawlLock
from newsarchive.commands.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_QUALITY,
    UsageError,
    UserError,
    archive_dir,
)
from newsarchive.crawl.archive import ARCHIVE_ERROR, UNWRITTEN, close_crawl_archive
from newsarchive.crawl.destinations import FOLLOWED_SCHEMES
from newsarchive.crawl.quality import DROPS
from newsarchive.output.files import atomic_output
from newsarchive.output.runs import drop_lines, run_document
from newsarchive.output.terminal import crawl_summary, verdict_line
from newsarchive.replay.process import ReplayError, ReplayProcess
from newsarchive.replay.warc import is_warc_source
from newsarchive.sites import (
    DEFAULT_SITES,
    SITES_FILE,
    Site,
    SiteError,
    adhoc_site,
    choose,
    load_sites,
)

logger = logging.getLogger(__name__)

# Facts about the sites, recorded but no malfunction of the crawl: a page that answers 404 or
# 410 is gone; a 原文链接 that is not http(s), or names an internal address, is never followed;
# robots.txt may forbid a page. A start page is never one of them: a run that cannot read
# where it starts has failed.
NOT_OUR_FAULT = {
    "http_404",
    "http_410",
    "unsupported_scheme",
    "refused_address",
    "robots_forbidden",
}
NOTHING_TO_CRAWL = (
    "nothing to crawl: choose sites with --site NAME (`newsarchive sites` lists them) or "
    "--all-sites, give start pages with --start URL [--family F], or crawl the bundled "
    "samples with --replay samples"
)


def assignments(pairs: list[str], defaults: Settings) -> dict[str, str]:
    """-s NAME=VALUE options as a dict; a malformed one, or a value that the setting's type
    cannot take (`-s DOWNLOAD_DELAY=abc`), is a usage error."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"-s takes NAME=VALUE, got {pair!r}")
        default, probe = defaults.get(name), Settings({name: value})
        for kind, read, what in (
            (bool, probe.getbool, "true or false"),
            (int, probe.getint, "a whole number"),
            (float, probe.getfloat, "a number"),
        ):
            if isinstance(default, kind):
                try:
                    read(name)
                except ValueError:
                    raise UsageError(
                        f"-s {name}={value}: {name} takes {what}, like its default {default!r}"
                    ) from None
                break
        values[name] = value
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
    if args.recheck_after is not None:
        settings.set("NEWSARCHIVE_RECHECK_AFTER", args.recheck_after, priority="cmdline")
        settings.set("NEWSARCHIVE_RECHECK_ORIGINALS_AFTER", args.recheck_after, priority="cmdline")
    if args.recheck_originals_after is not None:
        settings.set(
            "NEWSARCHIVE_RECHECK_ORIGINALS_AFTER", args.recheck_originals_after, priority="cmdline"
        )
    if args.refresh:
        settings.set("NEWSARCHIVE_REFRESH", True, priority="cmdline")
    defaults = Settings()
    defaults.setmodule("newsarchive.settings", priority="project")
    overrides = assignments(args.set, defaults)
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


def choose_sites(args: argparse.Namespace, settings: Settings) -> list[Site]:
    """The sites this run crawls, checked before any request, and the settings that tell the
    spider: --start pages (a site of --family), else --site names or --all-sites from
    --sites FILE (default: the replayed directory's sites.toml, else the package's)."""
    if args.start:
        for url in args.start:
            parts = urlsplit(url)
            if parts.scheme not in FOLLOWED_SCHEMES or not parts.hostname:
                raise UsageError(f"--start {url}: give an http:// or https:// URL")
        if args.site or args.all_sites:
            raise UsageError("give --start or --site/--all-sites, not both")
        settings.set("NEWSARCHIVE_START_URLS", args.start, priority="cmdline")
        settings.set("NEWSARCHIVE_START_FAMILY", args.family, priority="cmdline")
        return [adhoc_site(args.start, args.family)]
    replayed = args.replay / SITES_FILE if args.replay else None
    path = args.sites or (replayed if replayed and replayed.exists() else None)
    # WARC files hold no sites file: replaying them, --sites FILE alone means all its sites.
    warc = args.replay is not None and is_warc_source(args.replay)
    every = args.all_sites or (not args.site and path is not None and (path == replayed or warc))
    if not args.site and not every:
        raise UsageError(NOTHING_TO_CRAWL)
    path = path or DEFAULT_SITES
    try:
        sites = choose(load_sites(path), args.site or [], path)
    except SiteError as error:
        raise UserError(str(error)) from error
    settings.set("NEWSARCHIVE_SITES_FILE", str(path), priority="cmdline")
    settings.set("NEWSARCHIVE_SITES", args.site or ["*"], priority="cmdline")
    return sites


def crawl(args: argparse.Namespace) -> int:
    if args.replay and not (args.replay.is_dir() or is_warc_source(args.replay)):
        raise UserError(f"replay directory not found: {args.replay}")
    settings = crawl_settings(args)
    choose_sites(args, settings)
    directory = Path(settings.get("NEWSARCHIVE_ARCHIVE"))
    Archive(directory).close()  # a directory or database problem is one line now, not later
    lock = CrawlLock.acquire(directory, "newsarchive crawl")
    try:
        crawler, seconds, interrupted = run_crawl(args, settings)
    finally:
        lock.release()
    stats = crawler.stats.get_stats()
    if interrupted and stats.get("finish_reason") is None:
        # A second Ctrl-C stops the reactor at once: Scrapy may then give no finish reason.
        # An interruption all the same, not an error.
        stats["finish_reason"] = "shutdown"
        if stats.get("newsarchive/run") is None:
            print("newsarchive crawl: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED  # before the archive's run began: nothing to keep
    if stats.get("newsarchive/run") is None and not stats.get(ARCHIVE_ERROR):
        print(
            "newsarchive crawl: the crawl did not start; run with -v for Scrapy's log",
            file=sys.stderr,
        )
        return EXIT_ERROR
    run = {
        "id": stats.get("newsarchive/run"),
        "spider": crawler.spidercls.name,
        "finish_reason": stats.get("finish_reason"),
        "stats": stats,
    }
    failures, counts, verdicts = archived_results(directory, run["id"])
    failures += stats.get(UNWRITTEN, [])
    status = exit_status(
        run, failures, settings.getfloat("NEWSARCHIVE_FAILURE_THRESHOLD"), stats.get(DROPS)
    )
    if args.summary_json:  # first: a summary piped to `head` must not lose the file
        write_summary(args.summary_json, directory, run, failures, status)
    print(crawl_summary(run, failures, counts, directory / DATABASE_NAME, seconds))
    if stats.get(ARCHIVE_ERROR):
        print(
            f"Archive error: {stats[ARCHIVE_ERROR]}; the crawl stopped, nothing stored "
            "before it is lost",
            file=sys.stderr,
        )
    if verdicts:
        print(f"Checks   {verdict_line(verdicts)} (`newsarchive report` shows them side by side)")
    if run["finish_reason"] == "shutdown":
        print("newsarchive crawl: interrupted; every page stored before is kept", file=sys.stderr)
    for line in drop_lines(stats.get(DROPS, [])):
        print(line, file=sys.stderr)
    return status


def write_summary(path: Path, directory: Path, run: dict, failures: list[dict], status: int):
    """The run as JSON for a scheduler: the archive's row of it, counts, quality, exit status."""
    try:
        with Archive(directory) as archive:
            row = archive.runs.get(run["id"]) or {}
    except (ArchiveError, sqlite3.Error):
        row = {}
    document = run_document(row | {"id": run["id"], "stats": run["stats"]}, failures, status)
    with atomic_output(str(path)) as output:
        output.write(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def run_crawl(args: argparse.Namespace, settings: Settings) -> tuple[Crawler, float, bool]:
    """Run the spider to its end (through a replay server for --replay); the crawler, how
    long the run took, and whether a Ctrl-C stopped it."""
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
        with _signals_handled(process) as interrupted:
            try:
                crawler = process.create_crawler(args.spider)
            except KeyError as error:
                raise UsageError(f"unknown spider {args.spider!r}") from error
            process.crawl(crawler)
            if interrupted:
                raise KeyboardInterrupt  # before anything was fetched: nothing to keep
            process.start(install_signal_handlers=False)
            close_crawl_archive(crawler)  # left open when a second Ctrl-C stopped the reactor
    finally:
        if replay:
            replay.stop()
    return crawler, time.monotonic() - started, bool(interrupted)


SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
ENGINE_WAIT = 0.05  # seconds between looks at an engine that has still to start


@contextmanager
def _signals_handled(process: CrawlerProcess) -> Iterator[list[int]]:
    """Ctrl-C and SIGTERM, from the crawl's start to its end, in one handler of ours: each
    one noted, the first a graceful stop as Scrapy's own handler makes it, the second a stop
    at once. Scrapy and Twisted install theirs only as the reactor starts, one after the
    other: a signal before that lands in the middle of an import inside a Deferred, and one
    in between reached Twisted's, which stops the reactor without a word to anyone."""
    interrupted: list[int] = []

    def handle(signum: int, _frame) -> None:
        interrupted.append(signum)
        # Not `from twisted.internet import reactor`: that would install the default reactor.
        reactor = sys.modules.get("twisted.internet.reactor")
        if reactor is None:
            return  # noted: run_crawl stops before the crawl begins
        # Queued until the reactor runs, if it does not yet.
        if len(interrupted) == 1:
            reactor.callFromThread(_log_signal, signum, "shutting down gracefully")
            reactor.callFromThread(_stop_gracefully, process, reactor)
        else:
            reactor.callFromThread(_log_signal, signum, "again: stopping now")
            reactor.callFromThread(_stop_reactor, reactor)

    previous = {number: signal.signal(number, handle) for number in SHUTDOWN_SIGNALS}
    try:
        yield interrupted
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stop_gracefully(process: CrawlerProcess, reactor) -> None:
    """Scrapy's graceful stop, once every engine runs. Asked earlier, it only marks the
    crawler stopped and leaves its engine to start and run: the spider would then never
    close, and the crawl would end only as the reactor is stopped, cut off."""
    if any(crawler.crawling and not crawler.engine.running for crawler in process.crawlers):
        reactor.callLater(ENGINE_WAIT, _stop_gracefully, process, reactor)
        return
    process.stop().addBoth(lambda _: _stop_reactor(reactor))


def _log_signal(signum: int, what: str) -> None:
    logger.info("Received %s, %s", signal.Signals(signum).name, what)


def _stop_reactor(reactor) -> None:
    with suppress(RuntimeError):  # already stopping
        reactor.stop()


def archived_results(directory: Path, run_id: int | None) -> tuple[list[dict], dict, dict]:
    """The run's recorded failures, the archive's counts and check verdicts, as far as the
    archive can still be read."""
    try:
        with Archive(directory) as archive:
            failures = archive.runs.failures(run_id) if run_id is not None else []
            return failures, archive.counts(), archive.checks.verdict_counts()
    except (ArchiveError, sqlite3.Error):
        return [], {"aliases": 0, "links": 0}, {}


def exit_status(
    run: dict, failures: list[dict], threshold: float = 0.0, drops: list | None = None
) -> int:
    """0 done; 3 done but pages failed (beyond `threshold`, a share of the pages fetched) or
    a start page did; 4 done but a site's pages read worse than in the runs before; 1 not
    done; 130 interrupted."""
    if run["finish_reason"] == "shutdown":
        return EXIT_INTERRUPTED
    if run["finish_reason"] != "finished":
        return EXIT_ERROR
    if any(failure["stage"] == "start" for failure in failures):
        return EXIT_PARTIAL
    ours = [failure for failure in failures if failure["reason"] not in NOT_OUR_FAULT]
    pages = max(1, (run.get("stats") or {}).get("response_received_count", 0))
    if ours and len(ours) / pages > threshold:
        return EXIT_PARTIAL
    if drops:
        return EXIT_QUALITY
    return EXIT_OK
