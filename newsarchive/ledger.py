"""What the archive notes beside the records: crawl runs, lost pages and reprint checks."""

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from w3lib.url import canonicalize_url


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@lru_cache(maxsize=65536)  # each item's URLs are canonicalised several times on its way
def canonical(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


class LedgerMixin:
    """Runs, failures and checks of an Archive, on its connection `db`."""

    db: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[None]]  # Archive's

    # Checks -------------------------------------------------------------------------------

    def save_check(self, check: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO checks (reprint_url, original_url, verdict, check_record, checked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reprint_url) DO UPDATE SET"
                " original_url = excluded.original_url, verdict = excluded.verdict,"
                " check_record = excluded.check_record, checked_at = excluded.checked_at",
                (canonical(check["reprint_url"]), check.get("original_url"), check.get("verdict"),
                 json.dumps(check, ensure_ascii=False), check.get("checked_at") or utc_now()),
            )

    def verdict_counts(self) -> dict[str, int]:
        """How many stored checks have each verdict; `none` counts those without an original."""
        rows = self.db.execute("SELECT COALESCE(verdict, 'none'), COUNT(*) FROM checks GROUP BY 1")
        return dict(rows.fetchall())

    def checks(self, site: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored checks, in reprint URL order; `site` keeps those of one reprint host."""
        rows = self.db.execute(
            "SELECT c.check_record FROM checks c JOIN records r ON r.url = c.reprint_url"
            " WHERE ? IS NULL OR r.site = ? ORDER BY c.reprint_url", (site, site))
        for row in rows:
            yield json.loads(row["check_record"])

    # Runs and failures --------------------------------------------------------------------

    def start_run(self, spider: str) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (spider, started_at) VALUES (?, ?)", (spider, utc_now())
            )
        return int(cursor.lastrowid)

    def finish_run(self, run: int, finish_reason: str, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at = ?, finish_reason = ?, stats = ? WHERE id = ?",
                (utc_now(), finish_reason, json.dumps(stats, ensure_ascii=False, default=str), run),
            )

    def run(self, run: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run,)).fetchone()
        if row is None:
            return None
        result = dict(row)
        result["stats"] = json.loads(result["stats"] or "{}")
        return result

    def last_run(self) -> dict[str, Any] | None:
        row = self.db.execute("SELECT MAX(id) FROM runs").fetchone()
        return self.run(row[0]) if row[0] is not None else None

    def add_failure(self, url: str, stage: str, reason: str, detail: str | None = None,
                    http_status: int | None = None, referer: str | None = None,
                    run: int | None = None) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO failures (run, url, stage, reason, detail, http_status, referer, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run, canonical(url) if url else url, stage, reason, detail, http_status, referer,
                 utc_now()),
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

