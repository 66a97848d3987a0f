"""Tests of the HTML report: escaping, links, CSP, files written, and pages in a real Chromium."""

import base64
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, SAMPLES, sample_record
from itemadapter import ItemAdapter
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from newsarchive.archive import Archive
from newsarchive.compare import compare
from newsarchive.output.report import (
    SITE_CSP,
    date_text,
    is_web_url,
    lag_text,
    page_id,
    pair_page,
    percent,
)
from newsarchive.output.report_dir import index_name, write_report

TEMPLATES = ROOT / "newsarchive" / "templates"
CHECKED_AT = "2024-05-01T09:00:00Z"

SEED = "http://zjifz.org.cn/show-10595.html"
SEED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
EDITED = "http://zjifz.org.cn/show-99001.html"
NO_ORIGINAL = "http://zjifz.org.cn/show-10604.html"  # its original answers 404
HOSTILE = "http://zjifz.org.cn/show-99002.html?x=\"><script>document.title='pwned'</script>"
HOSTILE_LONE = "http://zjifz.org.cn/show-99003.html?y=<img src=x onerror=alert(1)>"
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
BOLD = "<b onmouseover=alert(1)>"
JAVASCRIPT_URL = "javascript:document.title='pwned'"


def edited_paragraphs(paragraphs: list[str]) -> list[str]:
    """The seed's paragraphs with words and a number changed, one cut and one added."""
    edited = list(paragraphs)
    edited[6] = edited[6].replace("127", "172").replace("紧扣国家测评指标", "对照国家测评标准")
    del edited[8]
    edited.insert(4, "笔者认为,这些做法值得各地借鉴推广。")
    return edited


def hostile_record(url: str) -> dict:
    """The seed reprint with markup and a javascript: URL injected wherever a page could.

    The URL ends the text too, so that two hostile records are not taken for one page.
    """
    seed = sample_record(SEED)
    paragraphs = list(seed["paragraphs"])
    paragraphs[0] += IMG
    paragraphs[6] = BOLD + paragraphs[6] + "</b>"
    paragraphs.append(f"（本文地址:{url}）")
    return sample_record(
        SEED,
        url=url,
        title=SCRIPT + seed["title"],
        source=BOLD + "新华网</b>",
        author=IMG,
        site_name=SCRIPT,
        paragraphs=paragraphs,
        original_url=JAVASCRIPT_URL,
        images=["javascript:alert(1)", " javascript:alert(2)", "java\nscript:x"],
    )


def sample_hostile_records() -> list[dict]:
    """Reprints on w.mzuzx.org.cn whose record carries injected markup, if that sample exists."""
    records = []
    for path in sorted((SAMPLES / "w.mzuzx.org.cn").glob("show-*.html")):
        record = sample_record(f"http://w.mzuzx.org.cn/{path.name}")
        if "pwned" in repr(record):
            records.append(record)
    return records


def check_of(reprint: dict, original: dict | None, **options) -> dict:
    return ItemAdapter(compare(reprint, original, checked_at=CHECKED_AT, **options)).asdict()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report over the seed pair, an edited copy, pairs without an original and hostile pages."""
    seed, original = sample_record(SEED), sample_record(SEED_ORIGINAL)
    edited = sample_record(SEED, url=EDITED, paragraphs=edited_paragraphs(seed["paragraphs"]))
    no_original = sample_record(NO_ORIGINAL)
    hostile, lone = hostile_record(HOSTILE), hostile_record(HOSTILE_LONE)
    directory = tmp_path_factory.mktemp("report")
    with Archive(directory / "archive") as archive:
        for record in (
            seed,
            original,
            edited,
            no_original,
            hostile,
            lone,
            *sample_hostile_records(),
        ):
            archive.records.save(record)
        for check in (
            check_of(seed, original),
            check_of(edited, original),
            check_of(no_original, None, original_failure="http_404"),
            check_of(hostile, original),
            check_of(lone, None),
            *(check_of(record, None) for record in sample_hostile_records()),
        ):
            archive.checks.save(check)
        index = write_report(archive, directory / "out")
    return index


def pair_path(index: Path, reprint_url: str) -> Path:
    return index.parent / "pairs" / f"{page_id(reprint_url)}.html"


def hostile_paths(index: Path) -> list[Path]:
    urls = [HOSTILE, HOSTILE_LONE] + [record["url"] for record in sample_hostile_records()]
    return [index] + [pair_path(index, url) for url in urls]


@pytest.fixture(scope="module")
def lone_page(report) -> Path:
    """`compare --format html` output for the hostile pair: one file, nothing beside it."""
    original = sample_record(SEED_ORIGINAL)
    hostile = hostile_record(HOSTILE)
    path = report.parent.parent / "lone.html"
    path.write_text(pair_page(check_of(hostile, original), hostile, original), encoding="utf-8")
    return path


# Formatting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "precision", "expected"),
    [
        (111600, "minute", "1 天 7 小时"),
        (86400, "second", "1 天"),
        (2700, "minute", "45 分"),
        (3600 * 5 + 60, "minute", "5 小时 1 分"),
        (42, "second", "42 秒"),
        (-60175, "minute", "−16 小时 42 分"),
        (172800, "day", "≈2 天（仅日期）"),
        (0, "day", "同一天（仅日期）"),
        (None, None, "—"),
    ],
)
def test_lag_is_human_and_honest_about_day_precision(seconds, precision, expected):
    assert lag_text(seconds, precision) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-02-17T17:00:27+08:00", "2023-02-17 17:00:27"),
        ("2023-02-16T09:47+08:00", "2023-02-16 09:47"),
        ("2023-03-20", "2023-03-20"),
        ("2024-05-01T08:00:00Z", "2024-05-01 08:00:00Z"),
        (None, "—"),
    ],
)
def test_dates_drop_the_t_and_china_offset(value, expected):
    assert date_text(value) == expected


def test_percent_has_one_decimal_and_a_dash_for_none():
    assert (percent(0.9993), percent(1.0), percent(None)) == ("99.9%", "100.0%", "—")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html", True),
        ("HTTPS://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("http://a.example/\tjavascript:", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/", False),
        ("/show-1.html", False),
        ("", False),
        (None, False),
    ],
)
def test_only_whole_http_urls_become_links(url, expected):
    assert is_web_url(url) is expected


# Files and markup -------------------------------------------------------------------------


def test_report_writes_index_one_page_per_pair_and_assets(report):
    assert report.name == "index.html"
    assert (report.parent / "static" / "report.css").stat().st_size > 1000
    assert (report.parent / "static" / "report.js").stat().st_size > 1000
    tree = lxml.html.parse(str(report)).getroot()
    links = [a.get("href") for a in tree.cssselect("#checks tbody a")]
    rows = tree.cssselect("#checks tbody tr")
    assert len(links) == len(rows) == 5 + len(sample_hostile_records())
    assert all((report.parent / link).is_file() for link in links)
    assert {path.name for path in (report.parent / "pairs").iterdir()} == {
        link.removeprefix("pairs/") for link in links
    }


def test_index_is_cut_into_pages_that_list_every_pair_once(report, tmp_path):
    with Archive(report.parent.parent / "archive") as archive:
        total = sum(1 for _ in archive.checks.all())
        index = write_report(archive, tmp_path / "paged", page_rows=2)
    pages = -(-total // 2)
    names = [index_name(number) for number in range(1, pages + 1)]
    assert sorted(path.name for path in index.parent.glob("index*.html")) == sorted(names)
    links = []
    for name in names:
        tree = lxml.html.parse(str(index.parent / name)).getroot()
        rows = tree.cssselect("#checks tbody tr")
        assert len(rows) == (2 if name != names[-1] else total - 2 * (pages - 1)), name
        links += [a.get("href") for a in tree.cssselect("#checks tbody a")]
        assert f"共 {total} 篇转载" in tree.cssselect("p.summary")[0].text_content()
        pager = tree.cssselect("nav.pager")
        assert len(pager) == 2  # above and below the table
        assert [a.get("href") for a in pager[0].cssselect("a")] == [n for n in names if n != name]
    assert len(links) == len(set(links)) == total
    assert sorted(links) == sorted(
        f"pairs/{path.name}" for path in (index.parent / "pairs").iterdir()
    )


def test_an_archive_with_no_checks_gets_an_index_listing_none(tmp_path):
    with Archive(tmp_path / "archive") as archive:
        index = write_report(archive, tmp_path / "report")
    tree = lxml.html.parse(str(index)).getroot()
    assert tree.cssselect("#checks tbody tr") == []
    assert "共 0 篇转载" in tree.cssselect("p.summary")[0].text_content()
    assert not (index.parent / "pairs").exists()


def test_a_shorter_report_removes_the_index_pages_past_its_last(report, tmp_path):
    unrelated = tmp_path / "paged" / "index-notes.html"
    with Archive(report.parent.parent / "archive") as archive:
        write_report(archive, tmp_path / "paged", page_rows=1)
        unrelated.write_text("mine", encoding="utf-8")
        index = write_report(archive, tmp_path / "paged")
    assert sorted(path.name for path in index.parent.glob("index*.html")) == [
        "index-notes.html",
        "index.html",
    ]
    assert not lxml.html.parse(str(index)).getroot().cssselect("nav.pager")


def test_pair_page_names_are_stable_hashes_of_the_reprint_url():
    assert page_id(SEED) == hashlib.sha1(SEED.encode()).hexdigest()[:12]


def test_every_page_declares_the_csp_and_loads_only_its_own_files(report):
    for path in [report, *(report.parent / "pairs").iterdir()]:
        tree = lxml.html.parse(str(path)).getroot()
        assert tree.get("lang") == "zh-CN"
        assert tree.cssselect("meta[charset]")[0].get("charset") == "utf-8"
        csp = tree.cssselect('meta[http-equiv="Content-Security-Policy"]')
        assert [meta.get("content") for meta in csp] == [SITE_CSP]
        assert not tree.cssselect("style")
        scripts = [script.get("src") for script in tree.cssselect("script")]
        assert scripts == (["static/report.js"] if path == report else [])


def test_lone_pair_page_inlines_css_allowed_by_its_hash_and_runs_no_script(lone_page):
    tree = lxml.html.parse(str(lone_page)).getroot()
    style = tree.cssselect("style")[0].text
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = tree.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert f"style-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert not tree.cssselect("script, link")


def test_hostile_strings_are_text_in_the_html_source(report, lone_page):
    for path in [*hostile_paths(report), lone_page]:
        source = path.read_text(encoding="utf-8")
        assert "&lt;script&gt;document.title=" in source, path
        for raw in (SCRIPT, "<img src=x", "<b onmouseover"):
            assert raw not in source, (path, raw)
        tree = lxml.html.fromstring(source)
        assert not [
            element.tag
            for element in tree.iter()
            if isinstance(element.tag, str)
            and any(name.lower().startswith("on") for name in element.attrib)
        ]
        assert not tree.cssselect("img, b, script:not([src])")


def test_javascript_urls_are_shown_as_text_never_as_links(report, lone_page):
    for path in [*hostile_paths(report), lone_page]:
        tree = lxml.html.parse(str(path)).getroot()
        for href in (element.get("href") for element in tree.cssselect("[href]")):
            assert is_web_url(href) or not re.match(r"(?i)[a-z][a-z0-9+.-]*:", href), href
        assert "javascript:" not in " ".join(tree.xpath("//@href | //@src")).lower()
    page = lxml.html.parse(str(pair_path(report, HOSTILE))).getroot()
    shown = [span.text_content() for span in page.cssselect("span.not-link")]
    assert JAVASCRIPT_URL in shown and "javascript:alert(1)" in shown


def test_changed_pair_marks_cut_added_text_and_changed_numbers(report):
    page = lxml.html.parse(str(pair_path(report, EDITED))).getroot()
    assert page.cssselect(".verdict-line .badge")[0].text_content().startswith("有改动")
    changed = page.cssselect("tr.row-changed")[0]
    assert [d.text_content() for d in changed.cssselect("td.original del")] == ["紧扣", "指", "127"]
    assert [i.text_content() for i in changed.cssselect("td.reprint ins")] == ["对照", "准", "172"]
    assert [d.text_content() for d in changed.cssselect("del .num")] == ["127"]
    assert [i.text_content() for i in changed.cssselect("ins .num")] == ["172"]
    numbers = page.cssselect("table.numbers tbody tr")[0]
    assert [cell.text_content() for cell in numbers.cssselect("td")][:2] == ["127", "172"]
    missing, added = page.cssselect("tr.row-missing")[0], page.cssselect("tr.row-added")[0]
    assert missing.cssselect("td.original")[0].text_content() and not (
        missing.cssselect("td.reprint")[0].text_content()
    )
    assert added.cssselect("td.reprint")[0].text_content().endswith("借鉴推广。")
    assert not added.cssselect("td.original")[0].text_content()


def test_pair_without_original_shows_why_and_the_reprint_text(report):
    page = lxml.html.parse(str(pair_path(report, NO_ORIGINAL))).getroot()
    assert "无对照" in page.cssselect(".verdict-line .badge")[0].text_content()
    notice = page.cssselect("p.notice")[0].text_content()
    assert "取不到" in notice and "http_404" in notice
    assert len(page.cssselect(".lone p")) == len(sample_record(NO_ORIGINAL)["paragraphs"])
    assert not page.cssselect("table.sbs")


def test_templates_never_mark_data_safe_or_use_inline_script_or_handlers():
    for path in TEMPLATES.glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "Markup" not in source, path
        assert not re.search(r"\son[a-z]+\s*=", source), path
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path


# In a real browser ------------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def driver():
    """Headless Chromium from Debian; Selenium Manager is never asked to download one."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("NEWSARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail("NEWSARCHIVE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="newsarchive-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def visible_rows(driver) -> list:
    return [
        row
        for row in driver.find_elements(By.CSS_SELECTOR, "#checks tbody tr")
        if row.is_displayed()
    ]


def test_index_in_browser_lists_every_pair_with_its_verdict(driver, report):
    driver.get(report.as_uri())
    rows = driver.find_elements(By.CSS_SELECTOR, "#checks tbody tr")
    assert len(rows) == 5 + len(sample_hostile_records())
    verdicts = {
        row.get_attribute("data-verdict"): row.find_element(By.CSS_SELECTOR, ".badge").text
        for row in rows
    }
    assert verdicts["faithful"].startswith("忠实") and verdicts["edited"].startswith("有改动")
    assert verdicts["none"].startswith("无对照")
    assert driver.find_element(By.ID, "filters").is_displayed()  # the script ran under the CSP


def test_clicking_a_header_sorts_the_rows(driver, report):
    driver.get(report.as_uri())
    header = driver.find_elements(By.CSS_SELECTOR, "#checks thead th")[6]  # 覆盖率

    def coverages():
        return [
            row.find_elements(By.TAG_NAME, "td")[6].get_attribute("data-sort")
            for row in driver.find_elements(By.CSS_SELECTOR, "#checks tbody tr")
        ]

    header.click()
    ascending = coverages()
    numbers = [float(value) for value in ascending if value]
    assert numbers == sorted(numbers) and len(numbers) >= 3
    assert ascending[-1] == ""  # pairs without an original last
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    descending = [float(value) for value in coverages() if value]
    assert descending == sorted(numbers, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"


def test_typing_and_selecting_filters_hide_rows(driver, report):
    driver.get(report.as_uri())
    total = len(visible_rows(driver))
    driver.find_element(By.ID, "filter-text").send_keys("show-99001")
    assert [row.get_attribute("data-verdict") for row in visible_rows(driver)] == ["edited"]
    assert driver.find_element(By.ID, "filter-count").text == f"显示 1 / {total}"
    driver.find_element(By.ID, "filter-text").clear()
    driver.find_element(By.ID, "filter-text").send_keys(" ")  # fires input after clear()
    assert len(visible_rows(driver)) == total
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value("none")
    assert {row.get_attribute("data-verdict") for row in visible_rows(driver)} == {"none"}
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value("")
    Select(driver.find_element(By.ID, "filter-flag")).select_by_value("changed_numbers")
    shown = visible_rows(driver)
    assert shown and all(
        "changed_numbers" in row.get_attribute("data-flags").split() for row in shown
    )
    assert len(shown) < total


def test_changed_pair_in_browser_is_side_by_side_with_highlights(driver, report, tmp_path):
    driver.get(pair_path(report, EDITED).as_uri())
    rows = driver.find_elements(By.CSS_SELECTOR, "table.sbs tbody tr")
    assert len(rows) == 14
    for row in rows:
        original, reprint = (
            row.find_element(By.CSS_SELECTOR, f"td.{side}") for side in ("original", "reprint")
        )
        assert abs(original.rect["width"] - reprint.rect["width"]) <= 1
        assert original.rect["y"] == reprint.rect["y"]
        assert original.rect["x"] < reprint.rect["x"]
    assert driver.find_elements(By.CSS_SELECTOR, "tr.row-changed td.original del")
    assert driver.find_elements(By.CSS_SELECTOR, "tr.row-changed td.reprint ins")
    number = driver.find_element(By.CSS_SELECTOR, "tr.row-changed ins .num")
    assert number.text == "172"
    assert number.value_of_css_property("font-weight") == "700"  # the stylesheet loaded
    driver.set_window_size(1400, 2400)
    driver.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 50_000
    driver.set_window_size(1400, 1000)


@pytest.mark.parametrize(
    "page", ["index", "hostile", "lone hostile", "sample hostile", "compare --format html"]
)
def test_hostile_pages_run_nothing_in_the_browser(driver, report, lone_page, page):
    paths = {
        "index": [report],
        "hostile": [pair_path(report, HOSTILE)],
        "lone hostile": [pair_path(report, HOSTILE_LONE)],
        "sample hostile": [pair_path(report, record["url"]) for record in sample_hostile_records()],
        "compare --format html": [lone_page],
    }[page]
    if not paths:
        pytest.skip("no hostile page in samples/w.mzuzx.org.cn")
    for path in paths:
        driver.get(path.as_uri())
        for element in driver.find_elements(By.XPATH, "//*[contains(text(), 'onmouseover')]"):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            ActionChains(driver).move_to_element(element).perform()  # would fire onmouseover
        assert driver.title != "pwned" and driver.execute_script("return document.title") != "pwned"
        with pytest.raises(NoAlertPresentException):
            _ = driver.switch_to.alert
        assert not driver.find_elements(By.CSS_SELECTOR, "img, b, [onmouseover], [onerror]")
        inline = driver.execute_script(
            "return Array.from(document.scripts).filter(s => !s.src).length"
        )
        assert inline == 0
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "<script>" in body or "<img src=x" in body  # shown as text


def test_index_renders_styled_and_visible(driver, report, tmp_path):
    """The stylesheet applied (CSP allowed it) and the table laid out with visible text."""
    driver.get(report.as_uri())
    body = driver.find_element(By.TAG_NAME, "body")
    assert body.value_of_css_property("max-width") == "1400px"  # from report.css
    assert (
        driver.execute_script("return getComputedStyle(document.documentElement).backgroundColor")
        == "rgb(246, 248, 250)"
    )
    table = driver.find_element(By.TAG_NAME, "table")
    assert table.size["height"] > 100 and table.size["width"] > 600
    assert "呼和浩特" in table.text
    driver.save_screenshot(str(tmp_path / "index.png"))  # for a person to look at
