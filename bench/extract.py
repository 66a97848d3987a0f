"""Generic extraction against trafilatura and a bare lxml floor: pages per second, ratios,
and, on the evaluation sets, how often each gets a field right.

Targets: at least 5x trafilatura's speed, and at most 4x the time of the floor (lxml parsing
the page and taking its text, the least any extractor must do). It is a benchmark, not a
test: pytest never collects it. Every run is CPU time (time.process_time) of the same pages
in the same process, the three extractors taking turns round after round, so a busy machine
slows them alike; the figure is the median round.

    pip install -e '.[bench]'
    python bench/extract.py [--rounds 7]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import lxml.html
import trafilatura
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.evaluation import judge
from newsarchive.parsers import page_for
from newsarchive.parsers.charset import with_best_encoding
from newsarchive.parsers.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EVAL_SETS = [SAMPLES / "eval", SAMPLES / "eval-holdout"]
# Fields trafilatura reads too; the rest (source, editor, attachments …) it has no notion of.
SHARED_FIELDS = ("title", "time", "author", "body_first", "body_last", "no_boilerplate")


def pages() -> list[tuple[str, bytes, dict | None]]:
    """(url, body, expected record or None) for every saved article page."""
    found = []
    for directory in EVAL_SETS:
        for page in sorted(directory.glob("*.html")):
            expected = json.loads(page.with_suffix(".json").read_text("utf-8"))
            found.append((expected["url"], page.read_bytes(), expected))
    for expected_path in sorted(SAMPLES.rglob("*.expected.json")):
        record = json.loads(expected_path.read_text("utf-8"))
        page = expected_path.with_name(expected_path.name.removesuffix(".expected.json"))
        found.append((record["url"], page.read_bytes(), None))
    return found


def newsarchive_record(url: str, body: bytes) -> ItemAdapter:
    """The record as the crawl makes it: the charset chosen, the page read, the text folded
    and hashed (a mapping; copying it into a dict is not extraction)."""
    response = with_best_encoding(HtmlResponse(url=url, body=body))
    adapter = ItemAdapter(page_for(response).to_item())
    normalize(adapter, fetched_at=None)
    return adapter


def trafilatura_record(url: str, body: bytes) -> dict:
    document = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    text = (document.text or "") if document else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {
        "title": document.title if document else None,
        "published_at": document.date if document else None,
        "author": document.author if document else None,
        "paragraphs": lines,
        "body": "\n".join(lines),
    }


def floor(url: str, body: bytes) -> str:
    return lxml.html.fromstring(body).text_content()


EXTRACTORS = {"newsarchive": newsarchive_record, "trafilatura": trafilatura_record, "lxml": floor}


def timings(corpus, rounds: int) -> dict[str, float]:
    """Median CPU seconds of one pass over the corpus, per extractor."""
    runs: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    names = list(EXTRACTORS)
    for round_number in range(rounds):
        for name in names[round_number % 3 :] + names[: round_number % 3]:  # take turns
            extract = EXTRACTORS[name]
            start = time.process_time()
            for url, body, _ in corpus:
                extract(url, body)
            runs[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in runs.items()}


def accuracy(corpus) -> dict[str, dict[str, float]]:
    cases = [(url, body, expected) for url, body, expected in corpus if expected]
    shares = {}
    for name in ("newsarchive", "trafilatura"):
        results = [judge(expected, EXTRACTORS[name](url, body)) for url, body, expected in cases]
        shares[name] = {
            field: sum(result[field] for result in results) / len(results)
            for field in SHARED_FIELDS
        }
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    corpus = pages()
    labelled = sum(1 for *_, expected in corpus if expected)
    print(f"{len(corpus)} pages ({labelled} labelled), {args.rounds} rounds, CPU time")
    seconds = timings(corpus, args.rounds)
    for name, spent in seconds.items():
        print(f"  {name:<12} {len(corpus) / spent:8.0f} pages/s   {spent * 1000:8.1f} ms a pass")
    print(
        f"  newsarchive is {seconds['trafilatura'] / seconds['newsarchive']:.1f}x "
        f"trafilatura's speed (target >= 5x)"
    )
    print(
        f"  newsarchive takes {seconds['newsarchive'] / seconds['lxml']:.1f}x the lxml floor's "
        f"time (target <= 4x)"
    )
    shares = accuracy(corpus)
    print(f"fields right on the {labelled} labelled pages:")
    print(f"  {'field':<16}{'newsarchive':>12}{'trafilatura':>12}")
    for field in SHARED_FIELDS:
        ours, theirs = shares["newsarchive"][field], shares["trafilatura"][field]
        print(f"  {field:<16}{ours:>12.1%}{theirs:>12.1%}")


if __name__ == "__main__":
    main()
