"""Real faults on loopback: every way a fetch goes wrong is a recorded failure with its own
reason, the run goes on, and nothing from an internal address or a local file is archived.

Each crawl is the real `newsarchive crawl` in a subprocess against tests/faultserver.py; the
allow-list admits the fault site's own port only, so the "internal" server on another port
stands for the network the crawl must never reach.
"""

import gzip
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from faultserver import FaultServer, Site

from newsarchive.archive import Archive, canonical

CANARY_SECRET = "canary-password-7f3a9c"


def newsarchive(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        **options,
    )


def crawl_command(server: FaultServer, archive: Path, *settings: str, allow: str = "") -> list:
    allowed = ",".join(filter(None, [f"127.0.0.1:{server.port}", allow]))
    return [
        "crawl",
        "--start",
        f"{server.base}/list.html",
        "--family",
        "xunrui",
        "--archive",
        str(archive),
        "-q",
        "-s",
        f"NEWSARCHIVE_ALLOWED_DESTINATIONS={allowed}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "DOWNLOAD_TIMEOUT=2",
        "-s",
        "DNS_TIMEOUT=2",
        "-s",
        "NEWSARCHIVE_RETRY_AFTER_MAX=3",
        *settings,
    ]


def crawl(server: FaultServer, archive: Path, *settings: str, allow: str = ""):
    return newsarchive(*crawl_command(server, archive, *settings, allow=allow))


class ByUrl(dict):
    """Failures by URL, looked up as the archive keys them (canonical URLs)."""

    def __getitem__(self, url: str) -> str:
        return super().__getitem__(canonical(url))

    def get(self, url: str, default=None):
        return super().get(canonical(url), default)


def failures_by_url(archive: Path) -> ByUrl:
    with Archive(archive) as opened:
        return ByUrl({failure["url"]: failure["reason"] for failure in opened.runs.failures()})


def records(archive: Path) -> list[dict]:
    with Archive(archive) as opened:
        return list(opened.records.all())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Every fault on one site -----------------------------------------------------------------

FAULTS = {  # reprint number: (the path its 原文链接 names, the failure expected for it)
    1: ("/fault/slow", "timeout"),
    2: ("/fault/reset", "connection_reset"),
    3: ("/fault/truncated", "data_loss"),
    4: ("/fault/gzip-bomb", "too_large"),
    5: ("/fault/brotli-bomb", "too_large"),
    6: ("/fault/huge", "too_large"),
    7: ("/fault/loop-a", "redirect_loop"),
    8: ("/fault/chain", "too_many_redirects"),
    9: ("/fault/rate-limited-long", "http_429"),
    10: ("/fault/pdf", "not_html"),
    11: ("/fault/server-error", "http_500"),
    12: ("/fault/gone", "http_410"),
}
RECOVERED = {13: "/fault/flaky", 14: "/fault/rate-limited", 15: "/page/fine"}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """One crawl of a site whose originals fail in every way, plus three that recover."""
    site = Site(slow_seconds=4)
    closed_port = free_port()
    with FaultServer(site) as server:
        site.articles = {n: server.base + path for n, (path, _) in FAULTS.items()}
        site.articles |= {n: server.base + path for n, path in RECOVERED.items()}
        site.articles[16] = f"http://127.0.0.1:{closed_port}/t20230301_1.html"
        site.articles[17] = f"https://127.0.0.1:{server.port}/page/tls"  # TLS to plain HTTP
        site.articles[18] = "http://nothing-here.invalid/t20230301_1.html"
        archive = tmp_path_factory.mktemp("faults")
        result = crawl(
            server, archive, "-s", "DOWNLOAD_MAXSIZE=8388608", allow=f"127.0.0.1:{closed_port}"
        )
        yield server, archive, result


def test_a_faulty_crawl_finishes_and_exits_3(faulty):
    _, _, result = faulty
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "records new        21" in result.stdout  # 18 reprints and the 3 good originals


@pytest.mark.parametrize(("number", "reason"), [(n, reason) for n, (_, reason) in FAULTS.items()])
def test_each_fault_is_a_failure_with_its_own_reason(faulty, number, reason):
    server, archive, _ = faulty
    url = server.base + FAULTS[number][0]
    assert failures_by_url(archive).get(url) == reason


@pytest.mark.parametrize(
    ("number", "reason"),
    # Such a host's robots.txt cannot be fetched either: its page is kept out for that reason.
    [(16, "connection_refused"), (17, "tls_error"), (18, "dns_error")],
)
def test_connection_level_errors_have_their_reasons(faulty, number, reason):
    server, archive, _ = faulty
    with Archive(archive) as opened:
        named = opened.records.get(f"{server.base}/show-{number}.html")["original_url"]
    assert failures_by_url(archive)[named] == reason


def test_every_reprint_is_archived_whatever_became_of_its_original(faulty):
    _, archive, _ = faulty
    reprints = [r for r in records(archive) if r["kind"] == "reprint"]
    assert len(reprints) == 18


def test_pages_that_recover_after_a_retry_or_a_wait_are_archived(faulty):
    server, archive, _ = faulty
    stored = {r["url"] for r in records(archive) if r["kind"] == "original"}
    assert stored == {server.base + path for path in RECOVERED.values()}
    assert server.site.hits["/fault/flaky"] == 3  # 503, 503, then the page
    assert server.site.hits["/fault/rate-limited"] == 2  # 429 Retry-After: 1, then the page


def test_a_wait_longer_than_the_cap_is_not_made_and_is_recorded(faulty):
    server, archive, _ = faulty
    assert server.site.hits["/fault/rate-limited-long"] == 1  # no retry after "wait an hour"
    with Archive(archive) as opened:
        [failure] = [f for f in opened.runs.failures() if f["url"].endswith("rate-limited-long")]
    assert "Retry-After 3600" in failure["detail"]


def test_a_truncated_original_is_never_archived_nor_checked_as_edited(faulty):
    server, archive, _ = faulty
    with Archive(archive) as opened:
        assert opened.records.get(server.base + "/fault/truncated") is None
        [check] = [c for c in opened.checks.all() if c["reprint_url"].endswith("/show-3.html")]
    assert (check["verdict"], check["original_status"], check["original_failure"]) == (
        None,
        "unavailable",
        "data_loss",
    )


# Where requests may go -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A crawl of pages naming internal addresses in every spelling, and a local file."""
    canary = tmp_path_factory.mktemp("canary") / "secret.txt"
    canary.write_text(f"password: {CANARY_SECRET}\n")
    internal = Site()
    with FaultServer(internal) as inside:
        site = Site(internal=inside.base, canary=canary.as_uri())
        port = inside.port
        targets = [
            f"http://127.0.0.1:{port}/secret",
            f"http://localhost:{port}/secret",
            f"http://2130706433:{port}/",
            f"http://0x7f.0.0.1:{port}/",
            f"http://0177.0.0.1:{port}/",
            f"http://127.1:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://[::1]:{port}/",
            f"http://127.0.0.2:{port}/",
            "http://10.0.0.1/",
            "http://169.254.169.254/latest/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            canary.as_uri(),
            f"ftp://127.0.0.1:{port}/",
        ]
        with FaultServer(site) as server:
            site.articles = dict(enumerate(targets, 1))
            site.articles |= {
                90: f"{server.base}/fault/to-internal",
                91: f"{server.base}/fault/refresh-internal",
                92: f"{server.base}/fault/to-file",
            }
            site.list_links = [
                f"http://127.0.0.1:{port}/show-1.html",
                canary.as_uri() + "?from-the-list",
                f"http://localhost:{port}/show-2.html",
            ]
            archive = tmp_path_factory.mktemp("hostile")
            result = crawl(server, archive)
            export = newsarchive("export", "--archive", str(archive))
            yield server, inside, archive, result, export, targets


def test_the_internal_server_is_never_asked_anything(hostile):
    _, inside, _, result, _, _ = hostile
    assert result.returncode in (0, 3), result.stderr
    assert inside.site.requests == []


def test_no_byte_of_a_local_file_reaches_the_archive_or_an_export(hostile):
    _, _, archive, _, export, _ = hostile
    assert CANARY_SECRET not in export.stdout
    for path in (path for path in archive.rglob("*") if path.is_file()):
        stored = path.read_bytes()
        # WARC files are gzip members: the evidence of every fetch, read as it was fetched.
        stored = gzip.decompress(stored) if path.name.endswith(".warc.gz") else stored
        assert CANARY_SECRET.encode() not in stored, path


def test_every_refused_original_is_a_failure_with_its_reason_and_its_reprint_kept(hostile):
    server, _, archive, _, _, targets = hostile
    failures = failures_by_url(archive)
    with Archive(archive) as opened:
        named = {
            opened.records.get(f"{server.base}/show-{n}.html")["original_url"]
            for n in range(1, len(targets) + 1)
        }
    assert len(named) == len(targets)  # each reprint archived with the link it names
    for url in named:
        expected = (
            "unsupported_scheme" if url.split(":")[0] in ("file", "ftp") else ("refused_address")
        )
        assert failures[url] == expected, url


def test_redirects_and_meta_refreshes_inside_are_refused_on_their_hop(hostile):
    server, _, archive, _, _, _ = hostile
    failures = failures_by_url(archive)  # recorded at the 原文链接 that led there
    assert failures[f"{server.base}/fault/to-internal"] == "refused_address"  # 302
    assert failures[f"{server.base}/fault/refresh-internal"] == "refused_address"  # meta refresh
    assert failures[f"{server.base}/fault/to-file"] == "unsupported_scheme"  # 302 to file://


def test_list_links_to_another_host_or_a_file_are_not_even_requested(hostile):
    server, inside, archive, _, _, _ = hostile
    failures = failures_by_url(archive)
    for link in server.site.list_links:  # off the list page's site: never scheduled
        assert failures.get(link) is None
    assert inside.site.requests == []


def test_the_guard_holds_under_replay(tmp_path):
    web = tmp_path / "web"
    shutil.copytree(SAMPLES, web)
    internal = Site()
    with FaultServer(internal) as inside:
        page = web / "zjifz.org.cn/show-10606.html"
        html = page.read_text("utf-8")
        start = html.index("原文链接")
        end = html.index("</p>", start)
        page.write_text(
            html[:start] + f'原文链接:<a href="http://127.0.0.1:{inside.port}/x">'
            f"x</a>" + html[end:],
            "utf-8",
        )
        result = newsarchive("crawl", "--replay", str(web), "--archive", str(tmp_path / "a"), "-q")
    assert result.returncode == 0, result.stderr
    assert inside.site.requests == []
    assert failures_by_url(tmp_path / "a")[f"http://127.0.0.1:{inside.port}/x"] == (
        "refused_address"
    )


# Bytes that are what they claim ----------------------------------------------------------


def test_pages_whose_charset_label_lies_are_decoded_by_their_bytes(tmp_path):
    site = Site(mislabelled={1: ("gb2312", "utf-8"), 2: ("utf-8", "gb18030")})
    with FaultServer(site) as server:
        site.articles = {1: f"{server.base}/page/a", 2: f"{server.base}/page/b"}
        result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr
    reprints = {r["url"]: r for r in records(tmp_path) if r["kind"] == "reprint"}
    for number, codec in ((1, "utf-8"), (2, "gb18030")):
        reprint = reprints[f"{server.base}/show-{number}.html"]
        assert reprint["title"] == f"测试转载{number}"
        assert "\ufffd" not in reprint["body"] and reprint["replacement_characters"] == 0
        assert reprint["original_url"] == site.articles[number]  # the 原文链接 survives
        assert (reprint["encoding"], reprint["charset_conflict"]) == (codec, True)
    with Archive(tmp_path) as opened:
        checks = list(opened.checks.all())
    # Each shares its second sentence with its original: mojibake would share nothing.
    assert [check["verdict"] for check in checks] == ["edited", "edited"]
    assert all(check["coverage"] > 0.5 for check in checks)


# Robots.txt ------------------------------------------------------------------------------


@pytest.mark.parametrize("robots", [500, 503, "timeout"])
def test_a_site_whose_robots_txt_fails_is_not_crawled_this_run(tmp_path, robots):
    site = Site(robots=robots, slow_seconds=3)
    with FaultServer(site) as server:
        site.articles = {1: f"{server.base}/page/a"}
        result = crawl(server, tmp_path, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=0")
    assert result.returncode == 3, result.stderr
    assert set(site.requests) == {"/robots.txt"}
    assert failures_by_url(tmp_path) == {f"{server.base}/list.html": "robots_unavailable"}
    assert records(tmp_path) == []


@pytest.mark.parametrize("robots", [404, 410, 403])
def test_a_site_without_robots_txt_is_crawled(tmp_path, robots):
    site = Site(robots=robots)
    with FaultServer(site) as server:
        site.articles = {1: f"{server.base}/page/a"}
        result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(records(tmp_path)) == 2


# The archive keeps its promises ----------------------------------------------------------


def test_a_second_crawl_on_a_busy_archive_exits_at_once_and_the_first_completes(tmp_path):
    site = Site(slow_seconds=3)
    with FaultServer(site) as server:
        site.articles = {1: f"{server.base}/fault/slow", 2: f"{server.base}/page/b"}
        command = crawl_command(server, tmp_path, "-s", "DOWNLOAD_TIMEOUT=10")
        first = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", *command],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while "/fault/slow" not in site.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        second = newsarchive(*command)
        took = time.monotonic() - started
        reading = newsarchive("export", "--archive", str(tmp_path))  # readers never wait
        first_out, first_err = first.communicate(timeout=120)
    assert second.returncode == 1
    assert "another crawl is writing to" in second.stderr and f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    assert took < 15  # it did not wait for the first
    assert reading.returncode == 0, reading.stderr
    assert first.returncode == 0, first_err
    assert "records new        4" in first_out  # two reprints and their originals


def test_a_full_disk_stops_the_crawl_with_everything_stored_kept(tmp_path):
    site = Site()
    with FaultServer(site) as server:
        site.articles = {n: f"{server.base}/page/{n}" for n in range(1, 121)}
        # Paced, so that the archive fills after its first commits (every 0.5 s): the full
        # disk rolls back the writes since the last one, as a crash would, and unpaced the
        # crawl may fetch enough to fill it before the first.
        result = crawl(
            server, tmp_path, "-s", "NEWSARCHIVE_ARCHIVE_MAX_BYTES=262144",
            "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        )  # fmt: skip
    assert result.returncode == 1
    assert "database or disk is full" in result.stderr and "Traceback" not in result.stderr
    assert "Crawl archive_error" in result.stdout
    stored = records(tmp_path)
    assert 0 < len(stored) < 240
    assert newsarchive("verify", "--archive", str(tmp_path)).returncode == 0
    for record in stored:  # whole records only
        assert record["title"] and record["paragraphs"], record["url"]


def test_a_malformed_row_is_named_and_skipped_by_every_reader(tmp_path):
    archive = tmp_path / "a"
    assert (
        newsarchive("crawl", "--replay", "samples", "--archive", str(archive), "-q").returncode == 0
    )
    broken = "http://zjifz.org.cn/show-10595.html"
    with sqlite3.connect(archive / "archive.sqlite3") as db:
        db.execute("UPDATE records SET record = '{not json' WHERE url = ?", (broken,))
    exported = newsarchive("export", "--archive", str(archive))
    assert exported.returncode == 3
    assert f"skipped records row {broken}" in exported.stderr
    assert len(exported.stdout.splitlines()) == 43
    checked = newsarchive("check", "--archive", str(archive))
    assert checked.returncode == 3 and broken in checked.stderr
    assert checked.stdout.startswith("Checked 35 reprints")
    reported = newsarchive("report", "--archive", str(archive), "-o", str(tmp_path / "r"))
    assert reported.returncode == 3 and (tmp_path / "r/index.html").is_file()
    verified = newsarchive("verify", "--archive", str(archive))
    assert verified.returncode == 1 and broken in verified.stdout
    for output in (exported, checked, reported, verified):
        assert "Traceback" not in output.stderr


def test_verify_names_a_latest_version_whose_record_row_is_gone(tmp_path):
    archive = tmp_path / "a"
    assert (
        newsarchive("crawl", "--replay", "samples", "--archive", str(archive), "-q").returncode == 0
    )
    assert newsarchive("verify", "--archive", str(archive)).returncode == 0
    gone = "http://zjifz.org.cn/show-10595.html"
    with sqlite3.connect(archive / "archive.sqlite3") as db:
        db.execute("DELETE FROM records WHERE url = ?", (gone,))
    verified = newsarchive("verify", "--archive", str(archive))
    assert verified.returncode == 1
    assert "latest version without its record" in verified.stdout and gone in verified.stdout


def test_a_run_that_was_killed_is_marked_interrupted_at_the_next_start(tmp_path):
    with Archive(tmp_path) as archive:
        archive.runs.start("xunrui")  # never finished: the crawl was killed
    assert (
        newsarchive("crawl", "--replay", "samples", "--archive", str(tmp_path), "-q").returncode
        == 0
    )
    with Archive(tmp_path) as archive:
        assert [archive.runs.get(n)["finish_reason"] for n in (1, 2)] == ["interrupted", "finished"]


def test_a_start_page_that_answers_404_fails_the_run(tmp_path):
    with FaultServer(Site()) as server:
        result = newsarchive(
            *crawl_command(server, tmp_path)[:2],
            f"{server.base}/missing.html",
            *crawl_command(server, tmp_path)[3:],
        )
    assert result.returncode == 3
    assert failures_by_url(tmp_path) == {f"{server.base}/missing.html": "http_404"}


def test_the_report_is_written_whole_and_loses_pages_of_pairs_that_are_gone(tmp_path):
    archive, report = tmp_path / "a", tmp_path / "r"
    assert (
        newsarchive("crawl", "--replay", "samples", "--archive", str(archive), "-q").returncode == 0
    )
    assert newsarchive("report", "--archive", str(archive), "-o", str(report)).returncode == 0
    stale = report / "pairs/000000000000.html"
    stale.write_text("<html>old</html>")
    assert newsarchive("report", "--archive", str(archive), "-o", str(report)).returncode == 0
    assert not stale.exists()
    assert len(list((report / "pairs").glob("*.html"))) == 36
    assert not [p for p in report.rglob("*") if p.name.startswith(".")]  # no temporaries left


def test_every_recorded_failure_is_json_safe_for_export(faulty):
    _, archive, _ = faulty
    with Archive(archive) as opened:
        assert json.dumps(opened.runs.failures(), ensure_ascii=False)


def test_a_start_url_inside_is_refused_and_fails_the_run(tmp_path):
    inside = Site()
    with FaultServer(inside) as server:
        result = newsarchive(
            "crawl", "--start", f"{server.base}/list.html", "--archive", str(tmp_path), "-q"
        )
    assert result.returncode == 3, result.stderr
    assert inside.requests == []
    assert failures_by_url(tmp_path) == {f"{server.base}/list.html": "refused_address"}
