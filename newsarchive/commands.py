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

from newsarchive.check_text import check_text
from newsarchive.checks import check_all
from newsarchive.compare import compare
from newsarchive.export import CHECK_FIELDS, atomic_output, write_records
from newsarchive.parsers import page_for
from newsarchive.records import article_schema, check_schema, normalize
from newsarchive.replay import HEADERS_SUFFIX, ReplayServer, sample_url, stored_headers
from newsarchive.store import DATABASE_NAME, Archive, utc_now

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 3
# Facts about the sites, recorded but no malfunction of the crawl: a page that answers 404 or
# 410 is gone; a 原文链接 that is not http(s) is never followed.
NOT_OUR_FAULT = {"http_404", "http_410", "unsupported_scheme"}


# Verdicts as summaries list them; `none` is a check without an original to compare.
VERDICT_LABELS = {"faithful": "faithful", "edited": "edited", "unrelated": "unrelated",
                  "none": "without an original"}


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
        verdicts = archive.verdict_counts()
    print(summary(run, failures, counts, args.archive, time.monotonic() - started))
    if verdicts:
        print(f"Checks   {verdict_line(verdicts)} (`newsarchive report` shows them side by side)")
    return exit_status(run, failures)


def verdict_line(verdicts: dict[str, int]) -> str:
    """`13 faithful, 5 edited, 3 without an original`, in VERDICT_LABELS order."""
    return ", ".join(f"{verdicts[verdict]} {label}" for verdict, label in VERDICT_LABELS.items()
                     if verdict in verdicts)


def exit_status(run: dict, failures: list[dict]) -> int:
    if run["finish_reason"] != "finished":
        return EXIT_ERROR
    if any(failure["reason"] not in NOT_OUR_FAULT for failure in failures):
        return EXIT_PARTIAL
    return EXIT_OK


def summary(run: dict, failures: list[dict], counts: dict, archive: Path, seconds: float) -> str:
    """The end-of-crawl report: pages, records new/changed/duplicate, failures by reason."""
    stats = run["stats"]
    aliases = stats.get("newsarchive/dedupe/alias", 0) + stats.get("newsarchive/store/moved", 0)
    lines = [
        f"Crawl {run['finish_reason']} in {seconds:.1f}s (run {run['id']}, spider {run['spider']})",
        f"  pages fetched      {stats.get('response_received_count', 0)}",
        f"  records new        {stats.get('newsarchive/store/new', 0)}",
        f"  records changed    {stats.get('newsarchive/store/changed', 0)}",
        (f"  duplicates         {stats.get('newsarchive/dedupe/unchanged', 0)} unchanged, "
        f"{aliases} under a second URL"),
        f"  failures           {len(failures)}",
    ]
    for reason, count in sorted(Counter(f["reason"] for f in failures).items()):
        examples = [f["url"] for f in failures if f["reason"] == reason][:3]
        lines.append(f"    {reason:<20} {count}  {' '.join(examples)}")
    lines.append(
        f"Archive {archive / DATABASE_NAME}: {counts.get('reprint', 0)} reprints, "
        f"{counts.get('original', 0)} originals, {counts['aliases']} aliases, "
        f"{counts['links']} reprint→original links"
    )
    return "\n".join(lines)


def open_archive(directory: Path) -> Archive:
    if not (directory / DATABASE_NAME).exists():
        raise UserError(f"no archive at {directory} (run `newsarchive crawl` first)")
    return Archive(directory)


def export(args: argparse.Namespace) -> int:
    with open_archive(args.archive) as archive, atomic_output(args.output) as output:
        if args.kind == "check":
            count = write_records(archive.checks(site=args.site), args.format, output,
                                  fields=CHECK_FIELDS)
        else:
            records = archive.records(kind=args.kind, site=args.site, since=args.since)
            count = write_records(records, args.format, output)
    if args.output not in (None, "-"):
        print(f"Exported {count} records to {args.output}", file=sys.stderr)
    return EXIT_OK


def saved_response(path: Path, url: str | None) -> HtmlResponse:
    """A saved page as a response: URL given, or read from a samples/HOST/PATH file name, or a
    file: URL (the fallback parser); the stored headers too when they are beside it."""
    url = url or sample_url(path) or path.resolve().as_uri()
    sidecar = path.with_name(path.name + HEADERS_SUFFIX)
    headers = stored_headers(path)[1] if sidecar.exists() else {}
    return HtmlResponse(url=url, body=path.read_bytes(), headers=headers)


def parsed_page(path: Path, url: str | None, kind: str | None) -> tuple[dict, bool]:
    """The record a saved page parses to (with its content hash, no fetch time), and whether
    the page looks like an article."""
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    page = page_for(saved_response(path, url), kind)
    adapter = ItemAdapter(page.to_item())
    normalize(adapter, fetched_at=None)
    return adapter.asdict(), page.is_article()


def parse(args: argparse.Namespace) -> int:
    record, is_article = parsed_page(args.file, args.url, args.kind)
    if not is_article:
        print(f"newsarchive parse: {record['url']} does not look like an article", file=sys.stderr)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    print(json.dumps({"Article": article_schema(), "ReprintCheck": check_schema()},
                     ensure_ascii=False, indent=2))
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    with open_archive(args.archive) as archive:
        verdicts, flags = check_all(archive)
    print(f"Checked {verdicts.total()} reprints: {verdict_line(verdicts)}")
    for flag, n in sorted(flags.items()):
        print(f"  {flag:<26} {n}")
    return EXIT_OK


def load_page(path: Path, url: str | None, kind: str) -> dict:
    """A record from a saved page (.html, parsed) or a text file (.txt, one paragraph a line)."""
    if path.suffix == ".txt" and path.is_file():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        paragraphs = [line.strip() for line in lines if line.strip()]
        return {"url": url or path.resolve().as_uri(), "kind": kind, "paragraphs": paragraphs}
    return parsed_page(path, url, kind)[0]


def compare_files(args: argparse.Namespace) -> int:
    reprint = load_page(args.reprint, args.reprint_url, "reprint")
    original = load_page(args.original, args.original_url, "original")
    result = ItemAdapter(compare(reprint, original, checked_at=utc_now())).asdict()
    if args.format == "json":
        output = json.dumps(result, ensure_ascii=False, indent=2)
    elif args.format == "html":
        from newsarchive.report import pair_page  # Jinja2 only when a page is wanted

        output = pair_page(result, reprint, original)
    else:
        output = check_text(result)
    with atomic_output(args.output) as file:
        file.write((output + "\n").encode("utf-8"))
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from newsarchive.report import write_report  # Jinja2 only when a page is wanted

    with open_archive(args.archive) as archive:
        index = write_report(archive, args.output)
    print(f"Report written: {index}", file=sys.stderr)
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
