"""Site profiles: a sites file is checked before any request, a mistake is one line naming the
file, the site and the field; `newsarchive sites` lists them; a profile's field selectors
override the parser; `crawl --site` crawls only the sites named."""

import json
import re
import sqlite3

import pytest
from conftest import ROOT, SAMPLES, sample_item, sample_response
from test_cli import run

from newsarchive.parsers import page_for
from newsarchive.sites import DEFAULT_SITES, FAMILIES, SiteError, adhoc_site, choose, load_sites
from newsarchive.sites.fields import with_fields
from newsarchive.spiders.sites import join_pages

GOOD = """
[[site]]
name = "北疆民族文化网"
family = "dedecms"
start_urls = ["http://www.mzwh.org.cn/news/list_1_1.html"]
"""


def sites_file(tmp_path, text: str):
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field", "why"),
    [
        ('family = "drupal"', "family", "is not one of"),
        ('start_urls = ["file:///etc/passwd"]', "start_urls", "is not an http(s) URL"),
        ("start_urls = []", "start_urls", "give at least one URL"),
        ('start_urls = "http://a.org.cn/"', "start_urls", "give a list of URLs"),
        ('sitemaps = ["ftp://a.org.cn/sitemap.xml"]', "sitemaps", "is not an http(s) URL"),
        ("article_urls = ['/show-(\\d+.html']", "article_urls", "is not a regular expression"),
        ('pager = ["div[[["]', "pager", "is not a CSS selector"),
        ("download_delay = -1", "download_delay", "give seconds"),
        ("concurrency = 0", "concurrency", "give a whole number"),
        ('follow_originals = "yes"', "follow_originals", "give true or false"),
        ("colour = 1", "colour", "not a profile field"),
        ('fields = { price = "css:.p" }', "fields.price", "not a field a selector can give"),
        ('fields = { title = "h1" }', "fields.title", "start it with css: or xpath:"),
        ('fields = { title = "xpath://h1[" }', "fields.title", "xpath://h1["),
        ('fields = { title = "css:h1[[[" }', "fields.title", "css:h1[[["),
    ],
)
def test_a_bad_profile_is_refused_naming_the_file_the_site_and_the_field(
    tmp_path, change, field, why
):
    key = change.split(" =")[0]
    lines = [line for line in GOOD.splitlines() if not line.startswith(f"{key} =")]
    path = sites_file(tmp_path, "\n".join([*lines, change]))
    with pytest.raises(SiteError) as error:
        load_sites(path)
    message = str(error.value)
    assert message.startswith(f"{path}: site '北疆民族文化网': {field}")
    assert why in message


def test_a_profile_without_a_name_is_named_by_its_place(tmp_path):
    path = sites_file(tmp_path, GOOD + '[[site]]\nfamily = "xunrui"\n')
    with pytest.raises(SiteError, match=r"site #2: name: missing"):
        load_sites(path)


def test_two_sites_of_one_name_are_refused(tmp_path):
    with pytest.raises(SiteError, match=r"site '北疆民族文化网': name: used twice"):
        load_sites(sites_file(tmp_path, GOOD + GOOD))


@pytest.mark.parametrize(
    ("text", "why"),
    [("[[site]\nname=", "not valid TOML"), ("site = 1", "write each site as a [[site]] table")],
)
def test_a_file_that_is_not_a_sites_file_is_refused(tmp_path, text, why):
    with pytest.raises(SiteError, match=re.escape(why)):
        load_sites(sites_file(tmp_path, text))


def test_a_good_profile_keeps_what_it_says_and_defaults_the_rest(tmp_path):
    (site,) = load_sites(sites_file(tmp_path, GOOD))
    assert site.family is FAMILIES["dedecms"]
    assert site.hosts == ("www.mzwh.org.cn",)  # the start URLs' hosts
    assert site.follow_originals is True and site.fields == {}
    assert site.owns("http://www.mzwh.org.cn/a/2023/0219/125.html")
    assert not site.owns("http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html")


def test_the_shipped_and_the_sample_sites_files_are_valid():
    shipped = load_sites(DEFAULT_SITES)
    assert {"宗教法治网"} <= {site.name for site in shipped}
    samples = load_sites(SAMPLES / "sites.toml")
    assert {site.family.name for site in samples} == {
        "xunrui",
        "dedecms",
        "phpcms",
        "empirecms",
        "wordpress",
    }


def test_choosing_an_unknown_site_names_the_file_and_the_sites_there(tmp_path):
    path = sites_file(tmp_path, GOOD)
    sites = load_sites(path)
    assert choose(sites, [], path) == sites
    with pytest.raises(SiteError, match=r"no site named '别的网' \(there are: 北疆民族文化网\)"):
        choose(sites, ["别的网"], path)


def test_a_start_page_alone_makes_a_site_of_the_family_given():
    site = adhoc_site(["http://zjifz.org.cn/list-zjsp.html"], "xunrui")
    assert (site.name, site.family.name, site.hosts) == (
        "zjifz.org.cn",
        "xunrui",
        ("zjifz.org.cn",),
    )
    with pytest.raises(SiteError, match="--start: start_urls: 'javascript:alert' is not"):
        adhoc_site(["javascript:alert"], "xunrui")


def test_sites_command_lists_each_profile_and_says_all_are_valid():
    result = run("sites", "--sites", str(SAMPLES / "sites.toml"))
    assert result.returncode == 0, result.stderr
    assert "北方民族信息网  (empirecms)" in result.stdout
    assert "  sitemaps http://www.mzxx.org.cn/sitemap.xml" in result.stdout
    assert "  feeds    http://www.bjmzgc.org.cn/feed/" in result.stdout
    assert result.stderr.strip().endswith("site(s), all valid")


def test_sites_command_and_crawl_refuse_a_bad_file_in_one_line_before_any_request(tmp_path):
    path = sites_file(tmp_path, GOOD.replace('"dedecms"', '"drupal"'))
    for command in (["sites"], ["crawl", "--all-sites", "--archive", str(tmp_path / "a")]):
        result = run(*command, "--sites", str(path))
        assert result.returncode == 1
        why = f"family: 'drupal' is not one of {', '.join(FAMILIES)}"
        assert result.stderr.strip().splitlines() == [
            f"newsarchive {command[0]}: {path}: site '北疆民族文化网': {why}"
        ]
    assert not (tmp_path / "a").exists()  # refused before the archive was even opened


def test_a_field_selector_overrides_what_the_parser_read():
    response = sample_response("http://zjifz.org.cn/show-10595.html")
    item = page_for(response).to_item()
    changed = with_fields(
        item,
        response,
        {
            "source": "xpath://title/text()",
            "editor": "css:.no-such-class::text",  # finds nothing: the parser's value stays
            "original_url": "css:a[href*='t20230216']::attr(href)",
        },
    )
    assert changed.source == response.xpath("//title/text()").get().strip()
    assert changed.editor == item.editor
    assert changed.original_url == "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
    assert changed.title == item.title


def test_crawl_of_one_site_archives_that_site_and_its_originals_only(tmp_path):
    archive = tmp_path / "archive"
    result = run(
        "crawl", "--replay", "samples", "--site", "北疆民族观察", "--archive", str(archive), "-q"
    )
    assert result.returncode == 0, result.stderr
    database = sqlite3.connect(archive / "archive.sqlite3")
    rows = database.execute("SELECT url, kind FROM records").fetchall()
    reprints = {url for url, kind in rows if kind == "reprint"}
    assert reprints and all(url.startswith("http://www.bjmzgc.org.cn/") for url in reprints)
    originals = {url for url, kind in rows if kind == "original"}
    assert originals and all(".gov.cn/" in url for url in originals)
    assert not any("zjifz.org.cn" in url for url, _ in rows)


def test_crawl_from_a_start_page_reads_it_as_the_family_given(tmp_path):
    archive = tmp_path / "archive"
    start = "http://www.mzxx.org.cn/news/index.html"
    result = run(
        "crawl", "--replay", "samples", "--start", start, "--family", "empirecms",
        "--archive", str(archive), "-q",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    exported = run("export", "--archive", str(archive), "--kind", "reprint", cwd=ROOT)
    parsers = {json.loads(line)["parser"] for line in exported.stdout.splitlines()}
    assert parsers == {"empirecms"}


def test_a_later_page_adds_its_text_and_the_credits_the_first_page_lacks():
    first = sample_item(
        "http://www.mzwh.org.cn/a/2023/0219/125.html",
        paragraphs=["第一页第一段。", "第一页第二段。"],
        images=["http://www.mzwh.org.cn/uploads/1.jpg"],
        source="北疆民族文化网",
        editor=None,
        original_url=None,
    )
    second = sample_item(
        "http://www.mzwh.org.cn/a/2023/0219/125_2.html",
        paragraphs=["第二页一段。"],
        images=["http://www.mzwh.org.cn/uploads/1.jpg", "http://www.mzwh.org.cn/uploads/2.jpg"],
        source="别的来源",  # the first page's source stands
        editor="赵玥",
        original_url="http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html",
    )
    joined = join_pages(first, second)
    assert joined.paragraphs == ["第一页第一段。", "第一页第二段。", "第二页一段。"]
    assert joined.images == [
        "http://www.mzwh.org.cn/uploads/1.jpg",
        "http://www.mzwh.org.cn/uploads/2.jpg",
    ]
    assert joined.pages == [first.url, second.url]
    assert (joined.source, joined.editor) == ("北疆民族文化网", "赵玥")
    assert joined.original_url == second.original_url
    assert joined.url == first.url and joined.title == first.title
