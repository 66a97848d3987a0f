"""Crawl runs and the pages each one lost: the runs and failures tables."""

import json
import sqlite3
from typing import Any

from newsarchive.archive.database import transaction
from newsarchive.archive.urls import canonical
from newsarchive.clock import utc_now


class Runs:
    """One row per crawl run with its statistics, and one per page a run could not archive."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def start(self, spider: str, trigger: str | None = None) -> int:
        """A new run; one left unfinished by a crawl that was killed is marked interrupted
        (only one crawl writes at a time, archive/lock.py: an unfinished run is a dead one)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET finish_reason = 'interrupted' WHERE finished_at IS NULL"
                " AND finish_reason IS NULL"
            )
            cursor = self.db.execute(
                "INSERT INTO runs (spider, started_at, trigger) VALUES (?, ?, ?)",
                (spider, utc_now(), trigger),
            )
        return int(cursor.lastrowid)

    def finish(self, run: int, finish_reason: str, stats: dict[str, Any]) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET finished_at = ?, finish_reason = ?, stats = ? WHERE id = ?",
                (utc_now(), finish_reason, json.dumps(stats, ensure_ascii=False, default=str), run),
            )

    def get(self, run: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run,)).fetchone()
        if row is None:
            return None
        result = dict(row)
        try:
            result["stats"] = json.loads(result["stats"] or "{}")
        except ValueError:
            result["stats"] = {}  # unreadable: the run's row is still shown
        return result

    def all(self) -> list[dict[str, Any]]:
        """Every run, newest first."""
        rows = self.db.execute("SELECT id FROM runs ORDER BY id DESC").fetchall()
        return [run for row in rows if (run := self.get(row["id"])) is not None]

    def recent_quality(self, before: int | None, count: int) -> list[dict[str, dict]]:
        """The quality figures of the last `count` finished runs before run `before`."""
        rows = self.db.execute(
            "SELECT stats FROM runs WHERE finish_reason = 'finished' AND id < ?"
            " ORDER BY id DESC LIMIT ?",
            (before if before is not None else 1 << 62, count),
        )
        found = []
        for row in rows:
            try:
                quality = json.loads(row["stats"] or "{}").get("newsarchive/quality")
            except ValueError:
                continue
            if isinstance(quality, dict):
                found.append(quality)
        return found

    def before(self, run: int | None) -> dict[str, Any] | None:
        """The run before `run` (before any, for None)."""
        row = self.db.execute(
            "SELECT MAX(id) FROM runs WHERE id < ?", (run if run is not None else 1 << 62,)
        ).fetchone()
        return self.get(row[0]) if row[0] is not None else None

    def last(self) -> dict[str, Any] | None:
        row = self.db.execute("SELECT MAX(id) FROM runs").fetchone()
        return self.get(row[0]) if row[0] is not None else None

    def add_failure(
        self,
        url: str,
        stage: str,
        reason: str,
        detail: str | None = None,
        http_status: int | None = None,
        referer: str | None = None,
        run: int | None = None,
    ) -> None:
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO failures (run, url, stage, reason, detail, http_status, referer, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run,
                    canonical(url) if url else url,
                    stage,
                    reason,
                    detail,
                    http_status,
                    referer,
                    utc_now(),
                ),
            )

    def failures(self, run: int | None = None) -> list[dict[str, Any]]:
        query, params = "SELECT * FROM failures", ()
        if run is not None:
            query, params = query + " WHERE run = ?", (run,)
        return [dict(row) for row in self.db.execute(query + " ORDER BY id", params)]

    def latest_failure(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM failures WHERE url = ? ORDER BY id DESC LIMIT 1", (canonical(url),)
        ).fetchone()
        return dict(row) if row else None
