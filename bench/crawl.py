"""Crawl throughput of newsarchive next to a bare Scrapy spider that follows the same links.

newsarchive parses, validates, dedupes and stores every page it fetches; this measures what
that costs, so a slow parser or pipeline shows up as a ratio below 0.8 (the target) rather
than as a slow nightly crawl. A benchmark, not a test: pytest never collects it.

It writes a site of about --pages pages into a temporary directory, made from the sample
pages (zjifz.org.cn list and show pages, mw.nmg.gov.cn TRS originals) with new ids, titles,
dates and paragraphs, every body unique. Each round starts the replay server in a process of
its own (ReplayProcess), then runs, one after the other, each as a fresh process (runner.py)
through that proxy with the same concurrency: the baseline spider (in runner.py); the real
`newsarchive crawl` with the reprint checks off (parse, validate, dedupe, store: the 0.8
target); and the same with the checks on, which compares every pair too (a cost of its own,
shown beside). The server never shares a crawler's interpreter, so a crawler that keeps its
core busy (cpu ≈ crawl s) is timed on its own work. It prints medians over the rounds
(pages, crawl and CPU seconds, pages/s, the ratio to the baseline of the same round, each
crawler's own peak memory, the server's and other jobs' CPU meanwhile), and exits 1 unless
every newsarchive round archived one record per reprint and per original (and checked every
reprint) and all fetched the same pages.

    python bench/crawl.py [--pages 5000] [--rounds 3]
"""

import argparse
import hashlib
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

from newsarchive.archive import DATABASE_NAME
from newsarchive.compare.fold import content_hash
from newsarchive.replay import sample_path
from newsarchive.replay.process import ReplayProcess

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
# What `newsarchive crawl --replay` sets; both crawlers get them.
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
# newsarchive's own settings that bear on speed, for the baseline too (Scrapy's CONCURRENT_ITEMS
# is 100), so the ratio measures newsarchive's work, not a setting.
BASELINE_SETTINGS = {"CONCURRENT_ITEMS": 4, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING"}
RUNNER = Path(__file__).with_name("runner.py")


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


# One of these, with the article's number, goes into every body: drawn from the sample
# sentences alone (a few dozen), bodies repeat now and then, and the archive stores the second
# copy as an alias of the first, one record short.
NUMBERED = (
    "截至目前，已累计受理群众来信来访{}件次。",
    "活动期间，共走访慰问各族群众{}人次。",
    "全年累计投入专项资金{}万元，惠及农牧民群众。",
    "目前，相关工作台账已登记在册{}条，实行销号管理。",
    "全市共发放宣传资料{}份，营造了浓厚氛围。",
)


def compose(number: int, titles: list[str], sentences: list[str]) -> dict:
    """One article as its original publishes it; seeded by its number, so runs are alike.

    Its body is unique: one of its sentences carries its number.
    """
    rng = random.Random(number)
    picked = rng.sample(sentences, rng.randint(4, 9))
    picked.insert(rng.randint(1, len(picked)), rng.choice(NUMBERED).format(number))
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
    if len({content_hash(a["paragraphs"]) for a in articles}) < count:  # the archive's test
        raise RuntimeError("two generated bodies are alike: one would be stored as an alias")
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


def git(*args: str) -> str:
    """Output of a read-only git command in the checkout (no optional locks: nothing written)."""
    command = ["git", "--no-optional-locks", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True).stdout


def code_version() -> tuple[str, str]:
    """The commit measured and what the working tree changes outside bench/, as a line and as
    a fingerprint: other people edit this checkout too, and a crawler runs the tree it finds."""
    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        outside = ["--", ".", ":(exclude)bench"]
        changed = git("status", "--porcelain", *outside).splitlines()
        tree = hashlib.sha256(git("diff", "HEAD", *outside).encode())
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout", ""
    for entry in changed:  # new files are in no diff: their bytes, then
        if entry.startswith("?? ") and (REPO / entry[3:]).is_file():
            tree.update((REPO / entry[3:]).read_bytes())
    line = commit + (f", {len(changed)} files changed or new outside bench/" if changed else "")
    return line, f"{commit} {tree.hexdigest()}"


def server_cpu(replay: ReplayProcess) -> float:
    """CPU seconds the replay server's process has used so far (all its threads)."""
    stat = Path(f"/proc/{replay.process.pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def machine_busy() -> float:
    """CPU seconds all cores of the machine have been busy since boot (/proc/stat)."""
    ticks = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_crawler(replay: ReplayProcess, logs: Path, args: list[str], env=None) -> dict:
    """Run one crawler in a fresh process (runner.py) and return its own figures.

    Beside them, its wall time from outside (interpreter start-up included), the CPU the
    replay server spent meanwhile, and the CPU anything else on the machine spent meanwhile
    (other jobs: more than a fraction of a second, and the crawl had to share the cores).
    """
    report = Path(f"{logs}.json")
    with open(f"{logs}.out", "wb") as out, open(f"{logs}.err", "wb") as err:
        busy, server, started = machine_busy(), server_cpu(replay), time.monotonic()
        command = [sys.executable, str(RUNNER), str(report), *args]
        code = subprocess.run(command, cwd=REPO, stdout=out, stderr=err, env=env).returncode
        wall, server = time.monotonic() - started, server_cpu(replay) - server
        busy = machine_busy() - busy
    if code:  # the temporary directory goes on exit: show the end of the log now
        tail = Path(f"{logs}.err").read_text(errors="replace")[-3000:]
        sys.exit(f"{tail}\n{logs.name} exited {code}")
    figures = json.loads(report.read_text())
    return {
        "pages": figures["stats"]["response_received_count"],
        "crawl": figures["stats"]["elapsed_time_seconds"],
        "cpu": figures["cpu"],
        "peak": figures["peak_mb"],
        "server": server,
        "workers": figures["workers_cpu"],
        "workers_peak": figures["workers_peak_mb"],
        "others": max(0.0, busy - figures["process_cpu"] - figures["workers_cpu"] - server),
        "wall": wall,
    }


def baseline(replay: ReplayProcess, work: Path, round_: int) -> dict:
    settings = {**CRAWL_SETTINGS, **BASELINE_SETTINGS}
    return run_crawler(
        replay,
        work / f"baseline-{round_}",
        ["baseline", START_URL, json.dumps(settings)],
        env=os.environ | {"http_proxy": replay.proxy_url},
    )


def newsarchive(replay: ReplayProcess, work: Path, round_: int, checks: bool = False) -> dict:
    """The real `newsarchive crawl`: parse, validate, dedupe, store; `checks`: check too."""
    name = "checks" if checks else "newsarchive"
    archive = work / f"archive-{name}-{round_}"
    settings = {**CRAWL_SETTINGS, "NEWSARCHIVE_REPLAY_PROXY": replay.proxy_url}
    if not checks:
        settings["NEWSARCHIVE_CHECK_ENABLED"] = False  # on by default
    args = ["crawl", "-q", "--archive", str(archive), "--start", START_URL, "--family", "xunrui"]
    for setting, value in settings.items():
        args += ["-s", f"{setting}={value}"]
    figures = run_crawler(replay, work / f"{name}-{round_}", ["newsarchive", *args])
    with sqlite3.connect(archive / DATABASE_NAME) as db:
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall())
        checked = db.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    return {
        **figures,
        "reprints": kinds.get("reprint", 0),
        "originals": kinds.get("original", 0),
        "checks": checked,
    }


def with_checks(replay: ReplayProcess, work: Path, round_: int) -> dict:
    return newsarchive(replay, work, round_, checks=True)


CRAWLERS = {"baseline": baseline, "newsarchive": newsarchive, "+ checks": with_checks}


def add_ratios(results: dict[str, dict]) -> None:
    """Each crawler's pages/s over the baseline's in the same round, on crawl and wall time."""
    base = results["baseline"]
    for r in results.values():
        r["ratio"] = (r["pages"] / r["crawl"]) / (base["pages"] / base["crawl"])
        r["wall_ratio"] = (r["pages"] / r["wall"]) / (base["pages"] / base["wall"])


def median(rounds: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def report(results: dict[str, dict], articles: int, rounds: dict[str, list[dict]]) -> None:
    """The medians' table, then the ratios against their targets with each round's own: the
    machine's speed drifts from one crawl to the next, and the spread shows by how much."""
    row = "{:<12} {:>6} {:>8} {:>6} {:>10} {:>8} {:>6} {:>8} {:>10} {:>10} {:>9} {:>9} {:>7}".format
    print(
        row(
            "crawler",
            "pages",
            "crawl s",
            "cpu s",
            "cpu/crawl",
            "pages/s",
            "ratio",
            "peak MB",
            "workers s",
            "workers MB",
            "server s",
            "others s",
            "wall s",
        )
    )
    for name, r in results.items():
        print(
            row(
                name,
                f"{r['pages']:.0f}",
                f"{r['crawl']:.1f}",
                f"{r['cpu']:.1f}",
                f"{r['cpu'] / r['crawl']:.2f}",
                f"{r['pages'] / r['crawl']:.1f}",
                f"{r['ratio']:.2f}",
                f"{r['peak']:.0f}",
                f"{r['workers']:.1f}",
                f"{r['workers_peak']:.0f}",
                f"{r['server']:.1f}",
                f"{r['others']:.1f}",
                f"{r['wall']:.1f}",
            )
        )
    # The targets of the issue that set them: 0.9 without the checks, 0.8 with them.
    for name, target in (("newsarchive", " (target >= 0.9)"), ("+ checks", " (target >= 0.8)")):
        r = results[name]
        each = " ".join(f"{crawl['ratio']:.2f}" for crawl in rounds[name])
        print(
            f"ratio {name}/baseline pages/s: {r['ratio']:.2f}{target}, rounds {each}; "
            f"{r['wall_ratio']:.2f} on wall time, interpreter start-up included"
        )
    for name, r in results.items():
        if round(r["cpu"] / r["crawl"], 2) < 0.9:
            print(
                f"note: {name} used the CPU for only {r['cpu'] / r['crawl']:.0%} of its crawl: "
                "it waited, on the replay server or for a core, so that is not all its own time"
            )
        if r["others"] > 0.1 * r["wall"]:
            print(
                f"note: other jobs used {r['others']:.1f} CPU s of the machine while {name} ran "
                f"({r['wall']:.1f} s): it shared the cores, its figures are noisier"
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
    args = parser.parse_args()
    version, before = code_version()
    print(f"code: {version}", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        work = Path(tmp)
        articles = write_site(work / "site", args.pages)
        print(
            f"site: {articles} reprints, {articles} originals, "
            f"{math.ceil(articles / PER_LIST_PAGE)} list pages, robots.txt",
            flush=True,
        )
        rounds: dict[str, list[dict]] = {name: [] for name in CRAWLERS}
        for round_ in range(args.rounds):
            # Rotate which goes first, so none always gets the warmer caches.
            names = list(CRAWLERS)[round_ % 3 :] + list(CRAWLERS)[: round_ % 3]
            with ReplayProcess(work / "site") as replay:  # one server for the round's crawlers
                results = {name: CRAWLERS[name](replay, work, round_) for name in names}
            add_ratios(results)
            for name in CRAWLERS:
                rounds[name].append(results[name])
    report({name: median(results) for name, results in rounds.items()}, articles, rounds)
    if code_version()[1] != before:
        print("note: the code changed during the run: the crawlers did not all run the same code")
    found = problems(rounds, articles)
    for problem in sorted(found):
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
