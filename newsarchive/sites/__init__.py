"""Sites to crawl, read from a TOML file of site profiles.

A profile names a site, its CMS family (the spider that crawls it) and its start URLs:

    [[site]]
    name = "宗教法治网"
    family = "xunrui"
    start_urls = ["http://zjifz.org.cn/list-zjsp.html"]

`samples/sites.toml` lists the sample web's sites; `crawl --replay samples` reads it.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SITES_FILE = "sites.toml"
FAMILIES = ("xunrui",)


class SiteError(Exception):
    """A profile that cannot be used; the message names the file, the site and the field."""


@dataclass(frozen=True)
class Site:
    name: str
    family: str
    start_urls: tuple[str, ...]


def _site(path: Path, index: int, table: dict) -> Site:
    name = table.get("name")
    where = f"{path}: site {name!r}" if isinstance(name, str) and name else f"{path}: site #{index}"
    if not isinstance(name, str) or not name:
        raise SiteError(f"{where}: name: missing")
    family = table.get("family")
    if family not in FAMILIES:
        raise SiteError(f"{where}: family: {family!r} is not one of {', '.join(FAMILIES)}")
    urls = table.get("start_urls")
    if not isinstance(urls, list) or not urls:
        raise SiteError(f"{where}: start_urls: give a list of at least one URL")
    for url in urls:
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise SiteError(f"{where}: start_urls: {url!r} is not an http(s) URL")
    return Site(name, family, tuple(urls))


def load_sites(path: Path) -> list[Site]:
    """Every profile in a sites file, checked; SiteError names what is wrong."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SiteError(f"{path}: {error.strerror or error}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SiteError(f"{path}: not valid TOML: {error}") from error
    tables = document.get("site", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise SiteError(f"{path}: write each site as a [[site]] table")
    return [_site(Path(path), index, table) for index, table in enumerate(tables, 1)]
