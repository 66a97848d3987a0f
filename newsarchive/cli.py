"""The `newsarchive` command: arguments of each subcommand, and errors as one line."""

import argparse
import os
import sqlite3
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from newsarchive.archive import ArchiveError, describe
from newsarchive.commands import archived, crawl, evaluate, pages
from newsarchive.commands.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    UserError,
    iso_date,
    utc_time,
    workers_count,
)
from newsarchive.crawl.incremental import parse_duration
from newsarchive.parsers import PARSERS
from newsarchive.sites import FAMILIES

EPILOG_EXIT = (
    "exit status: 0 the crawl finished and every page was archived, is gone (404/410) or was "
    "named by a link that is not http(s); "
    "3 it finished but some pages failed to fetch, parse or validate (see the summary); "
    "1 it could not run or did not finish; 2 usage error"
)
ARCHIVE_HELP = "archive directory (default: $NEWSARCHIVE_ARCHIVE, else ./archive)"


def _version() -> str:
    try:
        return version("newsarchive")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def duration(text: str) -> str:
    try:
        parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Archive reprints of Chinese government news together with their originals.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="tracebacks for errors; for crawl, Scrapy's log too (INFO)",
    )

    command = sub.add_parser(
        "crawl",
        parents=[common],
        help="crawl reprint sites and their originals into the archive",
        description="Crawl reprint sites, follow each 原文链接 to its original, and store both "
        "in the archive.",
        epilog=EPILOG_EXIT,
    )
    command.add_argument(
        "--replay",
        metavar="SOURCE",
        type=Path,
        help="serve SOURCE on 127.0.0.1 and crawl it instead of the web: a samples "
        "directory (its sites.toml gives the sites), or WARC files (a .warc.gz, or an "
        "archive's warc/ folder; with --sites FILE)",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument(
        "--site",
        metavar="NAME",
        action="append",
        help="a site of the sites file to crawl; repeat for several",
    )
    command.add_argument(
        "--all-sites", action="store_true", help="crawl every site of the sites file"
    )
    command.add_argument(
        "--sites",
        metavar="FILE",
        type=Path,
        help="sites file (TOML; default: the replayed directory's sites.toml, "
        "else the sites newsarchive knows)",
    )
    command.add_argument(
        "--start",
        metavar="URL",
        action="append",
        help="crawl from this list page instead, as a site of --family; repeat for several",
    )
    command.add_argument(
        "--family",
        choices=sorted(FAMILIES),
        default="generic",
        help="CMS family of the --start pages (default: generic)",
    )
    command.add_argument(
        "--recheck-after",
        metavar="DURATION",
        type=duration,
        help="fetch a known article page again only after this long, e.g. 30d, 12h "
        "(default: 30d for reprints, 7d for originals; a site's recheck_after wins for its "
        "reprints); 0 rechecks every page, conditionally",
    )
    command.add_argument(
        "--recheck-originals-after",
        metavar="DURATION",
        type=duration,
        help="the same for originals alone",
    )
    command.add_argument(
        "--refresh",
        action="store_true",
        help="fetch every page again, unconditionally, as a first run does",
    )
    command.add_argument(
        "--summary-json",
        metavar="FILE",
        type=Path,
        help="write the run's summary as JSON to FILE too, for a scheduler or an alert",
    )
    command.add_argument("--spider", default="sites", help=argparse.SUPPRESS)
    command.add_argument(
        "-s",
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=2",
    )
    command.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    command.set_defaults(run=crawl.crawl)

    command = sub.add_parser(
        "export",
        parents=[common],
        help="write archived records as JSON Lines, JSON or CSV",
        description="Write archived records to a file (atomically) or stdout.",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument(
        "--format",
        choices=["jsonl", "json", "csv"],
        default="jsonl",
        help="output format (default: jsonl)",
    )
    command.add_argument(
        "--excel",
        action="store_true",
        help="CSV for spreadsheets: start with a UTF-8 byte order mark",
    )
    command.add_argument(
        "--kind",
        choices=["reprint", "original", "check"],
        help="only this kind of record; `check` exports the reprint checks",
    )
    command.add_argument("--site", metavar="HOST", help="only records of this host")
    command.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=iso_date,
        help="only records published on or after this day",
    )
    command.add_argument(
        "--all-versions",
        action="store_true",
        help="every version of each record, with version, version_seen_at, version_run and "
        "version_changes (default: the latest)",
    )
    command.add_argument(
        "--since-run",
        metavar="N",
        type=int,
        help="only records new or changed by run N or a later one (`newsarchive runs`)",
    )
    command.add_argument(
        "--changed-since",
        metavar="TIME",
        type=utc_time,
        help="only records new or changed since this time (YYYY-MM-DD or ISO 8601; UTC "
        "unless it says its offset)",
    )
    command.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    command.set_defaults(run=archived.export)

    command = sub.add_parser(
        "parse",
        parents=[common],
        help="parse one saved page and print its record as JSON",
        description="Parse a saved HTML page with the parser its URL "
        "selects (or generic extraction) and print the record; for debugging "
        "parsers.",
    )
    command.add_argument(
        "file", type=Path, help="saved page, e.g. samples/zjifz.org.cn/show-10595.html"
    )
    command.add_argument(
        "--url",
        help="URL the page was served at (default: read from a "
        "samples/HOST/PATH file name, else generic extraction)",
    )
    command.add_argument(
        "--kind",
        choices=["reprint", "original"],
        help="role of the page (default: the parser family's)",
    )
    command.set_defaults(run=pages.parse)

    command = sub.add_parser(
        "check",
        parents=[common],
        help="recompute every stored reprint's check",
        description="Compare every stored reprint with its stored original "
        "again (after a comparator improvement, say) and store the checks.",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument(
        "--workers",
        metavar="N",
        type=workers_count,
        help="processes comparing the pairs (default: one per core; 1 compares in this one)",
    )
    command.set_defaults(run=archived.check)

    command = sub.add_parser(
        "compare",
        parents=[common],
        help="check one reprint against its original, from saved files",
        description="Compare a reprint with its original. Each is a saved HTML page (parsed with "
        "the parser its URL selects) or a .txt file with one paragraph a line.",
    )
    command.add_argument("reprint", type=Path, help="reprint: saved .html page or .txt file")
    command.add_argument("original", type=Path, help="original: saved .html page or .txt file")
    command.add_argument("--reprint-url", help="URL the reprint page was served at")
    command.add_argument("--original-url", help="URL the original page was served at")
    command.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="text summary with diffs (default), the check as JSON, or an HTML page",
    )
    command.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    command.set_defaults(run=pages.compare_files)

    command = sub.add_parser(
        "report",
        parents=[common],
        help="write a static HTML report of all checks",
        description="Write an HTML report: an index of every reprint check "
        "and a side-by-side page per pair. Open OUT/index.html in a browser.",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        type=Path,
        default=Path("report"),
        help="output directory (default: ./report)",
    )
    command.set_defaults(run=archived.report)

    command = sub.add_parser(
        "schema",
        parents=[common],
        help="print the JSON Schema of a record",
        description="Print the JSON Schemas of the records crawls store "
        "and exports write: Article and ReprintCheck.",
    )
    command.set_defaults(run=archived.schema)

    command = sub.add_parser(
        "eval",
        parents=[common],
        help="measure the parsers on an evaluation set of saved pages",
        description="Parse every NAME.html of DIR and compare its record with NAME.json, the "
        "record a reader wrote for it; print the share of pages each field is right on (-v: "
        "which pages miss what).",
    )
    command.add_argument("directory", type=Path, help="evaluation set, e.g. samples/eval")
    command.add_argument(
        "--parser",
        choices=sorted(PARSERS),
        help="parse every page with this parser (default: as `parse` would)",
    )
    command.add_argument("--format", choices=["text", "json"], default="text")
    command.add_argument(
        "--floors",
        type=Path,
        metavar="FILE",
        help="JSON of the least share each field may score (e.g. samples/eval/floors.json); "
        "exit 1 naming the fields below it",
    )
    command.set_defaults(run=evaluate.eval_set)

    command = sub.add_parser(
        "sites",
        parents=[common],
        help="list and check the sites a crawl can visit",
        description="List the site profiles of a sites file and check them: family, start "
        "pages, hosts, sitemaps and feeds. A bad profile is named with its file and field.",
    )
    command.add_argument(
        "--sites",
        metavar="FILE",
        type=Path,
        help="sites file (default: the sites newsarchive knows)",
    )
    command.set_defaults(run=archived.sites)

    command = sub.add_parser(
        "reparse",
        parents=[common],
        help="rebuild the records and checks from the archive's WARC captures, fetching nothing",
        description="Read every stored record again from the response its crawl captured (the "
        "archive's warc/, or --warc), with today's parsers: a record they read differently "
        "becomes a new version; then every check is made again. Nothing is fetched.",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument(
        "--warc", metavar="PATH", type=Path, help="WARC file or folder (default: DIR/warc)"
    )
    command.set_defaults(run=archived.reparse_archive)

    command = sub.add_parser(
        "runs",
        parents=[common],
        help="the crawl runs of an archive, or one of them whole",
        description="List the archive's crawl runs, newest first: when, what started them, how "
        "they ended, pages fetched, skipped, not modified, records new and changed, failures. "
        "With N, that run whole: failures by reason, WARC files, quality per site and drops.",
    )
    command.add_argument("run_id", nargs="?", type=int, metavar="N", help="one run")
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument("--format", choices=["text", "json"], default="text")
    command.set_defaults(run=archived.runs)

    command = sub.add_parser(
        "failures",
        parents=[common],
        help="the pages a run (or every run) could not archive, with their reasons",
        description="Every failure recorded: run, URL, stage, reason, HTTP status, detail, the "
        "page that linked to it.",
    )
    command.add_argument(
        "--run", dest="run_id", type=int, metavar="N", help="only run N (default: every run)"
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.add_argument("--format", choices=["text", "json"], default="text")
    command.set_defaults(run=archived.failures)

    command = sub.add_parser(
        "verify",
        parents=[common],
        help="check the archive's database and every stored record",
        description="Run SQLite's integrity check and validate every stored record, version "
        "and check against the published schemas; list each problem by URL. Exit 1 if any.",
    )
    command.add_argument("--archive", metavar="DIR", type=Path, help=ARCHIVE_HELP)
    command.set_defaults(run=archived.verify)

    command = sub.add_parser(
        "replay",
        parents=[common],
        help="serve a samples directory or WARC files as an HTTP proxy",
        description="Serve SOURCE on 127.0.0.1 as an HTTP proxy in the "
        "foreground, for scrapy shell, curl -x or a browser: a samples directory, or WARC "
        "files (each URL's last capture, as received). Ctrl-C stops it.",
    )
    command.add_argument(
        "directory", type=Path, metavar="SOURCE", help="e.g. samples, or archive/warc"
    )
    command.add_argument("--port", type=int, default=8087, help="port (default: 8087; 0 = any)")
    command.set_defaults(run=pages.replay)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"newsarchive {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `newsarchive export | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit flush
        return EXIT_OK
    except (UserError, ArchiveError, OSError, sqlite3.Error) as error:
        if args.verbose:
            traceback.print_exc()
        print(f"newsarchive {args.command}: {message(error)}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_ERROR


def message(error: BaseException) -> str:
    """The one line a user reads for an error they can act on."""
    if isinstance(error, (UserError, ArchiveError)):
        return str(error)
    if isinstance(error, sqlite3.Error):
        return f"archive database error: {describe(error)}"
    return describe(error)


if __name__ == "__main__":
    sys.exit(main())
