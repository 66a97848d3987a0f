"""Records, their versions and their aliases: what the archive holds of each page."""

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from newsarchive.archive import documents
from newsarchive.archive.checks import drop_check
from newsarchive.archive.database import LATEST, transaction
from newsarchive.archive.links import Links
from newsarchive.archive.urls import canonical, preferred
from newsarchive.clock import utc_now

# What a fetch says of a page, not what the page says: never a change worth a version.
NOT_CONTENT = ("url", "fetched_at", "capture", "aliases")


def fingerprint(record: dict[str, Any]) -> str:
    """Hash of what a page says (all fields but its URL and fetch time): another title, date,
    source or 原文链接 with the same body is still a change worth a version."""
    content = {name: value for name, value in record.items() if name not in NOT_CONTENT}
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed from one version of a page to the next: the fields, and for the text the
    paragraphs added, removed and edited (difflib's opcodes over the two lists)."""
    fields = sorted(
        name
        for name in set(before) | set(after)
        if name not in (*NOT_CONTENT, "body", "content_hash")
        and before.get(name) != after.get(name)
    )
    added = removed = edited = 0
    matcher = SequenceMatcher(
        None, before.get("paragraphs") or [], after.get("paragraphs") or [], autojunk=False
    )
    for operation, first, last, start, end in matcher.get_opcodes():
        if operation == "insert":
            added += end - start
        elif operation == "delete":
            removed += last - first
        elif operation == "replace":
            edited += min(last - first, end - start)
            added += max(0, (end - start) - (last - first))
            removed += max(0, (last - first) - (end - start))
    return {
        "fields": fields,
        "paragraphs_added": added,
        "paragraphs_removed": removed,
        "paragraphs_edited": edited,
    }


@dataclass(frozen=True)
class Stored:
    """What saving a record did: `new`, `changed` (a new version of its URL), `unchanged`,
    `alias` (stored under another URL) or `moved` (it took over from a less preferred URL)."""

    outcome: str
    url: str
    # For a `new` record: the less preferred URL that stores its body, and becomes its alias.
    takes_over: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Decided:
    """classify()'s decision for a record, and the connection's total_changes when it was
    made: save() takes it as it is when nothing was written since, instead of deciding again
    (the dedupe pipeline decides, the store saves)."""

    changes: int
    stored: Stored


# A version's document, wherever it is kept (the query joins records r to versions v).
VERSION_DOCUMENT = f"CASE WHEN v.record = '{LATEST}' THEN r.record ELSE v.record END"


class Records:
    """The records, versions and aliases tables. A reprint's save also sets its link.

    Each document is stored once: the latest version's is the record's own (versions.record
    holds LATEST), and a new version hands the one before its document back.
    """

    def __init__(self, db: sqlite3.Connection, links: Links, skipped: list[dict[str, str]]):
        self.db, self.links, self.skipped = db, links, skipped

    def _loaded(self, url: str, document: str, table: str = "records") -> dict[str, Any] | None:
        """A stored JSON document, or None after noting it in `skipped` when it is unreadable."""
        try:
            record = documents.decode(document)
        except (TypeError, ValueError) as error:
            self.skipped.append({"table": table, "url": url, "problem": f"invalid JSON: {error}"})
            return None
        if not isinstance(record, dict):
            self.skipped.append({"table": table, "url": url, "problem": "not a JSON object"})
            return None
        return record

    # Reading ------------------------------------------------------------------------------

    def url_of(self, url: str) -> str | None:
        """The stored record URL for `url`, following aliases; None if unknown."""
        key = canonical(url)
        # One statement, not a query of each table: most URLs a crawl asks about are new,
        # and the crawl asks about each several times (2 statements saved a record).
        return self.db.execute(
            "SELECT COALESCE((SELECT url FROM records WHERE url = ?1),"
            " (SELECT url FROM aliases WHERE alias = ?1))",
            (key,),
        ).fetchone()[0]

    def get(self, url: str) -> dict[str, Any] | None:
        """The stored record for `url` (aliases followed), or None."""
        key = self.url_of(url)
        row = key and self.db.execute("SELECT record FROM records WHERE url = ?", (key,)).fetchone()
        return self._loaded(key, row["record"]) if row else None

    def names_of(self, url: str) -> set[str]:
        """Every URL that stands for the same record as `url`: itself, its record, its aliases."""
        names = {canonical(url)}
        if key := self.url_of(url):
            names.add(key)
            rows = self.db.execute("SELECT alias FROM aliases WHERE url = ?", (key,))
            names.update(row["alias"] for row in rows)
        return names

    @staticmethod
    def _filters(
        kind: str | None,
        site: str | None,
        since: str | None,
        since_run: int | None,
        changed_since: str | None,
    ) -> tuple[str, list[Any]]:
        """A WHERE clause over records `r` for the export filters."""
        clauses, params = [], []
        for column, value in (("r.kind", kind), ("r.site", site)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since:
            clauses.append("substr(r.published_at, 1, 10) >= ?")
            params.append(since)
        if since_run is not None:  # new or changed by that run or a later one
            clauses.append("r.url IN (SELECT url FROM versions WHERE run >= ?)")
            params.append(since_run)
        if changed_since:
            clauses.append("r.url IN (SELECT url FROM versions WHERE seen_at >= ?)")
            params.append(changed_since)
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params

    def all(
        self,
        kind: str | None = None,
        site: str | None = None,
        since: str | None = None,
        since_run: int | None = None,
        changed_since: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored records (the latest version of each) with their `aliases`, oldest
        publication first, undated last; `since` keeps those published on or after that day,
        `since_run` and `changed_since` those new or changed since a run or a UTC time."""
        where, params = self._filters(kind, site, since, since_run, changed_since)
        query = (
            f"SELECT r.url, r.record FROM records r {where}"
            " ORDER BY r.published_at IS NULL, r.published_at, r.url"
        )
        aliases = self._aliases_by_url()
        for row in self.db.execute(query, params):
            record = self._loaded(row["url"], row["record"])
            if record is not None:
                record["aliases"] = aliases.get(row["url"], [])
                yield record

    def all_versions(
        self,
        kind: str | None = None,
        site: str | None = None,
        since: str | None = None,
        since_run: int | None = None,
        changed_since: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every version of the records all() gives, oldest first per record, each with its
        `version`, `version_seen_at`, `version_run` and `version_changes` (null for a first)."""
        where, params = self._filters(kind, site, since, since_run, changed_since)
        for clause, value in (("v.run >= ?", since_run), ("v.seen_at >= ?", changed_since)):
            if value is not None and value != "":
                where += f" {'AND' if where else 'WHERE'} {clause}"
                params.append(value)
        query = (
            # CROSS JOIN: records first, along records_by_publication, so that only each
            # record's own versions are sorted, never the whole table in memory.
            f"SELECT v.url, v.version, v.seen_at, v.run, v.changes, {VERSION_DOCUMENT} AS record"
            " FROM records r"
            f" CROSS JOIN versions v ON v.url = r.url {where}"
            " ORDER BY r.published_at IS NULL, r.published_at, r.url, v.version"
        )
        aliases = self._aliases_by_url()
        for row in self.db.execute(query, params):
            record = self._loaded(row["url"], row["record"], "versions")
            if record is None:
                continue
            record["aliases"] = aliases.get(row["url"], [])
            record["version"] = row["version"]
            record["version_seen_at"] = row["seen_at"]
            record["version_run"] = row["run"]
            record["version_changes"] = json.loads(row["changes"]) if row["changes"] else None
            yield record

    def _aliases_by_url(self) -> dict[str, list[str]]:
        by_url: dict[str, list[str]] = {}
        for row in self.db.execute("SELECT alias, url FROM aliases ORDER BY alias"):
            by_url.setdefault(row["url"], []).append(row["alias"])
        return by_url

    def versions(self, url: str) -> list[dict[str, Any]]:
        key = canonical(url)
        rows = self.db.execute(
            f"SELECT {VERSION_DOCUMENT} AS record FROM versions v"
            " LEFT JOIN records r ON r.url = v.url WHERE v.url = ? ORDER BY v.version",
            (key,),
        )
        loaded = (self._loaded(key, row["record"], "versions") for row in rows)
        return [record for record in loaded if record is not None]

    def reprint_urls(self) -> list[str]:
        return [
            row["url"]
            for row in self.db.execute(
                "SELECT url FROM records WHERE kind = 'reprint' ORDER BY url"
            )
        ]

    def counts(self) -> dict[str, int]:
        """Number of records of each kind, and of aliases."""
        counts = {
            row["kind"]: row["n"]
            for row in self.db.execute("SELECT kind, COUNT(*) AS n FROM records GROUP BY kind")
        }
        counts["aliases"] = self.db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
        return counts

    def last_seen(self, url: str) -> str | None:
        """When a crawl last saw the record `url` stands for (aliases followed)."""
        key = self.url_of(url)
        return self._stored(key, "last_seen_at") if key else None

    def touch(self, url: str, run: int | None = None) -> bool:
        """The record `url` stands for was seen unchanged (a 304); False if there is none."""
        key = self.url_of(url)
        if key is None:
            return False
        with transaction(self.db):
            self._touch(key, utc_now(), run)
        return True

    def fingerprint_of(self, url: str) -> str | None:
        """The fingerprint of the record stored under `url` itself (no alias followed)."""
        return self._stored(canonical(url), "fingerprint")

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
        stored = self.url_of(key)
        record_fingerprint = record_fingerprint or fingerprint(record)
        if stored and self._stored(stored, "fingerprint") == record_fingerprint:
            return Stored("unchanged", stored)
        if (
            stored
            and stored != key
            and self._stored(stored, "content_hash") == record.get("content_hash")
        ):
            return Stored("unchanged", stored)  # an alias page: joined by its body, judged by it
        if stored == key:
            return Stored("changed", key)
        other = self.same_content(record)
        if other and not preferred(key, other):
            return Stored("alias", other)
        return Stored("new", key, takes_over=other)

    def decide(self, record: dict[str, Any], record_fingerprint: str | None = None) -> Decided:
        """classify(), kept for save() to reuse."""
        return Decided(self.db.total_changes, self.classify(record, record_fingerprint))

    # Writing ------------------------------------------------------------------------------

    def save(
        self,
        record: dict[str, Any],
        run: int | None = None,
        record_fingerprint: str | None = None,
        decided: Decided | None = None,
        document: str | None = None,
    ) -> Stored:
        """Store a record as new, as a new version of its URL, or as an alias; see classify().
        What the caller has already (the fingerprint, the decision while it still holds, the
        record encoded as documents.encode() does) is not worked out again."""
        key, now = canonical(record["url"]), utc_now()
        record_fingerprint = record_fingerprint or fingerprint(record)
        with transaction(self.db):
            if decided is not None and decided.changes == self.db.total_changes:
                decision = decided.stored
            else:
                decision = self.classify(record, record_fingerprint)
            if decision.outcome == "alias":
                self._alias(key, decision.url, now, run)
            if decision.outcome in ("unchanged", "alias"):
                self._touch(decision.url, now, run)
                return decision
            is_new = decision.outcome == "new"
            other = decision.takes_over if is_new else self.same_content(record)
            if other:
                self._take_over(other, record, key, now, run)
            self._write(key, record, record_fingerprint, now, run, is_new, document)
            if record.get("kind") == "reprint":
                self.links.set_original(key, record.get("original_url"), now)
            return Stored("moved", key) if other and is_new else decision

    def add_alias(self, alias: str, url: str, run: int | None = None) -> None:
        """Record that `alias` serves the same article as the stored record `url`."""
        with transaction(self.db):
            self._alias(canonical(alias), canonical(url), utc_now(), run)

    def _touch(self, key: str, now: str, run: int | None) -> None:
        self.db.execute(
            "UPDATE records SET last_seen_at = ?, last_run = ? WHERE url = ?", (now, run, key)
        )

    def _write(
        self,
        key: str,
        record: dict[str, Any],
        record_fingerprint: str,
        now: str,
        run: int | None,
        is_new: bool,
        document: str | None = None,
    ):
        self.db.execute("DELETE FROM aliases WHERE alias = ?", (key,))  # now a page of its own
        document = document or documents.encode(record)
        summary = None
        previous = None if is_new else self._stored(key, "record")
        if previous is not None:
            self.db.execute(  # the version before keeps its own document from now on
                "UPDATE versions SET record = ? WHERE url = ? AND record = ?",
                (previous, key, LATEST),
            )
            if (before := self._loaded(key, previous)) is not None:
                summary = json.dumps(changes(before, record), ensure_ascii=False)
        values = (
            record.get("kind"),
            record.get("site"),
            record.get("published_at"),
            record.get("content_hash"),
            record_fingerprint,
            document,
            now,
            run,
            key,
        )
        if is_new:
            self.db.execute(
                "INSERT INTO records (kind, site, published_at, content_hash, fingerprint, record,"
                " last_seen_at, last_run, url, first_seen_at, first_run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, now, run),
            )
        else:
            self.db.execute(
                "UPDATE records SET kind = ?, site = ?, published_at = ?, content_hash = ?,"
                " fingerprint = ?, record = ?, last_seen_at = ?, last_run = ? WHERE url = ?",
                values,
            )
        self.db.execute(
            "INSERT INTO versions (url, version, content_hash, record, seen_at, run, changes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, self._next_version(key), record.get("content_hash"), LATEST, now, run, summary),
        )

    def _next_version(self, key: str) -> int:
        return self.db.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE url = ?", (key,)
        ).fetchone()[0]

    def _take_over(
        self, other: str, record: dict[str, Any], key: str, now: str, run: int | None
    ) -> None:
        """`other`, a less preferred URL storing this body, becomes an alias of `key`, its
        history moved.

        Its versions with this very body are dropped (the new version repeats them), so the
        result does not depend on which URL the crawl happened to fetch first. Its link and
        check go too: `key` names its own original and gets its own check.
        """
        self.db.execute(  # its record goes: its latest version keeps the document
            "UPDATE versions SET record = (SELECT record FROM records WHERE url = ?)"
            " WHERE url = ? AND record = ?",
            (other, other, LATEST),
        )
        self.db.execute(
            "DELETE FROM versions WHERE url = ? AND content_hash = ?",
            (other, record["content_hash"]),
        )
        earlier = self.db.execute(
            "SELECT version FROM versions WHERE url = ? ORDER BY version", (other,)
        ).fetchall()
        for row in earlier:
            self.db.execute(
                "UPDATE versions SET url = ?, version = ? WHERE url = ? AND version = ?",
                (key, self._next_version(key), other, row["version"]),
            )
        self.db.execute("DELETE FROM records WHERE url = ?", (other,))
        self.db.execute("UPDATE aliases SET url = ? WHERE url = ?", (key, other))
        self.links.set_original(other, None, now)
        drop_check(self.db, other)
        self._alias(other, key, now, run)

    def _alias(self, alias: str, url: str, now: str, run: int | None) -> None:
        self.db.execute(
            "INSERT INTO aliases (alias, url, seen_at, run) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (alias) DO UPDATE SET url = excluded.url",
            (alias, url, now, run),
        )
