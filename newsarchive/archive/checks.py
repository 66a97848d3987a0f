"""Stored checks: one ReprintCheck per reprint, replaced whenever it is recomputed."""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from newsarchive.archive.database import LATEST, transaction
from newsarchive.archive.urls import canonical
from newsarchive.clock import utc_now


def drop_check(db: sqlite3.Connection, key: str) -> None:
    """The stored check of the reprint `key` goes; its history keeps every check it had."""
    db.execute(
        "UPDATE check_history SET check_record ="
        " (SELECT check_record FROM checks WHERE reprint_url = ?)"
        " WHERE reprint_url = ? AND check_record = ?"
        " AND EXISTS (SELECT 1 FROM checks WHERE reprint_url = ?)",
        (key, key, LATEST, key),
    )
    db.execute("DELETE FROM checks WHERE reprint_url = ?", (key,))


class Checks:
    """The checks table: each reprint's latest check, as JSON."""

    def __init__(self, db: sqlite3.Connection, skipped: list[dict[str, str]]):
        self.db, self.skipped = db, skipped

    def save(self, check: dict[str, Any], document: str | None = None) -> bool:
        """Store a reprint's check; one that says something new is kept in its history too
        (True then): a reprint edited, or its original changed or gone, is seen over time.

        The newest history entry's document is the stored check itself (check_record holds
        LATEST), so each check is stored once; a newer entry hands the one before it back.
        `document` is the check as JSON, when the caller has encoded it already; `check` then
        needs only its reprint_url, original_url, verdict and checked_at.
        """
        key = canonical(check["reprint_url"])
        document = document or json.dumps(check, ensure_ascii=False)
        with transaction(self.db):
            current = self.db.execute(
                "SELECT check_record FROM checks WHERE reprint_url = ?", (key,)
            ).fetchone()
            latest = self.db.execute(
                "SELECT rowid, check_record FROM check_history WHERE reprint_url = ?"
                " ORDER BY rowid DESC LIMIT 1",
                (key,),
            ).fetchone()
            said_before = None
            if latest is not None:
                said_before = latest["check_record"]
                if said_before == LATEST:
                    said_before = current["check_record"] if current else None
            new = said_before is None or _said(said_before) != _said(document)
            if new:
                if latest is not None and latest["check_record"] == LATEST:
                    self.db.execute(
                        "UPDATE check_history SET check_record = ? WHERE rowid = ?",
                        (said_before or "null", latest["rowid"]),
                    )
                self.db.execute(
                    "INSERT INTO check_history (reprint_url, verdict, check_record, checked_at)"
                    " VALUES (?, ?, ?, ?)",
                    (key, check.get("verdict"), LATEST, check.get("checked_at") or utc_now()),
                )
            self.db.execute(
                "INSERT INTO checks (reprint_url, original_url, verdict, check_record, checked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reprint_url) DO UPDATE SET"
                " original_url = excluded.original_url, verdict = excluded.verdict,"
                " check_record = excluded.check_record, checked_at = excluded.checked_at",
                (
                    key,
                    check.get("original_url"),
                    check.get("verdict"),
                    document,
                    check.get("checked_at") or utc_now(),
                ),
            )
        return new

    def history(self, reprint_url: str) -> list[dict[str, Any]]:
        """Every check of a reprint that differed from the one before, oldest first, each
        with the time it was first said (the newest is the stored check, which says the same
        and may have been made again since)."""
        rows = self.db.execute(
            "SELECT h.check_record AS entry, h.checked_at, c.check_record AS current"
            " FROM check_history h LEFT JOIN checks c ON c.reprint_url = h.reprint_url"
            " WHERE h.reprint_url = ? ORDER BY h.rowid",
            (canonical(reprint_url),),
        )
        history = []
        for row in rows:
            if row["entry"] != LATEST:
                history.append(json.loads(row["entry"]))
            elif row["current"] is not None:
                history.append(json.loads(row["current"]) | {"checked_at": row["checked_at"]})
        return history

    def unchecked_reprints(self) -> list[str]:
        """Stored reprints without a check (a crawl killed between storing and checking)."""
        rows = self.db.execute(
            "SELECT url FROM records WHERE kind = 'reprint'"
            " AND url NOT IN (SELECT reprint_url FROM checks) ORDER BY url"
        )
        return [row["url"] for row in rows]

    def verdict_counts(self) -> dict[str, int]:
        """How many stored checks have each verdict; `none` counts those without an original."""
        rows = self.db.execute("SELECT COALESCE(verdict, 'none'), COUNT(*) FROM checks GROUP BY 1")
        return dict(rows.fetchall())

    def all(self, site: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored checks, in reprint URL order; `site` keeps those of one reprint host."""
        rows = self.db.execute(
            "SELECT c.reprint_url, c.check_record FROM checks c JOIN records r"
            " ON r.url = c.reprint_url WHERE ? IS NULL OR r.site = ? ORDER BY c.reprint_url",
            (site, site),
        )
        for row in rows:
            try:
                check = json.loads(row["check_record"])
            except (TypeError, ValueError) as error:
                self.skipped.append(
                    {
                        "table": "checks",
                        "url": row["reprint_url"],
                        "problem": f"invalid JSON: {error}",
                    }
                )
                continue
            yield check


def _said(document: str) -> str:
    """A check without the time it was made: what it says."""
    check = json.loads(document)
    check.pop("checked_at", None)
    return json.dumps(check, sort_keys=True, ensure_ascii=False)
