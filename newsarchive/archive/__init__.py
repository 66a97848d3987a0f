"""The archive: one directory, one SQLite database, and the parts that read and write it.

An Archive is composed of its tables' parts: `records` (records, versions, aliases), `links`
(which original each reprint names), `runs` (crawl runs and their failures) and `checks`.
What needs several parts at once (a pair and its original's fate) is here.
"""

import sqlite3
from pathlib import Path
from typing import Any, Self

from newsarchive.archive.checks import Checks
from newsarchive.archive.database import DATABASE_NAME, connect
from newsarchive.archive.errors import ArchiveBusy, ArchiveError
from newsarchive.archive.fetches import Fetches
from newsarchive.archive.links import Links
from newsarchive.archive.records import Records, Stored, fingerprint
from newsarchive.archive.runs import Runs
from newsarchive.archive.states import STATES, OriginalStates
from newsarchive.archive.urls import canonical, preferred


class Archive:
    """An archive directory on one connection, committed after every write so that a crash
    loses nothing already saved.

    `skipped` lists the rows readers passed over because they could not be read (a record
    holding invalid JSON, say), as {table, url, problem}: the rest is still read.
    """

    def __init__(self, directory: Path, max_bytes: int = 0):
        self.directory = Path(directory)
        self.path = self.directory / DATABASE_NAME
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.db = connect(self.path, max_bytes)
        except (OSError, sqlite3.Error) as error:
            raise ArchiveError(
                f"cannot open the archive at {self.directory}: {describe(error)}"
            ) from error
        self.skipped: list[dict[str, str]] = []
        self.links = Links(self.db)
        self.records = Records(self.db, self.links, self.skipped)
        self.runs = Runs(self.db)
        self.checks = Checks(self.db, self.skipped)
        self.fetches = Fetches(self.db)
        self.states = OriginalStates(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def reprints_naming(self, url: str) -> list[str]:
        """Reprint record URLs whose 原文链接 is `url` or resolves to the same stored record."""
        return self.links.reprints_naming(self.records.names_of(url))

    def pairs(self) -> list[dict[str, Any]]:
        """Each linked reprint with the original it names and what became of that original.

        `original_status` is `stored` (with the record URL it resolved to, aliases followed),
        `failed` (with the reason of the latest failure) or `not_fetched`.
        """
        result = []
        for reprint_url, original_url in self.links.rows():
            stored = self.records.url_of(original_url)
            failure = None if stored else self.runs.latest_failure(original_url)
            result.append(
                {
                    "reprint_url": reprint_url,
                    "original_url": original_url,
                    "original_record": stored,
                    "original_status": "stored"
                    if stored
                    else "failed"
                    if failure
                    else "not_fetched",
                    "original_failure": failure["reason"] if failure else None,
                }
            )
        return result

    def counts(self) -> dict[str, int]:
        """Number of records of each kind, plus aliases and links."""
        return self.records.counts() | {"links": self.links.count()}


def describe(error: BaseException) -> str:
    """One line for an OS or SQLite error: `Permission denied`, `database or disk is full`."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror + (f": {error.filename}" if error.filename else "")
    return str(error) or type(error).__name__


__all__ = [
    "DATABASE_NAME",
    "STATES",
    "Archive",
    "ArchiveBusy",
    "ArchiveError",
    "Stored",
    "canonical",
    "describe",
    "fingerprint",
    "preferred",
]
