"""The archive: one SQLite database (WAL) of JSON records, versions, aliases, links, runs, failures."""

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from newsarchive.ledger import LedgerMixin, canonical, utc_now
from newsarchive.queries import QueriesMixin

DATABASE_NAME = "archive.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    url TEXT PRIMARY KEY,           -- canonical URL
    kind TEXT, site TEXT, published_at TEXT, content_hash TEXT,
    fingerprint TEXT,               -- of everything but url and fetched_at: a change = new version
    record TEXT NOT NULL,           -- the Article as JSON
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, first_run INTEGER, last_run INTEGER
);
CREATE INDEX IF NOT EXISTS records_by_hash ON records (site, kind, content_hash);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL, version INTEGER NOT NULL, content_hash TEXT, record TEXT NOT NULL,
    seen_at TEXT NOT NULL, run INTEGER, PRIMARY KEY (url, version)
);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY, url TEXT NOT NULL, seen_at TEXT NOT NULL, run INTEGER
);
CREATE TABLE IF NOT EXISTS links (
    reprint_url TEXT PRIMARY KEY, original_url TEXT NOT NULL, seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS links_by_original ON links (original_url);
CREATE TABLE IF NOT EXISTS checks (
    reprint_url TEXT PRIMARY KEY, original_url TEXT, verdict TEXT,
    check_record TEXT NOT NULL,     -- the ReprintCheck as JSON
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, spider TEXT, started_at TEXT NOT NULL, finished_at TEXT,
    finish_reason TEXT, stats TEXT
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY, run INTEGER, url TEXT NOT NULL, stage TEXT NOT NULL,
    reason TEXT NOT NULL, detail TEXT, http_status INTEGER, referer TEXT, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS failures_by_url ON failures (url);
"""


def preferred(url: str, other: str) -> bool:
    """Whether `url` should be the record's URL rather than `other` (the alias).

    A static URL beats a dynamic one (`show-1.html` over `index.php?c=show&id=1`), then the
    shorter, then the smaller: the same pages give the same records whatever the crawl order.
    """
    def rank(candidate: str) -> tuple[bool, int, str]:
        return ("?" in candidate, len(candidate), candidate)
    return rank(url) < rank(other)


def fingerprint(record: dict[str, Any]) -> str:
    """Hash of what a page says (all fields but its URL and fetch time): another title, date,
    source or 原文链接 with the same body is still a change worth a version."""
    content = {name: value for name, value in record.items() if name not in ("url", "fetched_at")}
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class Stored:
    """What saving a record did: `new`, `changed` (a new version of its URL), `unchanged`,
    `alias` (stored under another URL) or `moved` (it took over from a less preferred URL)."""

    outcome: str
    url: str


class Archive(QueriesMixin, LedgerMixin):
    """An archive directory; one connection, committed after every write so a crash loses nothing.

    Writing records, versions, aliases and links is here; reading them in queries.py; runs,
    failures and checks in ledger.py.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / DATABASE_NAME
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write, committed at its end: a crash never leaves half of it."""
        with self.db:
            self.db.execute("BEGIN")
            yield

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # Records ------------------------------------------------------------------------------

    def record_url(self, url: str) -> str | None:
        """The stored record URL for `url`, following aliases; None if unknown."""
        key = canonical(url)
        row = self.db.execute("SELECT url FROM records WHERE url = ?", (key,)).fetchone()
        if row:
            return row["url"]
        row = self.db.execute("SELECT url FROM aliases WHERE alias = ?", (key,)).fetchone()
        return row["url"] if row else None

    def _stored(self, key: str, column: str) -> str | None:
        row = self.db.execute(f"SELECT {column} FROM records WHERE url = ?", (key,)).fetchone()
        return row[0] if row else None

    def same_content(self, record: dict[str, Any]) -> str | None:
        """URL of another stored record of the same site and kind with the same body, if any."""
        if not record.get("content_hash") or not record.get("body"):
            return None
        row = self.db.execute(
            "SELECT url FROM records WHERE site = ? AND kind = ? AND content_hash = ? AND url != ?",
            (record["site"], record["kind"], record["content_hash"], canonical(record["url"])),
        ).fetchone()
        return row["url"] if row else None

    def classify(self, record: dict[str, Any], record_fingerprint: str | None = None) -> Stored:
        """What saving `record` would do, without doing it.

        `unchanged`: its URL, or an alias of it, is stored as it is now. `changed`: its URL is
        stored with other content. `alias`: its body is stored under a preferred URL of the same
        site and kind. `new`: anything else, including an alias URL that now serves another text.
        """
        key = canonical(record["url"])
        stored = self.record_url(key)
        record_fingerprint = record_fingerprint or fingerprint(record)
        if stored and self._stored(stored, "fingerprint") == record_fingerprint:
            return Stored("unchanged", stored)
        if stored and stored != key and self._stored(stored, "content_hash") == record.get(
            "content_hash"
        ):
            return Stored("unchanged", stored)  # an alias page: joined by its body, judged by it
        if stored == key:
            return Stored("changed", key)
        other = self.same_content(record)
        if other and not preferred(key, other):
            return Stored("alias", other)
        return Stored("new", key)

    def save(self, record: dict[str, Any], run: int | None = None) -> Stored:
        """Store a record as new, as a new version of its URL, or as an alias; see classify()."""
        key, now, record_fingerprint = canonical(record["url"]), utc_now(), fingerprint(record)
        with self.transaction():
            decision = self.classify(record, record_fingerprint)
            if decision.outcome == "alias":
                self._alias(key, decision.url, now, run)
            if decision.outcome in ("unchanged", "alias"):
                self._touch(decision.url, now, run)
                return decision
            moved = self._take_over_same_content(record, key, now, run)
            self._write(key, record, record_fingerprint, now, run, is_new=decision.outcome == "new")
            if record.get("kind") == "reprint":
                self._link(record, now)
            return Stored("moved", key) if moved and decision.outcome == "new" else decision

    def _touch(self, key: str, now: str, run: int | None) -> None:
        self.db.execute(
            "UPDATE records SET last_seen_at = ?, last_run = ? WHERE url = ?", (now, run, key)
        )

    def _write(self, key: str, record: dict[str, Any], record_fingerprint: str, now: str,
               run: int | None, is_new: bool):
        self.db.execute("DELETE FROM aliases WHERE alias = ?", (key,))  # now a page of its own
        document = json.dumps(record, ensure_ascii=False)
        values = (record.get("kind"), record.get("site"), record.get("published_at"),
                  record.get("content_hash"), record_fingerprint, document, now, run, key)
        if is_new:
            self.db.execute(
                "INSERT INTO records (kind, site, published_at, content_hash, fingerprint, record,"
                " last_seen_at, last_run, url, first_seen_at, first_run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values + (now, run),
            )
        else:
            self.db.execute(
                "UPDATE records SET kind = ?, site = ?, published_at = ?, content_hash = ?,"
                " fingerprint = ?, record = ?, last_seen_at = ?, last_run = ? WHERE url = ?",
                values,
            )
        self.db.execute(
            "INSERT INTO versions (url, version, content_hash, record, seen_at, run)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (key, self._next_version(key), record.get("content_hash"), document, now, run),
        )

    def _next_version(self, key: str) -> int:
        return self.db.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE url = ?", (key,)
        ).fetchone()[0]

    def _take_over_same_content(self, record: dict[str, Any], key: str, now: str,
                                run: int | None) -> bool:
        """A less preferred URL storing this body becomes an alias of `key`, its history moved.

        Its versions with this very body are dropped (the new version repeats them), so the
        result does not depend on which URL the crawl happened to fetch first.
        """
        other = self.same_content(record)
        if other is None:
            return False
        self.db.execute("DELETE FROM versions WHERE url = ? AND content_hash = ?",
                        (other, record["content_hash"]))
        earlier = self.db.execute(
            "SELECT version FROM versions WHERE url = ? ORDER BY version", (other,)
        ).fetchall()
        for row in earlier:
            self.db.execute("UPDATE versions SET url = ?, version = ? WHERE url = ? AND version = ?",
                            (key, self._next_version(key), other, row["version"]))
        self.db.execute("DELETE FROM records WHERE url = ?", (other,))
        self.db.execute("UPDATE aliases SET url = ? WHERE url = ?", (key, other))
        self.db.execute("DELETE FROM links WHERE reprint_url = ?", (other,))  # key names its own
        self.db.execute("DELETE FROM checks WHERE reprint_url = ?", (other,))
        self._alias(other, key, now, run)
        return True

    def add_alias(self, alias: str, url: str, run: int | None = None) -> None:
        """Record that `alias` serves the same article as the stored record `url`."""
        with self.transaction():
            self._alias(canonical(alias), canonical(url), utc_now(), run)

    def _alias(self, alias: str, url: str, now: str, run: int | None) -> None:
        self.db.execute(
            "INSERT INTO aliases (alias, url, seen_at, run) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (alias) DO UPDATE SET url = excluded.url",
            (alias, url, now, run),
        )

    def _link(self, record: dict[str, Any], now: str) -> None:
        key = canonical(record["url"])
        if record.get("original_url"):
            self.db.execute(
                "INSERT INTO links (reprint_url, original_url, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (reprint_url) DO UPDATE SET original_url = excluded.original_url",
                (key, canonical(record["original_url"]), now),
            )
        else:
            self.db.execute("DELETE FROM links WHERE reprint_url = ?", (key,))
