"""WARC files as a replay source: for each URL, the last response record captured for it.

A crawl's archive keeps its WARC files in `warc/` (crawl/warc.py); `newsarchive replay` and
`crawl --replay` take one file (`.warc`, `.warc.gz`) or a folder of them, and serve each
response with its status, headers and body bytes as stored (a gzip body stays gzip).
"""

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from newsarchive.replay.layout import has_samples_layout

WARC_SUFFIXES = (".warc", ".warc.gz")
# Headers about one connection, not the page (RFC 9110 §7.6.1), and Transfer-Encoding: the
# replay server frames the body itself.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}

Served = tuple[int, list[tuple[str, str]], bytes]


def warc_files(source: Path) -> list[Path]:
    """The WARC file `source`, or the WARC files anywhere under the folder `source`, by name."""
    if source.is_file():
        return [source] if source.name.endswith(WARC_SUFFIXES) else []
    if not source.is_dir():
        return []
    return sorted(
        (path for path in source.rglob("*") if path.name.endswith(WARC_SUFFIXES)),
        key=lambda path: (path.name, str(path)),
    )


def is_warc_source(source: Path) -> bool:
    """A WARC file, or a folder of WARC files that is not laid out as samples (HOST/PATH)."""
    source = Path(source)
    return not has_samples_layout(source) and bool(warc_files(source))


@dataclass(frozen=True, order=True)
class Capture:
    """Where a response record is; captures order by date, then by place in the files."""

    date: datetime
    position: int  # of the file among the source's files
    offset: int
    path: Path


class WarcIndex:
    """The last response record of every URL in some WARC files, read on demand.

    A 304 Not Modified is no capture of the page (it says "as before", with no body) and a
    revisit record holds no body either: neither replaces a capture.
    """

    def __init__(self, files: list[Path]):
        self.latest: dict[str, Capture] = {}
        for position, path in enumerate(files):
            try:
                self._scan(position, path)
            except (ArchiveLoadFailed, ValueError) as error:
                raise OSError(f"cannot read the WARC file {path}: {error}") from error
        # A proxy client may spell a URL a little differently from the crawl (escapes, the
        # order of query arguments): the canonical form finds it too.
        self.canonical = {canonicalize_url(url): capture for url, capture in self.latest.items()}

    def _scan(self, position: int, path: Path) -> None:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                url = record.rec_headers.get_header("WARC-Target-URI")
                if (
                    record.rec_type != "response"
                    or not url
                    or not record.http_headers
                    or record.http_headers.get_statuscode() == "304"
                ):
                    continue
                date = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"))
                capture = Capture(date, position, records.get_record_offset(), path)
                if url not in self.latest or self.latest[url] < capture:
                    self.latest[url] = capture

    def __len__(self) -> int:
        return len(self.latest)

    def find(self, url: str) -> Capture | None:
        url = url.split("#", 1)[0]
        return self.latest.get(url) or self.canonical.get(canonicalize_url(url))

    def serve(self, url: str) -> Served | None:
        """Status, headers (but hop-by-hop ones) and body of the URL's capture, bytes as
        stored; None if the files hold none."""
        capture = self.find(url)
        return None if capture is None else read_capture(capture)


def read_capture(capture: Capture) -> Served:
    with capture.path.open("rb") as stream:
        stream.seek(capture.offset)
        # Unparsed: the HTTP head is read here as bytes, which warcio would re-decode.
        record = next(iter(ArchiveIterator(stream, no_record_parse=True)))
        head, _, body = record.raw_stream.read().partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    fields = []
    for line in lines[1:]:
        name, colon, value = line.decode("latin-1").partition(":")
        if colon:
            fields.append((name.strip(), value.strip()))
    if any(n.lower() == "transfer-encoding" and "chunked" in v.lower() for n, v in fields):
        # Stored as the wire had it (wget, pywb): the replay serves it whole instead.
        body = ChunkedDataReader(io.BytesIO(body)).read()
    return status, [(n, v) for n, v in fields if n.lower() not in HOP_BY_HOP], body
