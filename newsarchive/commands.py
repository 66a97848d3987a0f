"""What each `newsarchive` command does; cli.py only parses arguments."""

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from newsarchive.export import atomic_output, write_records
from newsarchive.parsers import page_for
from newsarchive.records import article_schema, normalize
from newsarchive.replay import ReplayServer, sample_path, sample_url, stored_headers
from newsarchive.store import DATABASE_NAME, Archive

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 3
# A page that answers 404 or 410 is gone: recorded, but not a malfunction of the crawl.
GONE_REASONS = {"http_404", "http_410"}


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def replay_server(directory: Path, port: int = 0) -> ReplayServer:
    try:
        return ReplayServer(directory, port=port)
    except OSError as error:  # a missing directory, or the port is taken
        raise UserError(str(error)) from error


def crawl_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("NEWSARCHIVE_ARCHIVE", str(args.archive), priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if args.verbose else "WARNING", priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS_INTERVAL", 0 if args.quiet else 2.0, priority="cmdline")
    if args.replay:
        # Replayed pages come from this machine: no need to be polite to ourselves.
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise UserError(f"-s takes NAME=VALUE, got {assignment!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def crawl(args: argparse.Namespace) -> int:
    settings = crawl_settings(args)
    server = replay_server(args.replay).start() if args.replay else None
    if server:
        settings.set("NEWSARCHIVE_REPLAY_PROXY", server.proxy_url, priority="cmdline")
        print(f"Replaying {args.replay} through {server.proxy_url}", file=sys.stderr)
    started = time.monotonic()
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(args.spider)
        start = ",".join(args.start) if args.start else None
        process.crawl(crawler, **({"start": start} if start else {}))
        process.start()
    except KeyError as error:
        raise UserError(f"unknown spider {args.spider!r}") from error
    finally:
        if server:
            server.stop()
    run_id = crawler.stats.get_value("newsarchive/run")
    if run_id is None:
        print("newsarchive crawl: the crawl did not start; run with -v for Scrapy's log",
              file=sys.stderr)
        return EXIT_ERROR
    with Archive(args.archive) as archive:
        run, failures, counts = archive.run(run_id), archive.failures(run_id), archive.counts()
    print(summary(run, failures, counts, args.archive, time.monotonic() - started))
    return exit_status(run, failures)


def exit_status(run: dict, failures: list[dict]) -> int:
    if run["finish_reason"] != "finished":
        return EXIT_ERROR
    if any(failure["reason"] not in GONE_REASONS for failure in failures):
        return EXIT_PARTIAL
    return EXIT_OK


def summary(run: dict, failures: list[dict], counts: dict, archive: Path, seconds: float) -> str:
    """The end-of-crawl report: pages, records new/changed/duplicate, failures by reason."""
    stats = run["stats"]
    lines = [
        f"Crawl {run['finish_reason']} in {seconds:.1f}s (run {run['id']}, spider {run['spider']})",
        f"  pages fetched      {stats.get('response_received_count', 0)}",
        f"  records new        {stats.get('newsarchive/store/new', 0)}",
        f"  records changed    {stats.get('newsarchive/store/changed', 0)}",
        f"  duplicates         {stats.get('newsarchive/dedupe/unchanged', 0)} unchanged, "
        f"{stats.get('newsarchive/dedupe/alias', 0) + stats.get('newsarchive/store/moved', 0)}"
        " under a second URL",
        f"  failures           {len(failures)}",
    ]
    for reason, count in sorted(Counter(f["reason"] for f in failures).items()):
        examples = [f["url"] for f in failures if f["reason"] == reason][:3]
        lines.append(f"    {reason:<16} {count}  {' '.join(examples)}")
    lines.append(
        f"Archive {archive / DATABASE_NAME}: {counts.get('reprint', 0)} reprints, "
        f"{counts.get('original', 0)} originals, {counts['aliases']} aliases, "
        f"{counts['links']} reprint→original links"
    )
    return "\n".join(lines)


def export(args: argparse.Namespace) -> int:
    if not (args.archive / DATABASE_NAME).exists():
        raise UserError(f"no archive at {args.archive} (run `newsarchive crawl` first)")
    with Archive(args.archive) as archive, atomic_output(args.output) as output:
        records = archive.records(kind=args.kind, site=args.site, since=args.since)
        count = write_records(records, args.format, output)
    if args.output not in (None, "-"):
        print(f"Exported {count} records to {args.output}", file=sys.stderr)
    return EXIT_OK


def parse(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"no such file: {args.file}")
    url = args.url or sample_url(args.file) or args.file.resolve().as_uri()
    headers = {}
    stored = sample_path(args.file.parent, url)
    if stored is not None and args.file.with_name(args.file.name + ".headers.json").exists():
        headers = stored_headers(args.file)[1]
    response = HtmlResponse(url=url, body=args.file.read_bytes(), headers=headers)
    page = page_for(response, args.kind)
    adapter = ItemAdapter(page.to_item())
    normalize(adapter, fetched_at=None)
    if not page.is_article():
        print(f"newsarchive parse: {url} does not look like an article", file=sys.stderr)
    print(json.dumps(adapter.asdict(), ensure_ascii=False, indent=2))
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    print(json.dumps(article_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def replay(args: argparse.Namespace) -> int:
    server = replay_server(args.directory, args.port)
    print(f"Replaying {args.directory} as an HTTP proxy at {server.proxy_url} (Ctrl-C stops)\n"
          f"  curl -x {server.proxy_url} http://zjifz.org.cn/show-10595.html\n"
          f"  scrapy shell -s NEWSARCHIVE_REPLAY_PROXY={server.proxy_url} URL", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
