import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from newsarchive.cli import build_parser, main
from newsarchive.commands.crawl import exit_status
from newsarchive.items import CHECK_SCHEMA_PATH, SCHEMA_PATH

COMMANDS = ["crawl", "export", "parse", "replay", "schema", "check", "compare", "report"]


def run(*args: str, cwd: Path = ROOT, **environment: str) -> subprocess.CompletedProcess:
    """The real command in a subprocess; `environment` adds variables (NEWSARCHIVE_ARCHIVE)."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=os.environ | environment,
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([command, "--help"] if command else ["--help"])
    assert exit_info.value.code == 0
    assert "usage: newsarchive" in capsys.readouterr().out


def test_parse_prints_the_record_of_a_saved_sample(capsys):
    assert main(["parse", str(SAMPLES / "zjifz.org.cn/show-10595.html")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["url"] == "http://zjifz.org.cn/show-10595.html"
    assert record["parser"] == "xunrui"
    assert len(record["content_hash"]) == 64 and record["fetched_at"] is None


def test_parse_with_an_unknown_url_uses_the_fallback_parser(capsys):
    page = str(SAMPLES / "mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html")
    assert main(["parse", page, "--url", "http://example.com/a.html"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["parser"] == "fallback"
    assert record["title"] == "呼和浩特“三个结合”扎实开展民族团结进步创建"  # from ArticleTitle


def test_parse_of_a_missing_file_is_a_clear_error(capsys, tmp_path):
    assert main(["parse", str(tmp_path / "nope.html")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_export_without_an_archive_is_a_clear_error(tmp_path):
    result = run("export", "--archive", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "no archive at" in result.stderr and "Traceback" not in result.stderr


def test_export_rejects_a_malformed_since_date(tmp_path):
    result = run("export", "--archive", str(tmp_path), "--since", "yesterday")
    assert result.returncode == 2
    assert "not a date" in result.stderr


def test_schema_command_prints_the_committed_schemas():
    schemas = json.loads(run("schema").stdout)
    assert schemas["Article"] == json.loads(SCHEMA_PATH.read_text("utf-8"))
    assert schemas["ReprintCheck"] == json.loads(CHECK_SCHEMA_PATH.read_text("utf-8"))


def test_crawl_of_a_missing_replay_directory_is_a_clear_error(tmp_path):
    result = run("crawl", "--replay", str(tmp_path / "nothing"), "--archive", str(tmp_path / "a"))
    assert result.returncode == 1
    assert "replay directory not found" in result.stderr and "Traceback" not in result.stderr


def test_crawl_with_an_unknown_spider_is_a_clear_error(tmp_path):
    result = run("crawl", "--spider", "nope", "--replay", "samples", "--archive", str(tmp_path))
    assert result.returncode == 2
    assert "unknown spider 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_compare_two_text_files_prints_the_changed_number(tmp_path):
    original, reprint = tmp_path / "original.txt", tmp_path / "reprint.txt"
    original.write_text("近年来，参与300万人次。\n第二段没有变化。\n", encoding="utf-8")
    reprint.write_text("近年来,参与3000万人次。\n\n第二段没有变化。\n", encoding="utf-8")

    text = run("compare", str(reprint), str(original))
    assert text.returncode == 0, text.stderr
    assert "Verdict   edited" in text.stdout
    assert "300 → 3000" in text.stdout and "[-300-]{+3000+}" in text.stdout

    check = json.loads(run("compare", str(reprint), str(original), "--format", "json").stdout)
    assert (check["verdict"], check["flags"]) == (
        "edited",
        ["changed_numbers", "changed_paragraphs"],
    )


def test_compare_saved_pages_writes_one_html_page(tmp_path):
    page = tmp_path / "check.html"
    result = run(
        "compare",
        str(SAMPLES / "zjifz.org.cn/show-10595.html"),
        str(SAMPLES / "mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"),
        "--format",
        "html",
        "-o",
        str(page),
    )
    assert result.returncode == 0, result.stderr
    html = page.read_text("utf-8")
    assert (
        "Content-Security-Policy" in html and "呼和浩特“三个结合”扎实开展民族团结进步创建" in html
    )


def test_check_and_report_commands_need_an_archive(tmp_path):
    for command in ("check", "report"):
        result = run(command, "--archive", str(tmp_path / "none"))
        assert result.returncode == 1 and "no archive at" in result.stderr


def test_version_names_the_installed_release():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsarchive {version('newsarchive')}"


def test_a_setting_without_a_value_is_a_usage_error(tmp_path):
    result = run("crawl", "--replay", "samples", "--archive", str(tmp_path), "-s", "DOWNLOAD_DELAY")
    assert result.returncode == 2
    assert "-s takes NAME=VALUE, got 'DOWNLOAD_DELAY'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_real_crawl_with_nothing_configured_says_what_to_configure(tmp_path):
    result = run("crawl", "--archive", str(tmp_path / "a"))
    assert result.returncode == 2
    assert "nothing to crawl" in result.stderr
    for way in ("--start URL", "NEWSARCHIVE_XUNRUI_START_URLS", "--replay samples"):
        assert way in result.stderr
    assert not (tmp_path / "a").exists()


def test_archive_option_and_setting_that_disagree_are_a_usage_error(tmp_path):
    result = run(
        "crawl",
        "--replay",
        "samples",
        "--archive",
        str(tmp_path / "a"),
        "-s",
        f"NEWSARCHIVE_ARCHIVE={tmp_path / 'b'}",
    )
    assert result.returncode == 2
    assert "disagree" in result.stderr


def test_the_archive_setting_is_where_the_crawl_writes_and_what_its_summary_names(tmp_path):
    archive = tmp_path / "set-by-s"
    result = run(
        "crawl",
        "--replay",
        str(SAMPLES),
        "-q",
        "-s",
        f"NEWSARCHIVE_ARCHIVE={archive}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"Archive {archive / 'archive.sqlite3'}:" in result.stdout
    assert (archive / "archive.sqlite3").is_file()
    assert not (tmp_path / "archive").exists()


def test_every_command_reads_the_archive_named_by_the_environment(tmp_path):
    archive = tmp_path / "from-env"
    crawled = run(
        "crawl", "--replay", str(SAMPLES), "-q", cwd=tmp_path, NEWSARCHIVE_ARCHIVE=str(archive)
    )
    assert crawled.returncode == 0, crawled.stderr
    assert f"Archive {archive / 'archive.sqlite3'}:" in crawled.stdout
    assert not (tmp_path / "archive").exists()
    exported = run("export", "--kind", "original", cwd=tmp_path, NEWSARCHIVE_ARCHIVE=str(archive))
    assert len(exported.stdout.splitlines()) == 8, exported.stderr
    checked = run("check", cwd=tmp_path, NEWSARCHIVE_ARCHIVE=str(archive))
    assert checked.stdout.startswith("Checked 22 reprints"), checked.stderr
    reported = run(
        "report", "-o", str(tmp_path / "r"), cwd=tmp_path, NEWSARCHIVE_ARCHIVE=str(archive)
    )
    assert reported.returncode == 0 and (tmp_path / "r/index.html").is_file(), reported.stderr


def test_export_refuses_filters_that_cannot_apply(tmp_path):
    result = run("export", "--archive", str(tmp_path), "--kind", "check", "--since", "2023-01-01")
    assert result.returncode == 2 and "not checks" in result.stderr
    result = run("export", "--archive", str(tmp_path), "--excel")
    assert result.returncode == 2 and "--format csv only" in result.stderr


def failure(reason: str, stage: str = "fetch") -> dict:
    return {"reason": reason, "stage": stage, "url": "http://a.gov.cn/t20230101_1.html"}


@pytest.mark.parametrize(
    ("finish_reason", "reasons", "status"),
    [
        ("finished", [], 0),
        ("finished", ["http_404", "http_410", "unsupported_scheme"], 0),  # the sites' facts
        ("finished", ["http_404", "http_500"], 3),
        ("finished", ["ignored"], 3),
        ("finished", ["timeout"], 3),
        ("shutdown", [], 1),
        ("shutdown", ["http_410"], 1),
    ],
)
def test_exit_status_tells_a_scheduler_what_happened(finish_reason, reasons, status):
    run_row = {"finish_reason": finish_reason}
    assert exit_status(run_row, [failure(reason) for reason in reasons]) == status
