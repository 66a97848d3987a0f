"""compare(reprint, original) -> ReprintCheck: what a reprint cut, added or altered.

Pure Python on two records (dicts with an Article's fields): no Scrapy, no I/O, no clock.
align.py aligns the bodies' sentences, paragraphs.py groups them into labelled paragraphs,
attribution.py reads the source, title and lag; this module turns that into a verdict and flags.
"""

from typing import Any

from newsarchive.compare.align import align, prepare
from newsarchive.compare.attribution import attribution, lag, title_check, unattributed
from newsarchive.compare.paragraphs import paragraph_entries
from newsarchive.items import ReprintCheck

# Below both of these shares of each other's text, two pages are not the same article.
UNRELATED_BELOW = 0.3


def _verdict_and_flags(
    entries: list[dict], coverage: float, purity: float, title_equal: bool | None
) -> tuple[str, list[str]]:
    if coverage < UNRELATED_BELOW and purity < UNRELATED_BELOW:
        return "unrelated", []
    statuses = {entry["status"] for entry in entries}
    flags = [
        flag
        for status, flag in (
            ("missing", "missing_paragraphs"),
            ("added", "added_paragraphs"),
            ("changed", "changed_paragraphs"),
            ("moved", "reordered"),
        )
        if status in statuses
    ]
    if title_equal is False:
        flags.append("title_changed")
    return ("edited" if flags else "faithful"), flags


def compare(
    reprint: dict[str, Any],
    original: dict[str, Any] | None,
    *,
    original_failure: str | None = None,
    checked_at: str | None = None,
) -> ReprintCheck:
    """Check a reprint record against its original record (None if it could not be had)."""
    check = ReprintCheck(
        reprint_url=reprint["url"],
        checked_at=checked_at,
        original_url=original["url"] if original else reprint.get("original_url"),
    )
    reprint_side = prepare(reprint.get("paragraphs") or [])
    check.attribution = attribution(reprint, original, reprint_side.boilerplate)
    flags = ["source_unattributed"] if unattributed(reprint, check.attribution) else []
    if original is None:
        check.original_status = (
            "none"
            if not reprint.get("original_url")
            else ("unavailable" if original_failure else "not_fetched")
        )
        check.original_failure = original_failure
        flags.append(
            "no_original_link" if check.original_status == "none" else "original_unavailable"
        )
        check.flags = sorted(set(flags))
        check.title = title_check(reprint.get("title"), None)
        check.boilerplate = {"reprint": reprint_side.boilerplate, "original": []}
        return check

    original_side = prepare(original.get("paragraphs") or [])
    matches, shared = align(original_side, reprint_side)
    size_o, size_r = sum(map(len, original_side.keys)), sum(map(len, reprint_side.keys))
    check.coverage = round(shared / size_o, 4) if size_o else None
    check.purity = round(shared / size_r, 4) if size_r else None
    check.similarity = round(2 * shared / (size_o + size_r), 4) if size_o + size_r else None
    check.paragraphs = paragraph_entries(original_side, reprint_side, matches)
    check.title = title_check(
        reprint.get("title"),
        original.get("title"),
        suffixes=[
            original.get("site_name"),
            reprint.get("site_name"),
            original.get("category"),
            reprint.get("category"),
        ],
    )
    verdict, edit_flags = _verdict_and_flags(
        check.paragraphs, check.coverage or 0, check.purity or 0, check.title["equal"]
    )
    check.verdict = verdict
    numbers = [change for entry in check.paragraphs for change in entry.pop("numbers")]
    check.changed_numbers = [] if verdict == "unrelated" else numbers
    if check.changed_numbers:
        edit_flags.append("changed_numbers")
    check.lag_seconds, check.lag_precision = lag(
        reprint.get("published_at"), original.get("published_at")
    )
    if check.lag_seconds is not None and check.lag_seconds < 0:
        flags.append("published_before_original")
    check.original_status = "available"
    check.flags = sorted(set(flags + edit_flags))
    check.boilerplate = {"reprint": reprint_side.boilerplate, "original": original_side.boilerplate}
    return check


__all__ = ["compare"]
