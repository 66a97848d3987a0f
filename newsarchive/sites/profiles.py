"""Site profiles: the reprint sites a crawl visits, read from TOML, checked before any request.

    [[site]]
    name = "宗教法治网"                        # required, unique
    family = "xunrui"                          # required: a CMS family (families.py)
    start_urls = ["http://zjifz.org.cn/list-zjsp.html"]   # required: list pages
    hosts = ["zjifz.org.cn", "www.zjifz.org.cn"]          # default: the start URLs' hosts
    sitemaps = ["http://zjifz.org.cn/sitemap.xml"]        # sitemap.xml or .txt, optional
    feeds = ["http://zjifz.org.cn/rss.xml"]               # RSS or Atom, optional
    article_urls = ['/show-\\d+\\.html$']     # regexes, instead of the family's
    list_urls = ['/list-\\w+(-\\d+)?\\.html$']
    pager = [".pages"]                          # CSS, instead of the family's
    download_delay = 2.0                        # politeness, instead of the settings'
    concurrency = 1
    follow_originals = true                     # fetch each reprint's 原文链接 (default)
    recheck_after = "30d"                       # refetch a known reprint after this long
    stop_at_known = true                        # no further list pages past one all known

    [site.fields]                               # a field read by selector, not the parser
    title = "css:h1.title::text"
    source = "xpath://span[@class='ly']/text()"

A mistake is refused with a message naming the file, the site and the field.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cssselect import SelectorError
from parsel import Selector

from newsarchive.crawl.incremental import parse_duration
from newsarchive.sites.families import FAMILIES, Family

FIELDS = (
    "title",
    "published_at_raw",
    "source",
    "author",
    "editor",
    "category",
    "site_name",
    "original_url",
    "body",
)
_KEYS = {
    "name",
    "family",
    "start_urls",
    "hosts",
    "sitemaps",
    "feeds",
    "article_urls",
    "list_urls",
    "pager",
    "download_delay",
    "concurrency",
    "follow_originals",
    "recheck_after",
    "stop_at_known",
    "fields",
}


class SiteError(Exception):
    """A profile that cannot be used; the message names the file, the site and the field."""


@dataclass(frozen=True)
class Site:
    name: str
    family: Family
    start_urls: tuple[str, ...]
    hosts: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_urls: tuple[str, ...] = ()
    list_urls: tuple[str, ...] = ()
    pager: tuple[str, ...] = ()
    download_delay: float | None = None
    concurrency: int | None = None
    follow_originals: bool = True
    recheck_after: float | None = None  # seconds; None: NEWSARCHIVE_RECHECK_AFTER
    stop_at_known: bool | None = None  # None: NEWSARCHIVE_STOP_AT_KNOWN
    fields: dict[str, str] = field(default_factory=dict)

    def owns(self, url: str) -> bool:
        """Whether a URL is on one of the site's hosts (its port too, if it names one)."""
        parts = urlsplit(url)
        return parts.netloc.lower() in self.hosts or (parts.hostname or "") in self.hosts


def _http_urls(where: str, name: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
        raise SiteError(f"{where}: {name}: give a list of URLs")
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SiteError(f"{where}: {name}: {url!r} is not an http(s) URL")
    return tuple(value)


def _patterns(where: str, name: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SiteError(f"{where}: {name}: give a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as error:
            raise SiteError(
                f"{where}: {name}: {pattern!r} is not a regular expression: {error}"
            ) from None
    return tuple(value)


def _css_list(where: str, name: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SiteError(f"{where}: {name}: give a list of CSS selectors")
    for selector in value:
        try:
            Selector(text="<html></html>").css(selector)
        except (ValueError, SelectorError) as error:
            raise SiteError(
                f"{where}: {name}: {selector!r} is not a CSS selector: {error}"
            ) from None
    return tuple(value)


def _selectors(where: str, value) -> dict[str, str]:
    if not isinstance(value, dict):
        raise SiteError(f'{where}: fields: give a table of field = "css:…" or "xpath:…"')
    probe = Selector(text="<html></html>")
    for name, selector in value.items():
        if name not in FIELDS:
            raise SiteError(
                f"{where}: fields.{name}: not a field a selector can give "
                f"(one of {', '.join(FIELDS)})"
            )
        kind, _, query = str(selector).partition(":")
        try:
            if kind == "css":
                probe.css(query)
            elif kind == "xpath":
                probe.xpath(query)
            else:
                raise ValueError("start it with css: or xpath:")
        except (ValueError, SelectorError) as error:
            raise SiteError(f"{where}: fields.{name}: {selector!r}: {error}") from None
    return dict(value)


def _site(path: Path, index: int, table: dict) -> Site:
    name = table.get("name")
    where = f"{path}: site {name!r}" if isinstance(name, str) and name else f"{path}: site #{index}"
    if not isinstance(name, str) or not name.strip():
        raise SiteError(f"{where}: name: missing")
    if unknown := sorted(set(table) - _KEYS):
        raise SiteError(f"{where}: {unknown[0]}: not a profile field")
    family = FAMILIES.get(table.get("family"))
    if family is None:
        raise SiteError(
            f"{where}: family: {table.get('family')!r} is not one of {', '.join(FAMILIES)}"
        )
    starts = _http_urls(where, "start_urls", table.get("start_urls"))
    if not starts:
        raise SiteError(f"{where}: start_urls: give at least one URL")
    hosts = table.get("hosts", [urlsplit(url).netloc for url in starts])
    if not isinstance(hosts, list) or not all(isinstance(host, str) and host for host in hosts):
        raise SiteError(f"{where}: hosts: give a list of host names")
    delay, concurrency = table.get("download_delay"), table.get("concurrency")
    if delay is not None and (not isinstance(delay, int | float) or delay < 0):
        raise SiteError(f"{where}: download_delay: give seconds, 0 or more")
    if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
        raise SiteError(f"{where}: concurrency: give a whole number, 1 or more")
    for flag in ("follow_originals", "stop_at_known"):
        if not isinstance(table.get(flag, True), bool):
            raise SiteError(f"{where}: {flag}: give true or false")
    recheck = table.get("recheck_after")
    if recheck is not None:
        try:
            recheck = parse_duration(recheck)
        except ValueError as error:
            raise SiteError(f"{where}: recheck_after: {error}") from None
    return Site(
        name=name.strip(),
        family=family,
        start_urls=starts,
        hosts=tuple(host.lower() for host in hosts),
        sitemaps=_http_urls(where, "sitemaps", table.get("sitemaps", [])),
        feeds=_http_urls(where, "feeds", table.get("feeds", [])),
        article_urls=_patterns(where, "article_urls", table.get("article_urls", [])),
        list_urls=_patterns(where, "list_urls", table.get("list_urls", [])),
        pager=_css_list(where, "pager", table.get("pager", [])),
        download_delay=delay,
        concurrency=concurrency,
        follow_originals=table.get("follow_originals", True),
        recheck_after=recheck,
        stop_at_known=table.get("stop_at_known"),
        fields=_selectors(where, table.get("fields", {})),
    )


def load_sites(path: Path) -> list[Site]:
    """Every profile in a sites file, checked; SiteError names what is wrong. `path` may be
    a package resource (the default sites, inside a zipped egg too)."""
    path = Path(path) if isinstance(path, str) else path
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SiteError(f"{path}: {error.strerror or error}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SiteError(f"{path}: not valid TOML: {error}") from error
    tables = document.get("site", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise SiteError(f"{path}: write each site as a [[site]] table")
    sites = [_site(path, index, table) for index, table in enumerate(tables, 1)]
    names = [site.name for site in sites]
    if duplicate := next((name for name in names if names.count(name) > 1), None):
        raise SiteError(f"{path}: site {duplicate!r}: name: used twice")
    return sites


def adhoc_site(start_urls: list[str], family: str) -> Site:
    """A site given by its start pages alone (`crawl --start URL`), of a known family."""
    where = "--start"
    starts = _http_urls(where, "start_urls", list(start_urls))
    if family not in FAMILIES:
        raise SiteError(f"{where}: family: {family!r} is not one of {', '.join(FAMILIES)}")
    hosts = tuple(dict.fromkeys(urlsplit(url).netloc.lower() for url in starts))
    return Site(name=hosts[0], family=FAMILIES[family], start_urls=starts, hosts=hosts)


def choose(sites: list[Site], names: list[str], path: Path) -> list[Site]:
    """The sites named (all of them for none); an unknown name is refused, naming the file."""
    if not names:
        return sites
    by_name = {site.name: site for site in sites}
    if unknown := [name for name in names if name not in by_name]:
        raise SiteError(
            f"{path}: no site named {unknown[0]!r} (there are: {', '.join(by_name) or 'none'})"
        )
    return [by_name[name] for name in names]
