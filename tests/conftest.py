"""Shared fixtures and helpers: sample pages as responses and records, and one replay server
for the whole test run."""

import sys
from collections import Counter
from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.compare import compare
from newsarchive.items import Article
from newsarchive.parsers import page_for
from newsarchive.parsers.normalize import normalize
from newsarchive.replay import ReplayServer, sample_path, sample_url, stored_headers

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FETCHED_AT = "2024-05-01T08:00:00Z"
MAX_REDIRECTS = 5


def sample_response(url: str, page: Path | None = None) -> HtmlResponse:
    """The sample page for `url` as the replay server serves it: its bytes and stored headers
    (no `encoding=`: charset detection is under test too)."""
    page = page or sample_path(SAMPLES, url)
    return HtmlResponse(url=url, body=page.read_bytes(), headers=stored_headers(page)[1])


def parsed_record(url: str, page: Path | None = None) -> dict:
    """What the page's parser makes of it, before the pipelines complete it."""
    return ItemAdapter(page_for(sample_response(url, page)).to_item()).asdict()


def sample_item(url: str, /, **changes) -> Article:
    """What the parser and NormalizePipeline make of the sample page for `url`.

    `changes` replace fields (`url` included) before normalising, so body and hash follow them.
    """
    item = page_for(sample_response(url)).to_item()
    adapter = ItemAdapter(item)
    for field, value in changes.items():
        adapter[field] = value
    normalize(adapter, fetched_at=FETCHED_AT)
    return item


def sample_record(url: str, /, **changes) -> dict:
    """sample_item() as the dict the archive stores."""
    return ItemAdapter(sample_item(url, **changes)).asdict()


def served_original(url: str | None) -> tuple[dict | None, str | None]:
    """The original record a crawl of the samples gets for a 原文链接, redirects followed, or
    why it gets none (the reason code the crawl records)."""
    if url is None:
        return None, None
    for _ in range(MAX_REDIRECTS):
        page = sample_path(SAMPLES, url)
        if page is None:
            return None, "unsupported_scheme"
        if not page.is_file():
            return None, "http_404"
        status, headers = stored_headers(page)
        if status not in (301, 302, 303, 307, 308):
            return parsed_record(url, page), None
        url = headers["Location"]
    return None, "redirect_loop"


def sample_check(page: Path) -> dict:
    """The check of a sample reprint page against the original a crawl would get for it."""
    reprint = parsed_record(sample_url(page), page)
    original, failure = served_original(reprint["original_url"])
    return ItemAdapter(compare(reprint, original, original_failure=failure)).asdict()


def check_summary(check: dict) -> dict:
    """The parts of a check its snapshot keeps (samples/README.md, "Storage format")."""
    return {
        "original_url": check["original_url"],
        "verdict": check["verdict"],
        "flags": check["flags"],
        "changed_numbers": [
            {"original": change["original"], "reprint": change["reprint"]}
            for change in check["changed_numbers"]
        ],
        "paragraph_statuses": dict(
            sorted(Counter(entry["status"] for entry in check["paragraphs"]).items())
        ),
        "coverage": check["coverage"],
        "purity": check["purity"],
        "title_equal": check["title"].get("equal"),
        "names_publisher": check["attribution"].get("names_publisher"),
        "lag_seconds": check["lag_seconds"],
        "lag_precision": check["lag_precision"],
        "original_status": check["original_status"],
    }


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def replay_server():
    """The samples served on 127.0.0.1 as an HTTP proxy, shared across the test run."""
    with ReplayServer(SAMPLES) as server:
        yield server


sys.path.insert(0, str(Path(__file__).parent))  # `import cases` from any test module
