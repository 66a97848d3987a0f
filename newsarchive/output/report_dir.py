"""The report directory: a page per pair, the index in pages, the stylesheet and script.

Written streaming, so a report of 50,000 pairs takes the memory of one: each pair page goes to
its file as Jinja renders it, the index rows wait in a spool file until the totals they are
headed by are known, and the index is cut into pages of INDEX_PAGE_ROWS rows that a browser
lays out at once (index.html, index-2.html, …). Even the names of the pages written, which
tell the stale ones, are kept on disk: a set of 50,000 of them held 5 MB.
"""

import gc
import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing, nullcontext
from itertools import islice
from pathlib import Path
from typing import Any

from newsarchive.archive import Archive
from newsarchive.output.files import atomic_output
from newsarchive.output.report import ASSETS, ENV, SITE_CSP, asset, index_row, pair_view

INDEX_PAGE_ROWS = 1000


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index-{page}.html"


def _write(path: Path, chunks: Iterable[str], durable: bool = False) -> None:
    """The file replaced whole. Not fsynced one by one: a report is rebuilt from the archive
    at will, and write_report syncs once before the index that links everything."""
    with atomic_output(path, durable=durable) as file:
        file.writelines(chunk.encode("utf-8") for chunk in chunks)


def _pair_pages(archive: Archive, out_dir: Path, spool) -> Iterator[dict[str, Any]]:
    """Writes each pair's page and spools its index row; yields the rows for the totals."""
    template = ENV.get_template("pair.html.j2")
    for check in archive.checks.all():
        original = (
            archive.records.get(check["original_url"])
            if check.get("original_status") == "available"
            else None
        )
        view = pair_view(check, archive.records.get(check["reprint_url"]), original)
        _write(
            out_dir / "pairs" / f"{view['id']}.html",
            template.generate(
                pair=view,
                csp=SITE_CSP,
                inline_css=None,
                stylesheet="../static/report.css",
                index_href="../index.html",
            ),
        )
        row = index_row(view)
        spool.write(json.dumps(row, ensure_ascii=False) + "\n")
        yield row


def write_report(archive: Archive, out_dir: Path, page_rows: int = INDEX_PAGE_ROWS) -> Path:
    """index.html (and index-N.html), pairs/<id>.html and static/ in `out_dir`; returns the
    index path.

    Each file is replaced whole (atomic_output) and index.html comes last, after one sync, so
    a browser never opens a half-written page or an index linking pages not yet there.
    """
    out_dir = Path(out_dir)
    for name in ASSETS:
        _write(out_dir / "static" / name, [asset(name)])
    verdicts: Counter[str] = Counter()
    flags: set[str] = set()
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as spool,
        closing(sqlite3.connect("")) as written,  # "": a temporary database, on disk
    ):
        written.execute("CREATE TABLE pages (id TEXT PRIMARY KEY) WITHOUT ROWID")
        for row in _pair_pages(archive, out_dir, spool):
            verdicts[row["verdict"]] += 1
            flags.update(row["flags"])
            written.execute("INSERT OR IGNORE INTO pages VALUES (?)", (row["id"],))
        total = sum(verdicts.values())
        pages = max(1, -(-total // page_rows))
        template = ENV.get_template("index.html.j2")

        def index_page(page: int, rows: Iterator[str]) -> Iterator[str]:
            return template.generate(
                pairs=[json.loads(line) for line in islice(rows, page_rows)],
                total=total,
                page=page,
                pages=pages,
                page_names=[index_name(number) for number in range(1, pages + 1)],
                csp=SITE_CSP,
                inline_css=None,
                stylesheet="static/report.css",
                verdicts=verdicts,
                flags=sorted(flags),
            )

        spool.seek(0)
        rows = iter(spool)
        next(islice(rows, page_rows, page_rows), None)  # the first page's rows: written last
        for page in range(2, pages + 1):
            _write(out_dir / index_name(page), index_page(page, rows))
            gc.collect()  # Jinja's context cycles would keep pages of rows alive meanwhile
        os.sync()  # every page on disk before the index that links them
        spool.seek(0)
        index = out_dir / "index.html"
        _write(index, index_page(1, iter(spool)), durable=True)
        _remove_stale(out_dir, written, pages)
    return index


def _remove_stale(out_dir: Path, written: sqlite3.Connection, pages: int) -> None:
    """Pages of pairs the archive no longer has, and index pages past the last, go once the
    new index no longer links them."""
    pairs = out_dir / "pairs"  # none yet when the archive has no check
    # One entry at a time: glob() lists the whole directory before it yields.
    with os.scandir(pairs) if pairs.is_dir() else nullcontext(()) as entries:
        for entry in entries:
            page_id, html = os.path.splitext(entry.name)
            query = "SELECT 1 FROM pages WHERE id = ?"
            if html == ".html" and written.execute(query, (page_id,)).fetchone() is None:
                os.unlink(entry.path)
    for page in out_dir.glob("index-*.html"):
        number = page.stem.removeprefix("index-")
        if number.isdigit() and int(number) > pages:
            page.unlink()
