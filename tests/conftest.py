"""Shared fixtures: the samples directory and one replay server for the whole test run."""

from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.items import Article
from newsarchive.parsers import page_for
from newsarchive.records import normalize
from newsarchive.replay import ReplayServer, sample_path, stored_headers

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FETCHED_AT = "2024-05-01T08:00:00Z"


def sample_response(url: str) -> HtmlResponse:
    """The sample page for `url` as the replay server serves it: its bytes and stored headers."""
    page = sample_path(SAMPLES, url)
    return HtmlResponse(url=url, body=page.read_bytes(), headers=stored_headers(page)[1])


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


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def replay_server():
    """The samples served on 127.0.0.1 as an HTTP proxy, shared across the test run."""
    with ReplayServer(SAMPLES) as server:
        yield server
