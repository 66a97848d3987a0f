"""What the last fetch of each article URL learned: when, its status, its validators. An
incremental crawl reads it to skip pages it has seen lately and to ask the others
conditionally (If-None-Match, If-Modified-Since)."""

import sqlite3
from typing import Any

from newsarchive.archive.database import statement, transaction
from newsarchive.archive.urls import canonical
from newsarchive.clock import utc_now


class Fetches:
    """The fetches table: one row per article URL a crawl asked for, the latest fetch."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def get(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM fetches WHERE url = ?", (canonical(url),)).fetchone()
        return dict(row) if row else None

    def remember(
        self,
        url: str | list[str],
        kind: str,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        run: int | None = None,
    ) -> None:
        """A fetch of `url` (or of each URL of a redirect chain, in one transaction); a 304
        keeps the validators it confirmed."""
        urls = [url] if isinstance(url, str) else url
        now = utc_now()
        with transaction(self.db) if len(urls) > 1 else statement(self.db):
            self.db.executemany(
                "INSERT INTO fetches (url, kind, fetched_at, status, etag, last_modified, run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " kind = excluded.kind, fetched_at = excluded.fetched_at,"
                " status = CASE WHEN excluded.status = 304 THEN fetches.status"
                "   ELSE excluded.status END,"
                " etag = COALESCE(excluded.etag, CASE WHEN excluded.status = 304"
                "   THEN fetches.etag END),"
                " last_modified = COALESCE(excluded.last_modified, CASE WHEN excluded.status = 304"
                "   THEN fetches.last_modified END),"
                " run = excluded.run",
                [(canonical(u), kind, now, status, etag, last_modified, run) for u in urls],
            )
