"""Write archived records as JSON Lines, JSON or CSV, with Chinese kept as UTF-8."""

from collections.abc import Iterable
from dataclasses import fields
from typing import IO, Any

from scrapy.exporters import BaseItemExporter, JsonItemExporter, JsonLinesItemExporter

from newsarchive.items import Article, ReprintCheck
from newsarchive.output.tables import CsvExporter, ExcelCsvExporter

FORMATS = ("jsonl", "json", "csv")
EXPORT_FIELDS = [field.name for field in fields(Article)]
CHECK_FIELDS = [field.name for field in fields(ReprintCheck)]
# `export --all-versions` adds, after a record's fields, which version it is and what changed.
VERSION_FIELDS = ["version", "version_seen_at", "version_run", "version_changes"]


def _exporter(format: str, file: IO[bytes], fields: list[str], excel: bool) -> BaseItemExporter:
    options = {"encoding": "utf-8", "fields_to_export": fields}
    if format == "jsonl":
        return JsonLinesItemExporter(file, **options)
    if format == "json":
        return JsonItemExporter(file, indent=2, **options)
    return (ExcelCsvExporter if excel else CsvExporter)(file, **options)


def write_records(
    records: Iterable[dict[str, Any]],
    format: str,
    file: IO[bytes],
    fields: list[str] = EXPORT_FIELDS,
    excel: bool = False,
) -> int:
    """Export records to an open binary file; returns how many were written.

    `excel` starts a CSV with a byte order mark, for spreadsheets.
    """
    exporter = _exporter(format, file, fields, excel)
    exporter.start_exporting()
    count = 0
    for record in records:
        exporter.export_item(record)
        count += 1
    exporter.finish_exporting()
    return count
