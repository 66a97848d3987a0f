"""Scheduled runs over a sample web that changes between them: a copy of samples/ in which, for
the second run, a reprint is edited, an original is deleted and another moves. Real crawls on
the replay server, a real SQLite archive.

What each run must find is said by the edits made here, not by what the code printed."""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from test_cli import run

from newsarchive.archive import Archive
from newsarchive.crawl.incremental import Plan, Recheck

EDITED_REPRINT = "http://zjifz.org.cn/show-10595.html"
REMOVED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230221_2261035.html"
MOVED_ORIGINAL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230224_2262958.html"
MOVED_TO = "http://mw.nmg.gov.cn/zwdt/msdt/202302/t20230224_2262958.html"


def crawl(web, archive, *options):
    """One run; its --summary-json is summary-0.json, summary-1.json … in run order."""
    summary = archive.parent / f"summary-{len(list(archive.parent.glob('summary-*')))}.json"
    return run(
        "crawl", "--replay", str(web), "--archive", str(archive), "-q",
        "--summary-json", str(summary), *options,
    )  # fmt: skip


def export(archive, *options) -> list[dict]:
    result = run("export", "--archive", str(archive), *options)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs: the samples as they are, then the web after the edits, everything due."""
    base = tmp_path_factory.mktemp("incremental")
    web, archive = base / "web", base / "archive"
    shutil.copytree(SAMPLES, web, ignore=shutil.ignore_patterns("eval*"))
    first = crawl(web, archive)
    assert first.returncode == 0, first.stderr
    before = {record["url"]: record for record in export(archive)}
    # The edits: a number in the reprint's text, an original gone, another moved with a 301.
    page = web / "zjifz.org.cn/show-10595.html"
    page.write_bytes(page.read_bytes().replace("800万条".encode(), "900万条".encode()))
    (web / "mw.nmg.gov.cn/xw/msdt/202302/t20230221_2261035.html").unlink()
    moved = web / "mw.nmg.gov.cn/xw/msdt/202302/t20230224_2262958.html"
    target = web / "mw.nmg.gov.cn/zwdt/msdt/202302/t20230224_2262958.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(moved, target)
    moved.with_name(moved.name + ".headers.json").write_text(
        json.dumps({"status": 301, "headers": {"Location": MOVED_TO, "Content-Type": "text/html"}})
    )
    second = crawl(web, archive, "--recheck-after", "0")
    third = crawl(web, archive)  # nothing due any more
    return base, archive, first, second, third, before


def summary(base, index):
    return json.loads((base / f"summary-{index}.json").read_text("utf-8"))


def test_every_run_exits_as_it_should(runs):
    _, _, first, second, third, _ = runs
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert third.returncode == 0, third.stderr


def test_the_edited_reprint_is_a_second_version_saying_what_changed(runs):
    _, archive, *_, before = runs
    versions = [r for r in export(archive, "--all-versions") if r["url"] == EDITED_REPRINT]
    assert [v["version"] for v in versions] == [1, 2]
    assert "800万条" in versions[0]["body"] and "900万条" in versions[1]["body"]
    assert versions[0]["version_changes"] is None
    changes = versions[1]["version_changes"]
    assert changes["paragraphs_edited"] == 1
    assert (changes["paragraphs_added"], changes["paragraphs_removed"]) == (0, 0)
    assert "paragraphs" in changes["fields"]
    latest = next(r for r in export(archive) if r["url"] == EDITED_REPRINT)
    assert latest["body"] == versions[1]["body"]  # export gives the latest by default
    assert before[EDITED_REPRINT]["body"] == versions[0]["body"]


def test_export_since_the_second_run_holds_what_it_changed(runs):
    base, archive, *_ = runs
    changed = {record["url"] for record in export(archive, "--since-run", "2")}
    assert EDITED_REPRINT in changed
    assert REMOVED_ORIGINAL not in changed  # gone, not changed: its last capture stands
    assert len(changed) == summary(base, 1)["counts"]["new"] + summary(base, 1)["counts"]["changed"]
    assert export(archive, "--since-run", "3") == []
    first_started = summary(base, 0)["started_at"]
    assert {r["url"] for r in export(archive, "--changed-since", first_started)} >= changed


def test_the_edited_reprints_check_is_new_and_its_history_kept(runs):
    _, archive, *_ = runs
    with Archive(archive) as opened:
        history = opened.checks.history(EDITED_REPRINT)
    assert len(history) == 2
    numbers = history[1]["changed_numbers"]
    assert any(n["original"].startswith("800") and n["reprint"].startswith("900") for n in numbers)


def test_a_deleted_original_is_removed_with_its_last_capture_kept_and_compared(runs):
    _, archive, *_, before = runs
    db = sqlite3.connect(archive / "archive.sqlite3")
    states = db.execute(
        "SELECT state FROM state_changes WHERE url = ? ORDER BY rowid", (REMOVED_ORIGINAL,)
    ).fetchall()
    assert [row[0] for row in states] == ["ok", "removed"]
    kept = next(r for r in export(archive, "--kind", "original") if r["url"] == REMOVED_ORIGINAL)
    assert kept["body"] == before[REMOVED_ORIGINAL]["body"]
    naming = [
        c for c in export(archive, "--kind", "check") if c["original_url"] == REMOVED_ORIGINAL
    ]
    assert naming
    for check in naming:
        assert (check["original_status"], check["original_state"]) == ("available", "removed")
        assert check["verdict"] is not None  # compared with the last capture


def test_the_report_says_the_original_was_removed(runs, tmp_path):
    _, archive, *_ = runs
    result = run("report", "--archive", str(archive), "-o", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    pages = [p.read_text("utf-8") for p in (tmp_path / "report").rglob("*.html")]
    assert any("原文已删除" in page and "以下对照的是最后一次存档" in page for page in pages)


def test_a_moved_original_is_moved_with_its_new_url(runs):
    _, archive, *_ = runs
    db = sqlite3.connect(archive / "archive.sqlite3")
    row = db.execute(
        "SELECT state, final_url FROM original_states WHERE url = ?", (MOVED_ORIGINAL,)
    ).fetchone()
    assert row == ("moved", MOVED_TO)


def test_the_third_run_fetches_no_article_page(runs):
    base, archive, *_ = runs
    third = summary(base, 2)
    assert third["counts"]["new"] == third["counts"]["changed"] == 0
    db = sqlite3.connect(archive / "archive.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE run = 3").fetchone()[0] == 0
    assert third["counts"]["skipped"] > 0


def test_runs_lists_the_three_runs_and_shows_one(runs):
    _, archive, *_ = runs
    listed = json.loads(run("runs", "--archive", str(archive), "--format", "json").stdout)
    assert [r["run"] for r in listed] == [3, 2, 1]
    assert all(r["finish_reason"] == "finished" for r in listed)
    one = run("runs", "2", "--archive", str(archive))
    assert one.returncode == 0 and one.stdout.startswith("Run 2 (sites,")
    assert "http_404" in run("failures", "--archive", str(archive), "--run", "2").stdout
    missing = run("runs", "9", "--archive", str(archive))
    assert missing.returncode == 1 and "no run 9" in missing.stderr


def comparable(records: list[dict]) -> dict[str, dict]:
    """Records by URL without what differs between two fetches of the same page."""
    return {
        r["url"]: {k: v for k, v in r.items() if k not in ("fetched_at", "capture")}
        for r in records
    }


def slow_crawl(archive: Path, *settings: str, **popen) -> subprocess.Popen:
    """A crawl of the samples, a page at a time and 50 ms apart, so it can be hurt midway."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "--replay", "samples",
         "--archive", str(archive), "-q", "-s", "DOWNLOAD_DELAY=0.05", "-s",
         "CONCURRENT_REQUESTS_PER_DOMAIN=1", *settings],
        cwd=ROOT, **popen,
    )  # fmt: skip


def test_a_crawl_killed_and_rerun_ends_with_the_records_of_an_uninterrupted_one(tmp_path):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert run("crawl", "--replay", "samples", "--archive", str(whole), "-q").returncode == 0
    process = slow_crawl(
        killed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    database = killed / "archive.sqlite3"
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                stored = db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        except sqlite3.OperationalError:  # not created yet, or its tables not yet
            stored = 0
        if stored >= 10:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the crawl ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    with sqlite3.connect(database) as db:
        assert 10 <= db.execute("SELECT COUNT(*) FROM records").fetchone()[0] < 44
    rerun = run("crawl", "--replay", "samples", "--archive", str(killed), "-q")
    assert rerun.returncode == 0, rerun.stderr
    assert comparable(export(killed)) == comparable(export(whole))
    checks = {c["reprint_url"]: c["verdict"] for c in export(killed, "--kind", "check")}
    assert checks == {c["reprint_url"]: c["verdict"] for c in export(whole, "--kind", "check")}
    with sqlite3.connect(database) as db:
        reasons = [row[0] for row in db.execute("SELECT finish_reason FROM runs ORDER BY id")]
    assert reasons == ["interrupted", "finished"]


def worker_processes(pid: int) -> list[int]:
    """The crawl's worker processes (crawl/workers.py): its children that multiprocessing
    spawned, not the replay server or multiprocessing's resource tracker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def test_a_worker_killed_mid_crawl_loses_no_record_and_no_check(tmp_path):
    whole, hurt = tmp_path / "whole", tmp_path / "hurt"
    assert run("crawl", "--replay", "samples", "--archive", str(whole), "-q").returncode == 0
    process = slow_crawl(
        hurt,
        "-s",
        "NEWSARCHIVE_WORKERS=1",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline, workers = time.monotonic() + 60, []
    while time.monotonic() < deadline and process.poll() is None and not workers:
        workers = worker_processes(process.pid)
        time.sleep(0.05)
    assert workers, "no worker process was started"
    time.sleep(0.5)  # a few pages read by it
    assert process.poll() is None, "the crawl ended before its worker could be killed"
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "A worker process died" in err and "Traceback" not in err
    assert comparable(export(hurt)) == comparable(export(whole))
    checks = {c["reprint_url"]: c["verdict"] for c in export(hurt, "--kind", "check")}
    assert checks == {c["reprint_url"]: c["verdict"] for c in export(whole, "--kind", "check")}


def test_a_recheck_of_unchanged_pages_costs_a_304_each_and_stores_nothing(tmp_path):
    archive = tmp_path / "archive"
    assert crawl(SAMPLES, archive).returncode == 0
    second = crawl(SAMPLES, archive, "--recheck-after", "0")
    assert second.returncode == 0, second.stderr
    counts = json.loads((tmp_path / "summary-1.json").read_text("utf-8"))["counts"]
    with sqlite3.connect(archive / "archive.sqlite3") as db:
        records = db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        aliases = db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
        versions = db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    # Every archived page, and the page serving one under a second URL, is asked for with its
    # ETag and answered 304; the original that is gone is asked for plainly and is still 404.
    assert counts["not_modified"] >= records
    assert counts["not_modified"] <= records + aliases
    assert (counts["new"], counts["changed"], counts["skipped"]) == (0, 0, 0)
    assert versions == records  # one version each: nothing was stored again
    assert counts["failed_by_reason"].get("http_404") == 1


def test_a_site_whose_template_changed_is_a_quality_drop_and_exit_4(tmp_path):
    web, archive = tmp_path / "web", tmp_path / "archive"
    shutil.copytree(SAMPLES, web, ignore=shutil.ignore_patterns("eval*"))
    assert crawl(web, archive).returncode == 0
    # The site's new template shows no publication time on its article pages any more.
    changed = 0
    for page in (web / "zjifz.org.cn").glob("show-*.html"):
        html = page.read_bytes()
        edited = re.sub(rb"20\d\d-\d\d-\d\d \d\d:\d\d(:\d\d)?", b"", html)
        if edited != html:
            page.write_bytes(edited)
            changed += 1
    assert changed >= 5
    result = crawl(web, archive, "--recheck-after", "0")
    assert result.returncode == 4, result.stderr
    assert "Quality drop: zjifz.org.cn: time 100% → 0%" in result.stderr
    drops = json.loads((tmp_path / "summary-1.json").read_text("utf-8"))["quality_drops"]
    assert {"site": "zjifz.org.cn", "field": "time", "before": 1.0, "now": 0.0} in drops
    shown = run("runs", "2", "--archive", str(archive))
    assert "Quality drop: zjifz.org.cn: time" in shown.stdout


def test_failures_beyond_the_threshold_exit_3_and_within_it_0(tmp_path):
    web, archive = tmp_path / "web", tmp_path / "archive"
    shutil.copytree(SAMPLES, web, ignore=shutil.ignore_patterns("eval*"))
    page = web / "zjifz.org.cn/show-10598.html"
    page.with_name(page.name + ".headers.json").write_text('{"status": 500}')
    failing = crawl(web, archive)
    assert failing.returncode == 3, failing.stderr
    assert "http_500" in failing.stdout
    tolerant = crawl(web, tmp_path / "other", "-s", "NEWSARCHIVE_FAILURE_THRESHOLD=0.05")
    assert tolerant.returncode == 0, tolerant.stderr  # 1 page in about 70 is under 5%


def test_a_page_this_run_has_fetched_is_not_due_again_nor_counted_as_skipped(tmp_path):
    """Two links to one article in one run: the second is no page skipped as known."""
    recheck = Recheck(reprints=30 * 86400, originals=30 * 86400)
    url = "http://zjifz.org.cn/show-10595.html"
    with Archive(tmp_path / "archive") as archive:
        assert recheck.plan(archive, url, "reprint", run=2) == Plan(True)  # never asked for
        archive.fetches.remember(url, "reprint", 200, run=2)
        assert recheck.plan(archive, url, "reprint", run=2) == Plan(False, again=True)
        # A later run: fetched by another run (its record not stored), so asked for again.
        assert recheck.plan(archive, url, "reprint", run=3) == Plan(True)
