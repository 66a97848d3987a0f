"""Stored checks: one ReprintCheck per reprint, replaced whenever it is recomputed."""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from newsarchive.archive.database import transaction
from newsarchive.archive.urls import canonical
from newsarchive.clock import utc_now


class Checks:
    """The checks table: each reprint's latest check, as JSON."""

    def __init__(self, db: sqlite3.Connection, skipped: list[dict[str, str]]):
        self.db, self.skipped = db, skipped

    def save(self, check: dict[str, Any]) -> None:
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO checks (reprint_url, original_url, verdict, check_record, checked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reprint_url) DO UPDATE SET"
                " original_url = excluded.original_url, verdict = excluded.verdict,"
                " check_record = excluded.check_record, checked_at = excluded.checked_at",
                (
                    canonical(check["reprint_url"]),
                    check.get("original_url"),
                    check.get("verdict"),
                    json.dumps(check, ensure_ascii=False),
                    check.get("checked_at") or utc_now(),
                ),
            )

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
