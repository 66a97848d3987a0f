"""The wheel: spiders and pipelines inside the package, data files included, and a crawl
that runs from the installed copy in any directory."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from newsarchive.archive import Archive


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("newsarchive-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into a directory of its own (dependencies from this environment)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def test_the_wheel_has_no_top_level_spiders_or_pipelines(wheel):
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"newsarchive"}


def test_the_wheel_holds_spiders_pipelines_templates_styles_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "newsarchive/spiders/sites.py",
        "newsarchive/sites/default.toml",
        "newsarchive/pipelines/store.py",
        "newsarchive/output/templates/pair.html.j2",
        "newsarchive/output/static/report.css",
        "newsarchive/output/static/report.js",
        "newsarchive/schema/article.schema.json",
        "newsarchive/schema/reprint_check.schema.json",
    ):
        assert name in names


def test_the_installed_copy_crawls_the_samples_from_any_directory(installed, tmp_path):
    environment = os.environ | {"PYTHONPATH": str(installed)}
    which = subprocess.run(
        [sys.executable, "-c", "import newsarchive; print(newsarchive.__file__)"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert which.stdout.startswith(str(installed))
    crawl = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "--replay", str(SAMPLES), "-q"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert crawl.returncode == 0, crawl.stderr
    assert "records new        44" in crawl.stdout
    assert (tmp_path / "archive/archive.sqlite3").is_file()


def test_scrapy_lists_the_spiders_from_a_checkout():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sites"]


def test_scrapy_crawl_from_a_checkout_archives_through_the_pipelines(replay_server, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "sites",
            "-s",
            "NEWSARCHIVE_START_URLS=http://zjifz.org.cn/list-zjsp-2.html",
            "-s",
            "NEWSARCHIVE_START_FAMILY=xunrui",
            "-s",
            f"NEWSARCHIVE_REPLAY_PROXY={replay_server.proxy_url}",
            "-s",
            f"NEWSARCHIVE_ARCHIVE={tmp_path}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with Archive(tmp_path) as archive:
        counts = archive.counts()
    # The pager leads back to page 1: all ten reprints of zjifz.org.cn, and the originals of
    # all but 10603 (names none) and 10604 (its original answers 404).
    assert (counts["reprint"], counts["original"]) == (10, 8)


def test_every_package_of_the_tree_is_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (ROOT / "newsarchive").rglob("__init__.py"):
        assert f"{init.relative_to(ROOT)}" in names, init
