"""`newsarchive reparse`: records and checks rebuilt from the WARC captures, fetching nothing.

The oracle is the crawl itself: what a crawl stored is what its captures, read again by the same
parsers, must give; a record spoiled in the database (as an older parser would have left it)
must come back as the crawl made it."""

import json
import sqlite3

import pytest
from conftest import SAMPLES
from test_cli import run


def export(archive, *options) -> list[dict]:
    result = run("export", "--archive", str(archive), *options)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("reparse") / "archive"
    result = run("crawl", "--replay", str(SAMPLES), "--archive", str(archive), "-q")
    assert result.returncode == 0, result.stderr
    return archive


def test_reparse_of_a_fresh_archive_rebuilds_every_record_as_it_is(crawled):
    before = export(crawled)
    result = run("reparse", "--archive", str(crawled))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Reparsed {len(before)} records from ")
    assert f"{len(before)} unchanged, 0 changed" in result.stdout
    assert export(crawled) == before


def test_a_record_an_older_parser_left_wrong_comes_back_as_a_new_version(crawled, tmp_path):
    url = "http://zjifz.org.cn/show-10595.html"
    right = next(r for r in export(crawled) if r["url"] == url)
    with sqlite3.connect(crawled / "archive.sqlite3") as db:
        (document,) = db.execute("SELECT record FROM records WHERE url = ?", (url,)).fetchone()
        spoiled = json.loads(document) | {"title": "旧解析器的标题", "source": None}
        db.execute(
            "UPDATE records SET record = ?, fingerprint = 'old' WHERE url = ?",
            (json.dumps(spoiled, ensure_ascii=False), url),
        )
    result = run("reparse", "--archive", str(crawled))
    assert result.returncode == 0, result.stderr
    assert "1 changed (a new version)" in result.stdout
    rebuilt = next(r for r in export(crawled) if r["url"] == url)
    assert rebuilt == right
    versions = [r for r in export(crawled, "--all-versions") if r["url"] == url]
    assert versions[-1]["version_changes"]["fields"] == ["source", "title"]


def test_the_captures_replay_offline_from_one_warc_file(crawled, tmp_path):
    files = sorted((crawled / "warc").glob("*.warc.gz"))
    assert len(files) == 1  # under NEWSARCHIVE_WARC_MAX_BYTES: one file
    again = tmp_path / "again"
    result = run(
        "crawl", "--replay", str(files[0]), "--sites", str(SAMPLES / "sites.toml"),
        "--archive", str(again), "-q",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr

    def comparable(records):
        return [{k: v for k, v in r.items() if k not in ("fetched_at", "capture")} for r in records]

    assert comparable(export(again)) == comparable(export(crawled))


def test_reparse_without_captures_is_one_clear_line(tmp_path):
    archive = tmp_path / "archive"
    assert run("crawl", "--replay", str(SAMPLES), "--archive", str(archive), "-q",
               "-s", "NEWSARCHIVE_WARC_ENABLED=False").returncode == 0  # fmt: skip
    result = run("reparse", "--archive", str(archive))
    assert result.returncode == 1
    assert result.stderr.strip() == f"newsarchive reparse: no WARC files in {archive / 'warc'}"
