import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from newsarchive.cli import build_parser, main
from newsarchive.commands.crawl import exit_status
from newsarchive.items import CHECK_SCHEMA_PATH, SCHEMA_PATH
from newsarchive.settings import EXTENSIONS

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


def test_parse_with_an_unknown_url_uses_generic_extraction(capsys):
    page = str(SAMPLES / "mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html")
    assert main(["parse", page, "--url", "http://example.com/a.html"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["parser"] == "generic"
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
    for way in ("--site NAME", "--all-sites", "--start URL", "--replay samples"):
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
    assert checked.stdout.startswith("Checked 36 reprints"), checked.stderr
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
        ("finished", ["refused_address", "robots_forbidden"], 0),
        ("finished", ["robots_unavailable"], 3),
        ("finished", [("http_404", "start")], 3),  # a start page is never a fact to accept
        ("finished", ["http_404", "http_500"], 3),
        ("finished", ["ignored"], 3),
        ("finished", ["timeout"], 3),
        ("shutdown", [], 130),  # Ctrl-C or SIGTERM: stopped, not failed
        ("shutdown", ["http_500"], 130),
        ("closespider_archive_full", [], 1),
    ],
)
def test_exit_status_tells_a_scheduler_what_happened(finish_reason, reasons, status):
    run_row = {"finish_reason": finish_reason}
    failures = [
        failure(*reason) if isinstance(reason, tuple) else failure(reason) for reason in reasons
    ]
    assert exit_status(run_row, failures) == status


# Bad input: one line on stderr, no traceback -----------------------------------------------


def assert_one_line_error(result: subprocess.CompletedProcess, status: int, text: str) -> None:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    assert text in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_archive_path_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "archive"
    blocker.write_text("not a directory")
    for command in (["export"], ["check"], ["crawl", "--replay", "samples"]):
        result = run(*command, "--archive", str(blocker))
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_an_archive_where_nothing_can_be_written_is_a_clear_error():
    result = run("crawl", "--replay", "samples", "--archive", "/proc/newsarchive-archive")
    assert_one_line_error(result, 1, "cannot open the archive at /proc/newsarchive-archive")


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    (tmp_path / "archive.sqlite3").write_bytes(b"\x00garbage" * 512)
    for command in ("export", "check", "report", "verify"):
        assert_one_line_error(run(command, "--archive", str(tmp_path)), 1, "not a database")


def test_verbose_shows_the_traceback(tmp_path):
    (tmp_path / "archive.sqlite3").write_bytes(b"\x00garbage" * 512)
    result = run("export", "-v", "--archive", str(tmp_path))
    assert result.returncode == 1 and "Traceback" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY takes a number, like its default 1.0"),
        ("CONCURRENT_REQUESTS=many", "CONCURRENT_REQUESTS takes a whole number"),
        ("ROBOTSTXT_OBEY=perhaps", "ROBOTSTXT_OBEY takes true or false"),
    ],
)
def test_a_setting_of_the_wrong_type_is_a_usage_error(tmp_path, setting, message):
    result = run("crawl", "--replay", "samples", "--archive", str(tmp_path), "-s", setting)
    assert_one_line_error(result, 2, message)


@pytest.mark.parametrize(
    "start", ["zjifz.org.cn/list-zjsp.html", "file:///etc/passwd", "ftp://zjifz.org.cn/", "http://"]
)
def test_a_start_url_that_is_not_http_is_a_usage_error(tmp_path, start):
    result = run("crawl", "--start", start, "--archive", str(tmp_path))
    assert_one_line_error(result, 2, "give an http:// or https:// URL")


def test_export_into_a_missing_folder_creates_it(tmp_path, crawled_archive):
    out = tmp_path / "new" / "folder" / "records.jsonl"
    result = run("export", "--archive", str(crawled_archive), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert len(out.read_text("utf-8").splitlines()) == 44


def test_export_onto_a_directory_is_a_clear_error(tmp_path, crawled_archive):
    result = run("export", "--archive", str(crawled_archive), "-o", str(tmp_path))
    assert_one_line_error(result, 1, "Is a directory")


@pytest.fixture(scope="module")
def crawled_archive(tmp_path_factory) -> Path:
    archive = tmp_path_factory.mktemp("archive")
    assert run("crawl", "--replay", "samples", "--archive", str(archive), "-q").returncode == 0
    return archive


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\n\x00\x00", "is a binary file"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is not an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
        (
            "<html><body><ul><li>列表</li></ul></body></html>".encode(),
            "does not look like an article",
        ),
    ],
)
def test_parse_refuses_what_is_not_an_article_page(tmp_path, content, message):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    assert_one_line_error(run("parse", str(page)), 1, message)


def test_parse_of_a_list_page_is_refused():
    result = run("parse", str(SAMPLES / "zjifz.org.cn/list-zjsp.html"))
    assert_one_line_error(result, 1, "does not look like an article")


def test_compare_reads_gbk_text_files(tmp_path):
    original, reprint = tmp_path / "o.txt", tmp_path / "r.txt"
    original.write_bytes("王堃主持会议，参与300万人次。\n".encode("gb18030"))
    reprint.write_bytes("王堃主持会议,参与300万人次。\n".encode("gb18030"))
    result = run("compare", str(reprint), str(original))
    assert result.returncode == 0, result.stderr
    assert "Verdict   faithful" in result.stdout


def test_compare_refuses_a_binary_file(tmp_path):
    binary = tmp_path / "r.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00")
    text = tmp_path / "o.txt"
    text.write_text("正文。", encoding="utf-8")
    assert_one_line_error(run("compare", str(binary), str(text)), 1, "is a binary file")


def sample_crawl(archive: Path, *args: str, **options) -> subprocess.Popen:
    """`newsarchive crawl --replay samples -q` into `archive`, started with its output piped;
    `options` go to Popen (start_new_session, env)."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "--replay", "samples",
         "--archive", str(archive), "-q", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )  # fmt: skip


def probed_crawl(tmp_path: Path, *flags: str) -> dict:
    """The sample crawl with tests/logprobe.py: the log records it made, by level and by
    logger, from the making of its extensions to the spider's close."""
    counts = tmp_path / "counts.json"
    extensions = {**EXTENSIONS, "tests.logprobe.LogProbe": 0}
    crawl = sample_crawl(
        tmp_path / "archive", *flags,
        "-s", f"EXTENSIONS={json.dumps(extensions)}", "-s", f"LOG_PROBE_FILE={counts}",
    )  # fmt: skip
    out, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, err
    assert "records new        44" in out
    return json.loads(counts.read_text())


@pytest.fixture(scope="module")
def verbose_probe(tmp_path_factory) -> dict:
    """The log records a verbose sample crawl made (probed_crawl), for the tests that read
    them."""
    return probed_crawl(tmp_path_factory.mktemp("verbose"), "-v")


def test_a_quiet_crawl_makes_no_log_record_below_a_warning_while_it_fetches(tmp_path):
    """Scrapy's DEBUG lines of every page and item, and its INFO ones, are not even made:
    their loggers, held at the crawl's level, stop them before they are built."""
    made = probed_crawl(tmp_path)
    assert made["running"] == {}  # the samples' crawl warns of nothing
    assert "DEBUG" not in made["levels"]
    assert made["loggers"]["scrapy.middleware"] >= 1  # the probe heard the start-up lines


def test_a_verbose_crawl_makes_its_info_records_and_no_debug_one(verbose_probe):
    assert set(verbose_probe["running"]) == {"INFO"}  # "Closing spider (finished)", at least
    assert "DEBUG" not in verbose_probe["levels"]


def test_a_crawl_opens_neither_scrapys_telnet_console_nor_its_remote_control(verbose_probe):
    """Both run Python code sent to a port on this machine, the remote control's token in a
    file of the user's profile: not for a crawler of pages nobody here controls. Each logs
    the port it listens on as it starts, at INFO."""
    loggers = verbose_probe["loggers"]
    assert "scrapy.extensions.telnet" not in loggers
    assert "scrapy.extensions.remote_control" not in loggers
    assert "scrapy.core.engine" in loggers  # the probe hears INFO records


@pytest.mark.parametrize("delay", [0.1, 0.3, 0.5, 0.8])
def test_ctrl_c_at_any_moment_of_start_up_is_one_line(tmp_path, delay):
    """Ctrl-C while Python imports, while the replay server starts, while Scrapy builds the
    crawler or runs it: sent to the process group, as a terminal does."""
    process = sample_crawl(tmp_path, start_new_session=True)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    if process.returncode == 0:  # the crawl had already finished: all of it is there
        assert "records new        44" in out
    else:
        assert process.returncode == 130
        assert err.strip().splitlines()[-1].startswith("newsarchive")
        assert "interrupted" in err.strip().splitlines()[-1]


def interrupted_crawl(
    archive: Path, moment: str, signame: str, times: int = 1, hold: float = 0, group: bool = False
):
    """A crawl of the samples that sends itself `signame` at `moment` (tests/interrupting.py),
    in a session of its own: its process group is the crawl and its workers."""
    extensions = {**EXTENSIONS, "tests.interrupting.Interrupt": 0}
    with sample_crawl(
        archive,
        "-s", f"EXTENSIONS={json.dumps(extensions)}", "-s", f"INTERRUPT_AT={moment}",
        "-s", f"INTERRUPT_SIGNAL={signame}", "-s", f"INTERRUPT_TIMES={times}",
        "-s", f"INTERRUPT_HOLD={hold}", "-s", f"INTERRUPT_GROUP={group}",
        start_new_session=True,
    ) as process:  # fmt: skip
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()  # a hung crawl fails the test, as subprocess.run's timeout does
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def assert_interrupted(process: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in process.stderr
    assert process.returncode == 130, process.stderr
    assert "interrupted" in process.stderr.strip().splitlines()[-1]
    assert "records new        44" not in process.stdout  # stopped, not run to its end
    assert "worker process died" not in process.stderr  # the workers take no signal


@pytest.mark.parametrize(
    ("moment", "signame", "hold", "group"),
    [
        ("spider_opened", "SIGINT", 0, False),  # the archive's run has begun, not the engine
        ("engine_started", "SIGINT", 0, False),  # as the engine starts
        ("engine_started", "SIGINT", 0.3, False),  # the engine held from running: Scrapy's
        # own stop, asked then, leaves it to run, and the crawl only ends when the reactor does
        ("response_received", "SIGINT", 0, False),  # mid-crawl
        ("response_received", "SIGTERM", 0, False),  # a scheduler stops the crawl
        ("response_received", "SIGINT", 0, True),  # a terminal's Ctrl-C, to the workers too
    ],
)
def test_a_signal_at_any_moment_of_the_crawl_stops_it_gracefully(
    tmp_path, moment, signame, hold, group
):
    """The crawl sends itself the signal at that exact moment: it ends with 130 and one
    line, never an error, a hang or a traceback, and its spider closes, so the archive's
    run is finished as one that was shut down."""
    assert_interrupted(interrupted_crawl(tmp_path, moment, signame, hold=hold, group=group))
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        runs = db.execute("SELECT finish_reason, finished_at IS NOT NULL FROM runs").fetchall()
    assert runs == [("shutdown", 1)]


def test_a_second_signal_stops_the_crawl_at_once(tmp_path):
    """Ctrl-C twice, once the first record is stored: the reactor stops without waiting for
    the spider to close (the run is left for the next one to mark interrupted), and that is
    an interruption too. What the summary counts as stored is in the archive: the writes
    still waiting for their group's commit are committed, not lost with the process."""
    process = interrupted_crawl(tmp_path, "item_scraped", "SIGINT", times=2)
    assert_interrupted(process)
    stored = int(re.search(r"records new +(\d+)", process.stdout).group(1))
    assert stored >= 1
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (stored,)
        finished = db.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL")
        assert finished.fetchone() == (0,)


@pytest.mark.parametrize("run_began", [True, False])
def test_a_crawl_stopped_without_a_finish_reason_is_an_interruption(
    tmp_path, monkeypatch, capsys, run_began
):
    """A second Ctrl-C stops the reactor at once, and Scrapy then records no finish reason;
    before the archive's run began, there is no run either. The crawl's end is given as
    Scrapy leaves it: still an interruption, 130, not an error."""
    from scrapy.utils.test import get_crawler

    from newsarchive.commands import crawl as command

    crawler = get_crawler()
    if run_began:
        crawler.stats.set_value("newsarchive/run", 1)
    monkeypatch.setattr(command, "run_crawl", lambda args, settings: (crawler, 0.4, True))
    start = ["--start", "http://zjifz.org.cn/list-zjsp.html"]
    assert main(["crawl", *start, "--archive", str(tmp_path), "-q"]) == 130
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("newsarchive crawl: interrupted")


def test_ctrl_c_while_the_command_line_is_built_is_one_line(monkeypatch, capsys):
    """Before main() has parsed a command, no command's handler can name it: the entry point
    reports the interrupt itself. The window is a few milliseconds, hit only by chance by
    test_ctrl_c_at_any_moment_of_start_up_is_one_line; here the parser meets a Ctrl-C."""
    from newsarchive import cli, entry

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    monkeypatch.setattr(sys, "argv", ["newsarchive", "sites"])
    handler = signal.getsignal(signal.SIGINT)
    try:
        assert entry.run() == 130
    finally:
        signal.signal(signal.SIGINT, handler)  # run() leaves Ctrl-C ignored, for the exit
    assert capsys.readouterr().err == "newsarchive: interrupted\n"


def test_ctrl_c_while_the_process_exits_changes_nothing(tmp_path):
    """Once the summary is out, the crawl is done: Ctrl-C after it, again and again while
    Python shuts down, leaves the exit status the crawl decided."""
    with sample_crawl(
        tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # each line as it is printed
    ) as process:
        line = ""
        while not line.startswith("Checks"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
        while process.poll() is None:
            process.send_signal(signal.SIGINT)
            time.sleep(0.005)
        err = process.stderr.read()
    assert process.returncode == 0, err
    assert "Traceback" not in err


def sigint_disposition(pid: int) -> str | None:
    """ "ignored" or "caught" as /proc/PID/status gives SIGINT's disposition; None while it is
    neither (a process still starting) or once the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    masks = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    bit = 1 << (signal.SIGINT - 1)
    for name, disposition in (("SigIgn", "ignored"), ("SigCgt", "caught")):
        if int(masks[name], 16) & bit:
            return disposition
    return None


def is_worker(pid: int) -> bool:
    """A process multiprocessing spawned to run a task (not its resource tracker, which
    ignores SIGINT by itself, once it has started)."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_ctrl_c_during_check_is_one_line_from_its_workers_too(tmp_path, crawled_archive):
    """A terminal's Ctrl-C reaches `check`'s worker processes as well. They start with it
    ignored, so that, sent once they run Python, it gives the command's one line and none of
    theirs (each would print a KeyboardInterrupt traceback)."""
    archive = tmp_path / "archive"
    shutil.copytree(crawled_archive, archive)
    with subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "check", "--archive", str(archive),
         "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:  # fmt: skip
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 30
        known: list[str] = []
        # Both workers started, and the command's own Ctrl-C no longer ignored as it is
        # while it starts one (a signal's disposition is the whole process's).
        while len(known) < 2 or sigint_disposition(process.pid) != "caught":
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            workers = [pid for pid in map(int, children.read_text().split()) if is_worker(pid)]
            known = [d for d in map(sigint_disposition, workers) if d is not None]
            time.sleep(0.002)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert known == ["ignored"] * len(known)
    assert "Traceback" not in err
    assert process.returncode == 130, (out, err)
    assert err.strip().splitlines() == ["newsarchive check: interrupted"]
