"""CSV of records, one format for `newsarchive export` and for Scrapy feeds (FEED_EXPORTERS).

A row per record and a column per field; lists and objects are JSON cells, since paragraphs
hold the commas that Scrapy's default join would use. Excel reads UTF-8 only after a BOM,
hence the second exporter.
"""

import json
from typing import Any

from scrapy.exporters import CsvItemExporter


class CsvExporter(CsvItemExporter):
    """CSV with JSON cells for lists and objects, and a header even when no record came."""

    byte_order_mark = False

    def start_exporting(self) -> None:
        if self.byte_order_mark:
            self.stream.write("\ufeff")

    def serialize_field(self, field, name: str, value: Any) -> Any:
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return value

    def finish_exporting(self) -> None:
        if self._headers_not_written and self.fields_to_export:
            self.csv_writer.writerow(list(self.fields_to_export))  # Scrapy writes it with a row
        super().finish_exporting()


class ExcelCsvExporter(CsvExporter):
    """The same CSV with a UTF-8 byte order mark, so that Excel shows Chinese correctly."""

    byte_order_mark = True
