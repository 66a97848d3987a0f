"""Speed of compare(): median milliseconds per reprint/original pair, and pairs per second.

Target: at most 2 ms per pair of about 5,000 characters, so checking a whole archive again
(`newsarchive check`) after a comparator improvement stays a matter of seconds. It is a
benchmark, not a test: pytest never collects it.

Pairs are built from the sample originals' paragraphs: an original of about --chars characters,
and a reprint of it with the edits reprint sites make (ASCII punctuation, a split and a merged
paragraph, a changed number, a cut and an added paragraph, two swapped paragraphs). Beside it,
as a baseline run on the same pairs, difflib's character-level SequenceMatcher.ratio(), the
usual first tool for "how different are these two texts", which gives one number and no
alignment.

    python bench/compare.py [--pairs 1000] [--chars 5000]
"""

import argparse
import json
import random
import statistics
import time
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from newsarchive.compare import compare
from newsarchive.compare.fold import bare, fold

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample_paragraphs() -> list[str]:
    """Every paragraph of the sample originals, as the parser gave them."""
    paragraphs = []
    for expected in sorted(SAMPLES.rglob("*.expected.json")):
        record = json.loads(expected.read_text("utf-8"))
        if record["kind"] == "original":
            paragraphs += record["paragraphs"]
    return paragraphs


def make_pair(pool: list[str], chars: int, rng: random.Random) -> tuple[dict, dict]:
    original, size = [], 0
    while size < chars:
        paragraph = rng.choice(pool)
        original.append(paragraph)
        size += len(paragraph)
    reprint = [unicodedata.normalize("NFKC", paragraph) for paragraph in original]
    reprint[0] = reprint[0].replace("。", "。\n", 1)  # a split paragraph, once joined below
    reprint[1:3] = [reprint[1] + reprint[2]]  # a merged one
    reprint[3] = reprint[3].replace("2", "7", 1)  # a changed number, when it has a 2
    del reprint[len(reprint) // 2]  # a cut paragraph
    reprint.insert(len(reprint) // 3, "编者按:本文转载时有删节,观点仅代表作者本人。")
    reprint[-1], reprint[-2] = reprint[-2], reprint[-1]  # two swapped paragraphs
    reprint = [line for paragraph in reprint for line in paragraph.split("\n")]
    return (
        {"url": "http://reprint.example/1.html", "paragraphs": reprint, "source": ""},
        {"url": "http://original.example/1.html", "paragraphs": original},
    )


def timed(function, pairs) -> list[float]:
    """Milliseconds per pair, each from cold caches: the sample pool repeats paragraphs across
    pairs, which a crawl's pairs would not."""
    times = []
    for reprint, original in pairs:
        fold.cache_clear()
        bare.cache_clear()
        started = time.perf_counter()
        function(reprint, original)
        times.append((time.perf_counter() - started) * 1000)
    return times


def difflib_ratio(reprint: dict, original: dict) -> float:
    return SequenceMatcher(
        None, "\n".join(original["paragraphs"]), "\n".join(reprint["paragraphs"])
    ).ratio()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(20230216)
    pool = sample_paragraphs()
    pairs = [make_pair(pool, args.chars, rng) for _ in range(args.pairs)]
    mean_chars = statistics.mean(sum(map(len, o["paragraphs"])) for _, o in pairs)
    compare(*pairs[0])  # warm up: OpenCC dictionaries, regexes

    ours, baseline = timed(compare, pairs), timed(difflib_ratio, pairs)
    verdicts = {compare(*pair).verdict for pair in pairs[:20]}
    print(f"{args.pairs} pairs, originals of {mean_chars:.0f} characters on average")
    print(f"{'':<28}{'median ms':>10}{'p95 ms':>10}{'pairs/s':>10}")
    for name, times in (("newsarchive compare()", ours), ("difflib ratio() baseline", baseline)):
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{name:<28}{statistics.median(times):>10.2f}{p95:>10.2f}"
            f"{len(times) / (sum(times) / 1000):>10.0f}"
        )
    print(
        f"ratio compare/baseline (median time): "
        f"{statistics.median(ours) / statistics.median(baseline):.2f}"
    )
    target = "met" if statistics.median(ours) <= 2 else "MISSED"
    print(f"target <= 2 ms per pair: {target}; verdicts seen: {sorted(verdicts)}")


if __name__ == "__main__":
    main()
