"""Crawl throughput of newsarchive next to a bare Scrapy spider that follows the same links.

newsarchive parses, validates, dedupes and stores every page it fetches; this measures what
that costs, so a slow parser or pipeline shows up as a ratio below 0.8 (the target) rather
than as a slow nightly crawl. A benchmark, not a test: pytest never collects it.

It writes a site of about --pages pages into a temporary directory, made from the sample
pages (zjifz.org.cn list and show pages, mw.nmg.gov.cn TRS originals) with new ids, titles,
dates and paragraphs, and serves it with one ReplayServer. Each round runs, one after the
other, each in its own process, through that proxy with the same concurrency: the baseline
spider below; the real `newsarchive crawl` with the reprint checks off (parse, validate,
dedupe, store: the 0.8 target); and the same with the checks on, which compares every pair
too (a cost of its own, shown beside). It prints medians over the rounds (pages, seconds,
CPU, pages/s, peak RSS) and the ratios, and exits 1 unless every newsarchive round archived
one record per reprint and per original (and checked every reprint) and all fetched the same
pages.

    python bench/crawl.py [--pages 5000] [--rounds 3]
"""

import argparse
import json
import math
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from newsarchive.archive import DATABASE_NAME
from newsarchive.replay import ReplayServer, sample_path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SITE, GOV = "zjifz.org.cn", "mw.nmg.gov.cn"
START_URL = f"http://{SITE}/list-zjsp.html"
LIST_TEMPLATE = f"{SITE}/list-zjsp.html"
REPRINT_TEMPLATE = f"{SITE}/show-10601.html"  # reprint of the original below
ORIGINAL_TEMPLATE = f"{GOV}/xw/msdt/202302/t20230227_2264117.html"
PER_LIST_PAGE = 20
FIRST_ID = 50001  # above every sample id, so a generated page is never taken for a sample
# Reprints fold the originals' full-width punctuation to ASCII, as the sample reprints do.
FOLD = str.maketrans("，：；（）！？", ",:;()!?")
# What `newsarchive crawl --replay` sets, and newsarchive's CONCURRENT_ITEMS (Scrapy's default
# is 100): the baseline runs with the same, so the ratio measures our work, not a setting.
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "CONCURRENT_ITEMS": 4,
}


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def corpus() -> tuple[list[str], list[str]]:
    """Titles and body sentences of the sample originals, to compose new articles from."""
    titles, sentences = [], []
    for page in sorted((SAMPLES / GOV).rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        titles += re.findall(r'<meta name="ArticleTitle" content="([^"]+)"', html)
        for paragraph in re.findall(r"<p>　　(.+?)</p>", html):
            sentences += re.findall(r"[^。]+。", re.sub(r"<[^>]+>", "", paragraph))
    return titles, sentences


def compose(number: int, titles: list[str], sentences: list[str]) -> dict:
    """One article as its original publishes it; seeded by its number, so runs are alike."""
    rng = random.Random(number)
    picked = rng.sample(sentences, rng.randint(4, 9))
    published = datetime(2023, 1, 1, 8) + timedelta(minutes=97 * (number - FIRST_ID))
    return {
        "number": number,
        "title": f"{rng.choice(titles)}（{number}）",
        "paragraphs": ["".join(picked[i : i + 2]) for i in range(0, len(picked), 2)],
        "published": published,
        "original_url": f"http://{GOV}/xw/msdt/{published:%Y%m}/"
        f"t{published:%Y%m%d}_{2_300_000 + number}.html",
    }


def fill(template: str, title: str, paragraphs: list[str], body_between: tuple[str, str]) -> str:
    """The template page with another title (<title> and heading), description and body."""
    old_title = re.search(r"<h[12][^>]*>(.+?)</h[12]>", template).group(1)
    html = template.replace(old_title, title)
    html = re.sub(
        r'(?i)(<meta name="description" content=")[^"]*',
        lambda match: match.group(1) + paragraphs[0][:80],
        html,
    )
    body = "".join(f"<p>　　{paragraph}</p>\n" for paragraph in paragraphs)
    start, end = map(re.escape, body_between)
    return re.sub(f"(?s)(?<={start}).*?(?={end})", lambda _: body, html, count=1)


def reprint_page(article: dict) -> str:
    """Like show-10601: reprinted a day later, 原文链接 a link to the original.

    Its 上一篇/下一篇 links stay the sample's: neither crawler follows them.
    """
    when = article["published"] + timedelta(days=1, seconds=article["number"] % 3600)
    template = (
        sample(REPRINT_TEMPLATE)
        .replace("10601", str(article["number"]))
        .replace(f"http://{ORIGINAL_TEMPLATE}", article["original_url"])
        .replace("2023-02-28 15:20:08", f"{when:%Y-%m-%d %H:%M:%S}")
    )
    return fill(
        template,
        article["title"].translate(FOLD),
        [paragraph.translate(FOLD) for paragraph in article["paragraphs"]],
        ('<div class="content">\n', "<p>　　</p>"),
    )


def original_page(article: dict) -> str:
    template = sample(ORIGINAL_TEMPLATE).replace(
        "2023-02-27 11:05", f"{article['published']:%Y-%m-%d %H:%M}"
    )
    return fill(template, article["title"], article["paragraphs"], ("</style>\n", "</div></div>"))


def list_url(page: int) -> str:
    return "/list-zjsp.html" if page == 1 else f"/list-zjsp-{page}.html"


def list_page(page: int, pages: int, articles: list[dict], total: int) -> str:
    """List page `page` of `pages`: its articles, then a pager like the samples'."""

    def link(target: int, text: str) -> str:
        return f'<a href="{list_url(target)}">{text}</a>'

    items = "".join(
        f'<li><a href="/show-{a["number"]}.html" title="{title}">{title}</a>'
        f'<span class="date">{a["published"]:%Y-%m-%d}</span></li>\n'
        for a in articles
        for title in [a["title"].translate(FOLD)]
    )
    pager = [f"<span>共{total}条</span>"]
    if page > 1:
        pager += [link(1, "首页"), link(page - 1, "上一页")]
    pager.append(f'<span class="current">{page}</span>')
    if page < pages:
        pager += [link(page + 1, "下一页"), link(pages, "尾页")]
    html = re.sub(
        r'(?s)(?<=<ul class="list">\n).*?(?=</ul>)', lambda _: items, sample(LIST_TEMPLATE)
    )
    return re.sub(
        r'<div class="pages">.*?</div>',
        lambda _: f'<div class="pages">{" ".join(pager)}</div>',
        html,
    )


def write_site(root: Path, pages: int) -> int:
    """Write a site of at least `pages` pages under `root`; returns its number of articles."""
    count = math.ceil(pages * PER_LIST_PAGE / (2 * PER_LIST_PAGE + 1))  # 2 pages each + lists
    titles, sentences = corpus()
    articles = [compose(FIRST_ID + i, titles, sentences) for i in range(count)][::-1]
    list_pages = math.ceil(count / PER_LIST_PAGE)
    site = {f"http://{SITE}/robots.txt": sample(f"{SITE}/robots.txt")}
    for page in range(1, list_pages + 1):
        chunk = articles[(page - 1) * PER_LIST_PAGE : page * PER_LIST_PAGE]
        site[f"http://{SITE}{list_url(page)}"] = list_page(page, list_pages, chunk, count)
    for article in articles:
        site[f"http://{SITE}/show-{article['number']}.html"] = reprint_page(article)
        site[article["original_url"]] = original_page(article)
    for url, html in site.items():
        path = sample_path(root, url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return count


class BaselineSpider(scrapy.Spider):
    """The xunrui spider's links (list pages, pager, reprints, 原文链接) and nothing else.

    Its requests reach the replay server through `http_proxy` in its environment, which
    HttpProxyMiddleware applies to robots.txt requests too, as newsarchive's middleware does.
    """

    name = "baseline"

    async def start(self):
        yield scrapy.Request(START_URL)  # filtered like the xunrui spider's, unlike start_urls

    def parse(self, response):
        for href in response.xpath("//a/@href").re(r".*/show-\d+\.html$"):
            yield response.follow(href, self.parse_reprint)
        for href in response.css(".pages a::attr(href)").getall():
            yield response.follow(href, self.parse)

    def parse_reprint(self, response):
        yield {"url": response.url}
        original = response.xpath("//p[starts-with(., '原文链接')]/a/@href").get()
        if original:
            yield response.follow(original, self.parse_original)

    def parse_original(self, response):
        yield {"url": response.url}


def crawl_baseline() -> None:
    """The baseline child process: crawl, then print Scrapy's stats as JSON on stdout."""
    process = CrawlerProcess({**CRAWL_SETTINGS, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING"})
    crawler = process.create_crawler(BaselineSpider)
    process.crawl(crawler)
    process.start()
    print(json.dumps(crawler.stats.get_stats(), default=str))


def run_measured(command: list[str], logs: Path, env: dict | None = None) -> dict:
    """Run `command` in its own process: its wall and CPU seconds, and its own peak RSS (MB).

    CPU time well under wall time means the crawler waited, on the replay server most likely.
    """
    with open(f"{logs}.out", "wb") as out, open(f"{logs}.err", "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # Popen.wait() would drop the rusage
        seconds = time.monotonic() - started
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code:  # the temporary directory goes on exit: show the end of the log now
        tail = Path(f"{logs}.err").read_text(errors="replace")[-3000:]
        sys.exit(f"{tail}\n{logs.name} exited {code}")
    return {
        "wall": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
    }  # Linux reports KiB


def baseline(proxy: str, work: Path, round_: int) -> dict:
    logs = work / f"baseline-{round_}"
    measured = run_measured(
        [sys.executable, __file__, "--baseline-child"], logs, env=os.environ | {"http_proxy": proxy}
    )
    stats = json.loads(Path(f"{logs}.out").read_text())
    return {
        "pages": stats["response_received_count"],
        "crawl": stats["elapsed_time_seconds"],
        **measured,
    }


def newsarchive(proxy: str, work: Path, round_: int, checks: bool = False) -> dict:
    """The real crawl: parse, validate, dedupe, store; with `checks`, the reprint checks too."""
    name = "checks" if checks else "newsarchive"
    archive, logs = work / f"archive-{name}-{round_}", work / f"{name}-{round_}"
    settings = {
        **CRAWL_SETTINGS,
        "NEWSARCHIVE_REPLAY_PROXY": proxy,
        "NEWSARCHIVE_CHECK_ENABLED": checks,
    }
    measured = run_measured(
        [
            sys.executable,
            "-m",
            "newsarchive.cli",
            "crawl",
            "-q",
            "--archive",
            str(archive),
            "--start",
            START_URL,
            *(f"-s{name}={value}" for name, value in settings.items()),
        ],
        logs,
    )
    with sqlite3.connect(archive / DATABASE_NAME) as db:
        stats = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])  # the only run
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall())
        checks = db.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    return {
        "pages": stats["response_received_count"],
        "crawl": stats["elapsed_time_seconds"],
        **measured,
        "reprints": kinds.get("reprint", 0),
        "originals": kinds.get("original", 0),
        "checks": checks,
    }


def median(rounds: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def with_checks(proxy: str, work: Path, round_: int) -> dict:
    return newsarchive(proxy, work, round_, checks=True)


CRAWLERS = {"baseline": baseline, "newsarchive": newsarchive, "+ checks": with_checks}


def report(results: dict[str, dict], articles: int) -> None:
    row = "{:<12} {:>6} {:>8} {:>7} {:>6} {:>8} {:>8}".format
    print(row("crawler", "pages", "crawl s", "wall s", "cpu s", "pages/s", "peak MB"))
    for name, r in results.items():
        print(
            row(
                name,
                f"{r['pages']:.0f}",
                f"{r['crawl']:.1f}",
                f"{r['wall']:.1f}",
                f"{r['cpu']:.1f}",
                f"{r['pages'] / r['crawl']:.1f}",
                f"{r['rss']:.0f}",
            )
        )
    base = results["baseline"]
    for name, target in (("newsarchive", " (target >= 0.8)"), ("+ checks", "")):
        real = results[name]
        ratio = (real["pages"] / real["crawl"]) / (base["pages"] / base["crawl"])
        wall_ratio = (real["pages"] / real["wall"]) / (base["pages"] / base["wall"])
        print(
            f"ratio {name}/baseline pages/s: {ratio:.2f}{target}; {wall_ratio:.2f} on wall "
            "time, interpreter start-up included"
        )
    real = results["+ checks"]
    print(
        f"records stored: {real['reprints']:.0f} reprints + {real['originals']:.0f} originals "
        f"(expected {articles} + {articles}), {real['checks']:.0f} checks"
    )


def problems(rounds: dict[str, list[dict]], articles: int) -> set[str]:
    """Why the figures would mean nothing: a round in which newsarchive did less."""
    found = set()
    for base, real, checked in zip(*rounds.values(), strict=True):
        for crawl in (real, checked):
            if crawl["reprints"] != articles or crawl["originals"] != articles:
                found.add("newsarchive did not store one record per reprint and per original")
            if crawl["pages"] != base["pages"]:
                found.add("newsarchive and the baseline did not fetch the same number of pages")
        if checked["checks"] != articles:
            found.add("newsarchive did not check every reprint")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", type=int, default=5000, help="pages in the generated site (default: 5000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds; the table shows medians (default: 3)"
    )
    parser.add_argument("--baseline-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        crawl_baseline()
        return 0
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        work = Path(tmp)
        articles = write_site(work / "site", args.pages)
        print(
            f"site: {articles} reprints, {articles} originals, "
            f"{math.ceil(articles / PER_LIST_PAGE)} list pages, robots.txt",
            flush=True,
        )
        rounds: dict[str, list[dict]] = {name: [] for name in CRAWLERS}
        with ReplayServer(work / "site") as server:
            for round_ in range(args.rounds):
                # Rotate which goes first, so none always gets the warmer caches.
                names = list(CRAWLERS)[round_ % 3 :] + list(CRAWLERS)[: round_ % 3]
                for name in names:
                    rounds[name].append(CRAWLERS[name](server.proxy_url, work, round_))
    report({name: median(results) for name, results in rounds.items()}, articles)
    found = problems(rounds, articles)
    for problem in sorted(found):
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
