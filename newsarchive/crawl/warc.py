"""Downloader middleware: every response a crawl fetches, written as received to WARC files.

The files are `<archive>/warc/newsarchive-<UTC time>-<serial>.warc.gz`, a gzip member per
record, each file opening with a `warcinfo` record. A fetch is a `response` record (status
line, headers and body bytes as received: still compressed, 3xx included) and the `request`
record that asked for it, linked by WARC-Concurrent-To; `request.meta["warc"]` then points
at the response record, for the spider to store with the page's record.
"""

import http
import io
import logging
import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, Self
from urllib.parse import urldefrag, urlsplit
from weakref import WeakSet

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.statscollectors import StatsCollector
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.crawl.archive import archive_failed

logger = logging.getLogger(__name__)
WARC_DIR = "warc"  # inside the archive directory
STATS = "newsarchive/warc/"
# Scrapy hands over a body already de-chunked: the header keeps its value under this name
# (the prefix web archives use for such headers), so no reader dechunks the bytes again.
TRANSFER_ENCODING = b"Transfer-Encoding"
RENAMED_TRANSFER_ENCODING = b"X-Archive-Orig-Transfer-Encoding"
NOT_RECORDED = (b"Proxy-Authorization",)  # a credential for the proxy, never for the site
# What the downloader flags a cut-short body with, as WARC-Truncated says it.
TRUNCATED = {"dataloss": "disconnect", "partial": "unspecified"}
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# Settings a reader of the files needs to judge how the pages were fetched.
INFO_SETTINGS = (
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_TIMEOUT",
    "NEWSARCHIVE_SITES_FILE",
    "NEWSARCHIVE_SITES",
    "NEWSARCHIVE_START_URLS",
    "NEWSARCHIVE_REPLAY_PROXY",
    "NEWSARCHIVE_WARC_MAX_BYTES",
)


class ExactHeaders(StatusAndHeaders):
    """An HTTP head written byte for byte: warcio would percent-encode non-ASCII values."""

    def __init__(self, raw: bytes):
        super().__init__(raw.split(b"\r\n", 1)[0].decode("latin-1"), [])  # the status line
        self.raw = raw

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.raw


def _header_lines(headers: Headers) -> bytes:
    lines = b""
    for name, values in headers.items():
        if name in NOT_RECORDED:
            continue
        name = RENAMED_TRANSFER_ENCODING if name == TRANSFER_ENCODING else name
        lines += b"".join(name + b": " + value + b"\r\n" for value in values)
    return lines


def response_head(response: Response) -> bytes:
    """Status line and headers. Scrapy keeps neither the reason phrase nor the header names'
    case: the phrase is the standard one, the names are title-cased."""
    protocol = response.protocol if (response.protocol or "").startswith("HTTP/") else "HTTP/1.1"
    try:
        phrase = http.HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    line = f"{protocol} {response.status} {phrase}".rstrip().encode("latin-1")
    return line + b"\r\n" + _header_lines(response.headers) + b"\r\n"


def request_head(request: Request, url: str) -> bytes:
    """The request line as sent to the site (also when a proxy carried it) and the headers;
    Host and Content-Length as the HTTP client adds them."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = f"{request.method} {target} HTTP/1.1\r\n".encode("latin-1")
    if b"Host" not in request.headers:
        head += b"Host: " + parts.netloc.rpartition("@")[2].encode("ascii") + b"\r\n"
    head += _header_lines(request.headers)
    if request.body and b"Content-Length" not in request.headers:
        head += f"Content-Length: {len(request.body)}\r\n".encode()
    return head + b"\r\n"


class WholeWrites(io.FileIO):
    """An unbuffered file whose writes are whole or raise (warcio ignores a short write's
    count), so a failed record can be cut off the file with nothing left in a buffer."""

    def write(self, data) -> int:
        view = memoryview(data)
        while view:
            view = view[super().write(view) :]
        return len(data)


class WarcFiles:
    """Gzipped WARC files in one directory, written a whole record at a time (flushed after
    each) and rotated once a file reaches `max_bytes`; a request-response pair never spans two
    files. Every file is new: one crawl never appends to another's."""

    def __init__(self, directory: Path, max_bytes: int, info: dict[str, Any]):
        self.directory, self.max_bytes, self.info = Path(directory), max_bytes, info
        self.writer = WARCWriter(None, gzip=True, warc_version="1.1")
        self.file: WholeWrites | None = None
        self.name = ""
        self.warcinfo_id = ""
        self.serial = 0
        self.sizes: dict[str, int] = {}  # every file written, by name: its size in bytes
        self.records = 0

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while self.file is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"newsarchive-{stamp}-{self.serial:05d}.warc.gz"
            self.serial += 1
            try:
                self.file = WholeWrites(self.directory / name, "xb")
            except FileExistsError:
                continue
            self.name = name
        self.writer.out = self.file
        warcinfo = self.writer.create_warcinfo_record(self.name, self.info)
        self.warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        try:
            self._write(warcinfo)
        except BaseException:
            self._undo(0)
            raise

    def _write(self, record) -> None:
        self.writer.write_record(record)  # flushed whole: warcio flushes after every record
        self.records += 1
        self.sizes[self.name] = self.file.tell()

    def write_exchange(
        self, url: str, request: bytes, response: bytes, fields: dict[str, str]
    ) -> dict[str, Any]:
        """Write one fetch: `request` and `response` are whole HTTP messages (head and body)
        split at the first blank line; `fields` are WARC headers of the response record.
        The pointer to the response record: {file, offset, record_id}."""
        if self.file is None:
            self._open()
        start = self.file.tell()
        try:
            records = self._exchange(url, request, response, fields)
            self._write(records[0])
            self._write(records[1])
        except BaseException:
            self._undo(start)
            raise
        pointer = {
            "file": self.name,
            "offset": start,
            "record_id": records[0].rec_headers.get_header("WARC-Record-ID"),
        }
        if self.file.tell() >= self.max_bytes:
            self.close()
        return pointer

    def _exchange(self, url: str, request: bytes, response: bytes, fields: dict[str, str]):
        """The response record and the request record, each naming the other."""
        common = {"WARC-Date": self.writer.curr_warc_date(), "WARC-Warcinfo-ID": self.warcinfo_id}
        built = []
        for kind, message, extra in (("response", response, fields), ("request", request, {})):
            head, _, body = message.partition(b"\r\n\r\n")
            built.append(
                self.writer.create_warc_record(
                    url,
                    kind,
                    payload=io.BytesIO(body),
                    length=len(body),
                    warc_headers_dict=common | extra,
                    http_headers=ExactHeaders(head + b"\r\n\r\n"),
                )
            )
        for record, other in zip(built, built[::-1], strict=True):
            other_id = other.rec_headers.get_header("WARC-Record-ID")
            record.rec_headers.add_header("WARC-Concurrent-To", other_id)
        return built

    def _undo(self, start: int) -> None:
        """Cut a record that could not be written whole off the file, so the file holds whole
        records only, and write no more to it."""
        file, self.file = self.file, None
        try:
            file.truncate(start)
            self.sizes[self.name] = start
        finally:
            file.close()

    def close(self) -> None:
        if self.file is not None:
            file, self.file = self.file, None
            try:
                os.fsync(file.fileno())
            finally:
                file.close()


class WarcMiddleware:
    """Write every response the downloader fetches, and its request, to the archive's WARC
    files (NEWSARCHIVE_WARC_ENABLED), then set `request.meta["warc"]` to the response record.

    A response that no fetch produced (HTTP cache, a middleware's own answer) is not written,
    and neither is a request refused before download (destination guard, robots.txt): it has
    no response. Through a replay proxy, the records name the page's URL, not the proxy.
    """

    def __init__(self, files: WarcFiles, crawler: Crawler):
        self.files, self.crawler = files, crawler
        self.stats: StatsCollector = crawler.stats
        self.sent: WeakSet[Request] = WeakSet()  # requests that went on to the downloader
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_WARC_ENABLED"):
            raise NotConfigured
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if not archive:
            raise NotConfigured("NEWSARCHIVE_ARCHIVE is not set")
        info = {
            "software": f"newsarchive/{version('newsarchive')}",
            "format": "WARC File Format 1.1",
            "conformsTo": CONFORMS_TO,
            "description": (
                f"replayed through {proxy} (newsarchive replay): pages from a copy, not the web"
                if (proxy := settings.get("NEWSARCHIVE_REPLAY_PROXY"))
                else "pages fetched from the web by a newsarchive crawl"
            ),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "scrapy-version": scrapy.__version__,
            "python-version": platform.python_version(),
            "spider": crawler.spidercls.name,
        } | {name: _setting(settings.get(name)) for name in INFO_SETTINGS}
        files = WarcFiles(
            Path(archive) / WARC_DIR, settings.getint("NEWSARCHIVE_WARC_MAX_BYTES"), info
        )
        middleware = cls(files, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        request.meta.pop("warc", None)  # copied from the request a redirect or retry came from
        self.sent.add(request)

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.sent.discard(request)

    def process_response(self, request: Request, response: Response) -> Response:
        if request not in self.sent or "cached" in response.flags:
            self.stats.inc_value(STATS + "not_fetched")
            return response
        self.sent.discard(request)
        if self.failed:
            return response
        url = urldefrag(response.url)[0]
        fields = {}
        if request.meta.get("proxy") is None and response.ip_address is not None:
            fields["WARC-IP-Address"] = str(response.ip_address)  # under a proxy: the proxy's
        for flag in set(response.flags) & set(TRUNCATED):
            fields["WARC-Truncated"] = TRUNCATED[flag]
        run = self.stats.get_value("newsarchive/run")  # set by the store pipeline
        if run is not None:
            self.files.info["isPartOf"] = f"newsarchive run {run}"  # in the next warcinfo
        try:
            pointer = self.files.write_exchange(
                url,
                request_head(request, url) + (request.body or b""),
                response_head(response) + response.body,
                fields,
            )
        except OSError as error:
            # The page would be stored without its evidence: stop, as a full archive does.
            self.failed = True
            logger.error("Cannot write the WARC record of %s: %s", url, error)
            archive_failed(self.crawler, error)
            return response
        finally:  # this run's files as they are now, for the run's summary
            self.stats.set_value(STATS + "records", self.files.records)
            self.stats.set_value(STATS + "bytes", sum(self.files.sizes.values()))
            self.stats.set_value(STATS + "files", dict(self.files.sizes))
        request.meta["warc"] = pointer
        return response

    def spider_closed(self) -> None:
        self.files.close()


def _setting(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return "" if value is None else str(value)
