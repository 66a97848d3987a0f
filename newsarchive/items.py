"""The records newsarchive keeps: one Article per fetched page."""

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Article:
    """One article page, a reprint or a government original, as archived.

    Field names and order are a contract: exports and users' scripts depend on them.
    """

    url: str = field(metadata={"json_schema_extra": {"minLength": 1}})
    """Final URL of the page, after redirects."""
    kind: str | None = field(
        default=None, metadata={"json_schema_extra": {"enum": ["reprint", "original", None]}}
    )
    """`reprint` for a third-party copy, `original` for the page a reprint names as its source."""
    site: str | None = None
    """Host name of the URL, e.g. zjifz.org.cn."""
    site_name: str | None = None
    """Name the site gives itself, e.g. 宗教法治网 or the SiteName meta tag."""
    title: str | None = None
    """Article title as shown."""
    published_at: str | None = None
    """ISO 8601 at the precision shown: 2023-02-17T17:00:27+08:00, 2023-02-16T09:47+08:00 or 2023-03-20."""
    published_at_raw: str | None = None
    """The publication time exactly as the page shows it, e.g. 2023年03月15日 10:30."""
    source: str | None = None
    """来源 as shown; "" when the label is there but empty, null when there is no such label."""
    author: str | None = None
    """作者 as shown; "" when empty or 佚名, null when there is no such label."""
    category: str | None = None
    """Column the page belongs to: breadcrumb column or the ColumnName meta tag."""
    paragraphs: list[str] = field(default_factory=list)
    """Body paragraphs, whitespace collapsed; no navigation, disclaimers, footers or 原文链接 line."""
    body: str = ""
    """The paragraphs joined with newlines."""
    images: list[str] = field(default_factory=list)
    """Absolute URLs of the images in the body, in page order."""
    original_url: str | None = None
    """For a reprint, the URL its 原文链接 names; null when it names none."""
    meta: dict[str, str] = field(default_factory=dict)
    """Every <meta name=...> tag of the page (government page meta tags among them), by name."""
    encoding: str | None = None
    """Codec the page was decoded with, e.g. utf-8 or gb18030."""
    http_status: int | None = None
    """HTTP status of the response."""
    fetched_at: str | None = None
    """When the page was fetched, ISO 8601 in UTC."""
    content_hash: str | None = None
    """SHA-256 of the normalised body; equal for the same text under different URLs."""
    parser: str | None = None
    """Name of the page parser that produced the record, e.g. xunrui or trs_wcm."""
