"""Tests of the archive: what saving does, aliases, links, runs, failures and record queries."""

import json
import pickle
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import sample_record

from newsarchive.archive import Archive, Stored, documents, preferred
from newsarchive.archive.database import commit_group, group_commits, transaction
from newsarchive.checking import compare_and_encode, compare_pair, pair_of
from newsarchive.clock import utc_now

SEED = "http://zjifz.org.cn/show-10595.html"
SEED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"
STATIC = "http://zjifz.org.cn/show-10601.html"
DYNAMIC = "http://zjifz.org.cn/index.php?c=show&id=10601"  # byte-identical copy of STATIC
REPRINT_10598 = "http://zjifz.org.cn/show-10598.html"
REPRINT_10607 = "http://zjifz.org.cn/show-10607.html"
ORIGINAL_0320 = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230320_2279133.html"  # date-only PubDate
ORIGINAL_HUHHOT = "http://www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html"


def snapshot(archive: Archive, url: str) -> dict:
    """Everything the archive exposes about the records, for comparing two archives."""
    return {
        "records": list(archive.records.all()),
        "versions": archive.records.versions(url),
        "links": archive.pairs(),
        "counts": archive.counts(),
    }


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive") as archive:
        yield archive


# Saving: new, unchanged, changed ----------------------------------------------------------


def test_first_save_of_a_page_is_new_and_returns_it_from_records(archive):
    record = sample_record(SEED)

    assert archive.records.save(record) == Stored("new", SEED)
    assert list(archive.records.all()) == [record | {"aliases": []}]
    assert archive.records.versions(SEED) == [record]


def test_same_body_saved_again_is_unchanged_and_adds_no_version(archive):
    archive.records.save(sample_record(SEED))

    assert archive.records.classify(sample_record(SEED)) == Stored("unchanged", SEED)
    assert archive.records.save(sample_record(SEED)) == Stored("unchanged", SEED)
    assert len(archive.records.versions(SEED)) == 1


def test_a_decision_nothing_was_written_after_is_saved_as_it_is(archive):
    """The dedupe pipeline's decision is the store's too: save() asks nothing classify()
    asked already (the statements it runs, from SQLite's own trace)."""
    record = sample_record(SEED)
    decided = archive.records.decide(record)
    statements = []
    archive.db.set_trace_callback(statements.append)
    assert archive.records.save(record, decided=decided) == Stored("new", SEED)
    archive.db.set_trace_callback(None)
    assert not [sql for sql in statements if sql.startswith("SELECT url FROM")]
    assert archive.records.versions(SEED) == [record]


def test_a_decision_made_before_another_write_is_made_again(archive):
    """Decided `new`, then the same page stored meanwhile: saving it is `unchanged`, with one
    version, not a second copy of it."""
    record = sample_record(SEED)
    decided = archive.records.decide(record)
    assert decided.stored == Stored("new", SEED)
    archive.records.save(record)

    assert archive.records.save(record, decided=decided) == Stored("unchanged", SEED)
    assert len(archive.records.versions(SEED)) == 1


def test_changed_body_is_kept_as_a_second_version_and_becomes_the_record(archive):
    first = sample_record(SEED)
    edited = sample_record(SEED, paragraphs=first["paragraphs"] + ["编者按：本文有更新。"])
    archive.records.save(first)

    assert archive.records.save(edited) == Stored("changed", SEED)
    assert archive.records.versions(SEED) == [first, edited]
    assert [record["body"] for record in archive.records.all()] == [edited["body"]]


def test_each_version_s_text_is_stored_once(archive):
    """Three versions of a page: three documents in the database, not the latest twice."""
    first = sample_record(SEED)
    second = sample_record(SEED, paragraphs=first["paragraphs"] + ["编者按：本文有更新。"])
    third = sample_record(SEED, paragraphs=first["paragraphs"][1:])
    for record in (first, second, third):
        archive.records.save(record)

    stored = [
        row[0]
        for row in archive.db.execute(
            "SELECT record FROM records UNION ALL SELECT record FROM versions WHERE record != ''"
        )
    ]
    assert sorted(json.loads(document)["paragraphs"] for document in stored) == sorted(
        record["paragraphs"] for record in (first, second, third)
    )
    assert archive.records.versions(SEED) == [first, second, third]
    assert [r["version"] for r in archive.records.all_versions()] == [1, 2, 3]


def test_unchanged_page_seen_in_a_later_run_keeps_its_first_run_and_moves_its_last_run(archive):
    first, second = archive.runs.start("xunrui"), archive.runs.start("xunrui")
    archive.records.save(sample_record(SEED), run=first)
    archive.records.save(sample_record(SEED), run=second)

    row = archive.db.execute("SELECT first_run, last_run FROM records").fetchone()
    assert (row["first_run"], row["last_run"]) == (first, second)


# Aliases and the preferred URL -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "other", "expected"),
    [
        (
            "http://zjifz.org.cn/show-10601.html",
            "http://zjifz.org.cn/index.php?c=show&id=10601",
            True,
        ),
        (
            "http://zjifz.org.cn/index.php?c=show&id=10601",
            "http://zjifz.org.cn/show-10601.html",
            False,
        ),
        # static beats dynamic even when the dynamic URL is shorter
        ("http://zjifz.org.cn/show-10601.html", "http://zjifz.org.cn/?id=10601", True),
        ("http://zjifz.org.cn/show-1.html", "http://zjifz.org.cn/show-10.html", True),
        ("http://zjifz.org.cn/?id=1", "http://zjifz.org.cn/index.php?id=1", True),
        ("http://zjifz.org.cn/show-1.html", "http://zjifz.org.cn/show-2.html", True),
        ("http://zjifz.org.cn/show-2.html", "http://zjifz.org.cn/show-1.html", False),
        ("http://zjifz.org.cn/show-1.html", "http://zjifz.org.cn/show-1.html", False),
    ],
)
def test_preferred_url_is_static_then_shorter_then_smaller(url, other, expected):
    assert preferred(url, other) is expected


def test_same_body_under_dynamic_url_becomes_alias_of_static_url(archive):
    archive.records.save(sample_record(STATIC))

    assert archive.records.save(sample_record(DYNAMIC)) == Stored("alias", STATIC)
    assert [(r["url"], r["aliases"]) for r in archive.records.all()] == [(STATIC, [DYNAMIC])]
    assert archive.records.url_of(DYNAMIC) == STATIC


def test_static_url_arriving_after_the_dynamic_one_takes_over_the_record(archive):
    archive.records.save(sample_record(DYNAMIC))

    assert archive.records.save(sample_record(STATIC)) == Stored("moved", STATIC)
    assert [(r["url"], r["aliases"]) for r in archive.records.all()] == [(STATIC, [DYNAMIC])]
    assert archive.records.url_of(DYNAMIC) == STATIC
    assert [link["reprint_url"] for link in archive.pairs()] == [STATIC]


def test_a_url_taking_over_drops_the_check_of_the_url_it_replaces(archive):
    archive.records.save(sample_record(DYNAMIC))
    archive.checks.save({"reprint_url": DYNAMIC, "verdict": "faithful", "checked_at": "x"})

    archive.records.save(sample_record(STATIC))

    assert list(archive.checks.all()) == []  # STATIC gets a check of its own
    assert archive.checks.verdict_counts() == {}
    assert archive.checks.history(DYNAMIC) == [  # what was said of it stays on record
        {"reprint_url": DYNAMIC, "verdict": "faithful", "checked_at": "x"}
    ]


def test_each_check_in_a_reprint_s_history_is_stored_once(archive):
    said = [
        {"reprint_url": SEED, "verdict": "faithful", "checked_at": "1"},
        {"reprint_url": SEED, "verdict": "edited", "checked_at": "2"},
        {"reprint_url": SEED, "verdict": "edited", "checked_at": "3"},  # says nothing new
    ]
    assert [archive.checks.save(check) for check in said] == [True, True, False]
    assert archive.checks.history(SEED) == said[:2]
    documents = archive.db.execute(
        "SELECT check_record FROM checks UNION ALL"
        " SELECT check_record FROM check_history WHERE check_record != ''"
    ).fetchall()
    assert sorted(json.loads(row[0])["checked_at"] for row in documents) == ["1", "3"]


def test_both_arrival_orders_of_static_and_dynamic_url_give_the_same_archive(tmp_path):
    with (
        Archive(tmp_path / "static_first") as static_first,
        Archive(tmp_path / "dynamic_first") as dynamic_first,
    ):
        static_first.records.save(sample_record(STATIC))
        static_first.records.save(sample_record(DYNAMIC))
        dynamic_first.records.save(sample_record(DYNAMIC))
        dynamic_first.records.save(sample_record(STATIC))

        assert snapshot(dynamic_first, STATIC) == snapshot(static_first, STATIC)
        assert snapshot(static_first, STATIC)["counts"] == {"reprint": 1, "aliases": 1, "links": 1}


@pytest.mark.parametrize(
    "copy",
    [
        pytest.param(
            {"url": "http://zjifz.org.cn/show-99999.html", "kind": "original"},
            id="same-site-other-kind",
        ),
        pytest.param(
            {"url": "http://w.mzdc.org.cn/show-10595.html", "site": "w.mzdc.org.cn"},
            id="same-kind-other-site",
        ),
    ],
)
def test_equal_bodies_of_another_kind_or_site_are_separate_records(archive, copy):
    archive.records.save(sample_record(SEED))
    record = sample_record(SEED, **copy)

    assert archive.records.save(record) == Stored("new", record["url"])
    assert [r["aliases"] for r in archive.records.all()] == [[], []]


def test_reprint_and_its_original_with_equal_normalised_bodies_are_not_aliases(archive):
    reprint, original = sample_record(SEED), sample_record(SEED_ORIGINAL)
    assert reprint["content_hash"] == original["content_hash"]  # NFKC folds the punctuation

    assert archive.records.save(reprint) == Stored("new", SEED)
    assert archive.records.save(original) == Stored("new", SEED_ORIGINAL)
    assert archive.counts() == {"reprint": 1, "original": 1, "aliases": 0, "links": 1}


def test_known_alias_seen_again_with_the_same_body_is_unchanged(archive):
    archive.records.save(sample_record(STATIC))
    archive.records.save(sample_record(DYNAMIC))

    assert archive.records.classify(sample_record(DYNAMIC)) == Stored("unchanged", STATIC)


@pytest.mark.parametrize(
    "recrawl",
    [
        pytest.param([STATIC, DYNAMIC], id="static-first"),
        pytest.param([DYNAMIC, STATIC], id="dynamic-first"),
    ],
)
def test_edited_article_stays_one_record_whichever_url_is_crawled_first(archive, recrawl):
    archive.records.save(sample_record(STATIC))
    archive.records.save(sample_record(DYNAMIC))

    for url in recrawl:
        archive.records.save(sample_record(url, paragraphs=["更正：原文有误，现已修改。"]))

    assert [(r["url"], r["aliases"], r["body"]) for r in archive.records.all()] == [
        (STATIC, [DYNAMIC], "更正：原文有误，现已修改。")
    ]


def test_static_url_taking_over_keeps_earlier_bodies_of_the_dynamic_url(archive):
    archive.records.save(sample_record(DYNAMIC, paragraphs=["初版正文，后经编辑修改。"]))
    archive.records.save(sample_record(DYNAMIC))  # changed: now the same body as STATIC
    archive.records.save(sample_record(STATIC))  # moved

    assert "初版正文，后经编辑修改。" in [
        version["body"] for version in archive.records.versions(STATIC)
    ]


# Links from reprints to originals ---------------------------------------------------------


def test_reprint_is_linked_to_the_original_it_names(archive):
    archive.records.save(sample_record(SEED))

    assert archive.pairs() == [
        {
            "reprint_url": SEED,
            "original_url": SEED_ORIGINAL,
            "original_record": None,
            "original_status": "not_fetched",
            "original_failure": None,
        }
    ]


def test_new_version_naming_no_original_removes_the_link(archive):
    first = sample_record(SEED)
    archive.records.save(first)

    edited = sample_record(SEED, original_url=None, paragraphs=first["paragraphs"][:-1])
    assert archive.records.save(edited).outcome == "changed"
    assert archive.pairs() == []


def test_original_is_never_linked_even_when_it_names_a_url(archive):
    archive.records.save(
        sample_record(SEED_ORIGINAL, original_url="http://example.gov.cn/source.html")
    )

    assert archive.pairs() == []


ORIGINAL_ALIAS = SEED_ORIGINAL + "?from=zjifz"


@pytest.mark.parametrize(
    ("reprint_changes", "setup", "status", "record", "failure"),
    [
        pytest.param({}, lambda archive: None, "not_fetched", None, None, id="not-fetched"),
        pytest.param(
            {},
            lambda archive: archive.records.save(sample_record(SEED_ORIGINAL)),
            "stored",
            SEED_ORIGINAL,
            None,
            id="stored",
        ),
        pytest.param(
            {"original_url": ORIGINAL_ALIAS},
            lambda archive: (
                archive.records.save(sample_record(SEED_ORIGINAL)),
                archive.records.add_alias(ORIGINAL_ALIAS, SEED_ORIGINAL),
            ),
            "stored",
            SEED_ORIGINAL,
            None,
            id="stored-under-an-alias",
        ),
        pytest.param(
            {},
            lambda archive: archive.runs.add_failure(SEED_ORIGINAL, "fetch", "http_404"),
            "failed",
            None,
            "http_404",
            id="failed",
        ),
        pytest.param(
            {},
            lambda archive: (
                archive.runs.add_failure(SEED_ORIGINAL, "fetch", "timeout"),
                archive.runs.add_failure(SEED_ORIGINAL, "fetch", "http_503"),
            ),
            "failed",
            None,
            "http_503",
            id="failed-latest-reason",
        ),
        pytest.param(
            {},
            lambda archive: (
                archive.runs.add_failure(SEED_ORIGINAL, "fetch", "timeout"),
                archive.records.save(sample_record(SEED_ORIGINAL)),
            ),
            "stored",
            SEED_ORIGINAL,
            None,
            id="stored-after-a-failure",
        ),
    ],
)
def test_link_reports_what_became_of_the_original(
    archive, reprint_changes, setup, status, record, failure
):
    archive.records.save(sample_record(SEED, **reprint_changes))
    setup(archive)

    [link] = archive.pairs()
    assert (link["original_status"], link["original_record"], link["original_failure"]) == (
        status,
        record,
        failure,
    )


# Runs and failures ------------------------------------------------------------------------


def test_run_round_trips_spider_finish_reason_and_stats(archive):
    run = archive.runs.start("xunrui")
    started = archive.runs.get(run)
    assert (started["spider"], started["finished_at"], started["stats"]) == ("xunrui", None, {})

    stats = {
        "newsarchive/store/new": 3,
        "site_name": "宗教法治网",
        "start_time": datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
    }
    archive.runs.finish(run, "finished", stats)

    finished = archive.runs.get(run)
    assert finished["finish_reason"] == "finished"
    assert finished["finished_at"] is not None
    assert finished["stats"] == {
        "newsarchive/store/new": 3,
        "site_name": "宗教法治网",
        "start_time": "2024-05-01 08:00:00+00:00",
    }


def test_last_run_is_the_latest_started_and_none_before_any(archive):
    assert archive.runs.last() is None
    assert archive.runs.get(1) is None

    archive.runs.start("xunrui")
    latest = archive.runs.start("xunrui")
    assert archive.runs.last()["id"] == latest


def test_failures_round_trip_every_field_and_filter_by_run(archive):
    run = archive.runs.start("xunrui")
    missing = "http://mw.nmg.gov.cn/xw/msdt/202303/t20230307_2271546.html"
    archive.runs.add_failure(
        missing,
        "fetch",
        "http_404",
        detail="HttpError: Ignoring non-200 response",
        http_status=404,
        referer="http://zjifz.org.cn/show-10604.html",
        run=run,
    )
    archive.runs.add_failure("http://zjifz.org.cn/list-zjsp.html", "parse", "not_article")

    [failure] = archive.runs.failures(run)
    assert {key: value for key, value in failure.items() if key not in ("id", "at")} == {
        "run": run,
        "url": missing,
        "stage": "fetch",
        "reason": "http_404",
        "detail": "HttpError: Ignoring non-200 response",
        "http_status": 404,
        "referer": "http://zjifz.org.cn/show-10604.html",
    }
    assert failure["at"].endswith("Z")
    assert [f["reason"] for f in archive.runs.failures()] == ["http_404", "not_article"]
    assert archive.runs.latest_failure(missing) == failure
    assert archive.runs.latest_failure("http://zjifz.org.cn/never-failed.html") is None


# The database -----------------------------------------------------------------------------


def test_database_uses_wal_journal_mode(archive):
    with closing(sqlite3.connect(archive.path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_everything_survives_closing_and_reopening_the_archive(tmp_path):
    with Archive(tmp_path / "archive") as archive:
        run = archive.runs.start("xunrui")
        archive.records.save(sample_record(STATIC), run)
        archive.records.save(sample_record(DYNAMIC), run)
        archive.runs.add_failure(SEED_ORIGINAL, "fetch", "timeout", run=run)
        archive.runs.finish(run, "finished", {"newsarchive/store/new": 1})
        before = snapshot(archive, STATIC) | {
            "failures": archive.runs.failures(),
            "run": archive.runs.last(),
        }

    with Archive(tmp_path / "archive") as reopened:
        after = snapshot(reopened, STATIC) | {
            "failures": reopened.runs.failures(),
            "run": reopened.runs.last(),
        }
    assert after == before
    assert [(r["url"], r["aliases"]) for r in after["records"]] == [(STATIC, [DYNAMIC])]


def test_second_archive_on_the_same_directory_sees_each_write_at_once(tmp_path):
    # The dedupe and store pipelines each hold a connection to the same database.
    with Archive(tmp_path / "archive") as writer, Archive(tmp_path / "archive") as reader:
        writer.records.save(sample_record(STATIC))
        assert reader.records.classify(sample_record(DYNAMIC)) == Stored("alias", STATIC)
        assert reader.records.classify(sample_record(STATIC)) == Stored("unchanged", STATIC)


# Queries ----------------------------------------------------------------------------------


@pytest.fixture
def filled(archive):
    """Reprints and originals of two sites, saved out of publication order."""
    for url in (REPRINT_10607, SEED_ORIGINAL, ORIGINAL_HUHHOT, SEED, ORIGINAL_0320, REPRINT_10598):
        archive.records.save(sample_record(url))
    return archive


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [SEED_ORIGINAL, SEED, REPRINT_10598, ORIGINAL_HUHHOT, ORIGINAL_0320, REPRINT_10607]),
        ({"kind": "reprint"}, [SEED, REPRINT_10598, REPRINT_10607]),
        ({"kind": "original"}, [SEED_ORIGINAL, ORIGINAL_HUHHOT, ORIGINAL_0320]),
        ({"site": "www.huhhot.gov.cn"}, [ORIGINAL_HUHHOT]),
        # published 2023-02-17T17:00:27+08:00: the day itself counts, whatever the time
        (
            {"since": "2023-02-17"},
            [SEED, REPRINT_10598, ORIGINAL_HUHHOT, ORIGINAL_0320, REPRINT_10607],
        ),
        # a date-only published_at (2023-03-20) counts on its day too
        ({"since": "2023-03-20"}, [ORIGINAL_0320, REPRINT_10607]),
        ({"since": "2023-03-25"}, []),
        ({"kind": "original", "site": "mw.nmg.gov.cn", "since": "2023-03-01"}, [ORIGINAL_0320]),
    ],
)
def test_records_filter_by_kind_site_and_since_oldest_publication_first(filled, filters, expected):
    assert [record["url"] for record in filled.records.all(**filters)] == expected


def test_records_published_at_the_same_moment_are_ordered_by_url(archive):
    published_at = "2023-03-01T09:00+08:00"
    for url in (REPRINT_10607, REPRINT_10598, SEED):
        archive.records.save(sample_record(url, published_at=published_at))

    assert [record["url"] for record in archive.records.all()] == [
        SEED,
        REPRINT_10598,
        REPRINT_10607,
    ]


# Grouped commits (the crawl's connection) -------------------------------------------------


def committed_urls(tmp_path) -> list[str]:
    """The record URLs another connection sees: what is committed."""
    with closing(sqlite3.connect(tmp_path / "archive" / "archive.sqlite3")) as db:
        return [row[0] for row in db.execute("SELECT url FROM records ORDER BY url")]


def test_grouped_writes_are_committed_together_and_a_failed_one_leaves_the_others(
    archive, tmp_path
):
    group_commits(archive.db)
    archive.records.save(sample_record(SEED))
    with pytest.raises(sqlite3.IntegrityError), transaction(archive.db):
        archive.db.execute(
            "INSERT INTO records (url, record, first_seen_at, last_seen_at)"
            " VALUES ('http://half.example/', '{}', 'now', 'now')"
        )
        archive.db.execute("INSERT INTO records (url) VALUES (NULL)")  # record NOT NULL
    archive.records.save(sample_record(SEED_ORIGINAL))
    assert committed_urls(tmp_path) == []  # not yet: they wait for the group's commit
    commit_group(archive.db)
    assert committed_urls(tmp_path) == sorted([SEED, SEED_ORIGINAL])


def traced(db: sqlite3.Connection) -> list[str]:
    """The statements `db` runs from now on, as SQLite reports them."""
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    return statements


def refuse_fetch_of(db: sqlite3.Connection, url: str) -> None:
    """Make SQLite fail the write of `url`'s fetch, as a constraint would."""
    db.execute(
        "CREATE TEMP TRIGGER refused BEFORE INSERT ON fetches"
        f" WHEN NEW.url = '{url}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )


def committed_fetches(tmp_path) -> list[str]:
    with closing(sqlite3.connect(tmp_path / "archive" / "archive.sqlite3")) as db:
        return [row[0] for row in db.execute("SELECT url FROM fetches ORDER BY url")]


def test_a_grouped_fetch_of_one_url_is_one_statement_committed_with_the_group(archive, tmp_path):
    group_commits(archive.db)
    archive.records.save(sample_record(SEED))
    statements = traced(archive.db)
    archive.fetches.remember(SEED_ORIGINAL, "original", 200)
    assert [sql.split()[0] for sql in statements] == ["INSERT"]  # no savepoint around it
    assert committed_fetches(tmp_path) == []
    commit_group(archive.db)
    assert committed_fetches(tmp_path) == [SEED_ORIGINAL]
    assert committed_urls(tmp_path) == [SEED]


def test_a_grouped_fetch_that_fails_leaves_the_groups_other_writes(archive, tmp_path):
    group_commits(archive.db)
    archive.records.save(sample_record(SEED))
    refuse_fetch_of(archive.db, SEED_ORIGINAL)
    with pytest.raises(sqlite3.IntegrityError):
        archive.fetches.remember(SEED_ORIGINAL, "original", 200)
    archive.fetches.remember(SEED, "reprint", 200)
    commit_group(archive.db)
    assert committed_fetches(tmp_path) == [SEED]
    assert committed_urls(tmp_path) == [SEED]


def test_a_grouped_redirect_chain_is_remembered_whole_or_not_at_all(archive, tmp_path):
    group_commits(archive.db)
    refuse_fetch_of(archive.db, SEED_ORIGINAL)  # the chain's second URL
    with pytest.raises(sqlite3.IntegrityError):
        archive.fetches.remember([SEED, SEED_ORIGINAL], "reprint", 200)
    archive.fetches.remember(REPRINT_10598, "reprint", 200)
    commit_group(archive.db)
    assert committed_fetches(tmp_path) == [REPRINT_10598]  # not the chain's first URL alone


def test_an_ungrouped_fetch_is_committed_at_once(archive, tmp_path):
    archive.fetches.remember(SEED, "reprint", 200)
    assert committed_fetches(tmp_path) == [SEED]


def test_a_group_not_committed_when_the_process_dies_is_not_in_the_archive(tmp_path):
    script = (
        "import os, sys\n"
        "from conftest import sample_record\n"
        "from newsarchive.archive import Archive\n"
        "from newsarchive.archive.database import commit_group, group_commits\n"
        "archive = Archive(sys.argv[1])\n"
        "group_commits(archive.db)\n"
        f"archive.records.save(sample_record({SEED!r}))\n"
        "commit_group(archive.db)\n"
        f"archive.records.save(sample_record({SEED_ORIGINAL!r}))\n"
        "os._exit(9)  # killed: no commit, no close\n"
    )
    died = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "archive")],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
    )
    assert died.returncode == 9, died.stderr
    assert committed_urls(tmp_path) == [SEED]
    with Archive(tmp_path / "archive") as archive:
        assert archive.records.get(SEED_ORIGINAL) is None
        assert archive.records.get(SEED)["url"] == SEED


def test_a_check_encoded_where_it_was_made_is_stored_as_that_check(archive):
    """The crawl's worker hands over the check's JSON and the fields the store reads
    (compare_and_encode): stored, it reads back as the check compare_pair() makes of the same
    pair."""
    archive.records.save(sample_record(SEED))
    archive.records.save(sample_record(SEED_ORIGINAL))
    pair = pair_of(archive, SEED)
    saved, document = compare_and_encode(pair)
    assert saved == {
        name: json.loads(document)[name]
        for name in ("reprint_url", "original_url", "verdict", "checked_at")
    }
    assert archive.checks.save(saved, document) is True

    (stored,) = archive.checks.all()
    made_apart = compare_pair(pair)
    assert stored["verdict"] == made_apart["verdict"] == "faithful"
    assert {**stored, "checked_at": None} == {**made_apart, "checked_at": None}


# Documents: a record as stored ------------------------------------------------------------


@pytest.mark.parametrize("url", [SEED, SEED_ORIGINAL])
def test_a_record_is_stored_without_its_body_and_reads_back_whole(archive, url):
    record = sample_record(url)
    assert record["body"] == "\n".join(record["paragraphs"]) != ""
    archive.records.save(record)

    (stored,) = archive.db.execute("SELECT record FROM records").fetchone()
    assert "body" not in json.loads(stored)
    assert len(stored) < len(json.dumps(record, ensure_ascii=False)) - len(record["body"])
    read = archive.records.get(url)
    assert read == record | {"aliases": read["aliases"]}
    assert list(read)[: len(record)] == list(record)  # the fields in their order


def test_a_body_that_is_not_its_paragraphs_joined_is_stored_as_it_is():
    record = sample_record(SEED)
    record["body"] = record["body"] + "\n（本文有删节）"
    assert json.loads(documents.encode(record))["body"] == record["body"]
    assert documents.decode(documents.encode(record)) == record


def test_a_document_encoded_before_its_capture_is_completed_as_encode_writes_it():
    """A worker encodes a record before the crawl writes its WARC records; the pointer to them
    is the record's last field, null until then."""
    record = sample_record(SEED)
    assert list(record)[-1] == "capture" and record["capture"] is None
    capture = {
        "file": "newsarchive-20261201190000000-00000.warc.gz",
        "offset": 81920,
        "record_id": "<urn:uuid:7d1f3c2e-0000-4000-8000-00000000002a>",
    }
    early = documents.encode(record)
    completed = documents.with_capture(early, capture)
    assert completed == documents.encode(record | {"capture": capture})
    assert documents.decode(completed) == record | {"capture": capture}
    assert documents.with_capture(early, None) == early  # not captured: as it was
    reordered = {"capture": None, **{k: v for k, v in record.items() if k != "capture"}}
    assert documents.with_capture(documents.encode(reordered), capture) is None


def test_a_document_stored_with_its_body_reads_as_it_was():
    """An archive written before bodies were left out."""
    record = sample_record(SEED_ORIGINAL)
    assert documents.decode(json.dumps(record, ensure_ascii=False)) == record


def test_timestamps_are_utc_to_the_second_and_follow_the_clock():
    before = datetime.now(UTC).replace(microsecond=0)
    stamps = [utc_now(), utc_now()]
    after = datetime.now(UTC)
    for stamp in stamps:
        assert stamp.endswith("Z") and len(stamp) == len("2026-12-01T17:51:25Z")
        assert before <= datetime.fromisoformat(stamp) <= after
    time.sleep(1.05)
    assert utc_now() > stamps[-1]  # a second later: a new timestamp, not the one kept


def test_a_pair_sent_to_a_worker_leaves_the_bodies_behind_and_compares_the_same(archive):
    archive.records.save(sample_record(SEED))
    archive.records.save(sample_record(SEED_ORIGINAL))
    pair = pair_of(archive, SEED)
    sent = pickle.loads(pickle.dumps(pair))
    assert "body" in pair.reprint and "body" in pair.original  # the caller's own stay whole
    assert "body" not in sent.reprint and "body" not in sent.original
    assert sent.reprint["paragraphs"] == pair.reprint["paragraphs"]
    here, there = compare_pair(pair), compare_pair(sent)
    assert {**here, "checked_at": None} == {**there, "checked_at": None}
