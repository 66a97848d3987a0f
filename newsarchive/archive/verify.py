"""`newsarchive verify`: SQLite's own integrity check, then every stored record, version and
check read back and validated against the published schemas."""

import json
from collections.abc import Iterator
from functools import cache

import fastjsonschema

from newsarchive.archive import Archive, documents
from newsarchive.archive.database import LATEST
from newsarchive.archive.validation import validation_errors
from newsarchive.items import check_schema


@cache
def _check_validator():
    return fastjsonschema.compile(check_schema())


def _documents(
    archive: Archive, query: str, decode=json.loads
) -> Iterator[tuple[str, dict | None, str]]:
    """(url, document or None, problem) for each row of `query` (url, JSON)."""
    for url, text in archive.db.execute(query):
        try:
            document = decode(text)
        except (TypeError, ValueError) as error:
            yield url, None, f"invalid JSON: {error}"
            continue
        if not isinstance(document, dict):
            yield url, None, "not a JSON object"
            continue
        yield url, document, ""


def problems(archive: Archive) -> Iterator[dict[str, str]]:
    """Every problem found, as {table, url, problem}; none for a sound archive."""
    for (line,) in archive.db.execute("PRAGMA integrity_check"):
        if line != "ok":
            yield {"table": "database", "url": "", "problem": line}
    tables = (
        ("records", "SELECT url, record FROM records ORDER BY url"),
        # A latest version's document is its record's, checked above.
        (
            "versions",
            f"SELECT url, record FROM versions WHERE record != '{LATEST}' ORDER BY url, version",
        ),
    )
    for table, query in tables:
        for url, record, problem in _documents(archive, query, documents.decode):
            errors = [problem] if record is None else validation_errors(record)
            yield from ({"table": table, "url": url, "problem": error} for error in errors)
    orphans = archive.db.execute(
        "SELECT v.url FROM versions v LEFT JOIN records r ON r.url = v.url"
        " WHERE v.record = ? AND r.url IS NULL ORDER BY v.url",
        (LATEST,),
    )
    for (url,) in orphans:
        yield {"table": "versions", "url": url, "problem": "latest version without its record"}
    query = "SELECT reprint_url, check_record FROM checks ORDER BY reprint_url"
    for url, check, problem in _documents(archive, query):
        if check is not None:
            try:
                _check_validator()(check)
            except fastjsonschema.JsonSchemaValueException as error:
                problem = error.message.removeprefix("data.")
        if problem:
            yield {"table": "checks", "url": url, "problem": problem}
