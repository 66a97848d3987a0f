"""Making checks: compare a stored reprint with its stored original and store the result."""

from collections import Counter

from itemadapter import ItemAdapter

from newsarchive.archive import Archive
from newsarchive.clock import utc_now
from newsarchive.compare import compare


def check_reprint(
    archive: Archive, reprint_url: str, original: dict | None = None, reprint: dict | None = None
) -> dict | None:
    """Compare a stored reprint with its original as the archive has it; store the check.

    `original` and `reprint` are their records when the caller has them in hand (the crawl
    does: the item just stored), which spares reading and decoding them again.
    """
    reprint = reprint if reprint is not None else archive.records.get(reprint_url)
    if reprint is None or reprint.get("kind") != "reprint":
        return None
    named = reprint.get("original_url")
    if original is None and named:
        original = archive.records.get(named)
    failure = archive.runs.latest_failure(named) if named and original is None else None
    check = dict(
        ItemAdapter(
            compare(
                reprint,
                original,
                checked_at=utc_now(),
                original_failure=failure["reason"] if failure else None,
            )
        )
    )
    if named and (state := archive.states.get(named)):
        check["original_state"], check["original_state_since"] = state["state"], state["since"]
    archive.checks.save(check)
    return check


def check_all(archive: Archive) -> tuple[Counter, Counter]:
    """Recompute every stored reprint's check; how many got each verdict, and each flag."""
    verdicts: Counter = Counter()
    flags: Counter = Counter()
    for url in archive.records.reprint_urls():
        check = check_reprint(archive, url)
        if check is None:  # its record could not be read: in archive.skipped
            continue
        verdicts[check["verdict"] or "none"] += 1
        flags.update(check["flags"])
    return verdicts, flags
