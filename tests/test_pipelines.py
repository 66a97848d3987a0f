"""Tests of the item pipelines, built from a real crawler and called directly, with no crawl."""

import asyncio
import json
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import FETCHED_AT, SAMPLES, sample_item, sample_response
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newsarchive.archive import Archive, Stored, validation
from newsarchive.archive.database import commit_group
from newsarchive.archive.validation import validation_errors
from newsarchive.compare.fold import content_hash
from newsarchive.crawl import workers
from newsarchive.crawl.archive import crawl_archive
from newsarchive.crawl.drops import DuplicateItem, InvalidItem
from newsarchive.crawl.prepare import prepared, prepared_document
from newsarchive.crawl.quality import QualityMonitor
from newsarchive.crawl.signals import page_failed, page_redirected
from newsarchive.items import Article, record_of
from newsarchive.parsers import page_for
from newsarchive.pipelines.check import CheckPipeline
from newsarchive.pipelines.dedupe import DedupePipeline
from newsarchive.pipelines.normalize import NormalizePipeline
from newsarchive.pipelines.store import StorePipeline
from newsarchive.pipelines.validate import ValidatePipeline
from newsarchive.spiders.sites import SitesSpider, read_fetched, warm_up

EXPECTED = {
    record["url"]: record
    for record in (json.loads(path.read_text("utf-8")) for path in SAMPLES.rglob("*.expected.json"))
}
SAMPLE_URLS = sorted(EXPECTED)

SEED = "http://zjifz.org.cn/show-10595.html"
STATIC = "http://zjifz.org.cn/show-10601.html"
DYNAMIC = "http://zjifz.org.cn/index.php?c=show&id=10601"  # byte-identical copy of STATIC
PICTURES = "http://zjifz.org.cn/show-10602.html"
GONE_REPRINT = "http://zjifz.org.cn/show-10604.html"  # names an original that answers 404
GONE_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html"
REDIRECTED_REPRINT = "http://zjifz.org.cn/show-10608.html"  # names the original's old address
OLD_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230327_2283391.html"  # answers 301
MOVED_ORIGINAL = "https://mw.nmg.gov.cn/zwdt/msdt/202303/t20230327_2283391.html"
SEED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
UNLINKED_REPRINT = "http://zjifz.org.cn/show-10603.html"  # names no original


def send(crawler, signal, **kwargs) -> None:
    """Fire a signal for real; send_catch_log only logs a handler's error, so fail on it here."""
    for receiver, result in crawler.signals.send_catch_log(signal=signal, **kwargs):
        assert not isinstance(result, Failure), f"{receiver}: {result.getTraceback()}"


def drop(crawler, item, exception: DropItem, response: HtmlResponse | None = None) -> None:
    """What Scrapy's scraper does when a pipeline drops an item."""
    send(
        crawler,
        signals.item_dropped,
        item=item,
        response=response,
        exception=exception,
        spider=crawler.spider,
    )


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def make_crawler(archive_dir):
    """A crawler with its spider, as one run of `scrapy crawl sites` has, but no engine."""

    def make(directory: Path = archive_dir):
        crawler = get_crawler(
            SitesSpider,
            settings_dict={
                "NEWSARCHIVE_ARCHIVE": str(directory),
                "NEWSARCHIVE_CHECK_ENABLED": True,
                # No engine runs, so spider_opened is never sent: leave out the core extensions
                # (CoreStats, LogStats) whose spider_closed handlers rely on it.
                "EXTENSIONS_BASE": {},
            },
        )
        crawler.spider = SitesSpider.from_crawler(crawler)
        return crawler

    return make


def stop_engine(crawler) -> None:
    """What the end of a crawl does last: the shared archive connection closes."""
    send(crawler, signals.engine_stopped)


@pytest.fixture
def crawler(make_crawler):
    crawler = make_crawler()
    yield crawler
    stop_engine(crawler)


@pytest.fixture
def dedupe(crawler):
    return build_from_crawler(DedupePipeline, crawler)


@pytest.fixture
def store(crawler):
    pipeline = build_from_crawler(StorePipeline, crawler)
    pipeline.open_spider()
    return pipeline


@pytest.fixture
def stored(archive_dir):
    """Save records into the archive the pipelines use, as an earlier run did."""

    def save(*items: Article) -> None:
        with Archive(archive_dir) as archive:
            for item in items:
                archive.records.save(ItemAdapter(item).asdict())

    return save


def stats(crawler, component: str) -> dict:
    prefix = f"newsarchive/{component}/"
    return {
        key.removeprefix(prefix): value
        for key, value in crawler.stats.get_stats().items()
        if key.startswith(prefix)
    }


# Every pipeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pipeline_class", [NormalizePipeline, ValidatePipeline, DedupePipeline, StorePipeline]
)
def test_pipelines_pass_other_items_through_untouched(crawler, pipeline_class):
    pipeline = build_from_crawler(pipeline_class, crawler)
    other = {"url": "http://zjifz.org.cn/list-zjsp.html", "title": "  宗教时评 "}

    assert pipeline.process_item(other) is other
    assert other == {"url": "http://zjifz.org.cn/list-zjsp.html", "title": "  宗教时评 "}
    assert crawl_archive(crawler).counts() == {"aliases": 0, "links": 0}


def test_the_pipelines_of_a_crawl_share_one_archive_connection(crawler):
    dedupe, store, check = (
        build_from_crawler(cls, crawler) for cls in (DedupePipeline, StorePipeline, CheckPipeline)
    )
    assert dedupe.archive is store.archive is check.archive


@pytest.mark.parametrize("pipeline_class", [DedupePipeline, StorePipeline, CheckPipeline])
def test_archive_pipelines_need_the_archive_setting(pipeline_class):
    crawler = get_crawler(
        SitesSpider, settings_dict={"NEWSARCHIVE_ARCHIVE": "", "NEWSARCHIVE_CHECK_ENABLED": True}
    )

    with pytest.raises(NotConfigured, match="NEWSARCHIVE_ARCHIVE"):
        build_from_crawler(pipeline_class, crawler)


# NormalizePipeline ------------------------------------------------------------------------


def test_normalize_strips_texts_and_fills_body_site_hash_and_fetch_time(crawler):
    item = Article(
        url="http://zjifz.org.cn/show-1.html",
        kind="reprint",
        title="  标题\u3000文字 ",
        source=" 中国民族报\n",
        author="",
        paragraphs=["  第一段， ", "", "\u3000\u3000第二段\n续"],
    )

    assert build_from_crawler(NormalizePipeline, crawler).process_item(item) is item
    adapter = ItemAdapter(item)
    assert (adapter["title"], adapter["source"], adapter["author"]) == (
        "标题 文字",
        "中国民族报",
        "",
    )
    assert adapter["paragraphs"] == ["第一段，", "第二段 续"]
    assert adapter["body"] == "第一段，\n第二段 续"
    assert adapter["site"] == "zjifz.org.cn"
    # the hash ignores punctuation width and whitespace, so a reprint's copy hashes alike
    assert adapter["content_hash"] == content_hash(["第一段,", "第二段续"])
    assert datetime.fromisoformat(adapter["fetched_at"]).utcoffset() == timedelta(0)
    assert adapter["fetched_at"].endswith("Z")


def test_normalize_keeps_the_site_and_fetch_time_already_set(crawler):
    item = Article(
        url="http://127.0.0.1:8080/show-1.html",
        site="zjifz.org.cn",
        fetched_at=FETCHED_AT,
        paragraphs=["正文"],
    )

    build_from_crawler(NormalizePipeline, crawler).process_item(item)

    assert (item.site, item.fetched_at) == ("zjifz.org.cn", FETCHED_AT)


# ValidatePipeline -------------------------------------------------------------------------


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_validate_passes_every_sample_record(crawler, url):
    item = sample_item(url)

    assert build_from_crawler(ValidatePipeline, crawler).process_item(item) is item
    assert crawler.stats.get_value("newsarchive/failures") is None


def test_validate_passes_an_article_of_pictures_only(crawler):
    item = sample_item(PICTURES, paragraphs=[])
    assert item.body == "" and item.images

    assert build_from_crawler(ValidatePipeline, crawler).process_item(item) is item


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"title": ""}, ["title: empty"], id="empty-title"),
        pytest.param({"title": None}, ["title: empty"], id="no-title"),
        pytest.param({"kind": None}, ["kind: not set"], id="no-kind"),
        pytest.param(
            {"paragraphs": [], "body": "", "images": []},
            ["body: no text and no images"],
            id="no-body-no-images",
        ),
        pytest.param(
            {"http_status": "200"}, ["http_status must be null or integer"], id="wrong-type"
        ),
        pytest.param({"kind": "copy"}, ["kind must be one of"], id="unknown-kind"),
        pytest.param(
            {"meta": {"keywords": 1}}, ["meta.keywords must be string"], id="wrong-type-nested"
        ),
        pytest.param(
            {"title": "", "kind": None}, ["kind: not set", "title: empty"], id="several-errors"
        ),
    ],
)
def test_validate_raises_invalid_item_with_readable_errors(crawler, changes, expected):
    item = sample_item(SEED)
    adapter = ItemAdapter(item)
    for field, value in changes.items():  # after normalising, as a broken parser would
        adapter[field] = value

    with pytest.raises(InvalidItem) as raised:
        build_from_crawler(ValidatePipeline, crawler).process_item(item)

    assert raised.value.url == SEED
    errors = raised.value.errors
    assert len(errors) == len(expected)
    assert [
        error[: len(prefix)] for error, prefix in zip(errors, expected, strict=True)
    ] == expected
    assert str(raised.value) == f"Invalid record {SEED}: {'; '.join(raised.value.errors)}"
    assert crawler.stats.get_value("newsarchive/failures/invalid") == 1


# Records prepared where the page was read (crawl/prepare.py) -----------------------------


def read_in_worker(url: str) -> Article:
    """A sample page as the spider's worker returns it: read, then prepared."""
    response = sample_response(url)
    _, (reason, item, _) = read_fetched(
        None, url, 200, dict(response.headers), response.body, response.encoding,
        EXPECTED[url]["kind"], None, {}, False,
    )  # fmt: skip
    assert reason is None
    return item


@pytest.mark.parametrize("url", SAMPLE_URLS)
def test_a_record_prepared_where_it_was_read_is_stored_as_the_pipelines_make_it(
    make_crawler, archive_dir, url
):
    """The pipelines' own work, and their reading of the marks a worker left, store the same
    record: the same fields in the same order, hash and fingerprint, and the same decisions.
    The worker encodes the document before the WARC capture is known; it is stored with it."""
    prepared_item, plain_item = read_in_worker(url), page_for(sample_response(url)).to_item()
    assert prepared(prepared_item) is not None and prepared(plain_item) is None
    capture = {"file": "newsarchive-20261201190000000-00000.warc.gz", "offset": 4096}
    stored = {}
    for name, item in (("prepared", prepared_item), ("plain", plain_item)):
        item.capture = capture | {"record_id": "<urn:uuid:7d1f3c2e-0000-4000-8000-00000000002a>"}
        assert (prepared_document(item) is not None) == (name == "prepared")
        run_pipelines(make_crawler(archive_dir / name), [item])
        with Archive(archive_dir / name) as archive:
            row = archive.db.execute("SELECT fingerprint, content_hash, record FROM records")
            fingerprint, content_hash, document = row.fetchone()
            record = archive.records.get(url)
        assert record["capture"] == item.capture
        fields = [(k, v) for k, v in json.loads(document).items() if k != "fetched_at"]
        stored[name] = (fingerprint, content_hash, fields)
    assert stored["prepared"] == stored["plain"]


def test_a_workers_warm_up_compiles_the_validator_its_first_record_needs():
    validation._validator.cache_clear()
    warm_up()  # what a crawl's worker runs before its first page (crawl/workers.py)
    assert validation._validator.cache_info().currsize == 1


def test_a_prepared_record_that_cannot_be_archived_is_dropped_with_its_reasons(crawler):
    item = read_in_worker(SEED)
    item.title = ""  # as a broken parser would leave it: the worker's validation says so
    item._prepared = replace(prepared(item), errors=validation_errors(record_of(item)))
    with pytest.raises(InvalidItem) as raised:
        build_from_crawler(ValidatePipeline, crawler).process_item(item)
    assert raised.value.errors == ["title: empty"]


# DedupePipeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "outcome"), [(STATIC, "unchanged"), (DYNAMIC, "alias")])
def test_dedupe_drops_unchanged_pages_and_aliases(crawler, stored, dedupe, url, outcome):
    stored(sample_item(STATIC))

    with pytest.raises(DuplicateItem) as raised:
        dedupe.process_item(sample_item(url))

    assert (raised.value.url, raised.value.decision) == (url, Stored(outcome, STATIC))
    assert raised.value.log_level == "DEBUG"  # a re-crawl drops most pages: keep the log quiet
    assert stats(crawler, "dedupe") == {outcome: 1}


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(lambda: sample_item(SEED), id="new"),
        pytest.param(
            lambda: sample_item(STATIC, paragraphs=["更正：原文有误，现已修改。"]), id="changed"
        ),
    ],
)
def test_dedupe_passes_new_and_changed_pages(crawler, stored, dedupe, item):
    stored(sample_item(STATIC))
    item = item()

    assert dedupe.process_item(item) is item
    assert stats(crawler, "dedupe") == {}


# StorePipeline ----------------------------------------------------------------------------


def test_store_starts_a_run_named_after_the_spider(crawler, store):
    run = crawler.stats.get_value("newsarchive/run")

    assert run == store.run
    assert store.archive.runs.get(run)["spider"] == "sites"


def test_store_saves_items_and_counts_each_outcome(crawler, store, archive_dir):
    edited = sample_item(STATIC, paragraphs=["更正：原文有误，现已修改。"])
    items = [sample_item(DYNAMIC), sample_item(STATIC), sample_item(STATIC), edited]

    assert [store.process_item(item) for item in items] == items
    assert stats(crawler, "store") == {"new": 1, "moved": 1, "unchanged": 1, "changed": 1}
    commit_group(store.archive.db)  # what the crawl does every COMMIT_EVERY seconds
    with Archive(archive_dir) as archive:  # another connection: every save is committed
        assert [(r["url"], r["aliases"], r["body"]) for r in archive.records.all()] == [
            (STATIC, [DYNAMIC], edited.body)
        ]
        assert len(archive.records.versions(STATIC)) == 2


def test_store_records_an_alias_from_a_dropped_duplicate(crawler, dedupe, store):
    store.process_item(sample_item(STATIC))
    item = sample_item(DYNAMIC)
    with pytest.raises(DuplicateItem) as raised:
        dedupe.process_item(item)

    drop(crawler, item, raised.value)

    assert store.archive.records.url_of(DYNAMIC) == STATIC
    [record] = store.archive.records.all()
    assert record["aliases"] == [DYNAMIC]
    assert stats(crawler, "store") == {"new": 1}  # dropped items are not counted as stored


def test_store_notes_a_dropped_unchanged_page_without_a_new_version(crawler, dedupe, store):
    store.process_item(sample_item(STATIC))
    item = sample_item(STATIC)
    with pytest.raises(DuplicateItem) as raised:
        dedupe.process_item(item)

    drop(crawler, item, raised.value)

    assert len(store.archive.records.versions(STATIC)) == 1
    assert store.archive.runs.failures() == []


def test_store_records_an_invalid_item_as_a_failure(crawler, store):
    item = sample_item(SEED, title="", paragraphs=[])
    with pytest.raises(InvalidItem) as raised:
        build_from_crawler(ValidatePipeline, crawler).process_item(item)

    drop(crawler, item, raised.value)

    [failure] = store.archive.runs.failures()
    assert (failure["run"], failure["url"], failure["stage"], failure["reason"]) == (
        store.run,
        SEED,
        "validate",
        "invalid",
    )
    assert failure["detail"] == "title: empty; body: no text and no images"
    assert list(store.archive.records.all()) == []


def test_store_ignores_items_dropped_for_other_reasons(crawler, store):
    drop(crawler, sample_item(SEED), DropItem("Filtered by a custom pipeline"))

    assert store.archive.runs.failures() == []
    assert list(store.archive.records.all()) == []


def test_store_records_a_failed_page_and_links_show_the_lost_original(crawler, store):
    store.process_item(sample_item(GONE_REPRINT))

    send(
        crawler,
        page_failed,
        url=GONE_ORIGINAL,
        stage="fetch",
        reason="http_404",
        detail="HttpError: Ignoring non-200 response",
        http_status=404,
        referer=GONE_REPRINT,
    )

    [failure] = store.archive.runs.failures()
    assert {key: value for key, value in failure.items() if key not in ("id", "at")} == {
        "run": store.run,
        "url": GONE_ORIGINAL,
        "stage": "fetch",
        "reason": "http_404",
        "detail": "HttpError: Ignoring non-200 response",
        "http_status": 404,
        "referer": GONE_REPRINT,
    }
    [link] = store.archive.pairs()
    assert (link["reprint_url"], link["original_status"], link["original_failure"]) == (
        GONE_REPRINT,
        "failed",
        "http_404",
    )


def test_store_records_an_item_error_as_a_pipeline_failure(crawler, store):
    try:
        raise ValueError("archive full")
    except ValueError:
        failure = Failure()

    send(
        crawler,
        signals.item_error,
        item=sample_item(SEED),
        response=None,
        spider=crawler.spider,
        failure=failure,
    )

    [recorded] = store.archive.runs.failures()
    assert (recorded["url"], recorded["stage"], recorded["reason"], recorded["detail"]) == (
        SEED,
        "pipeline",
        "ValueError",
        "archive full",
    )


def test_store_writes_the_run_stats_at_spider_closed_and_the_archive_closes_last(
    crawler, store, archive_dir
):
    store.process_item(sample_item(SEED))
    crawler.stats.set_value("newsarchive/failures", 2)

    send(crawler, signals.spider_closed, spider=crawler.spider, reason="finished")
    assert store.archive.db.execute("SELECT 1").fetchone()[0] == 1  # still open for others
    stop_engine(crawler)

    with pytest.raises(sqlite3.ProgrammingError):
        store.archive.db.execute("SELECT 1")
    with Archive(archive_dir) as archive:
        run = archive.runs.last()
    assert (run["id"], run["spider"], run["finish_reason"]) == (store.run, "sites", "finished")
    assert run["finished_at"] is not None
    assert run["stats"] == {
        "newsarchive/run": store.run,
        "newsarchive/store/new": 1,
        "newsarchive/failures": 2,
    }


def test_store_records_the_urls_that_redirected_to_a_page_as_its_aliases(crawler, store):
    store.process_item(sample_item(REDIRECTED_REPRINT))
    send(crawler, page_redirected, urls=[OLD_ORIGINAL], url=MOVED_ORIGINAL)
    store.process_item(sample_item(MOVED_ORIGINAL))

    assert store.archive.records.url_of(OLD_ORIGINAL) == MOVED_ORIGINAL
    [link] = store.archive.pairs()
    assert (link["original_url"], link["original_status"], link["original_record"]) == (
        OLD_ORIGINAL,
        "stored",
        MOVED_ORIGINAL,
    )


def test_a_redirect_to_the_same_url_is_no_alias(crawler, store):
    send(crawler, page_redirected, urls=[MOVED_ORIGINAL], url=MOVED_ORIGINAL)
    store.process_item(sample_item(MOVED_ORIGINAL))

    assert store.archive.counts()["aliases"] == 0


# The four in settings order ---------------------------------------------------------------


def run_pipelines(crawler, items: list[Article]) -> None:
    """One run through normalize, validate, dedupe and store, as ITEM_PIPELINES orders them."""
    pipelines = [
        build_from_crawler(cls, crawler)
        for cls in (NormalizePipeline, ValidatePipeline, DedupePipeline, StorePipeline)
    ]
    pipelines[-1].open_spider()  # the store is the one that opens a run
    for item in items:
        try:
            for pipeline in pipelines:
                item = pipeline.process_item(item)
        except DropItem as exception:
            drop(crawler, item, exception)
    send(crawler, signals.spider_closed, spider=crawler.spider, reason="finished")
    stop_engine(crawler)


def parsed_samples() -> list[Article]:
    """Every sample article as the spider yields it: parsed, not yet normalised."""
    return [page_for(sample_response(url)).to_item() for url in SAMPLE_URLS]


def test_two_runs_over_the_samples_store_each_article_once(make_crawler, archive_dir):
    first, second = make_crawler(), make_crawler()
    run_pipelines(first, parsed_samples())
    run_pipelines(second, parsed_samples())

    pages = len(SAMPLE_URLS) - 1  # DYNAMIC is the same page as STATIC
    reprints = [
        EXPECTED[url]
        for url in SAMPLE_URLS
        if EXPECTED[url]["kind"] == "reprint" and url != DYNAMIC
    ]
    with Archive(archive_dir) as archive:
        assert archive.counts() == {
            "reprint": len(reprints),
            "original": pages - len(reprints),
            "aliases": 1,
            "links": sum(1 for reprint in reprints if reprint["original_url"]),
        }
        assert archive.records.url_of(DYNAMIC) == STATIC
        first_run, second_run = archive.runs.get(1), archive.runs.get(2)
    # the dynamic URL sorts first, so the static one takes the record over from it
    assert stats(first, "store") == {"new": pages, "moved": 1}
    assert {
        key: value
        for key, value in first_run["stats"].items()
        if key.startswith("newsarchive/store/")
    } == {"newsarchive/store/new": pages, "newsarchive/store/moved": 1}
    assert stats(second, "store") == {}
    assert stats(second, "dedupe") == {"unchanged": pages + 1}  # the alias page seen again too
    assert second_run["finish_reason"] == "finished"


# CheckPipeline ----------------------------------------------------------------------------


@pytest.fixture(params=[0, 1], ids=["in-process", "in-a-worker"])
def check(request, crawler, store):
    """The check pipeline comparing in the crawl's process, and in a worker process."""
    crawler.settings.frozen = False
    crawler.settings.set("NEWSARCHIVE_WORKERS", request.param)
    return build_from_crawler(CheckPipeline, crawler)


def stored_checks(check: CheckPipeline) -> dict[str, dict]:
    """The checks as another connection reads them, once the crawl's writes are committed
    (as the crawl does every COMMIT_EVERY seconds)."""
    commit_group(check.archive.db)
    with Archive(check.archive.directory) as archive:
        return {check["reprint_url"]: check for check in archive.checks.all()}


def test_a_pair_is_checked_once_its_original_is_stored(crawler, store, check, archive_dir):
    async def crawl():
        await check.process_item(store.process_item(sample_item(SEED)))
        assert stored_checks(check) == {}  # the original is on its way
        await check.process_item(store.process_item(sample_item(SEED_ORIGINAL)))

    asyncio.run(crawl())
    [seed_check] = stored_checks(check).values()
    assert (seed_check["verdict"], seed_check["original_status"]) == ("faithful", "available")
    assert crawler.stats.get_value("newsarchive/check/faithful") == 1


def test_a_reprint_waiting_for_its_original_is_checked_on_the_record_it_came_with(
    store, check, dedupe
):
    """Kept since it was stored: the check does not read the reprint's record back."""
    statements = []

    async def crawl():
        await check.process_item(store.process_item(dedupe.process_item(sample_item(SEED))))
        check.archive.db.set_trace_callback(statements.append)
        original = dedupe.process_item(sample_item(SEED_ORIGINAL))
        await check.process_item(store.process_item(original))
        check.archive.db.set_trace_callback(None)

    asyncio.run(crawl())
    assert stored_checks(check)[SEED]["verdict"] == "faithful"
    assert [sql for sql in statements if sql.startswith("SELECT record") and SEED in sql] == []


def test_a_waiting_reprint_stored_again_meanwhile_is_checked_as_stored_now(store, check, dedupe):
    """A second version of the reprint, stored while its original was on its way: the check
    is of that version, not of the record kept from the first."""
    first = sample_item(SEED)
    edited = sample_item(SEED, paragraphs=[*first.paragraphs, "编者按：本文有更新，新增一段。"])

    async def crawl():
        await check.process_item(store.process_item(dedupe.process_item(first)))
        store.process_item(dedupe.process_item(edited))  # a newer version, kept apart
        await check.process_item(
            store.process_item(dedupe.process_item(sample_item(SEED_ORIGINAL)))
        )

    asyncio.run(crawl())
    assert stored_checks(check)[SEED]["verdict"] == "edited"


def test_a_reprint_naming_no_original_is_checked_on_arrival(store, check, archive_dir):
    asyncio.run(check.process_item(store.process_item(sample_item(UNLINKED_REPRINT))))
    assert stored_checks(check)[UNLINKED_REPRINT]["flags"] == ["no_original_link"]


def test_a_failed_original_checks_its_reprint_as_unavailable(crawler, store, check, archive_dir):
    async def crawl():
        await check.process_item(store.process_item(sample_item(GONE_REPRINT)))
        send(
            crawler,
            page_failed,
            url=GONE_ORIGINAL,
            stage="fetch",
            reason="http_404",
            http_status=404,
            referer=GONE_REPRINT,
        )
        await check.close_spider()  # the check the signal started is awaited here

    asyncio.run(crawl())
    gone = stored_checks(check)[GONE_REPRINT]
    assert (gone["original_status"], gone["original_failure"]) == ("unavailable", "http_404")


def test_reprints_whose_original_never_came_are_checked_when_the_spider_closes(
    crawler, store, check, archive_dir
):
    async def crawl():
        await check.process_item(store.process_item(sample_item(SEED)))
        await check.close_spider()

    asyncio.run(crawl())
    assert stored_checks(check)[SEED]["original_status"] == "not_fetched"


def test_a_check_that_ends_after_its_reprint_became_an_alias_is_not_stored(
    crawler, store, check, archive_dir, monkeypatch
):
    """The dynamic URL of a reprint stored first and its check comparing when the static URL
    of the same page comes and takes the record over (with the check its own, and none for
    an alias): the dynamic URL's check, finishing last, is not stored after all. Held back
    here until then, as in the test below."""
    original_url = sample_item(STATIC).original_url
    taken_over = asyncio.Event()
    compare_in_worker = workers.run

    async def dynamic_finishes_last(crawler, function, pair):
        result = await compare_in_worker(crawler, function, pair)
        if pair.reprint_url == DYNAMIC:
            await taken_over.wait()
        return result

    monkeypatch.setattr(workers, "run", dynamic_finishes_last)

    async def crawl():
        await check.process_item(store.process_item(sample_item(original_url)))
        dynamic = store.process_item(sample_item(DYNAMIC))
        earlier = asyncio.ensure_future(check.process_item(dynamic))
        await asyncio.sleep(0.1)  # the dynamic URL's check is comparing
        await check.process_item(store.process_item(sample_item(STATIC)))
        assert check.archive.records.url_of(DYNAMIC) == STATIC  # an alias now
        taken_over.set()
        await earlier

    asyncio.run(crawl())
    assert list(stored_checks(check)) == [STATIC]
    counted = check.archive.db.execute("SELECT reprint_url FROM checks").fetchall()
    assert [url for (url,) in counted] == [STATIC]  # what the summary counts


def test_of_two_checks_of_one_reprint_in_flight_the_later_is_stored(
    crawler, store, check, archive_dir, monkeypatch
):
    """A reprint refetched while its first check is still comparing, and the first comparison
    finishing last (two workers can): the check begun on the newer record is the one kept.
    The order in which two processes finish cannot be forced for real, so the first
    comparison is held back here until the second is stored."""
    first, second = sample_item(UNLINKED_REPRINT), sample_item(UNLINKED_REPRINT)
    second.title = "转载后改过的标题"
    second_stored = asyncio.Event()
    compare_in_worker = workers.run

    async def first_finishes_last(crawler, function, pair):
        check = await compare_in_worker(crawler, function, pair)
        if pair.reprint["title"] != second.title:
            await second_stored.wait()
        return check

    monkeypatch.setattr(workers, "run", first_finishes_last)

    async def crawl():
        store.process_item(first)
        earlier = asyncio.ensure_future(check.process_item(first))
        await asyncio.sleep(0.1)  # the first check is comparing
        store.process_item(second)
        await check.process_item(second)
        assert stored_checks(check)[UNLINKED_REPRINT]["title"]["reprint"] == second.title
        second_stored.set()
        await earlier

    asyncio.run(crawl())
    assert stored_checks(check)[UNLINKED_REPRINT]["title"]["reprint"] == second.title


# The quality monitor's 原文链接 reached (crawl/quality.py) -----------------------------------


def test_an_original_counts_as_reached_once_stored_and_not_when_dropped_as_invalid(crawler):
    monitor = QualityMonitor(crawler)
    named = {
        "http://mw.nmg.gov.cn/t1.html": "stored",
        "http://mw.nmg.gov.cn/t2.html": "invalid",
        "http://mw.nmg.gov.cn/t3.html": "unchanged",
    }
    for n, url in enumerate(named):
        monitor.item_seen(
            Article(url=f"http://zjifz.org.cn/show-{n}.html", kind="reprint", site="zjifz.org.cn",
                    title="标题", paragraphs=["正文"], original_url=url)
        )  # fmt: skip
    for url, fate in named.items():
        original = Article(url=url, kind="original", site="mw.nmg.gov.cn", title="标题")
        if fate == "stored":
            monitor.item_seen(original)
        elif fate == "invalid":
            monitor.item_dropped(original, InvalidItem(url, ["body: no text and no images"]))
        else:
            monitor.item_dropped(original, DuplicateItem(url, Stored("unchanged", url)))
    # None of the three is in this (empty) archive: only the two the run stored count.
    assert monitor.shares()["zjifz.org.cn"]["original_reached"] == round(2 / 3, 4)
