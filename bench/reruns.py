"""Two scheduled runs back to back over a large site: what the second costs when nothing changed.

The same generated site as bench/crawl.py (about --pages pages: reprints, their originals, list
pages), served by the replay server in a process of its own. First the bare Scrapy spider
(runner.py) once, for the pages/s every crawl is compared with; then `newsarchive crawl` twice
into one archive, as cron would run it. For each newsarchive run: pages fetched, crawl and CPU
seconds, pages/s, the ratio to the bare spider, its own peak memory; and for the second run, its
requests and CPU seconds as a share of the first's. Targets: at most 5% of the requests and
10% of the CPU (list pages are always fetched; known article pages are not, and the pager stops
at the first list page whose articles are all known). Exits 1 when a run did not archive what
it should or the second run stored anything.

A benchmark, not a test: pytest never collects it.

    python bench/reruns.py [--pages 50000]
"""

import argparse
import json
import math
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# bench/ is not a package: crawl.py is imported as its sibling, by path.
from crawl import (
    CRAWL_SETTINGS,
    PER_LIST_PAGE,
    START_URL,
    baseline,
    code_version,
    run_crawler,
    write_site,
)

from newsarchive.archive import DATABASE_NAME
from newsarchive.replay.process import ReplayProcess


def newsarchive_run(replay: ReplayProcess, work: Path, archive: Path, number: int) -> dict:
    settings = {**CRAWL_SETTINGS, "NEWSARCHIVE_REPLAY_PROXY": replay.proxy_url}
    summary = work / f"summary-{number}.json"
    args = ["crawl", "-q", "--archive", str(archive), "--start", START_URL, "--family", "xunrui"]
    args += ["--summary-json", str(summary)]
    for setting, value in settings.items():
        args += ["-s", f"{setting}={value}"]
    figures = run_crawler(replay, work / f"run-{number}", ["newsarchive", *args])
    counts = json.loads(summary.read_text("utf-8"))["counts"]
    with sqlite3.connect(archive / DATABASE_NAME) as db:
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall())
    return figures | {"counts": counts, "kinds": kinds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50000, help="pages in the generated site")
    args = parser.parse_args()
    print(f"code: {code_version()[0]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        work = Path(tmp)
        articles = write_site(work / "site", args.pages)
        print(
            f"site: {articles} reprints, {articles} originals, "
            f"{math.ceil(articles / PER_LIST_PAGE)} list pages",
            flush=True,
        )
        archive = work / "archive"
        with ReplayProcess(work / "site") as replay:
            base = baseline(replay, work, 0)
            first = newsarchive_run(replay, work, archive, 1)
            second = newsarchive_run(replay, work, archive, 2)
    base_rate = base["pages"] / base["crawl"]
    row = "{:<14} {:>7} {:>8} {:>8} {:>8} {:>7} {:>8}".format
    print(row("crawler", "pages", "crawl s", "cpu s", "pages/s", "ratio", "peak MB"))
    crawls = (("bare spider", base), ("newsarchive 1", first), ("newsarchive 2", second))
    for name, figures in crawls:
        rate = figures["pages"] / figures["crawl"]
        print(
            row(
                name,
                figures["pages"],
                f"{figures['crawl']:.1f}",
                f"{figures['cpu']:.1f}",
                f"{rate:.0f}",
                f"{rate / base_rate:.2f}",
                f"{figures['peak']:.0f}",
            )
        )
    requests = second["pages"] / first["pages"]
    cpu = second["cpu"] / first["cpu"]
    print(
        f"second run: {requests:.1%} of the first's requests (target <= 5%), "
        f"{cpu:.1%} of its CPU (target <= 10%); skipped {second['counts']['skipped']} known "
        f"article pages"
    )
    problems = []
    if first["kinds"].get("reprint") != articles or first["kinds"].get("original") != articles:
        problems.append(f"the first run archived {first['kinds']}, not {articles} of each")
    if second["counts"]["new"] or second["counts"]["changed"]:
        problems.append(f"the second run stored {second['counts']}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
