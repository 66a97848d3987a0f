"""Time and peak memory of `newsarchive report` at 5,000 and 50,000 pairs, beside `export`.

Target: the report's peak memory flat from 5,000 to 50,000 pairs (it streams its pages and
index), as `export`'s already is; its time about linear. It is a benchmark, not a test: pytest
never collects it.

The archive is built through the Archive API from the seed pair in samples/ (the 宗教法治网
reprint and its mw.nmg.gov.cn original): each pair is a copy under its own URLs with one
paragraph carrying its number, so no two records are alike, and its check is what compare()
says of it. Each command then runs as a fresh process (`python -m newsarchive`), timed with
its own CPU and peak RSS (wait4), the export first as the baseline.

    python bench/report.py [--pairs 5000 50000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsarchive.archive import Archive
from newsarchive.checking import check_reprint

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REPRINT = "zjifz.org.cn/index.php%3Fc=show&id=10601"
ORIGINAL = "mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8"))


def numbered(record: dict, url: str, number: int) -> dict:
    paragraphs = list(record["paragraphs"])
    paragraphs[1] = f"{paragraphs[1]}（第 {number} 号）"
    return record | {"url": url, "paragraphs": paragraphs}


def build(directory: Path, pairs: int) -> None:
    reprint, original = sample(REPRINT), sample(ORIGINAL)
    with Archive(directory) as archive:
        for number in range(pairs):
            original_url = f"http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_{number}.html"
            stored_original = numbered(original, original_url, number)
            stored_reprint = numbered(reprint, f"http://zjifz.org.cn/show-{number}.html", number)
            stored_reprint["original_url"] = original_url
            archive.records.save(stored_original)
            archive.records.save(stored_reprint)
            check_reprint(archive, stored_reprint["url"], stored_original, stored_reprint)


def run(args: list[str]) -> dict:
    """One command as a fresh process: wall seconds, CPU seconds and peak RSS in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed: {process.stderr.read().decode()}")
    return {
        "wall s": wall,
        "cpu s": usage.ru_utime + usage.ru_stime,
        "peak MB": usage.ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[5000, 50000])
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-report-") as work:
        for pairs in options.pairs:
            archive = Path(work) / f"archive-{pairs}"
            started = time.perf_counter()
            build(archive, pairs)
            print(f"{pairs} pairs built in {time.perf_counter() - started:.0f} s", flush=True)
            exported = run(["export", "--archive", str(archive), "-o", f"{archive}.json"])
            reported = run(["report", "--archive", str(archive), "-o", f"{archive}-report"])
            pages = len(list(Path(f"{archive}-report").glob("index*.html")))
            rows.append((pairs, "export", exported, None))
            rows.append((pairs, "report", reported, pages))
    print(f"{'pairs':>7}  {'command':8}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}  index pages")
    for pairs, command, figures, pages in rows:
        print(
            f"{pairs:>7}  {command:8}{figures['wall s']:>8.1f}{figures['cpu s']:>8.1f}"
            f"{figures['peak MB']:>9.0f}  {pages if pages is not None else ''}"
        )
    first, last = options.pairs[0], options.pairs[-1]
    for command in ("export", "report"):
        peaks = {pairs: figures["peak MB"] for pairs, name, figures, _ in rows if name == command}
        print(
            f"{command} peak memory {first} -> {last} pairs: {peaks[first]:.0f} -> "
            f"{peaks[last]:.0f} MB ({peaks[last] / peaks[first]:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
