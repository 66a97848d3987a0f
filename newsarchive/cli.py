"""The `newsarchive` command: crawl, export, parse and replay."""

import argparse
import os
import sys
from pathlib import Path

from newsarchive import commands

EPILOG_EXIT = (
    "exit status: 0 the crawl finished and every page was archived, is gone (404/410) or was "
    "named by a link that is not http(s); "
    "3 it finished but some pages failed to fetch, parse or validate (see the summary); "
    "1 it could not run or did not finish; 2 usage error"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Archive reprints of Chinese government news together with their originals.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl reprint sites and their originals into the archive",
                           description="Crawl reprint sites, follow each 原文链接 to its original, "
                           "and store both in the archive.", epilog=EPILOG_EXIT)
    crawl.add_argument("--replay", metavar="DIR", type=Path,
                       help="serve DIR (e.g. samples) on 127.0.0.1 and crawl it instead of the web")
    crawl.add_argument("--archive", metavar="DIR", type=Path, default=Path("archive"),
                       help="archive directory (default: ./archive)")
    crawl.add_argument("--spider", default="xunrui", help="spider to run (default: xunrui)")
    crawl.add_argument("--start", metavar="URL", action="append",
                       help="start page (column list); repeat for several; default from settings")
    crawl.add_argument("-s", "--set", metavar="NAME=VALUE", action="append", default=[],
                       help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=2")
    crawl.add_argument("-v", "--verbose", action="store_true", help="show Scrapy's log (INFO)")
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

    export = sub.add_parser("export", help="write archived records as JSON Lines, JSON or CSV",
                            description="Write archived records to a file (atomically) or stdout.")
    export.add_argument("--archive", metavar="DIR", type=Path, default=Path("archive"),
                        help="archive directory (default: ./archive)")
    export.add_argument("--format", choices=["jsonl", "json", "csv"], default="jsonl",
                        help="output format (default: jsonl)")
    export.add_argument("--kind", choices=["reprint", "original", "check"],
                        help="only this kind of record; `check` exports the reprint checks")
    export.add_argument("--site", metavar="HOST", help="only records of this host")
    export.add_argument("--since", metavar="YYYY-MM-DD", type=commands.iso_date,
                        help="only records published on or after this day")
    export.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")

    parse = sub.add_parser("parse", help="parse one saved page and print its record as JSON",
                           description="Parse a saved HTML page with the parser its URL selects "
                           "(or the fallback) and print the record; for debugging parsers.")
    parse.add_argument("file", type=Path, help="saved page, e.g. samples/zjifz.org.cn/show-10595.html")
    parse.add_argument("--url", help="URL the page was served at (default: read from a samples/"
                       "HOST/PATH file name, else the fallback parser)")
    parse.add_argument("--kind", choices=["reprint", "original"],
                       help="role of the page (default: the parser family's)")

    check = sub.add_parser("check", help="recompute every stored reprint's check",
                           description="Compare every stored reprint with its stored original "
                           "again (after a comparator improvement, say) and store the checks.")
    check.add_argument("--archive", metavar="DIR", type=Path, default=Path("archive"),
                       help="archive directory (default: ./archive)")

    compare = sub.add_parser(
        "compare", help="check one reprint against its original, from saved files",
        description="Compare a reprint with its original. Each is a saved HTML page (parsed with "
        "the parser its URL selects) or a .txt file with one paragraph a line.")
    compare.add_argument("reprint", type=Path, help="reprint: saved .html page or .txt file")
    compare.add_argument("original", type=Path, help="original: saved .html page or .txt file")
    compare.add_argument("--reprint-url", help="URL the reprint page was served at")
    compare.add_argument("--original-url", help="URL the original page was served at")
    compare.add_argument("--format", choices=["text", "json", "html"], default="text",
                         help="text summary with diffs (default), the check as JSON, or an HTML page")
    compare.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")

    report = sub.add_parser("report", help="write a static HTML report of all checks",
                            description="Write an HTML report: an index of every reprint check "
                            "and a side-by-side page per pair. Open OUT/index.html in a browser.")
    report.add_argument("--archive", metavar="DIR", type=Path, default=Path("archive"),
                        help="archive directory (default: ./archive)")
    report.add_argument("-o", "--output", metavar="DIR", type=Path, default=Path("report"),
                        help="output directory (default: ./report)")

    sub.add_parser("schema", help="print the JSON Schema of a record",
                   description="Print the JSON Schemas of the records crawls store and exports "
                   "write: Article and ReprintCheck.")

    replay = sub.add_parser("replay", help="serve a samples directory as an HTTP proxy",
                            description="Serve DIR on 127.0.0.1 as an HTTP proxy in the foreground, "
                            "for scrapy shell, curl -x or a browser. Ctrl-C stops it.")
    replay.add_argument("directory", type=Path, help="samples directory, e.g. samples")
    replay.add_argument("--port", type=int, default=8087, help="port (default: 8087; 0 = any)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {
            "crawl": commands.crawl,
            "export": commands.export,
            "parse": commands.parse,
            "replay": commands.replay,
            "check": commands.check,
            "compare": commands.compare_files,
            "report": commands.report,
            "schema": commands.schema,
        }[args.command](args)
    except commands.UserError as error:
        print(f"newsarchive {args.command}: {error}", file=sys.stderr)
        return commands.EXIT_ERROR
    except BrokenPipeError:  # `newsarchive export | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit flush
        return commands.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
