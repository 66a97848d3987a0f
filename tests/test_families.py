"""The four CMS-family sample sites end to end: DedeCMS, PHPCMS v9, EmpireCMS and WordPress.

One real `newsarchive crawl --replay samples` (every site of samples/sites.toml, each from its
profile alone), then what it archived of these sites; and each of their pages read by its
family's page object, against its oracle in tests/cases.py (tests/test_cases.py reads the
pages with the parser their host maps to, these tests with the one the crawl uses).
"""

import json
import sqlite3
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from cases import FAMILY_REPRINTS, SEED_ENDS, SEED_ORIGINAL, SEED_STARTS, Case
from conftest import ROOT, SAMPLES, sample_response, served_original
from itemadapter import ItemAdapter

from newsarchive.archive.urls import canonical
from newsarchive.compare import compare
from newsarchive.parsers import page_for
from newsarchive.replay import sample_path

FAMILY_OF_HOST = {
    "www.mzwh.org.cn": "dedecms",
    "www.zjzx.org.cn": "phpcms",
    "www.mzxx.org.cn": "empirecms",
    "www.bjmzgc.org.cn": "wordpress",
}
MULTIPAGE = "http://www.mzwh.org.cn/a/2023/0219/125.html"
MULTIPAGE_2 = "http://www.mzwh.org.cn/a/2023/0219/125_2.html"
SITEMAP = "http://www.mzxx.org.cn/sitemap.xml"
SITEMAP_ONLY = "http://www.mzxx.org.cn/tuanjie/2023-03-15/458.html"
FEED = "http://www.bjmzgc.org.cn/feed/"
FEED_ONLY = "http://www.bjmzgc.org.cn/2023/02/chifeng-shiliuzi-pufa/"
WORDPRESS_SEED = "http://www.bjmzgc.org.cn/2023/02/hohhot-sange-jiehe/"
# Every list page the crawl starts from or pages to, by site.
LIST_PAGES = {
    "www.mzwh.org.cn": ["/news/list_1_1.html", "/news/list_1_2.html"],
    "www.zjzx.org.cn": [
        "/index.php?m=content&c=index&a=lists&catid=9",
        "/index.php?m=content&c=index&a=lists&catid=9&page=2",
    ],
    "www.mzxx.org.cn": ["/news/index.html", "/news/index_2.html"],
    "www.bjmzgc.org.cn": ["/category/minzu/", "/category/minzu/page/2/"],
}
FIELDS = (
    "title",
    "site_name",
    "category",
    "published_at",
    "published_at_raw",
    "source",
    "author",
    "original_url",
)


def host(url: str) -> str:
    return urlsplit(url).hostname or ""


def case_id(case: Case) -> str:
    return case.url.split("://", 1)[1]


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
    """(the crawl's process, its records by URL, its checks by reprint URL, its links)."""
    archive = tmp_path_factory.mktemp("families")
    result = newsarchive("crawl", "--replay", "samples", "--archive", str(archive), "-q")
    records = {record["url"]: record for record in export(archive)}
    checks = {check["reprint_url"]: check for check in export(archive, "--kind", "check")}
    with sqlite3.connect(archive / "archive.sqlite3") as db:
        links = dict(db.execute("SELECT reprint_url, original_url FROM links").fetchall())
    return result, records, checks, links


def test_the_crawl_of_the_samples_succeeds(crawled):
    result = crawled[0]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("site", sorted(FAMILY_OF_HOST))
def test_each_site_has_exactly_its_articles_archived_as_reprints(crawled, site):
    records = crawled[1]
    stored = {url for url, record in records.items() if record["site"] == site}
    assert stored == {case.url for case in FAMILY_REPRINTS if host(case.url) == site}
    assert {records[url]["kind"] for url in stored} == {"reprint"}


@pytest.mark.parametrize("case", FAMILY_REPRINTS, ids=case_id)
def test_each_article_is_read_by_its_familys_parser(crawled, case):
    assert crawled[1][case.url]["parser"] == FAMILY_OF_HOST[host(case.url)]


@pytest.mark.parametrize("case", FAMILY_REPRINTS, ids=case_id)
def test_each_reprints_original_is_archived_and_linked(crawled, case):
    _, records, _, links = crawled
    assert records[case.url]["original_url"] == case.original_url
    assert records[case.original_url]["kind"] == "original"
    assert links[canonical(case.url)] == case.original_url  # links are keyed canonically


@pytest.mark.parametrize("case", FAMILY_REPRINTS, ids=case_id)
def test_each_reprint_is_checked_faithful_with_no_flags(crawled, case):
    """All of them, the multi-page article too once its two pages are one record."""
    check = crawled[2][case.url]
    assert (check["verdict"], check["flags"]) == ("faithful", [])
    assert check["original_url"] == case.original_url


def test_the_article_only_the_sitemap_names_was_found(crawled):
    lists = b"".join(
        sample_path(SAMPLES, f"http://{host(SITEMAP)}{path}").read_bytes()
        for path in LIST_PAGES[host(SITEMAP)]
    )
    assert urlsplit(SITEMAP_ONLY).path.encode() not in lists
    assert SITEMAP_ONLY.encode() in sample_path(SAMPLES, SITEMAP).read_bytes()
    assert crawled[1][SITEMAP_ONLY]["parser"] == "empirecms"


def test_the_post_only_the_feed_names_was_found(crawled):
    lists = b"".join(
        sample_path(SAMPLES, f"http://{host(FEED)}{path}").read_bytes()
        for path in LIST_PAGES[host(FEED)]
    )
    assert urlsplit(FEED_ONLY).path.encode() not in lists
    assert f"<link>{FEED_ONLY}</link>".encode() in sample_path(SAMPLES, FEED).read_bytes()
    assert crawled[1][FEED_ONLY]["parser"] == "wordpress"


def test_wordpress_utc_times_are_stored_in_china_time(crawled):
    records = crawled[1]
    post = records[WORDPRESS_SEED]
    assert post["published_at_raw"] == "2023-02-18T09:30:00+00:00"
    assert post["published_at"] == "2023-02-18T17:30:00+08:00"
    posts = [record for record in records.values() if record["site"] == host(WORDPRESS_SEED)]
    assert posts and all(record["published_at"].endswith("+08:00") for record in posts)


def test_gbk_dedecms_pages_are_decoded_without_replacement_characters(crawled):
    page = sample_path(SAMPLES, MULTIPAGE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")  # 玥 (责任编辑:赵玥) is in GBK, not in GB2312
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    records = [record for record in crawled[1].values() if record["site"] == host(MULTIPAGE)]
    assert len(records) == 3
    for record in records:
        assert record["encoding"] == "gb18030"
        assert record["charset_declared"] == {"header": "gb2312", "meta": "gb2312"}
        assert record["replacement_characters"] == 0
        text = json.dumps(record, ensure_ascii=False)
        assert "\ufffd" not in text
        assert record["editor"] == "赵玥"


def test_the_multipage_article_is_one_record_of_both_pages(crawled):
    records = crawled[1]
    assert MULTIPAGE_2 not in records
    article = records[MULTIPAGE]
    assert article["pages"] == [MULTIPAGE, MULTIPAGE_2]
    assert len(article["paragraphs"]) == 13  # 7 on page 1, 6 on page 2: all the original's
    assert article["body"].startswith(SEED_STARTS)
    assert article["body"].endswith(SEED_ENDS)
    page_1_last = "工作一项一项推进,目标一项一项实现。"
    assert f"{page_1_last}\n二是压实创建责任。" in article["body"]
    original = records[SEED_ORIGINAL]
    assert len(article["paragraphs"]) == len(original["paragraphs"])


# Each page read by its family's page object, against its oracle --------------------------


def family_record(case: Case) -> dict:
    response = sample_response(case.url)
    page = page_for(response, "reprint", FAMILY_OF_HOST[host(case.url)])
    assert page.is_article()
    return ItemAdapter(page.to_item()).asdict()


@pytest.fixture(scope="module")
def family_records() -> dict[str, dict]:
    return {case.url: family_record(case) for case in FAMILY_REPRINTS}


@pytest.mark.parametrize(
    ("case", "field"),
    [(case, field) for case in FAMILY_REPRINTS for field in FIELDS],
    ids=lambda value: value if isinstance(value, str) else case_id(value),
)
def test_family_parser_reads_what_the_page_shows(family_records, case, field):
    assert family_records[case.url][field] == getattr(case, field)


@pytest.mark.parametrize("case", FAMILY_REPRINTS, ids=case_id)
def test_family_parser_reads_the_body_of_the_page(family_records, case):
    record = family_records[case.url]
    assert record["parser"] == FAMILY_OF_HOST[host(case.url)]
    assert record["body"].startswith(case.starts)
    assert record["body"].endswith(case.ends)
    assert len(record["paragraphs"]) == case.paragraphs
    assert [text for text in case.not_in_body if text in record["body"]] == []
    assert [text for text in case.contains if text not in record["body"]] == []
    assert record["images"] == list(case.images)


@pytest.mark.parametrize("case", FAMILY_REPRINTS, ids=case_id)
def test_family_parser_record_gets_the_check_of_its_case(family_records, case):
    """The page on its own (page 1 alone, for the multi-page article)."""
    reprint = family_records[case.url]
    original, failure = served_original(reprint["original_url"])
    check = ItemAdapter(compare(reprint, original, original_failure=failure)).asdict()
    assert check["verdict"] == case.check.verdict
    assert check["flags"] == sorted(case.check.flags)
