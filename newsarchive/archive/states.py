"""What became of each original over time: `ok`, `moved` (served from another URL, kept as
`final_url`), `removed` (404, 410), `unreachable` (timeouts, 5xx after retries) or `blocked`
(403, robots.txt). The state now is in original_states, every change in state_changes; the
last good capture stays in records, where the checks still find it."""

import sqlite3
from typing import Any

from newsarchive.archive.database import transaction
from newsarchive.archive.urls import canonical
from newsarchive.clock import utc_now

STATES = ("ok", "moved", "removed", "unreachable", "blocked")


class OriginalStates:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def get(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM original_states WHERE url = ?", (canonical(url),)
        ).fetchone()
        return dict(row) if row else None

    def set(
        self,
        url: str,
        state: str,
        final_url: str | None = None,
        detail: str | None = None,
        run: int | None = None,
    ) -> bool:
        """The original's state as this fetch found it; True when that is a change."""
        if state not in STATES:
            raise ValueError(f"not a state: {state}")
        key, now = canonical(url), utc_now()
        with transaction(self.db):
            row = self.db.execute(
                "SELECT state, final_url FROM original_states WHERE url = ?", (key,)
            ).fetchone()
            changed = row is None or (row["state"], row["final_url"]) != (state, final_url)
            if changed:
                self.db.execute(
                    "INSERT INTO original_states (url, state, since, checked_at, final_url,"
                    " detail) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " state = excluded.state, since = excluded.since,"
                    " checked_at = excluded.checked_at, final_url = excluded.final_url,"
                    " detail = excluded.detail",
                    (key, state, now, now, final_url, detail),
                )
                self.db.execute(
                    "INSERT INTO state_changes (url, state, at, run, final_url, detail)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (key, state, now, run, final_url, detail),
                )
            else:
                self.db.execute(
                    "UPDATE original_states SET checked_at = ?, detail = ? WHERE url = ?",
                    (now, detail, key),
                )
        return changed

    def history(self, url: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT state, at, run, final_url, detail FROM state_changes WHERE url = ?"
            " ORDER BY rowid",
            (canonical(url),),
        )
        return [dict(row) for row in rows]

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT state, COUNT(*) FROM original_states GROUP BY state")
        return dict(rows.fetchall())
