"""Plain text for the terminal: a crawl's summary, and a check with its changed paragraphs."""

from collections import Counter
from pathlib import Path

# Verdicts as summaries list them; `none` is a check without an original to compare.
VERDICT_LABELS = {
    "faithful": "faithful",
    "edited": "edited",
    "unrelated": "unrelated",
    "none": "without an original",
}


def verdict_line(verdicts: dict[str, int]) -> str:
    """`13 faithful, 5 edited, 3 without an original`, in VERDICT_LABELS order."""
    return ", ".join(
        f"{verdicts[verdict]} {label}"
        for verdict, label in VERDICT_LABELS.items()
        if verdict in verdicts
    )


def crawl_summary(
    run: dict, failures: list[dict], counts: dict, database: Path, seconds: float
) -> str:
    """The end-of-crawl report: pages, records new/changed/duplicate, failures by reason."""
    stats = run["stats"]
    aliases = stats.get("newsarchive/dedupe/alias", 0) + stats.get("newsarchive/store/moved", 0)
    lines = [
        f"Crawl {run['finish_reason']} in {seconds:.1f}s (run {run['id']}, spider {run['spider']})",
        f"  pages fetched      {stats.get('response_received_count', 0)}",
        f"  records new        {stats.get('newsarchive/store/new', 0)}",
        f"  records changed    {stats.get('newsarchive/store/changed', 0)}",
        (
            f"  duplicates         {stats.get('newsarchive/dedupe/unchanged', 0)} unchanged, "
            f"{aliases} under a second URL"
        ),
        (
            f"  pages skipped      {skipped(stats)} known, not due for a recheck; "
            f"{stats.get('newsarchive/incremental/not_modified', 0)} not modified (304)"
        ),
        f"  failures           {len(failures)}",
    ]
    for reason, count in sorted(Counter(f["reason"] for f in failures).items()):
        examples = [f["url"] for f in failures if f["reason"] == reason][:3]
        lines.append(f"    {reason:<20} {count}  {' '.join(examples)}")
    warc = stats.get("newsarchive/warc/files") or {}
    if warc:
        size = sum(warc.values())
        lines.append(
            f"  WARC               {len(warc)} file(s), {size / 1e6:.1f} MB: {' '.join(warc)}"
        )
    lines.append(
        f"Archive {database}: {counts.get('reprint', 0)} reprints, "
        f"{counts.get('original', 0)} originals, {counts['aliases']} aliases, "
        f"{counts['links']} reprint→original links"
    )
    return "\n".join(lines)


def skipped(stats: dict) -> int:
    """Article pages a run did not fetch because it had them lately (crawl/incremental.py)."""
    return sum(
        stats.get(f"newsarchive/incremental/skipped_{kind}", 0) for kind in ("reprint", "original")
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _lag(seconds: int | None, precision: str | None) -> str:
    if seconds is None:
        return "—"
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    if precision == "day":
        return f"{sign}{seconds // 86400} d (day precision)"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{sign}{days} d {hours} h {rest // 60} min ({precision} precision)"


def _status(check: dict) -> str:
    failure = check.get("original_failure")
    return (
        f"{check.get('original_status')}: {failure}"
        if failure
        else str(check.get("original_status"))
    )


def _title(title: dict) -> str:
    if title.get("equal") is None:
        return "—"
    return (
        "equal" if title["equal"] else f"changed: {title.get('original')} → {title.get('reprint')}"
    )


def _inline_diff(runs: list[list[str]]) -> str:
    """wdiff style: [-cut-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in runs)


def check_text(check: dict) -> str:
    attribution, title = check.get("attribution") or {}, check.get("title") or {}
    flags = ", ".join(check["flags"]) or "none"
    lines = [
        f"Reprint   {check['reprint_url']}",
        f"Original  {check.get('original_url') or '—'} ({_status(check)})",
        f"Verdict   {check.get('verdict') or 'not checked: no original to compare'}",
        f"Flags     {flags}",
        (
            f"Scores    coverage {_percent(check.get('coverage'))} · purity "
            f"{_percent(check.get('purity'))} · similarity {_percent(check.get('similarity'))}"
        ),
        f"Title     {_title(title)}",
        (
            f"Source    {attribution.get('source') or '(none)'}; original published by "
            f"{', '.join(attribution.get('publisher') or []) or '—'}"
        ),
        f"Lag       {_lag(check.get('lag_seconds'), check.get('lag_precision'))}",
    ]
    if check.get("changed_numbers"):
        lines.append("Changed numbers")
        lines += [
            f"  {change['original']} → {change['reprint']}   …{change['context']}…"
            for change in check["changed_numbers"]
        ]
    entries = check.get("paragraphs") or []
    if entries:
        counts = Counter(entry["status"] for entry in entries)
        lines.append("Paragraphs " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    for entry in entries:
        if entry["status"] == "kept":
            continue
        where = (
            f"original ¶{_number(entry['original_index'])} / "
            f"reprint ¶{_number(entry['reprint_index'])}"
        )
        lines.append(f"  [{entry['status']}] {where}")
        if entry["status"] == "changed":
            text = _inline_diff(entry["diff"])
        else:
            text = entry["original_text"] or entry["reprint_text"]
        lines += [f"    {line}" for line in text.splitlines()]
    return "\n".join(lines)


def _number(index: int | None) -> str:
    return "—" if index is None else str(index + 1)
