"""Rebuild an archive's records from its WARC captures with today's parsers, fetching nothing.

Each stored record is read again from the response its crawl captured (the last capture of its
URL, and of each further page of a multi-page article): decoded as the crawl decodes it, parsed
by the parser that made the record, joined, normalised, validated and saved, so a record the
parsers now read better becomes a new version and one they read the same stays as it is. Then
every check is made again. `newsarchive reparse` runs it.
"""

import gzip
import io
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.http import Headers, HtmlResponse

from newsarchive.archive import Archive
from newsarchive.archive.validation import validation_errors
from newsarchive.checking import check_all
from newsarchive.parsers import PARSERS, page_for
from newsarchive.parsers.charset import with_best_encoding
from newsarchive.parsers.normalize import normalize
from newsarchive.replay.warc import WarcIndex, warc_files
from newsarchive.spiders.sites import join_pages

MAX_BODY = 8 * 1024 * 1024  # as DOWNLOAD_MAXSIZE: a capture past it is no page


@dataclass
class Reparsed:
    outcomes: Counter = field(default_factory=Counter)  # new, changed, unchanged … per record
    problems: list[dict[str, str]] = field(default_factory=list)  # {url, problem}
    verdicts: Counter = field(default_factory=Counter)


def _decoded(body: bytes, encoding: str) -> bytes:
    """A body as the crawl's HttpCompressionMiddleware would hand it on, within MAX_BODY."""
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            body = gzip.GzipFile(fileobj=io.BytesIO(body)).read(MAX_BODY + 1)
        elif coding == "deflate":
            inflater = zlib.decompressobj()
            try:
                body = inflater.decompress(body, MAX_BODY + 1)
            except zlib.error:  # raw deflate, as some servers send it
                body = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, MAX_BODY + 1)
        elif coding == "br":
            import brotli

            body = brotli.decompress(body)
        if len(body) > MAX_BODY:
            raise ValueError(f"its body decompresses past {MAX_BODY} bytes")
    return body


def captured_response(index: WarcIndex, url: str) -> HtmlResponse | None:
    """The page `url` as its last capture served it, or None when none was captured."""
    served = index.serve(url)
    if served is None:
        return None
    status, pairs, body = served
    headers = Headers()
    for name, value in pairs:
        headers.appendlist(name, value)
    body = _decoded(body, (headers.get("Content-Encoding") or b"").decode("latin-1"))
    headers.pop("Content-Encoding", None)
    return with_best_encoding(HtmlResponse(url=url, status=status, headers=headers, body=body))


def reparse(archive: Archive, sources: list[Path]) -> Reparsed:
    index = WarcIndex(sources)
    result = Reparsed()
    for stored in list(archive.records.all()):
        url = stored["url"]
        try:
            record = _rebuilt(index, stored)
        except Exception as error:  # one capture that no longer parses loses that record only
            result.problems.append({"url": url, "problem": f"{type(error).__name__}: {error}"})
            continue
        if record is None:
            result.outcomes["not_captured"] += 1
            continue
        if errors := validation_errors(record):
            result.problems.append({"url": url, "problem": "; ".join(errors)})
            continue
        result.outcomes[archive.records.save(record).outcome] += 1
    verdicts, _ = check_all(archive)
    result.verdicts = verdicts
    return result


def _rebuilt(index: WarcIndex, stored: dict) -> dict | None:
    pages = stored.get("pages") or [stored["url"]]
    responses = [captured_response(index, url) for url in pages]
    if any(response is None or response.status != 200 for response in responses):
        return None
    parser = stored.get("parser")
    items = []
    for number, response in enumerate(responses):
        page = page_for(response, stored["kind"], parser if parser in PARSERS else None)
        items.append(page.to_item())
        if number == 0 and not page.is_article():
            raise ValueError("its capture no longer reads as an article")
    item = items[0]
    for later in items[1:]:
        item = join_pages(item, later)
    item.capture = stored.get("capture")
    adapter = ItemAdapter(item)
    normalize(adapter, fetched_at=stored.get("fetched_at"))
    adapter["fetched_at"] = stored.get("fetched_at")  # the same fetch, read again
    return dict(adapter)


def sources_of(archive: Archive, given: Path | None) -> list[Path]:
    return warc_files(given if given is not None else archive.directory / "warc")
