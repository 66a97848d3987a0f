"""WARC evidence: real crawls of the samples write every fetch, bytes as received, to WARC
files that warcio's own tools accept, and a crawl replayed from them archives the same records.
"""

import base64
import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, SAMPLES
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.crawl.warc import BUILT_BY_READER, WarcMiddleware, captured
from newsarchive.crawl.warc_files import Exchange, WarcFiles, build_exchange
from newsarchive.replay import ReplayServer, sample_path

SEED = "http://zjifz.org.cn/show-10595.html"
GBK_ORIGINAL = "http://www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html"
GONE_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html"  # answers 404
# The original of 10608 moved when its site was revamped: the named URL answers 301 to https.
MOVED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230327_2283391.html"
MOVED_ORIGINAL_NOW = "https://mw.nmg.gov.cn/zwdt/msdt/202303/t20230327_2283391.html"
SITES = str(SAMPLES / "sites.toml")


def newsarchive(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@dataclass
class Record:
    """One WARC record as stored: its WARC fields and its block split into head and payload."""

    file: Path
    offset: int
    fields: list[tuple[str, str]]
    head: bytes
    payload: bytes
    concurrent: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key.lower() == name.lower()), None)

    @property
    def type(self) -> str:
        return self["WARC-Type"]

    @property
    def url(self) -> str:
        return self["WARC-Target-URI"]

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1])

    def header(self, name: str) -> bytes | None:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.decode("latin-1").lower() == name.lower():
                return value.strip()
        return None


def read_records(path: Path) -> list[Record]:
    found = []
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, no_record_parse=True)
        for record in records:
            block = record.raw_stream.read()
            offset = records.get_record_offset()
            fields = record.rec_headers.headers
            head, _, payload = (b"", b"", block)
            if record.rec_type in ("request", "response"):
                head, _, payload = block.partition(b"\r\n\r\n")
            concurrent = [v for k, v in fields if k.lower() == "warc-concurrent-to"]
            found.append(Record(path, offset, fields, head, payload, concurrent))
    return found


def warc_files(archive: Path) -> list[Path]:
    return sorted((archive / "warc").glob("*.warc.gz"))


def all_records(archive: Path) -> list[Record]:
    return [record for path in warc_files(archive) for record in read_records(path)]


def responses(archive: Path) -> dict[str, Record]:
    """The last response record of each URL."""
    return {record.url: record for record in all_records(archive) if record.type == "response"}


def warcio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def exported(archive: Path) -> list[dict]:
    """The archive's records as `export` writes them, less what differs between two fetches
    of the same bytes: when they happened and where their evidence is."""
    result = newsarchive("export", "--archive", str(archive), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    return [
        {
            name: value
            for name, value in json.loads(line).items()
            if name not in ("fetched_at", "capture")
        }
        for line in result.stdout.splitlines()
    ]


def crawl(archive: Path, *args: str) -> subprocess.CompletedProcess:
    result = newsarchive("crawl", "--archive", str(archive), "-q", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Path:
    """An archive after one crawl of the samples."""
    archive = tmp_path_factory.mktemp("first")
    crawl(archive, "--replay", "samples")
    return archive


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A crawl of the samples with the seed served gzip and the GBK original brotli."""
    web = tmp_path_factory.mktemp("web") / "samples"
    shutil.copytree(SAMPLES, web)
    served = {}
    for url, encoding, pack in (
        (SEED, "gzip", gzip.compress),
        (GBK_ORIGINAL, "br", brotli.compress),
    ):
        page = sample_path(web, url)
        served[url] = pack(page.read_bytes())
        page.write_bytes(served[url])
        sidecar = page.with_name(page.name + ".headers.json")
        stored = json.loads(sidecar.read_text(encoding="utf-8"))
        stored["headers"]["Content-Encoding"] = encoding
        sidecar.write_text(json.dumps(stored), encoding="utf-8")
    archive = tmp_path_factory.mktemp("packed")
    crawl(archive, "--replay", str(web))
    return archive, served


def test_every_file_passes_warcio_check(first):
    files = warc_files(first)
    assert files and all(path.name.startswith("newsarchive-") for path in files)
    result = warcio("check", "-v", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "FAIL" not in result.stdout.upper()


def test_warcio_index_lists_a_response_for_every_archived_record(first):
    result = warcio(
        "index", "-f", "warc-type,warc-target-uri,http:status", *map(str, warc_files(first))
    )
    assert result.returncode == 0, result.stderr
    indexed = [json.loads(line) for line in result.stdout.splitlines()]
    captured = {entry["warc-target-uri"] for entry in indexed if entry["warc-type"] == "response"}
    with sqlite3.connect(first / "archive.sqlite3") as db:
        stored = [json.loads(row[0]) for row in db.execute("SELECT record FROM records")]
        aliases = {row[0] for row in db.execute("SELECT alias FROM aliases")}
    assert len(stored) == 44
    pages = {record["url"] for record in stored} | {p for r in stored for p in r["pages"]}
    assert pages <= captured
    assert {alias for alias in aliases if alias.startswith("http")} <= captured


def test_each_record_names_the_response_record_it_was_parsed_from(first):
    by_place = {(record.file.name, record.offset): record for record in all_records(first)}
    records = json.loads(newsarchive("export", "--archive", str(first), "--format", "json").stdout)
    assert len(records) == 44
    for stored in records:
        pointer = stored["capture"]
        record = by_place[pointer["file"], pointer["offset"]]
        assert (record.type, record.url) == ("response", stored["url"])
        assert record["WARC-Record-ID"] == pointer["record_id"]


def test_each_response_payload_is_what_the_replay_server_serves(first, replay_server):
    captured = responses(first)
    assert GONE_ORIGINAL in captured  # the 404 is evidence too
    for url, record in captured.items():
        served = replay_server.lookup(url)
        if served is None:  # not stored: the replay server's 404 page
            assert record.status == 404, url
            continue
        status, headers, body = served
        assert (record.status, record.payload) == (status, body), url
        for name, value in headers:
            assert record.header(name) == value.encode("latin-1"), (url, name)


def test_compressed_bodies_are_written_compressed_and_the_records_unchanged(packed, first):
    archive, served = packed
    captured = responses(archive)
    seed, gbk = captured[SEED], captured[GBK_ORIGINAL]
    assert (seed.header("Content-Encoding"), seed.payload) == (b"gzip", served[SEED])
    assert gzip.decompress(seed.payload) == sample_path(SAMPLES, SEED).read_bytes()
    assert (gbk.header("Content-Encoding"), gbk.payload) == (b"br", served[GBK_ORIGINAL])
    assert brotli.decompress(gbk.payload) == sample_path(SAMPLES, GBK_ORIGINAL).read_bytes()
    assert exported(archive) == exported(first)


def test_payload_and_block_digests_verify(first):
    for record in all_records(first):
        if record.type in ("request", "response"):
            assert record["WARC-Payload-Digest"] == sha1(record.payload)
            assert record["WARC-Block-Digest"] == sha1(record.head + b"\r\n\r\n" + record.payload)
        else:
            assert record["WARC-Block-Digest"] == sha1(record.payload)


def test_requests_and_responses_are_linked_pairs_naming_the_site_not_the_proxy(first):
    for path in warc_files(first):
        records = read_records(path)
        info, rest = records[0], records[1:]
        assert info.type == "warcinfo" and info["WARC-Filename"] == path.name
        assert b"software: newsarchive/" in info.payload
        assert b"description: replayed through http://127.0.0.1:" in info.payload
        by_id = {record["WARC-Record-ID"]: record for record in rest}
        assert rest and {record.type for record in rest} == {"request", "response"}
        for record in rest:
            assert record["WARC-Warcinfo-ID"] == info["WARC-Record-ID"]
            (other,) = (by_id[id_] for id_ in record.concurrent)
            assert other.concurrent == [record["WARC-Record-ID"]]
            assert {record.type, other.type} == {"request", "response"}
            assert (other.url, other["WARC-Date"]) == (record.url, record["WARC-Date"])
            assert record["WARC-IP-Address"] is None  # through a proxy: its address, not the site's
            assert "127.0.0.1" not in record.url
        for request in (record for record in rest if record.type == "request"):
            host = request.url.split("/")[2]
            assert request.header("Host") == host.encode()
            assert request.head.startswith(b"GET /")
            assert request.header("Proxy-Authorization") is None


def test_a_redirect_has_its_301_and_its_final_200(first):
    captured = responses(first)
    moved, now = captured[MOVED_ORIGINAL], captured[MOVED_ORIGINAL_NOW]
    assert (moved.status, moved.header("Location")) == (301, MOVED_ORIGINAL_NOW.encode())
    assert (now.status, now.payload) == (200, sample_path(SAMPLES, MOVED_ORIGINAL_NOW).read_bytes())


def test_the_run_stats_list_every_file_with_its_size(first):
    with sqlite3.connect(first / "archive.sqlite3") as db:
        (stats,) = db.execute("SELECT stats FROM runs").fetchone()
    stats = json.loads(stats)
    files = warc_files(first)
    assert stats["newsarchive/warc/files"] == {path.name: path.stat().st_size for path in files}
    assert stats["newsarchive/warc/bytes"] == sum(path.stat().st_size for path in files)
    assert stats["newsarchive/warc/records"] == len(all_records(first))


def test_files_rotate_past_the_size_limit_with_whole_pairs_in_each(tmp_path, first):
    limit = 40_000
    crawl(tmp_path, "--replay", "samples", "-s", f"NEWSARCHIVE_WARC_MAX_BYTES={limit}")
    files = warc_files(tmp_path)
    assert len(files) >= 4
    result = warcio("check", *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    for path in files[:-1]:
        assert path.stat().st_size >= limit
    for path in files:
        records = read_records(path)
        ids = {record["WARC-Record-ID"] for record in records}
        assert records[0].type == "warcinfo"
        assert all(set(record.concurrent) <= ids for record in records)  # pairs stay together
    assert set(responses(tmp_path)) == set(responses(first))


def test_a_crawl_replayed_from_the_warc_files_archives_the_same_records(tmp_path, first):
    crawl(tmp_path, "--replay", str(first / "warc"), "--sites", SITES)
    assert exported(tmp_path) == exported(first)
    assert set(responses(tmp_path)) == set(responses(first))


def test_replaying_warc_files_needs_the_sites_to_crawl(first, tmp_path):
    result = newsarchive("crawl", "--replay", str(first / "warc"), "--archive", str(tmp_path))
    assert result.returncode == 2
    assert "nothing to crawl" in result.stderr


def test_the_replay_server_serves_a_warc_file_bytes_and_encoding_as_stored(packed):
    archive, served = packed
    (path,) = warc_files(archive)
    with ReplayServer(path) as server:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": server.proxy_url})
        )
        with opener.open(SEED, timeout=10) as answer:
            assert answer.read() == served[SEED]
            assert answer.headers["Content-Encoding"] == "gzip"
            assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
            assert answer.headers["Content-Length"] == str(len(served[SEED]))


# The middleware on its own, on files in a temporary archive.


def middleware(archive: Path, **settings) -> WarcMiddleware:
    crawler = get_crawler(
        settings_dict={
            "NEWSARCHIVE_ARCHIVE": str(archive),
            "NEWSARCHIVE_WARC_ENABLED": True,
            "NEWSARCHIVE_WARC_MAX_BYTES": 1 << 30,
            **settings,
        }
    )
    return build_from_crawler(WarcMiddleware, crawler)


def fetched(warc: WarcMiddleware, request: Request, **response) -> Response:
    warc.process_request(request)
    answer = HtmlResponse(url=request.url, request=request, protocol="HTTP/1.1", **response)
    return warc.process_response(request, answer)


def test_the_pointer_names_the_response_record_and_each_hop_gets_its_own(tmp_path):
    warc = middleware(tmp_path)
    first_hop = Request("http://zjifz.org.cn/old.html#top")
    fetched(warc, first_hop, status=301, headers={"Location": "/new.html"})
    hop = first_hop.replace(url="http://zjifz.org.cn/new.html")  # as a redirect builds it
    assert hop.meta["warc"] == first_hop.meta["warc"]
    fetched(warc, hop, body=b"<html>new</html>", ip_address=IPv4Address("192.0.2.7"))
    warc.spider_closed()
    for request, url, status in (
        (first_hop, "http://zjifz.org.cn/old.html", 301),
        (hop, hop.url, 200),
    ):
        pointer = request.meta["warc"]
        (path,) = warc_files(tmp_path)
        assert pointer["file"] == path.name
        (record,) = [r for r in read_records(path) if r.offset == pointer["offset"]]
        assert (record.type, record.url, record.status) == ("response", url, status)
        assert record["WARC-Record-ID"] == pointer["record_id"]
    assert record["WARC-IP-Address"] == "192.0.2.7"  # no proxy: the site's address


def test_headers_are_written_byte_for_byte_but_what_the_body_no_longer_has(tmp_path):
    warc = middleware(tmp_path)
    gbk_name = "通知.pdf".encode("gbk")
    request = Request("http://zjifz.org.cn/a.html", headers={"Proxy-Authorization": "Basic eDp5"})
    headers = {
        "Transfer-Encoding": "chunked",
        "Set-Cookie": ["a=1", "b=2"],
        "Content-Disposition": b'attachment; filename="' + gbk_name + b'"',
    }
    fetched(warc, request, body=b"1\r\nx", headers=headers)
    warc.spider_closed()
    (path,) = warc_files(tmp_path)
    response, request_record = read_records(path)[1:]
    assert response.payload == b"1\r\nx"
    assert b"\r\nX-Archive-Orig-Transfer-Encoding: chunked\r\n" in response.head + b"\r\n"
    assert response.header("Transfer-Encoding") is None  # the body is no longer chunked
    assert b"Set-Cookie: a=1\r\nSet-Cookie: b=2" in response.head
    assert gbk_name in response.head
    assert request_record.header("Proxy-Authorization") is None
    assert warcio("check", str(path)).returncode == 0


def test_responses_that_no_fetch_produced_are_not_written(tmp_path):
    warc = middleware(tmp_path)
    cached = Request("http://zjifz.org.cn/cached.html")
    fetched(warc, cached, body=b"cached", flags=["cached"])  # from HttpCacheMiddleware
    made_up = Request("http://zjifz.org.cn/made-up.html")  # a middleware's own answer
    warc.process_response(made_up, HtmlResponse(url=made_up.url, body=b"x", request=made_up))
    warc.spider_closed()
    assert warc_files(tmp_path) == []
    assert "warc" not in cached.meta and "warc" not in made_up.meta
    assert warc.stats.get_value("newsarchive/warc/not_fetched") == 2


# An article page's records built by its reader (a worker process), written by the spider.


def article_request(url: str = "http://zjifz.org.cn/show-1.html") -> Request:
    return Request(url, meta={BUILT_BY_READER: True})


def test_an_article_fetch_is_left_to_its_reader_and_written_as_the_reader_built_it(tmp_path):
    warc = middleware(tmp_path)
    request = article_request()
    answer = fetched(warc, request, body=b"<html>page</html>")
    pending = request.meta["warc"]
    assert isinstance(pending, Exchange)
    assert [r.type for r in read_records(warc_files(tmp_path)[0])] == ["warcinfo"]  # not yet
    built = build_exchange(pending)  # as the worker does it
    pointer = captured(warc.crawler, answer, built)
    assert captured(warc.crawler, answer) == pointer  # written once
    warc.spider_closed()
    (path,) = warc_files(tmp_path)
    records = read_records(path)
    assert [r.type for r in records] == ["warcinfo", "response", "request"]
    response = records[1]
    assert (response.offset, response["WARC-Record-ID"]) == (pointer["offset"], built[1])
    assert (response.url, response.status, response.payload) == (
        request.url,
        200,
        b"<html>page</html>",
    )
    assert response["WARC-Warcinfo-ID"] == records[0]["WARC-Record-ID"]
    assert response.concurrent == [records[2]["WARC-Record-ID"]]
    assert warcio("check", str(path)).returncode == 0


def test_only_a_whole_page_is_left_to_the_reader(tmp_path):
    warc = middleware(tmp_path)
    moved, gone = article_request(), article_request("http://zjifz.org.cn/show-2.html")
    fetched(warc, moved, status=301, headers={"Location": "/show-3.html"})
    fetched(warc, gone, status=404, body=b"gone")
    assert {"file", "offset", "record_id"} == set(moved.meta["warc"]) == set(gone.meta["warc"])


def test_a_fetch_its_reader_never_built_is_written_when_the_spider_closes(tmp_path):
    warc = middleware(tmp_path)
    fetched(warc, article_request(), body=b"never read")  # the crawl stopped first
    warc.spider_closed()
    (path,) = warc_files(tmp_path)
    response = read_records(path)[1]
    assert (response.type, response.payload) == ("response", b"never read")


def test_records_built_for_a_file_rotated_since_are_rebuilt_for_the_current_one(tmp_path):
    files = WarcFiles(tmp_path, max_bytes=1, info={"software": "test"})  # a file per fetch
    request = b"GET /show-1.html HTTP/1.1\r\nHost: zjifz.org.cn\r\n\r\n"
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\npage"
    early = files.prepare("http://zjifz.org.cn/show-1.html", request, answer, {})
    built = build_exchange(early)  # meanwhile another fetch fills the file:
    files.write_exchange("http://zjifz.org.cn/show-2.html", request, answer, {})
    pointer = files.write(early, built)
    files.close()
    first, second = sorted(tmp_path.glob("*.warc.gz"))
    assert read_records(first)[1].url == "http://zjifz.org.cn/show-2.html"
    assert pointer["file"] == second.name and pointer["record_id"] != built[1]
    warcinfo, response, _ = read_records(second)
    assert response["WARC-Warcinfo-ID"] == warcinfo["WARC-Record-ID"]
    assert response["WARC-Date"] == early.fields["WARC-Date"]  # when it was fetched
    assert (response.url, response.payload) == ("http://zjifz.org.cn/show-1.html", b"page")


def test_the_replay_serves_the_last_capture_of_a_url_across_files(tmp_path):
    files = WarcFiles(tmp_path, max_bytes=1, info={"software": "test"})  # a file per fetch
    url = "http://zjifz.org.cn/show-1.html"
    request = b"GET /show-1.html HTTP/1.1\r\nHost: zjifz.org.cn\r\n\r\n"
    for answer in (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nold",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\nnew",
        b"HTTP/1.1 304 Not Modified\r\n\r\n",  # no capture of the page: "as before"
    ):
        files.write_exchange(url, request, answer, {})
    files.close()
    assert len(list(tmp_path.glob("*.warc.gz"))) == 3
    with ReplayServer(tmp_path) as server:
        assert server.lookup(url) == (200, [("Content-Type", "text/html")], b"new")
        assert server.lookup("http://zjifz.org.cn/show-2.html") is None


class _ExactHead(StatusAndHeaders):
    """An HTTP head as warcio writes it when given the bytes."""

    def __init__(self, raw: bytes):
        super().__init__(raw.split(b"\r\n", 1)[0].decode("latin-1"), [])
        self.raw = raw

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.raw


def warcio_exchange(exchange: Exchange, ids: tuple[str, str]) -> bytes:
    """The same two records made with warcio's own record API, for comparison."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    common = {name: exchange.fields[name] for name in ("WARC-Date", "WARC-Warcinfo-ID")}
    records = []
    for kind, message, extra, own, other in (
        ("response", exchange.response, exchange.fields, *ids),
        ("request", exchange.request, common, *ids[::-1]),
    ):
        head, _, body = message.partition(b"\r\n\r\n")
        record = writer.create_warc_record(
            exchange.url,
            kind,
            payload=io.BytesIO(body),
            length=len(body),
            warc_headers_dict=dict(extra),
            http_headers=_ExactHead(head + b"\r\n\r\n"),
        )
        record.rec_headers.replace_header("WARC-Record-ID", own)  # the same IDs, in place
        record.rec_headers.add_header("WARC-Concurrent-To", other)
        records.append(record)
    for record in records:
        writer.write_record(record)
    return out.getvalue()


def test_a_fetch_s_records_are_those_warcio_writes(samples_dir):
    """build_exchange() writes a fetch's two records itself (for speed): byte for byte, and
    digest for digest, they are what warcio's record API makes of the same fetch."""
    body = (samples_dir / "mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html").read_bytes()
    exchange = Exchange(
        "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html",
        b"GET /xw/msdt/202302/t20230216_2257296.html HTTP/1.1\r\nHost: mw.nmg.gov.cn\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body,
        {
            "WARC-Date": "2026-12-01T17:00:00.123456Z",
            "WARC-Warcinfo-ID": "<urn:uuid:00000000-0000-4000-8000-000000000000>",
            "WARC-IP-Address": "203.0.113.7",
            "WARC-Truncated": "length",
        },
    )
    data, response_id = build_exchange(exchange)
    members = gzip.decompress(data)
    (request_id,) = {
        record.rec_headers.get_header("WARC-Record-ID")
        for record in ArchiveIterator(io.BytesIO(data))
        if record.rec_type == "request"
    }
    assert members == warcio_exchange(exchange, (response_id, request_id))
    assert data.count(b"\x1f\x8b\x08") == 2  # a gzip member each
