"""A record as the archive stores it: JSON, without its body, which is its paragraphs joined
(parsers/normalize.py) and so would store the text a second time.

Reading puts the body back where it stood, after the paragraphs, so a record reads back with
its fields in their order. A record whose body is not its paragraphs joined keeps it, and a
document stored with its body (an archive written before) reads as it was.
"""

import json
from typing import Any

# How a document encoded before its WARC capture was known ends: `capture` is a record's last
# field (items.py), and json.dumps() writes ": " and no space before the closing brace.
_UNCAPTURED = '"capture": null}'


def encode(record: dict[str, Any]) -> str:
    paragraphs = record.get("paragraphs")
    if isinstance(paragraphs, list) and record.get("body") == "\n".join(paragraphs):
        record = {name: value for name, value in record.items() if name != "body"}
    return json.dumps(record, ensure_ascii=False)


def with_capture(document: str, capture: dict[str, Any] | None) -> str | None:
    """A document encoded where the page was read, before its response was written to a WARC
    file, completed with the pointer to it: what encode() makes of the record with it. None
    for a document that does not end with the null capture."""
    if not document.endswith(_UNCAPTURED):
        return None
    if capture is None:
        return document
    return document[: -len("null}")] + json.dumps(capture, ensure_ascii=False) + "}"


def decode(document: str) -> Any:
    """The record a document holds (ValueError if it is no JSON); anything but an object
    as it is, for the caller to refuse."""
    stored = json.loads(document)
    if not isinstance(stored, dict) or "body" in stored:
        return stored
    paragraphs = stored.get("paragraphs")
    if not isinstance(paragraphs, list):
        return stored
    record = {}
    for name, value in stored.items():
        record[name] = value
        if name == "paragraphs":
            record["body"] = "\n".join(paragraphs)
    return record
