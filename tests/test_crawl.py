"""End to end: the real `newsarchive crawl --replay samples` over HTTP on 127.0.0.1, twice."""

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from urllib.parse import urlsplit

import fastjsonschema
import pytest
from conftest import ROOT, SAMPLES
from test_cli import run

from newsarchive.archive import Archive
from newsarchive.archive.urls import canonical
from newsarchive.replay import CHECK_SUFFIX, ReplayServer, sample_path

SEED = "http://zjifz.org.cn/show-10595.html"
SEED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
GONE_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html"
GBK_ORIGINAL = "http://www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html"
# The original of 10608 moved when its site was revamped: the named URL answers 301 to https.
MOVED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230327_2283391.html"
MOVED_ORIGINAL_NOW = "https://mw.nmg.gov.cn/zwdt/msdt/202303/t20230327_2283391.html"
DYNAMIC = "http://zjifz.org.cn/index.php?c=show&id=10601"  # show-10601 under a second URL
HOSTILE = "http://w.mzuzx.org.cn/show-30003.html"  # its 原文链接 is javascript:
MULTIPAGE = "http://www.mzwh.org.cn/a/2023/0219/125.html"  # two pages, one record
REPRINTS = (
    {
        f"http://zjifz.org.cn/show-{n}.html"
        for n in (10595, 10598, 10601, 10602, 10603, 10604, 10605, 10606, 10607, 10608)
    }
    | {f"http://w.mzdc.org.cn/show-{n}.html" for n in range(20001, 20007)}  # reprint variants
    | {f"http://w.mzuzx.org.cn/show-{n}.html" for n in range(30001, 30007)}
    # one site per CMS family (tests/test_families.py): 3 + 3 + 4 + 4 reprints
    | {
        "http://www.mzwh.org.cn/a/2023/0219/125.html",  # two pages, one record
        "http://www.mzwh.org.cn/a/2023/0223/128.html",
        "http://www.mzwh.org.cn/plus/view.php?aid=134",
    }
    | {
        f"http://www.zjzx.org.cn/index.php?m=content&c=index&a=show&catid=9&id={n}"
        for n in (28, 33, 40)
    }
    | {
        "http://www.mzxx.org.cn/news/2023-02-18/456.html",
        "http://www.mzxx.org.cn/e/action/ShowInfo.php?classid=2&id=457",
        "http://www.mzxx.org.cn/tuanjie/2023-03-15/458.html",  # in the sitemap only
        "http://www.mzxx.org.cn/news/2023-03-17/459.html",
    }
    | {
        "http://www.bjmzgc.org.cn/2023/02/hohhot-sange-jiehe/",
        "http://www.bjmzgc.org.cn/?p=88",
        "http://www.bjmzgc.org.cn/2023/02/keerqin-jinshequ/",
        "http://www.bjmzgc.org.cn/2023/02/chifeng-shiliuzi-pufa/",  # in the feed only
    }
)
ORIGINALS = {
    SEED_ORIGINAL,
    "http://mw.nmg.gov.cn/xw/msdt/202302/t20230221_2261035.html",
    "http://mw.nmg.gov.cn/xw/msdt/202302/t20230224_2262958.html",
    "http://mw.nmg.gov.cn/xw/msdt/202302/t20230227_2264117.html",
    "http://mw.nmg.gov.cn/xw/msdt/202303/t20230314_2275802.html",
    "http://mw.nmg.gov.cn/xw/msdt/202303/t20230320_2279133.html",
    GBK_ORIGINAL,
    MOVED_ORIGINAL_NOW,
}


def newsarchive(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def export(archive, *args: str) -> list[dict]:
    result = newsarchive("export", "--archive", str(archive), "--format", "jsonl", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """An archive after one crawl of the samples, with the exports and the second crawl."""
    archive = tmp_path_factory.mktemp("archive")
    feed = archive / "feed.csv"  # the first run's new records, through Scrapy's feed exports
    feeds = json.dumps({str(feed): {"format": "csv"}})
    first = newsarchive(
        "crawl", "--replay", "samples", "--archive", str(archive), "-s", f"FEEDS={feeds}"
    )
    records_after_first = export(archive)
    second = newsarchive("crawl", "--replay", "samples", "--archive", str(archive))
    return archive, first, second, records_after_first


@pytest.fixture
def db(crawled):
    connection = sqlite3.connect(crawled[0] / "archive.sqlite3")
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def test_first_crawl_succeeds_and_summarises(crawled):
    _, first, _, _ = crawled
    assert first.returncode == 0, first.stderr
    assert "records new        44" in first.stdout
    # Nothing is known before a first run: an article two pages link to is fetched once,
    # and never counted as a known page skipped.
    assert "pages skipped      0 known" in first.stdout
    assert "1 under a second URL" in first.stdout
    assert f"http_404             1  {GONE_ORIGINAL}" in first.stdout
    assert "unsupported_scheme   1  javascript:" in first.stdout
    assert "crawling: " in first.stderr  # progress line
    assert "Checks   27 faithful, 5 edited, 1 unrelated, 3 without an original" in first.stdout


def test_archive_holds_exactly_the_reprints_and_their_originals(crawled):
    records = crawled[3]
    assert {r["url"] for r in records if r["kind"] == "reprint"} == REPRINTS
    assert {r["url"] for r in records if r["kind"] == "original"} == ORIGINALS
    assert len(records) == len(REPRINTS) + len(ORIGINALS)


def test_seed_reprint_record_matches_the_seed(crawled):
    seed = next(r for r in crawled[3] if r["url"] == SEED)
    assert seed["title"] == "呼和浩特“三个结合”扎实开展民族团结进步创建"
    assert seed["published_at"] == "2023-02-17T17:00:27+08:00"
    assert (seed["source"], seed["author"]) == ("", "")
    assert seed["original_url"] == SEED_ORIGINAL
    assert seed["body"].startswith("近年来")
    assert seed["body"].endswith("营造了良好的创建氛围。")
    for boilerplate in ("免责声明", "版权所有", "原文链接", "联系电话", "点击", "当前位置"):
        assert boilerplate not in seed["body"]
    assert seed["http_status"] == 200 and seed["fetched_at"].endswith("Z")


def test_seed_original_is_stored_with_the_same_title(crawled):
    original = next(r for r in crawled[3] if r["url"] == SEED_ORIGINAL)
    assert original["kind"] == "original"
    assert original["title"] == "呼和浩特“三个结合”扎实开展民族团结进步创建"
    assert original["meta"]["SiteName"] == "内蒙古自治区民族事务委员会"


def test_article_under_two_urls_is_stored_once_with_an_alias(crawled, db):
    aliases = {tuple(row) for row in db.execute("SELECT alias, url FROM aliases")}
    assert aliases == {
        ("http://zjifz.org.cn/index.php?c=show&id=10601", "http://zjifz.org.cn/show-10601.html"),
        (MOVED_ORIGINAL, MOVED_ORIGINAL_NOW),
    }
    record = next(r for r in crawled[3] if r["url"] == "http://zjifz.org.cn/show-10601.html")
    assert record["aliases"] == ["http://zjifz.org.cn/index.php?c=show&id=10601"]


def test_pairs_are_linked_and_the_gone_original_is_a_failure_with_its_reprint_kept(crawled, db):
    links = dict(db.execute("SELECT reprint_url, original_url FROM links").fetchall())
    unlinked = "http://zjifz.org.cn/show-10603.html"
    assert set(links) == {canonical(url) for url in REPRINTS - {unlinked}}  # keyed canonically
    assert links[SEED] == SEED_ORIGINAL
    failures = [
        dict(row)
        for row in db.execute(
            "SELECT url, stage, reason, http_status, referer FROM failures WHERE run = 1"
            " ORDER BY url"
        )
    ]
    assert failures == [
        {
            "url": GONE_ORIGINAL,
            "stage": "fetch",
            "reason": "http_404",
            "http_status": 404,
            "referer": "http://zjifz.org.cn/show-10604.html",
        },
        {
            "url": "javascript:document.title='pwned'",
            "stage": "link",
            "reason": "unsupported_scheme",
            "http_status": None,
            "referer": HOSTILE,
        },
    ]
    assert "http://zjifz.org.cn/show-10604.html" in {r["url"] for r in crawled[3]}


def test_the_runs_quality_counts_each_sites_original_links_and_those_archived(crawled, db):
    stats = json.loads(db.execute("SELECT stats FROM runs WHERE id = 1").fetchone()[0])
    quality = stats["newsarchive/quality"]
    # zjifz.org.cn: its 10 reprints, show-10601 again under its dynamic URL. show-10603 names
    # no original; of the 10 pages naming one, one names the gone original (404). The moved
    # one is archived under its new URL, the URL named an alias of it.
    assert quality["zjifz.org.cn"]["pages"] == 11
    assert quality["zjifz.org.cn"]["original_link"] == round(10 / 11, 4)
    assert quality["zjifz.org.cn"]["original_reached"] == round(9 / 10, 4)
    # w.mzuzx.org.cn: one of its 6 reprints names a javascript: URL, never fetched.
    assert quality["w.mzuzx.org.cn"]["original_reached"] == round(5 / 6, 4)
    others = {urlsplit(url).hostname for url in REPRINTS} - {"zjifz.org.cn", "w.mzuzx.org.cn"}
    for site in others:
        assert quality[site]["original_link"] == quality[site]["original_reached"] == 1.0
    assert "original_reached" not in quality["mw.nmg.gov.cn"]  # originals name none


def test_redirected_original_is_stored_at_its_new_https_url_and_still_linked(crawled):
    with Archive(crawled[0]) as archive:
        link = next(
            link
            for link in archive.pairs()
            if link["reprint_url"] == "http://zjifz.org.cn/show-10608.html"
        )
        gone = next(
            link
            for link in archive.pairs()
            if link["reprint_url"] == "http://zjifz.org.cn/show-10604.html"
        )
    assert link["original_url"] == MOVED_ORIGINAL
    assert (link["original_status"], link["original_record"]) == ("stored", MOVED_ORIGINAL_NOW)
    assert (gone["original_status"], gone["original_failure"]) == ("failed", "http_404")


def test_gbk_original_is_decoded_right(crawled):
    original = next(r for r in crawled[3] if r["url"] == GBK_ORIGINAL)
    assert original["encoding"] == "gb18030"
    assert "堃" in original["body"] and "\ufffd" not in original["body"]
    assert original["published_at"] == "2023-03-15T10:30+08:00"  # as the page shows it


def test_second_crawl_fetches_no_article_page_and_changes_nothing(crawled, db):
    archive, _, second, records_after_first = crawled
    assert second.returncode == 0, second.stderr
    assert "records new        0" in second.stdout
    assert "records changed    0" in second.stdout
    # Every article page was fetched by the first run: the second asks for none of them.
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE run = 2").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE run = 1").fetchone()[0] >= 44
    assert "pages skipped      0 " not in second.stdout
    assert export(archive) == records_after_first
    assert db.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 44
    assert [row[0] for row in db.execute("SELECT finish_reason FROM runs")] == ["finished"] * 2


def test_every_pair_was_checked_during_the_crawl_as_its_sample_expects(crawled):
    checks = {check["reprint_url"]: check for check in export(crawled[0], "--kind", "check")}
    assert set(checks) == REPRINTS
    for url, check in checks.items():
        if url == MULTIPAGE:  # its snapshot checks page 1 alone; the crawl joins both pages
            assert (check["verdict"], check["flags"]) == ("faithful", []), url
            continue
        expected = json.loads(
            sample_path(ROOT / "samples", url)
            .with_name(sample_path(ROOT / "samples", url).name + CHECK_SUFFIX)
            .read_text("utf-8")
        )
        assert (check["verdict"], check["flags"]) == (expected["verdict"], expected["flags"]), url


def test_export_filters_by_kind_site_and_date(crawled):
    archive = crawled[0]
    assert {r["kind"] for r in export(archive, "--kind", "original")} == {"original"}
    assert {r["url"] for r in export(archive, "--site", "www.huhhot.gov.cn")} == {GBK_ORIGINAL}
    since = export(archive, "--since", "2023-03-14")
    assert since and all(r["published_at"][:10] >= "2023-03-14" for r in since)


def test_a_broken_page_is_recorded_and_the_run_goes_on_with_exit_status_3(tmp_path):
    """A reprint URL that now serves a '文章不存在' page (a soft 404) is a parse failure."""
    web = tmp_path / "web"
    shutil.copytree(ROOT / "samples", web)
    (web / "zjifz.org.cn/show-10606.html").write_text(
        "<html><head><title>提示信息 - 宗教法治网</title></head>"
        "<body><div class='msg'>文章不存在或已被删除</div></body></html>",
        encoding="utf-8",
    )
    archive = tmp_path / "archive"

    result = newsarchive("crawl", "--replay", str(web), "--archive", str(archive), "-q")

    assert result.returncode == 3, result.stdout + result.stderr
    assert "not_article          1  http://zjifz.org.cn/show-10606.html" in result.stdout
    urls = {record["url"] for record in export(archive)}
    assert "http://zjifz.org.cn/show-10606.html" not in urls
    assert REPRINTS - {"http://zjifz.org.cn/show-10606.html"} <= urls


@pytest.mark.parametrize("workers", ["1", "2"])  # compared in its own process, and in two
def test_check_command_recomputes_and_report_command_writes_the_pages(crawled, tmp_path, workers):
    archive = crawled[0]
    before = export(archive, "--kind", "check")
    result = newsarchive("check", "--archive", str(archive), "--workers", workers)
    assert result.returncode == 0, result.stderr
    assert (
        "Checked 36 reprints: 27 faithful, 5 edited, 1 unrelated, 3 without an original"
        in result.stdout
    )
    after = export(archive, "--kind", "check")
    strip = [{k: v for k, v in check.items() if k != "checked_at"} for check in before]
    assert [{k: v for k, v in check.items() if k != "checked_at"} for check in after] == strip

    report = newsarchive("report", "--archive", str(archive), "-o", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report/index.html").exists()
    assert len(list((tmp_path / "report/pairs").glob("*.html"))) == 36


def test_every_exported_record_and_check_validates_against_the_published_schema(crawled):
    schemas = json.loads(newsarchive("schema").stdout)
    article = fastjsonschema.compile(schemas["Article"])
    check = fastjsonschema.compile(schemas["ReprintCheck"])
    records = export(crawled[0])
    checks = export(crawled[0], "--kind", "check")
    assert len(records) == 44 and len(checks) == 36
    for record in records:
        article(record)
    for entry in checks:
        check(entry)


def test_a_scrapy_feed_and_export_write_the_same_csv(crawled):
    archive = crawled[0]
    result = newsarchive("export", "--archive", str(archive), "--format", "csv")
    exported = {row["url"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    with (archive / "feed.csv").open(encoding="utf-8", newline="") as file:
        feed = list(csv.DictReader(file))
    # The feed has the dynamic URL's record too when the crawl fetched it before the static
    # one, which then took it over; fetched after, it was dropped as an alias.
    assert {row["url"] for row in feed} - {DYNAMIC} == set(exported)
    assert list(feed[0]) == list(next(iter(exported.values())))  # one header
    for row in (row for row in feed if row["url"] != DYNAMIC):
        # the archive adds the aliases it learnt; everything else is the same cell
        assert {k: v for k, v in row.items() if k != "aliases"} == {
            k: v for k, v in exported[row["url"]].items() if k != "aliases"
        }
        assert json.loads(row["paragraphs"]) == json.loads(exported[row["url"]]["paragraphs"])


class CountingReplayServer(ReplayServer):
    """The replay proxy, counting the connections it accepts."""

    connections = 0

    def process_request(self, request, client_address) -> None:
        self.connections += 1  # the one serving thread accepts them all
        super().process_request(request, client_address)


def test_a_crawl_through_one_proxy_keeps_its_connections_to_it_open(tmp_path):
    """Every http:// request through a proxy shares one pool key, whatever its host. Four
    requests at a time, one per host: at most four connections for them, however many hosts
    and requests, and one tunnel for the https:// host (MOVED_ORIGINAL_NOW's). Scrapy's pool
    alone keeps one (CONCURRENT_REQUESTS_PER_DOMAIN) and opened 30 for these 70 requests."""
    with CountingReplayServer(SAMPLES) as server:
        result = run(
            "crawl", "--archive", str(tmp_path / "archive"), "-q",
            "--summary-json", str(tmp_path / "summary.json"),
            "--sites", str(SAMPLES / "sites.toml"), "--all-sites",
            "-s", f"NEWSARCHIVE_REPLAY_PROXY={server.proxy_url}",
            "-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["counts"]["pages_fetched"] > 60
    assert 2 <= server.connections <= 4 + 1
