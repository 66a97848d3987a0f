"""Checking stored reprints against their stored originals, one pair or all of them."""

from collections import Counter

from itemadapter import ItemAdapter

from newsarchive.compare import compare
from newsarchive.store import Archive, utc_now


def check_reprint(archive: Archive, reprint_url: str) -> dict | None:
    """Compare a stored reprint with its original as the archive has it; store the check."""
    reprint = archive.record(reprint_url)
    if reprint is None or reprint.get("kind") != "reprint":
        return None
    named = reprint.get("original_url")
    original = archive.record(named) if named else None
    failure = archive.latest_failure(named) if named and original is None else None
    check = ItemAdapter(compare(reprint, original, checked_at=utc_now(),
                                original_failure=failure["reason"] if failure else None)).asdict()
    archive.save_check(check)
    return check


def check_all(archive: Archive) -> Counter:
    """Recompute every stored reprint's check; counts of verdicts and flags."""
    counts: Counter = Counter()
    for url in archive.reprint_urls():
        check = check_reprint(archive, url)
        counts[f"verdict:{check['verdict'] or 'none'}"] += 1
        counts.update(f"flag:{flag}" for flag in check["flags"])
    return counts
