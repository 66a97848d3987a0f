"""Reading the archive: records for export, versions, links and their originals' fate."""

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from newsarchive.ledger import canonical


class QueriesMixin:
    """Queries of an Archive, on its connection `db`."""

    db: sqlite3.Connection
    record_url: Callable[[str], str | None]  # Archive's: aliases followed
    latest_failure: Callable[[str], dict[str, Any] | None]  # the ledger's

    def records(self, kind: str | None = None, site: str | None = None,
                since: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored records, oldest publication first; `since` keeps those published on or after it."""
        clauses, params = [], []
        for column, value in (("kind", kind), ("site", site)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since:
            clauses.append("substr(published_at, 1, 10) >= ?")
            params.append(since)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        query = (f"SELECT url, record FROM records {where}"
                 " ORDER BY published_at IS NULL, published_at, url")  # undated last
        aliases = self._aliases_by_url()
        for row in self.db.execute(query, params):
            record = json.loads(row["record"])
            record["aliases"] = aliases.get(row["url"], [])
            yield record

    def _aliases_by_url(self) -> dict[str, list[str]]:
        by_url: dict[str, list[str]] = {}
        for row in self.db.execute("SELECT alias, url FROM aliases ORDER BY alias"):
            by_url.setdefault(row["url"], []).append(row["alias"])
        return by_url

    def versions(self, url: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT record FROM versions WHERE url = ? ORDER BY version", (canonical(url),)
        )
        return [json.loads(row["record"]) for row in rows]

    def links(self) -> list[dict[str, Any]]:
        """Each reprint with the original it names and what became of that original.

        `original_status` is `stored` (with the record URL it resolved to, aliases followed),
        `failed` (with the reason of the latest failure) or `not_fetched`.
        """
        result = []
        for row in self.db.execute("SELECT reprint_url, original_url FROM links ORDER BY reprint_url"):
            link = dict(row)
            stored = self.record_url(row["original_url"])
            failure = None if stored else self.latest_failure(row["original_url"])
            link["original_record"] = stored
            link["original_status"] = "stored" if stored else "failed" if failure else "not_fetched"
            link["original_failure"] = failure["reason"] if failure else None
            result.append(link)
        return result

    def record(self, url: str) -> dict[str, Any] | None:
        """The stored record for `url` (aliases followed), or None."""
        key = self.record_url(url)
        row = key and self.db.execute("SELECT record FROM records WHERE url = ?", (key,)).fetchone()
        return json.loads(row["record"]) if row else None

    def reprints_naming(self, url: str) -> list[str]:
        """Reprint record URLs whose 原文链接 is `url` or resolves to the same stored record."""
        names = {canonical(url)}
        if key := self.record_url(url):
            names.add(key)
            names.update(row["alias"] for row in
                         self.db.execute("SELECT alias FROM aliases WHERE url = ?", (key,)))
        placeholders = ",".join("?" * len(names))
        return [row["reprint_url"] for row in self.db.execute(
            f"SELECT reprint_url FROM links WHERE original_url IN ({placeholders})"
            " ORDER BY reprint_url", sorted(names))]

    def reprint_urls(self) -> list[str]:
        return [row["url"] for row in
                self.db.execute("SELECT url FROM records WHERE kind = 'reprint' ORDER BY url")]

    def counts(self) -> dict[str, int]:
        """Number of records of each kind, plus aliases and links."""
        counts = {row["kind"]: row["n"] for row in
                  self.db.execute("SELECT kind, COUNT(*) AS n FROM records GROUP BY kind")}
        for table in ("aliases", "links"):
            counts[table] = self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return counts
