"""Making checks: compare a stored reprint with its stored original and store the result."""

import json
import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from itemadapter import ItemAdapter

from newsarchive.archive import Archive
from newsarchive.archive.database import commit_group, group_commits
from newsarchive.clock import utc_now
from newsarchive.compare import compare
from newsarchive.processes import sigint_deferred, spawn_context

COMMIT_EVERY = 500  # checks stored per commit by check_all
CHUNK = 32  # pairs a check_all worker is given at a time
IN_FLIGHT = 3  # chunks per worker sent ahead of the one being stored


@dataclass
class Pair:
    """What a check is made of, read from the archive: picklable, for a worker process."""

    reprint_url: str
    reprint: dict
    original: dict | None
    original_failure: str | None
    original_state: dict | None

    def __getstate__(self) -> dict:
        """Pickled (for a worker) without the records' bodies: their paragraphs joined, which
        compare() does not read."""
        state = dict(self.__dict__)
        for side in ("reprint", "original"):
            if state[side] is not None:
                state[side] = {name: value for name, value in state[side].items() if name != "body"}
        return state


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


# What Checks.save() reads of a check, besides its JSON document.
SAVED_FIELDS = ("reprint_url", "original_url", "verdict", "checked_at")


def compare_and_encode(pair: Pair) -> tuple[dict, str]:
    """The check of a pair as a crawl's worker hands it over: the fields Checks.save() reads,
    and the whole check as its JSON document, so the crawl's own process neither encodes it
    nor unpickles all of it."""
    check = compare_pair(pair)
    return {name: check.get(name) for name in SAVED_FIELDS}, json.dumps(check, ensure_ascii=False)


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


def check_all(archive: Archive, workers: int | None = None) -> tuple[Counter, Counter]:
    """Recompute every stored reprint's check; how many got each verdict, and each flag.

    `workers` processes (default: one per core) each read pairs through a connection of their
    own and compare them; this one stores the checks, committed together every COMMIT_EVERY.
    A few chunks of pairs per worker are in flight, so memory stays flat however big the
    archive.
    """
    count = (os.cpu_count() or 1) if workers is None else workers
    verdicts: Counter = Counter()
    flags: Counter = Counter()
    group_commits(archive.db)
    try:
        stored = 0
        for check, skipped in _checks(archive, archive.records.reprint_urls(), count):
            archive.skipped.extend(skipped)
            if check is None:  # its record could not be read: in archive.skipped
                continue
            archive.checks.save(check)
            verdicts[check["verdict"] or "none"] += 1
            flags.update(check["flags"])
            stored += 1
            if stored % COMMIT_EVERY == 0:
                commit_group(archive.db)
        commit_group(archive.db)
    finally:
        archive.db.grouped = False
    return verdicts, flags


def _checks(archive: Archive, urls: list[str], workers: int) -> Iterator[tuple]:
    """(check or None, rows skipped) of each reprint, in order; here for one worker."""
    if workers <= 1:
        for url in urls:
            pair = pair_of(archive, url)
            yield (compare_pair(pair) if pair is not None else None), []
        return
    pool = ProcessPoolExecutor(
        workers,
        mp_context=spawn_context(),  # Ctrl-C is this process's to handle, not the workers'
        initializer=_open_reader,
        initargs=(archive.directory,),
    )
    try:
        pending: deque = deque()
        for start in range(0, len(urls), CHUNK):
            with sigint_deferred():  # submit() may start a worker
                pending.append(pool.submit(_checks_of, urls[start : start + CHUNK]))
            if len(pending) >= IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)  # interrupted: the chunks not begun are dropped


_reader: Archive | None = None  # a check_all worker's own connection to the archive


def _open_reader(directory: Path) -> None:
    global _reader
    _reader = Archive(directory)


def _checks_of(urls: list[str]) -> list[tuple]:
    """In a worker: the pairs read through its own connection, compared."""
    results = []
    for url in urls:
        _reader.skipped.clear()
        pair = pair_of(_reader, url)
        results.append(((compare_pair(pair) if pair is not None else None), list(_reader.skipped)))
    return results
