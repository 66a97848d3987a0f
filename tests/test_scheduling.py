"""Scheduled runs as shipped (deploy/): a real scrapyd running the egg scrapyd-deploy builds, the
systemd units, the cron line, and what a rerun's feed export holds.

Every crawl here goes through the replay server on 127.0.0.1; nothing reaches the internet.
"""

import argparse
import configparser
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode
from urllib.request import ProxyHandler, build_opener

import pytest
from conftest import ROOT, SAMPLES

from newsarchive.archive.lock import CrawlLock
from newsarchive.cli import build_parser
from newsarchive.commands.crawl import choose_sites, crawl_settings
from newsarchive.replay.process import ReplayProcess
from newsarchive.sites import DEFAULT_SITES, load_sites

BIN = Path(sys.executable).parent  # this environment's console scripts
DEPLOY = ROOT / "deploy"
SERVICE = DEPLOY / "systemd/newsarchive-crawl.service"
TIMER = DEPLOY / "systemd/newsarchive-crawl.timer"
CRON = DEPLOY / "cron/newsarchive"
PROJECT = "newsarchive"
# Not copied into the tree scrapyd-deploy builds from: nothing of the egg, and the build's
# own leftovers (setup.py writes build/ and *.egg-info beside itself).
NOT_BUILT_FROM = {".git", "build", "archive", "samples", "tests", "bench", "mutants", "deploy"}
# As `newsarchive crawl --replay` does: replayed pages need no politeness.
REPLAYED = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
# Incremental runs skip pages fetched lately; a rerun here must fetch every page again, so that
# what leaves the feed is the dedupe pipeline's doing.
REFETCH_ALL = ["-s", "NEWSARCHIVE_REFRESH=True"]
SCRAPYD_TIMEOUT = 300
LOCAL = build_opener(ProxyHandler({}))  # loopback only, whatever proxy the environment names


def clean_environment(home: Path) -> dict[str, str]:
    """This environment without newsarchive's variables, proxies or the user's config files:
    the settings under test come from the command or the schedule request only."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("NEWSARCHIVE_")
        and name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    return environment | {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, fields: list[tuple[str, str]] | None = None) -> dict:
    """GET (or POST `fields` to) a scrapyd endpoint; its JSON answer."""
    data = urlencode(fields).encode() if fields is not None else None
    with LOCAL.open(url, data=data, timeout=10) as response:
        return json.load(response)


def archived(directory: Path) -> set[tuple[str, str, str]]:
    """(kind, url, content_hash) of every record of an archive."""
    database = directory / "archive.sqlite3"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return set(connection.execute("SELECT kind, url, content_hash FROM records"))


def failures(directory: Path) -> set[tuple[str, str]]:
    database = directory / "archive.sqlite3"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return set(connection.execute("SELECT url, reason FROM failures"))


def newsarchive(*arguments: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", *arguments],
        cwd=cwd,
        env=clean_environment(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def unit(path: Path) -> configparser.ConfigParser:
    """A systemd unit file's sections; keys keep their case, a repeated key its last value."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string(path.read_text("utf-8"))
    return parser


def crawl_command(command: str) -> tuple[str, argparse.Namespace]:
    """A scheduled command line: its executable, and its arguments as `newsarchive` parses
    them, checked as `newsarchive crawl` checks them before it starts."""
    executable, *arguments = shlex.split(command)
    args = build_parser().parse_args(arguments)
    assert args.command == "crawl"
    choose_sites(args, crawl_settings(args))  # raises on anything the crawl would refuse
    return executable, args


# scrapyd ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The checkout's files an egg is built from, in a directory of their own: scrapyd-deploy
    runs `setup.py clean -a` and `bdist_egg` beside them, which must not touch the checkout."""
    tree = tmp_path_factory.mktemp("project")

    def skipped(directory: str, names: list[str]) -> set[str]:
        top = Path(directory) == ROOT
        return {
            name
            for name in names
            if name == "__pycache__"
            or name.endswith(".egg-info")
            or (top and (name in NOT_BUILT_FROM or name.startswith(".")))
        }

    shutil.copytree(ROOT, tree, ignore=skipped, dirs_exist_ok=True)
    return tree


@pytest.fixture(scope="module")
def egg(project, tmp_path_factory) -> Path:
    built = tmp_path_factory.mktemp("egg") / "newsarchive.egg"
    result = subprocess.run(
        [BIN / "scrapyd-deploy", "--build-egg", str(built)],
        cwd=project,
        env=clean_environment(project),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return built


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """A real scrapyd on a free loopback port, in a directory of its own; stopped with every
    job it started."""
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "jobs_dir =\n"
        # Default 5 s: a scheduled job waits up to that long before it starts.
        "poll_interval = 0.5\n"
    )
    url = f"http://127.0.0.1:{port}/"
    with (home / "scrapyd.out").open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"],
            cwd=home,  # scrapyd reads ./scrapyd.conf
            env=clean_environment(home),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its jobs join its process group, stopped with it
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (home / "scrapyd.out").read_text()
            try:
                if call(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (home / "scrapyd.out").read_text()
            time.sleep(0.2)
        yield SimpleNamespace(url=url, home=home, port=port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def replay():
    """`newsarchive replay samples` in a process of its own, as a scrapyd job reaches it."""
    with ReplayProcess(SAMPLES) as server:
        yield server


@pytest.fixture(scope="module")
def oracle(tmp_path_factory) -> Path:
    """The archive `newsarchive crawl --replay samples` makes: what any scheduler must get."""
    directory = tmp_path_factory.mktemp("oracle")
    newsarchive(
        "crawl", "--replay", str(SAMPLES), "--archive", str(directory / "archive"), "-q",
        cwd=directory, home=directory,
    )  # fmt: skip
    return directory / "archive"


def wait_finished(scrapyd, job: str) -> None:
    deadline = time.monotonic() + SCRAPYD_TIMEOUT
    while time.monotonic() < deadline:
        jobs = call(f"{scrapyd.url}listjobs.json?project={PROJECT}")
        if any(finished["id"] == job for finished in jobs["finished"]):
            return
        time.sleep(0.5)
    raise AssertionError(f"scrapyd job {job} did not finish in {SCRAPYD_TIMEOUT} s")


def test_scrapy_cfg_deploys_to_a_local_scrapyd():
    config = configparser.ConfigParser()
    config.read(ROOT / "scrapy.cfg")
    assert config["settings"]["default"] == "newsarchive.settings"
    assert dict(config["deploy"]) == {"url": "http://127.0.0.1:6800/", "project": PROJECT}


def test_the_egg_holds_the_package_with_its_spiders_pipelines_and_data(egg):
    egg_zip = zipfile.ZipFile(egg)
    names = set(egg_zip.namelist())
    for name in (
        "newsarchive/settings.py",
        "newsarchive/spiders/sites.py",
        "newsarchive/pipelines/store.py",
        "newsarchive/sites/default.toml",
        "newsarchive/schema/article.schema.json",
        "newsarchive/schema/reprint_check.schema.json",
        "newsarchive/output/templates/pair.html.j2",
        "newsarchive/output/static/report.css",
        "newsarchive/output/static/report.js",
    ):
        assert name in names
    assert {name.split("/")[0] for name in names} == {"newsarchive", "EGG-INFO"}
    entry_points = configparser.ConfigParser()
    entry_points.read_string(egg_zip.read("EGG-INFO/entry_points.txt").decode())
    assert entry_points["scrapy"]["settings"] == "newsarchive.settings"


def egg_probe(egg: Path, code: str, home: Path) -> subprocess.CompletedProcess:
    """Run `code` with the egg activated as scrapyd's runner activates it, in a process of its
    own (pkg_resources warns on import, which this test run turns into errors)."""
    return subprocess.run(
        [sys.executable, "-c", f"from scrapyd.runner import activate_egg\n"
         f"activate_egg({str(egg)!r})\n{code}"],
        cwd=home,
        env=clean_environment(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip


def test_scrapyd_imports_the_project_and_its_templates_from_the_egg(egg, tmp_path):
    probe = egg_probe(
        egg,
        "import os, newsarchive, newsarchive.spiders.sites\n"
        "from newsarchive.output.report import STATIC\n"
        "from jinja2 import Environment, PackageLoader\n"
        "PackageLoader('newsarchive.output', 'templates')"
        ".get_source(Environment(), 'pair.html.j2')\n"
        "assert (STATIC / 'report.css').read_text()\n"
        "print(newsarchive.spiders.sites.__file__)\n"
        "print(os.environ['SCRAPY_SETTINGS_MODULE'])\n",
        tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == [f"{egg}/newsarchive/spiders/sites.py", "newsarchive.settings"]


def test_scrapyd_reads_the_default_sites_from_the_egg(egg, tmp_path):
    probe = egg_probe(
        egg,
        "from newsarchive.sites import DEFAULT_SITES, load_sites\n"
        "print(DEFAULT_SITES)\n"
        "print(*sorted(site.name for site in load_sites(DEFAULT_SITES)), sep='\\n')\n",
        tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    where, *names = probe.stdout.splitlines()
    assert where == f"{egg}/newsarchive/sites/default.toml"
    assert names
    assert names == sorted(site.name for site in load_sites(DEFAULT_SITES))


@pytest.fixture(scope="module")
def deployed(scrapyd, project, tmp_path_factory) -> dict:
    """scrapyd's answer to `scrapyd-deploy` with the shipped [deploy] target, its url pointed
    at this test's scrapyd."""
    config = configparser.ConfigParser()
    config.read(project / "scrapy.cfg")
    config["deploy"]["url"] = scrapyd.url
    with (project / "scrapy.cfg").open("w") as file:
        config.write(file)
    result = subprocess.run(
        [BIN / "scrapyd-deploy"],
        cwd=project,
        env=clean_environment(tmp_path_factory.mktemp("deploy")),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


def run_job(scrapyd, settings: dict[str, str]) -> tuple[str, str]:
    """Schedule the sites spider with these settings and wait for its end: the job's id and
    its log."""
    job = call(
        scrapyd.url + "schedule.json",
        [("project", PROJECT), ("spider", "sites")]
        + [("setting", f"{name}={value}") for name, value in settings.items()],
    )
    assert job["status"] == "ok", job
    wait_finished(scrapyd, job["jobid"])
    log = scrapyd.home / "logs" / PROJECT / "sites" / f"{job['jobid']}.log"
    return job["jobid"], log.read_text("utf-8") if log.exists() else "(no log file)"


def job_settings(archive: Path, replay) -> dict[str, str]:
    return {
        "NEWSARCHIVE_ARCHIVE": str(archive),
        "NEWSARCHIVE_REPLAY_PROXY": replay.proxy_url,
        "NEWSARCHIVE_SITES_FILE": str(SAMPLES / "sites.toml"),
        "NEWSARCHIVE_SITES": "*",  # `newsarchive crawl --all-sites` (none would too)
        "NEWSARCHIVE_TRIGGER": "scrapyd",
        **REPLAYED,
    }


def launcher_line(scrapyd, job: str) -> str:
    """What scrapyd's launcher logged of the job's process ending."""
    lines = (scrapyd.home / "scrapyd.out").read_text("utf-8").splitlines()
    [line] = [line for line in lines if f"job='{job}'" in line and "Process started" not in line]
    return line


def test_scrapyd_deploy_uploads_the_project_and_its_spider(scrapyd, deployed):
    assert (deployed["status"], deployed["project"], deployed["spiders"]) == ("ok", PROJECT, 1)
    spiders = call(f"{scrapyd.url}listspiders.json?project={PROJECT}")
    assert spiders["spiders"] == ["sites"], spiders


def test_scrapyd_runs_the_deployed_crawl_as_newsarchive_crawl_does(
    scrapyd, deployed, replay, oracle, tmp_path
):
    archive = tmp_path / "archive"
    job, log = run_job(scrapyd, job_settings(archive, replay))
    assert (archive / "archive.sqlite3").is_file(), log[-5000:]
    expected = archived(oracle)
    assert {kind for kind, _, _ in expected} == {"reprint", "original"}
    assert archived(archive) == expected, log[-5000:]
    assert failures(archive) == failures(oracle), log[-5000:]
    assert "Spider closed (finished)" in log
    assert "Process finished:" in launcher_line(scrapyd, job)
    with sqlite3.connect(archive / "archive.sqlite3") as db:
        assert db.execute("SELECT trigger, finish_reason FROM runs").fetchall() == [
            ("scrapyd", "finished")
        ]


def test_a_scrapyd_job_on_a_busy_archive_dies_naming_the_running_crawl(
    scrapyd, deployed, replay, tmp_path
):
    archive = tmp_path / "archive"
    archive.mkdir()
    lock = CrawlLock.acquire(archive, "the test")
    try:
        job, log = run_job(scrapyd, job_settings(archive, replay))
    finally:
        lock.release()
    assert f"another crawl is writing to {archive.resolve()}" in log
    assert "Process died: exitstatus=1" in launcher_line(scrapyd, job)


# Feed exports on reruns ------------------------------------------------------------------


def run_stats(directory: Path) -> list[dict]:
    database = directory / "archive.sqlite3"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return [
            json.loads(stats)
            for (stats,) in connection.execute("SELECT stats FROM runs ORDER BY id")
        ]


def deduplicated(stats: dict) -> int:
    """Articles the dedupe pipeline dropped in a run: unchanged ones and aliases."""
    return stats.get("newsarchive/dedupe/unchanged", 0) + stats.get("newsarchive/dedupe/alias", 0)


def feed_records(feed: Path) -> list[dict]:
    return [json.loads(line) for line in feed.read_text("utf-8").splitlines()]


def test_a_rerun_feed_holds_only_new_and_changed_records(tmp_path):
    samples = tmp_path / "samples"
    shutil.copytree(SAMPLES, samples)
    archive, feed = tmp_path / "archive", tmp_path / "feed.jsonl"
    # `overwrite`: each run writes the feed anew; a local file is appended to without it.
    feeds = json.dumps({str(feed): {"format": "jsonlines", "overwrite": True}})

    def crawl(*extra: str) -> None:
        newsarchive(
            "crawl", "--replay", str(samples), "--archive", str(archive), "-q",
            "-s", f"FEEDS={feeds}", *extra,
            cwd=tmp_path, home=tmp_path,
        )  # fmt: skip

    crawl()
    # Every record stored, under the URL it was fetched at (the archive keeps canonical ones).
    first = feed_records(feed)
    assert {record["content_hash"] for record in first} == {
        content_hash for _, _, content_hash in archived(archive)
    }

    crawl(*REFETCH_ALL)
    assert feed.read_text("utf-8") == ""
    # Every article of the first run reached the dedupe pipeline again and was dropped: the
    # pipeline emptied the feed, not a crawl that fetched less. (Which of an article's two
    # URLs comes first decides whether the first run stored the second URL as a move, in the
    # feed, or dropped it as an alias.)
    first_run, second_run = run_stats(archive)
    assert first_run.get("item_scraped_count") == len(first)
    assert "item_scraped_count" not in second_run
    assert deduplicated(second_run) == deduplicated(first_run) + len(first)

    page = samples / "zjifz.org.cn/show-10595.html"
    page.write_bytes(page.read_bytes().replace("细化实化127项".encode(), "细化实化128项".encode()))
    crawl(*REFETCH_ALL)
    [changed] = feed_records(feed)
    assert changed["url"] == "http://zjifz.org.cn/show-10595.html"
    assert "细化实化128项" in changed["body"]


# systemd ---------------------------------------------------------------------------------

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (apt-get install systemd; .ci/run does)",
)


def test_the_service_runs_a_crawl_into_the_directory_it_may_write():
    service = unit(SERVICE)["Service"]
    executable, args = crawl_command(service["ExecStart"])
    assert Path(executable).name == "newsarchive"
    assert args.all_sites and args.quiet
    assert service["Type"] == "oneshot"
    assert service["User"] == "newsarchive"
    assert service["Environment"] == "NEWSARCHIVE_TRIGGER=systemd"
    assert service["ProtectSystem"] == "strict"
    assert service["NoNewPrivileges"] == service["PrivateTmp"] == "yes"
    assert args.archive == Path(service["ReadWritePaths"])
    assert args.archive == Path("/var/lib") / service["StateDirectory"]


def test_systemctl_stop_signals_the_crawl_alone():
    """SIGTERM to the crawl's process only (KillMode=mixed), not to its workers too, which do
    not ignore it: the crawl stops gracefully and stops them (test_cli's signal tests)."""
    assert unit(SERVICE)["Service"]["KillMode"] == "mixed"


def test_the_timer_starts_the_service_every_6_hours():
    timer = unit(TIMER)
    assert "Unit" not in timer["Timer"]  # so it starts the service of its own name
    assert TIMER.stem == SERVICE.stem
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["RandomizedDelaySec"]
    assert timer["Install"]["WantedBy"] == "timers.target"


@needs_systemd
def test_systemd_analyze_verifies_the_units(tmp_path):
    # An alternate root, so that ExecStart's /opt/newsarchive/bin/newsarchive exists (this
    # environment's own script) and nothing of this machine's /etc is read.
    root = tmp_path / "root"
    executable, _ = crawl_command(unit(SERVICE)["Service"]["ExecStart"])
    installed = root / executable.lstrip("/")
    installed.parent.mkdir(parents=True)
    shutil.copy2(BIN / "newsarchive", installed)
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for path in (SERVICE, TIMER):
        shutil.copy2(path, root / "etc/systemd/system" / path.name)
    result = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", "--man=no", SERVICE.name, TIMER.name],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # verify exits 0 on an unknown key or a bad value, which it only prints.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@needs_systemd
def test_systemd_rates_the_service_hardened():
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=25", str(SERVICE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Exposure 1.7 ("OK") with systemd 252; past 2.5 the command fails.
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


@needs_systemd
def test_systemd_calendar_elapses_every_6_hours():
    result = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=5", unit(TIMER)["Timer"]["OnCalendar"]],
        env=os.environ | {"TZ": "UTC"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    elapses = [
        datetime.strptime(match, "%Y-%m-%d %H:%M:%S")
        for match in re.findall(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", result.stdout)
    ]
    assert len(elapses) == 5, result.stdout
    assert {later - earlier for earlier, later in itertools.pairwise(elapses)} == {
        datetime(2000, 1, 1, 6) - datetime(2000, 1, 1)
    }
    assert {elapse.hour for elapse in elapses} <= {0, 6, 12, 18}


# cron ------------------------------------------------------------------------------------

CRON_FIELDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]  # minute, hour, day, month, weekday


def cron_values(field: str, low: int, high: int) -> set[int]:
    """The values a crontab time field matches: `*`, `N` or `N-M`, a range with `/STEP`, and
    lists of them."""
    values = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = low, high
        else:
            first, dash, last = span.partition("-")
            assert dash or not step, f"{field!r}: a step needs a range"
            first, last = int(first), int(last or first)
        assert low <= first <= last <= high, f"{field!r} is outside {low}-{high}"
        values |= set(range(first, last + 1, int(step or 1)))
    return values


def cron_file() -> tuple[dict[str, str], list[list[str]]]:
    """A cron.d file's variables and its job lines (five time fields, user, command)."""
    variables, jobs = {}, []
    for line in CRON.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if re.match(r"[A-Za-z_]\w*\s*=", line):
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
        else:
            jobs.append(line.split(None, 6))
    return variables, jobs


def test_the_cron_file_is_one_cron_d_can_read():
    # cron(8) reads only files named like this in /etc/cron.d (no dots), and needs every
    # entry to end with a newline.
    assert re.fullmatch(r"[A-Za-z0-9_-]+", CRON.name)
    assert CRON.read_bytes().endswith(b"\n")
    # An unescaped % in a command is a newline to cron: what follows it goes to stdin.
    assert all("%" not in command for *_, command in cron_file()[1])


def test_cron_crawls_every_6_hours_as_the_service_does():
    variables, jobs = cron_file()
    assert variables["NEWSARCHIVE_TRIGGER"] == "cron"
    [[*times, user, command]] = jobs
    assert len(times) == 5
    minute, hour, day, month, weekday = (
        cron_values(field, low, high) for field, (low, high) in zip(times, CRON_FIELDS, strict=True)
    )
    assert len(minute) == 1
    assert hour == {0, 6, 12, 18}
    assert (day, month, weekday) == (set(range(1, 32)), set(range(1, 13)), set(range(8)))
    executable, args = crawl_command(command)
    service_executable, service_args = crawl_command(unit(SERVICE)["Service"]["ExecStart"])
    assert (user, executable, args) == (
        unit(SERVICE)["Service"]["User"],
        service_executable,
        service_args,
    )


@pytest.mark.parametrize(
    ("field", "low", "high", "values"),
    [
        ("*/6", 0, 23, {0, 6, 12, 18}),
        ("17", 0, 59, {17}),
        ("1-5", 0, 7, {1, 2, 3, 4, 5}),
        ("0,30", 0, 59, {0, 30}),
        ("3-23/6", 0, 23, {3, 9, 15, 21}),
        ("*", 1, 12, set(range(1, 13))),
    ],
)
def test_cron_values_reads_the_fields_as_cron_does(field, low, high, values):
    assert cron_values(field, low, high) == values
