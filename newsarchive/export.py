"""Write archived records as JSON Lines, JSON or CSV, atomically, with Chinese kept as UTF-8."""

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from scrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
)

from newsarchive.items import Article, ReprintCheck

FORMATS = ("jsonl", "json", "csv")
EXPORT_FIELDS = [field.name for field in fields(Article)] + ["aliases"]
CHECK_FIELDS = [field.name for field in fields(ReprintCheck)]


def _exporter(format: str, file: IO[bytes], fields: list[str]) -> BaseItemExporter:
    options = {"encoding": "utf-8", "fields_to_export": fields}
    if format == "jsonl":
        return JsonLinesItemExporter(file, **options)
    if format == "json":
        return JsonItemExporter(file, indent=2, **options)
    return CsvItemExporter(file, **options)


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """CSV cells: lists and objects as JSON, since paragraphs contain the commas a join would use."""
    return {key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
            for key, value in record.items()}


def write_records(records: Iterable[dict[str, Any]], format: str, file: IO[bytes],
                  fields: list[str] = EXPORT_FIELDS) -> int:
    """Export records to an open binary file; returns how many were written."""
    exporter = _exporter(format, file, fields)
    exporter.start_exporting()
    count = 0
    for record in records:
        exporter.export_item(_flat(record) if format == "csv" else record)
        count += 1
    if count == 0 and format == "csv":  # Scrapy writes the header with the first row
        file.write((",".join(fields) + "\r\n").encode("utf-8"))
    exporter.finish_exporting()
    return count


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or what a plain open() would give a new file."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(path: str | None):
    """A binary file that replaces `path` only once fully written; stdout for None or `-`."""
    if path in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.fchmod(descriptor, _mode_for(target))  # mkstemp makes 0600; an export is for sharing
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
