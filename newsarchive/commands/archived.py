"""Commands that read the archive: export, check, report, verify, schema.

A row that cannot be read (a record holding invalid JSON) never stops them: it is skipped,
named on stderr, and the exit status is 3 instead of 0.
"""

import argparse
import json
import sys

from newsarchive.archive import Archive
from newsarchive.archive.lock import CrawlLock
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
from newsarchive.output.export import CHECK_FIELDS, EXPORT_FIELDS, VERSION_FIELDS, write_records
from newsarchive.output.files import atomic_output
from newsarchive.output.runs import run_document, run_text, runs_table
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
    if args.kind == "check" and (
        args.since or args.all_versions or args.since_run or args.changed_since
    ):
        raise UsageError(
            "--since, --all-versions, --since-run and --changed-since filter records, not checks"
        )
    with open_archive(archive_dir(args)) as archive, atomic_output(args.output) as output:
        if args.kind == "check":
            records, fields = archive.checks.all(site=args.site), CHECK_FIELDS
            count = write_records(records, args.format, output, fields=fields, excel=args.excel)
        else:
            filters = {
                "kind": args.kind,
                "site": args.site,
                "since": args.since,
                "since_run": args.since_run,
                "changed_since": args.changed_since,
            }
            if args.all_versions:
                records = archive.records.all_versions(**filters)
                fields = [*EXPORT_FIELDS, *VERSION_FIELDS]
            else:
                records, fields = archive.records.all(**filters), EXPORT_FIELDS
            count = write_records(records, args.format, output, fields=fields, excel=args.excel)
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
        verdicts, flags = check_all(archive, args.workers)
        status = _skipped("check", archive)
    print(f"Checked {verdicts.total()} reprints: {verdict_line(verdicts)}")
    for flag, n in sorted(flags.items()):
        print(f"  {flag:<26} {n}")
    return status


def report(args: argparse.Namespace) -> int:
    from newsarchive.output.report_dir import write_report  # Jinja2 only when a page is wanted

    with open_archive(archive_dir(args)) as archive:
        index = write_report(archive, args.output)
        status = _skipped("report", archive)
    print(f"Report written: {index}", file=sys.stderr)
    return status


def reparse_archive(args: argparse.Namespace) -> int:
    from newsarchive.reparse import reparse, sources_of  # Scrapy only when it is wanted

    directory = archive_dir(args)
    with open_archive(directory) as archive:
        sources = sources_of(archive, args.warc)
        if not sources:
            raise UserError(f"no WARC files in {args.warc or directory / 'warc'}")
        lock = CrawlLock.acquire(directory, "newsarchive reparse")
        try:
            result = reparse(archive, sources)
        finally:
            lock.release()
        status = _skipped("reparse", archive)
    outcomes = result.outcomes
    print(
        f"Reparsed {sum(outcomes.values())} records from {len(sources)} WARC file(s): "
        f"{outcomes['unchanged']} unchanged, {outcomes['changed']} changed (a new version), "
        f"{outcomes['not_captured']} without a capture"
    )
    print(f"Checked {result.verdicts.total()} reprints: {verdict_line(result.verdicts)}")
    for problem in result.problems:
        print(f"  not rebuilt: {problem['url']}: {problem['problem']}", file=sys.stderr)
    return EXIT_PARTIAL if result.problems else status


def runs(args: argparse.Namespace) -> int:
    with open_archive(archive_dir(args)) as archive:
        if args.run_id is not None:
            run = archive.runs.get(args.run_id)
            if run is None:
                raise UserError(f"no run {args.run_id} in {archive.directory}")
            document = run_document(run, archive.runs.failures(args.run_id))
            text = run_text(document)
        else:
            documents = [run_document(run, archive.runs.failures(run["id"])) for run in
                         archive.runs.all()]  # fmt: skip
            document, text = documents, runs_table(documents)
    if args.format == "json":
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(text)
    return EXIT_OK


def failures(args: argparse.Namespace) -> int:
    with open_archive(archive_dir(args)) as archive:
        if args.run_id is not None and archive.runs.get(args.run_id) is None:
            raise UserError(f"no run {args.run_id} in {archive.directory}")
        found = archive.runs.failures(args.run_id)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return EXIT_OK
    for failure in found:
        status = f" {failure['http_status']}" if failure["http_status"] else ""
        referer = f" (linked from {failure['referer']})" if failure["referer"] else ""
        print(f"run {failure['run']}  {failure['stage']:<8} {failure['reason']}{status}  "
              f"{failure['url']}{referer}")  # fmt: skip
        if failure["detail"]:
            print(f"    {failure['detail']}")
    print(f"{len(found)} failure(s)", file=sys.stderr)
    return EXIT_OK


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
