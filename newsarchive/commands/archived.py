"""Commands that read the archive: export, check, report, verify, schema.

A row that cannot be read (a record holding invalid JSON) never stops them: it is skipped,
named on stderr, and the exit status is 3 instead of 0.
"""

import argparse
import json
import sys

from newsarchive.archive import Archive
from newsarchive.archive.verify import problems
from newsarchive.checking import check_all
from newsarchive.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    UsageError,
    UserError,
    archive_dir,
    open_archive,
)
from newsarchive.items import article_schema, check_schema
from newsarchive.output.export import CHECK_FIELDS, write_records
from newsarchive.output.files import atomic_output
from newsarchive.output.terminal import verdict_line
from newsarchive.sites import DEFAULT_SITES, SiteError, load_sites


def _skipped(command: str, archive: Archive) -> int:
    """Name the rows a command skipped; its exit status."""
    for row in archive.skipped:
        print(
            f"newsarchive {command}: skipped {row['table']} row {row['url']}: {row['problem']}",
            file=sys.stderr,
        )
    return EXIT_PARTIAL if archive.skipped else EXIT_OK


def export(args: argparse.Namespace) -> int:
    if args.excel and args.format != "csv":
        raise UsageError("--excel applies to --format csv only")
    if args.kind == "check" and args.since:
        raise UsageError("--since filters records by publication day, not checks")
    with open_archive(archive_dir(args)) as archive, atomic_output(args.output) as output:
        if args.kind == "check":
            records, fields = archive.checks.all(site=args.site), CHECK_FIELDS
            count = write_records(records, args.format, output, fields=fields, excel=args.excel)
        else:
            records = archive.records.all(kind=args.kind, site=args.site, since=args.since)
            count = write_records(records, args.format, output, excel=args.excel)
        status = _skipped("export", archive)
    if args.output not in (None, "-"):
        print(f"Exported {count} records to {args.output}", file=sys.stderr)
    return status


def schema(args: argparse.Namespace) -> int:
    print(
        json.dumps(
            {"Article": article_schema(), "ReprintCheck": check_schema()},
            ensure_ascii=False,
            indent=2,
        )
    )
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    with open_archive(archive_dir(args)) as archive:
        verdicts, flags = check_all(archive)
        status = _skipped("check", archive)
    print(f"Checked {verdicts.total()} reprints: {verdict_line(verdicts)}")
    for flag, n in sorted(flags.items()):
        print(f"  {flag:<26} {n}")
    return status


def report(args: argparse.Namespace) -> int:
    from newsarchive.output.report import write_report  # Jinja2 only when a page is wanted

    with open_archive(archive_dir(args)) as archive:
        index = write_report(archive, args.output)
        status = _skipped("report", archive)
    print(f"Report written: {index}", file=sys.stderr)
    return status


def verify(args: argparse.Namespace) -> int:
    with open_archive(archive_dir(args)) as archive:
        found = list(problems(archive))
        counts = archive.counts()
    for problem in found:
        print(f"{problem['table']:<9} {problem['url']}  {problem['problem']}")
    records = counts.get("reprint", 0) + counts.get("original", 0)
    verdict = f"{len(found)} problem(s)" if found else "no problems"
    print(f"Verified {archive.path}: {records} records, {verdict}", file=sys.stderr)
    return EXIT_ERROR if found else EXIT_OK


def sites(args: argparse.Namespace) -> int:
    path = args.sites or DEFAULT_SITES
    try:
        profiles = load_sites(path)
    except SiteError as error:
        raise UserError(str(error)) from error
    for site in profiles:
        print(f"{site.name}  ({site.family.name})")
        for label, values in (
            ("start", site.start_urls),
            ("hosts", site.hosts),
            ("sitemaps", site.sitemaps),
            ("feeds", site.feeds),
        ):
            if values:
                print(f"  {label:<9}{' '.join(values)}")
        if site.fields:
            print(f"  fields   {', '.join(site.fields)}")
    print(f"{path}: {len(profiles)} site(s), all valid", file=sys.stderr)
    return EXIT_OK
