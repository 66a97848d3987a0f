"""A run as people and schedulers read it: its counts from the stats Scrapy and the pipelines
kept, for the crawl's summary, `--summary-json`, `newsarchive runs` and `failures`."""

from collections import Counter
from typing import Any

from newsarchive.crawl.quality import DROPS, QUALITY


def run_counts(stats: dict[str, Any], failures: list[dict]) -> dict[str, Any]:
    """What a run did, by the numbers."""
    return {
        "pages_fetched": stats.get("response_received_count", 0),
        "bytes_received": stats.get("downloader/response_bytes", 0),
        "skipped": sum(
            stats.get(f"newsarchive/incremental/skipped_{kind}", 0)
            for kind in ("reprint", "original")
        ),
        "not_modified": stats.get("newsarchive/incremental/not_modified", 0),
        "new": stats.get("newsarchive/store/new", 0),
        "changed": stats.get("newsarchive/store/changed", 0),
        "unchanged": stats.get("newsarchive/dedupe/unchanged", 0),
        "aliases": stats.get("newsarchive/dedupe/alias", 0)
        + stats.get("newsarchive/store/moved", 0),
        "failed": len(failures),
        "failed_by_reason": dict(sorted(Counter(f["reason"] for f in failures).items())),
        "warc_files": stats.get("newsarchive/warc/files", {}),
    }


def run_document(
    run: dict[str, Any], failures: list[dict], exit_status: int | None = None
) -> dict[str, Any]:
    """One run as JSON: its row, its counts, its quality figures and drops."""
    stats = run.get("stats") or {}
    return {
        "run": run.get("id"),
        "spider": run.get("spider"),
        "trigger": run.get("trigger"),
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "finish_reason": run.get("finish_reason"),
        **({"exit_status": exit_status} if exit_status is not None else {}),
        "counts": run_counts(stats, failures),
        "quality": stats.get(QUALITY, {}),
        "quality_drops": stats.get(DROPS, []),
    }


def drop_lines(drops: list[dict]) -> list[str]:
    return [
        f"Quality drop: {drop['site']}: {drop['field']} {drop['before']:.0%} → {drop['now']:.0%}"
        " of pages (a template change?)"
        for drop in drops
    ]


def runs_table(documents: list[dict[str, Any]]) -> str:
    """`newsarchive runs`: a line a run, newest first."""
    lines = [
        f"{'run':>4}  {'started (UTC)':<20}  {'trigger':<8}  {'finish':<11}  "
        f"{'fetched':>7}  {'skipped':>7}  {'304':>4}  {'new':>4}  {'changed':>7}  {'failed':>6}"
    ]
    for document in documents:
        counts = document["counts"]
        drops = " quality drop" if document["quality_drops"] else ""
        lines.append(
            f"{document['run']:>4}  {document['started_at'] or '':<20}  "
            f"{document['trigger'] or '—':<8}  {document['finish_reason'] or 'running':<11}  "
            f"{counts['pages_fetched']:>7}  {counts['skipped']:>7}  {counts['not_modified']:>4}  "
            f"{counts['new']:>4}  {counts['changed']:>7}  {counts['failed']:>6}{drops}"
        )
    return "\n".join(lines)


def run_text(document: dict[str, Any]) -> str:
    """`newsarchive runs N`: one run whole."""
    counts = document["counts"]
    lines = [
        f"Run {document['run']} ({document['spider']}, {document['trigger'] or 'trigger unknown'})",
        f"  started            {document['started_at']}",
        f"  finished           {document['finished_at'] or '—'} ({document['finish_reason']})",
        f"  pages fetched      {counts['pages_fetched']} ({counts['bytes_received']} bytes)",
        f"  pages skipped      {counts['skipped']} known; {counts['not_modified']} not modified",
        f"  records            {counts['new']} new, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged, {counts['aliases']} under a second URL",
        f"  failures           {counts['failed']}",
    ]
    lines += [f"    {reason:<20} {n}" for reason, n in counts["failed_by_reason"].items()]
    for name, size in counts["warc_files"].items():
        lines.append(f"  WARC               {name} ({size} bytes)")
    for site, shares in document["quality"].items():
        figures = ", ".join(
            f"{field} {shares[field]:.0%}"
            for field in ("title", "time", "body", "original_link", "original_reached")
            if field in shares
        )
        lines.append(f"  quality            {site}: {shares['pages']} pages; {figures}")
    lines += ["  " + line for line in drop_lines(document["quality_drops"])]
    return "\n".join(lines)
