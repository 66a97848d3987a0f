"""The archive's SQLite database: its file, its tables, and the one way to write to it."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "archive.sqlite3"
# A document column holding this instead of JSON: the document is the live row's (the latest
# version's is in records, the newest history entry's in checks), so it is stored once.
LATEST = ""

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    url TEXT PRIMARY KEY,           -- canonical URL
    kind TEXT, site TEXT, published_at TEXT, content_hash TEXT,
    fingerprint TEXT,               -- of everything but url and fetched_at: a change = new version
    record TEXT NOT NULL,           -- the Article as JSON
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, first_run INTEGER, last_run INTEGER
);
CREATE INDEX IF NOT EXISTS records_by_hash ON records (site, kind, content_hash);
-- export's order: read along it, the records stream; without it SQLite sorts them all in memory.
CREATE INDEX IF NOT EXISTS records_by_publication
    ON records (published_at IS NULL, published_at, url);
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
CREATE TABLE IF NOT EXISTS fetches (  -- what the last fetch of each article URL asked for learned
    url TEXT PRIMARY KEY, kind TEXT, fetched_at TEXT NOT NULL, status INTEGER,
    etag TEXT, last_modified TEXT, run INTEGER
);
CREATE TABLE IF NOT EXISTS original_states (  -- ok, moved, removed, unreachable, blocked
    url TEXT PRIMARY KEY, state TEXT NOT NULL, since TEXT NOT NULL, checked_at TEXT NOT NULL,
    final_url TEXT, detail TEXT
);
CREATE TABLE IF NOT EXISTS state_changes (
    url TEXT NOT NULL, state TEXT NOT NULL, at TEXT NOT NULL, run INTEGER, final_url TEXT,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS state_changes_by_url ON state_changes (url);
CREATE TABLE IF NOT EXISTS check_history (  -- every check that differed from the one before
    reprint_url TEXT NOT NULL, verdict TEXT, check_record TEXT NOT NULL, checked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS check_history_by_reprint ON check_history (reprint_url);
"""
# Columns added since the first release: an archive made before gains them on opening.
COLUMNS = {
    "runs": {"trigger": "TEXT"},
    "versions": {"changes": "TEXT"},
}


def connect(path: Path, max_bytes: int = 0) -> sqlite3.Connection:
    """The database at `path`, created if new, in WAL mode so readers never block the crawl.

    `max_bytes` caps its size (0: no cap); past it a write fails as on a full disk.
    """
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=Database)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=10000")
        db.execute("PRAGMA journal_mode=WAL")
        # Chosen by measurement (bench/crawl.py's 5,000-page site, checks on, two runs each;
        # their spread was ±7 %): page_size 8192 or 16384 and cache_size 16 MB were no faster
        # than SQLite's 4096 and 2 MB, within the spread, and 8192 made the file 14 % bigger
        # (9.5 against 8.3 KB a record) and the bigger cache the crawl 15 MB heavier, so both
        # stay at SQLite's defaults. synchronous=OFF was no faster either, and would lose
        # the last commits on a power cut: NORMAL, which in WAL mode survives any crash of
        # the process and syncs only at checkpoints.
        db.execute("PRAGMA synchronous=NORMAL")
        if max_bytes:
            page_size = db.execute("PRAGMA page_size").fetchone()[0]
            db.execute(f"PRAGMA max_page_count={max(1, max_bytes // page_size)}")
        db.executescript(SCHEMA)
        _add_columns(db)
    except sqlite3.Error:
        db.close()
        raise
    return db


def _add_columns(db: sqlite3.Connection) -> None:
    for table, columns in COLUMNS.items():
        have = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns.items():
            if name not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


class Database(sqlite3.Connection):
    """A connection that can group its writes: see group_commits()."""

    grouped = False


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write, committed at its end: a crash never leaves half of it.

    IMMEDIATE takes the write lock up front, so a writer that has to wait for another waits
    (busy_timeout) instead of failing halfway with "database is locked". On a connection
    that groups its commits, the write is a savepoint of the open transaction instead: all of
    it or none of it goes into the next commit.
    """
    if getattr(db, "grouped", False):
        if not db.in_transaction:
            db.execute("BEGIN IMMEDIATE")
        db.execute("SAVEPOINT write")
        try:
            yield
        except BaseException:
            if db.in_transaction:  # SQLite rolls a full disk's whole transaction back itself
                db.execute("ROLLBACK TO write")
                db.execute("RELEASE write")
            raise
        db.execute("RELEASE write")
        return
    with db:
        db.execute("BEGIN IMMEDIATE")
        yield


@contextmanager
def statement(db: sqlite3.Connection) -> Iterator[None]:
    """A write of one statement, committed at its end like transaction()'s. SQLite undoes a
    failed statement by itself, so on a connection that groups its commits it needs the open
    transaction only, not a savepoint: two statements fewer for the fetch every page records.
    """
    if getattr(db, "grouped", False):
        if not db.in_transaction:
            db.execute("BEGIN IMMEDIATE")
        yield
        return
    with transaction(db):
        yield


def group_commits(db: sqlite3.Connection) -> None:
    """From now on, writes wait in one transaction until commit_group() commits them together.

    A commit in WAL mode costs about as much as the writes it holds (each page it touched is
    appended to the log), so a crawl that commits its few writes per page one by one spends a
    tenth of its time committing (measured on bench/crawl.py). Grouped, a crash loses the
    writes since the last commit, each whole or not at all, and the next run fetches those
    pages again, as it would after a crash a moment earlier.
    """
    db.grouped = True


def commit_group(db: sqlite3.Connection) -> None:
    """Commit the writes grouped so far (nothing to do when there are none)."""
    if db.in_transaction:
        db.commit()
