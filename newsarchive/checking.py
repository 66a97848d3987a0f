"""Making checks: compare a stored reprint with its stored original and store the result."""

from collections import Counter
from dataclasses import dataclass

from itemadapter import ItemAdapter

from newsarchive.archive import Archive
from newsarchive.clock import utc_now
from newsarchive.compare import compare


@dataclass
class Pair:
    """What a check is made of, read from the archive: picklable, for a worker process."""

    reprint_url: str
    reprint: dict
    original: dict | None
    original_failure: str | None
    original_state: dict | None


def pair_of(
    archive: Archive, reprint_url: str, original: dict | None = None, reprint: dict | None = None
) -> Pair | None:
    """A stored reprint and its original as the archive has them, or None for no reprint.

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
    return Pair(
        reprint_url,
        reprint,
        original,
        failure["reason"] if failure else None,
        archive.states.get(named) if named else None,
    )


def compare_pair(pair: Pair) -> dict:
    """The check of a pair, not yet stored: the pure part, which a worker can run."""
    check = dict(
        ItemAdapter(
            compare(
                pair.reprint,
                pair.original,
                checked_at=utc_now(),
                original_failure=pair.original_failure,
            )
        )
    )
    if pair.original_state:
        check["original_state"] = pair.original_state["state"]
        check["original_state_since"] = pair.original_state["since"]
    return check


def check_reprint(
    archive: Archive, reprint_url: str, original: dict | None = None, reprint: dict | None = None
) -> dict | None:
    """Compare a stored reprint with its original as the archive has it; store the check."""
    pair = pair_of(archive, reprint_url, original, reprint)
    if pair is None:
        return None
    check = compare_pair(pair)
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
