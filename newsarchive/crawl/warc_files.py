"""WARC files as a crawl writes them: a fetch's request and response records, gzipped, a
file at a time (crawl/warc.py decides what is written and when)."""

import base64
import hashlib
import http
import io
import os
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from isal import isal_zlib
from scrapy import Request
from scrapy.http import Headers, Response
from warcio.warcwriter import WARCWriter

# Scrapy hands over a body already de-chunked: the header keeps its value under this name
# (the prefix web archives use for such headers), so no reader dechunks the bytes again.
TRANSFER_ENCODING = b"Transfer-Encoding"
RENAMED_TRANSFER_ENCODING = b"X-Archive-Orig-Transfer-Encoding"
NOT_RECORDED = (b"Proxy-Authorization",)  # a credential for the proxy, never for the site


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


@dataclass(frozen=True, eq=False)
class Exchange:
    """A fetch to write: `request` and `response` are whole HTTP messages (head and body) split
    at the first blank line; `fields` are the response record's WARC headers, its date and
    warcinfo among them."""

    url: str
    request: bytes
    response: bytes
    fields: dict[str, str]


Built = tuple[bytes, str]  # the exchange's gzipped records, and the response record's ID


# Written here, not with warcio's record objects, for the two records of every fetch (the
# warcinfo records and all reading are warcio's): a third cheaper, mostly on the worker's
# core (bench/crawl.py). The headers are those, in the order, that warcio writes;
# tests/test_warc.py compares the bytes with warcio's.
#
# A gzip member each, deflated by ISA-L (the isal package) at its default level: a fetch of a
# bench/crawl.py page takes 0.046 ms to build, against 0.102 with zlib at warcio's level 9,
# for 6 % more bytes (3,239 against 3,062). Any gzip reader reads them; warcio uses zlib.
GZIP_LEVEL = 2
GZIP_WBITS = 16 + 15  # a gzip header and trailer, not a zlib one


def _digest(data: bytes) -> bytes:
    return b"sha1:" + base64.b32encode(hashlib.sha1(data).digest())


def _record(kind: bytes, url: bytes, message: bytes, fields: dict, ids: tuple) -> bytes:
    """One record of a fetch, gzipped: `message` is the HTTP message; `ids` this record's
    ID and that of the other record of the fetch."""
    head, _, payload = message.partition(b"\r\n\r\n")
    block = head + b"\r\n\r\n" + payload
    lines = [b"WARC/1.1", *(f"{name}: {value}".encode() for name, value in fields.items())]
    lines += [
        b"WARC-Type: " + kind,
        b"WARC-Record-ID: " + ids[0],
        b"WARC-Target-URI: " + url,
        b"WARC-Payload-Digest: " + _digest(payload),
        b"WARC-Concurrent-To: " + ids[1],
        b"WARC-Block-Digest: " + _digest(block),
        b"Content-Type: application/http; msgtype=" + kind,
        b"Content-Length: %d" % len(block),
    ]
    record = b"\r\n".join(lines) + b"\r\n\r\n" + block + b"\r\n\r\n"
    return isal_zlib.compress(record, GZIP_LEVEL, GZIP_WBITS)


def build_exchange(exchange: Exchange) -> Built:
    """The response record and the request record, each naming the other, as gzip members."""
    url = exchange.url.encode()
    response_id, request_id = (f"<urn:uuid:{uuid.uuid4()}>".encode() for _ in range(2))
    common = {name: exchange.fields[name] for name in ("WARC-Date", "WARC-Warcinfo-ID")}
    data = _record(b"response", url, exchange.response, exchange.fields, (response_id, request_id))
    data += _record(b"request", url, exchange.request, common, (request_id, response_id))
    return data, response_id.decode()


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

    def prepare(
        self, url: str, request: bytes, response: bytes, fields: dict[str, str]
    ) -> Exchange:
        """A fetch ready to build, dated now and naming the current file's warcinfo."""
        if self.file is None:
            self._open()
        common = {"WARC-Date": self.writer.curr_warc_date(), "WARC-Warcinfo-ID": self.warcinfo_id}
        return Exchange(url, request, response, common | fields)

    def write(self, exchange: Exchange, built: Built | None = None) -> dict[str, Any]:
        """Write one fetch, from its records when they were built for the current file, else
        built here. The pointer to the response record: {file, offset, record_id}."""
        if self.file is None:
            self._open()
        if built is None or exchange.fields["WARC-Warcinfo-ID"] != self.warcinfo_id:
            # None built, or built for a file rotated meanwhile: its warcinfo is another.
            exchange = replace(
                exchange, fields=exchange.fields | {"WARC-Warcinfo-ID": self.warcinfo_id}
            )
            built = build_exchange(exchange)
        data, record_id = built
        start = self.file.tell()
        try:
            self.file.write(data)  # both records in one whole write
        except BaseException:
            self._undo(start)
            raise
        self.records += 2
        self.sizes[self.name] = self.file.tell()
        pointer = {"file": self.name, "offset": start, "record_id": record_id}
        if self.file.tell() >= self.max_bytes:
            self.close()
        return pointer

    def write_exchange(
        self, url: str, request: bytes, response: bytes, fields: dict[str, str]
    ) -> dict[str, Any]:
        """Build and write one fetch; see prepare() and write()."""
        return self.write(self.prepare(url, request, response, fields))

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
