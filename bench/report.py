"""Time and peak memory of `newsarchive report` at 5,000 and 50,000 pairs, beside `export`.

Target: the report's peak memory flat from 5,000 to 50,000 pairs (it streams its pages and
index), as `export`'s is; its time about linear. Beside them `newsarchive check`, in one process
(`--workers 1`, the baseline) and with its default worker per core, in pairs per second. It
is a benchmark, not a test: pytest never collects it.

The archive is built through the Archive API from the seed pair in samples/ (the 宗教法治网
reprint and its mw.nmg.gov.cn original): each pair is a copy under its own URLs with its
Chinese characters shifted by its number (shifted()), so no two pairs are alike, and its check
is what compare() says of it. Each command then runs as a fresh process
(`python -m newsarchive`), timed with
its own CPU and peak RSS (wait4), the export first as the baseline.

    python bench/report.py [--pairs 5000 50000]
"""

import argparse
import json
import multiprocessing
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
ORIGINAL = "mw.nmg.gov.cn/xw/msdt/202302/t20230227_2264117.html"  # what it reprints


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8"))


def shifted(text: str, number: int) -> str:
    """The text with each Chinese character moved `number` places along the CJK block: pairs
    as unlike each other as real articles are, so no comparison finds another's paragraphs in
    its caches, while a reprint and its original stay alike as the samples are."""
    return "".join(
        chr(0x4E00 + (ord(char) - 0x4E00 + number * 37) % 20000)
        if "\u4e00" <= char <= "\u9fff"
        else char
        for char in text
    )


def numbered(record: dict, url: str, number: int) -> dict:
    paragraphs = [shifted(paragraph, number) for paragraph in record["paragraphs"]]
    return record | {
        "url": url,
        "title": shifted(record["title"], number),
        "paragraphs": paragraphs,
    }


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
            # Built in a process of its own: a child's peak RSS, as wait4 reports it, starts
            # from its parent's at fork, so this one must stay small.
            builder = multiprocessing.get_context("spawn").Process(
                target=build, args=(archive, pairs)
            )
            builder.start()
            builder.join()
            if builder.exitcode != 0:
                sys.exit(f"building {pairs} pairs failed")
            print(f"{pairs} pairs built in {time.perf_counter() - started:.0f} s", flush=True)
            exported = run(["export", "--archive", str(archive), "-o", f"{archive}.json"])
            reported = run(["report", "--archive", str(archive), "-o", f"{archive}-report"])
            pages = len(list(Path(f"{archive}-report").glob("index*.html")))
            alone = run(["check", "--archive", str(archive), "--workers", "1"])
            beside = run(["check", "--archive", str(archive)])
            rows.append((pairs, "export", exported, None))
            rows.append((pairs, "report", reported, pages))
            rows.append((pairs, "check -1", alone, None))
            rows.append((pairs, "check", beside, None))
    print(f"{'pairs':>7}  {'command':9}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}  index pages")
    for pairs, command, figures, pages in rows:
        print(
            f"{pairs:>7}  {command:9}{figures['wall s']:>8.1f}{figures['cpu s']:>8.1f}"
            f"{figures['peak MB']:>9.0f}  {pages if pages is not None else ''}"
        )
    for pairs in options.pairs:
        times = {name: figures["wall s"] for size, name, figures, _ in rows if size == pairs}
        print(
            f"check of {pairs} pairs: {pairs / times['check -1']:.0f} pairs/s in one process, "
            f"{pairs / times['check']:.0f} with a worker per core "
            f"({times['check -1'] / times['check']:.2f}x)"
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
