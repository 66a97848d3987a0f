"""Which original each reprint names: the links table."""

import sqlite3

from newsarchive.archive.urls import canonical


class Links:
    """Reprint record URL -> the canonical URL its 原文链接 names. Writes run inside the
    caller's transaction (a record's save), never in one of their own."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def set_original(self, reprint_url: str, original_url: str | None, now: str) -> None:
        """Link a reprint to the original it names; None removes its link."""
        if original_url:
            self.db.execute(
                "INSERT INTO links (reprint_url, original_url, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (reprint_url) DO UPDATE SET original_url = excluded.original_url",
                (reprint_url, canonical(original_url), now),
            )
        else:
            self.db.execute("DELETE FROM links WHERE reprint_url = ?", (reprint_url,))

    def reprints_naming(self, names: set[str]) -> list[str]:
        """Reprint record URLs whose 原文链接 is one of `names` (canonical URLs)."""
        placeholders = ",".join("?" * len(names))
        return [
            row["reprint_url"]
            for row in self.db.execute(
                f"SELECT reprint_url FROM links WHERE original_url IN ({placeholders})"
                " ORDER BY reprint_url",
                sorted(names),
            )
        ]

    def rows(self) -> list[tuple[str, str]]:
        """(reprint URL, original URL) of every link, in reprint URL order."""
        rows = self.db.execute("SELECT reprint_url, original_url FROM links ORDER BY reprint_url")
        return [(row["reprint_url"], row["original_url"]) for row in rows]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM links").fetchone()[0]
