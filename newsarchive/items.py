"""The records newsarchive keeps, one Article per page and one ReprintCheck per reprint, and
their JSON Schemas (generated from the dataclasses and their field docstrings)."""

from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

# The schemas as committed (tests keep them equal to what the dataclasses generate).
SCHEMA_PATH = Path(__file__).with_name("schema") / "article.schema.json"
CHECK_SCHEMA_PATH = Path(__file__).with_name("schema") / "reprint_check.schema.json"


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
    """ISO 8601 at the precision shown: 2023-02-17T17:00:27+08:00, 2023-02-16T09:47+08:00 or
    2023-03-20."""
    published_at_raw: str | None = None
    """The publication time exactly as the page shows it, e.g. 2023年03月15日 10:30."""
    source: str | None = None
    """来源 as shown; "" when the label is there but empty, null when there is no such label."""
    author: str | None = None
    """作者 as shown; "" when empty or 佚名, null when there is no such label."""
    editor: str | None = None
    """责任编辑 (or 编辑, 责编) as shown; null when the page names none."""
    category: str | None = None
    """Column the page belongs to: breadcrumb column or the ColumnName meta tag."""
    paragraphs: list[str] = field(default_factory=list)
    """Body paragraphs, whitespace collapsed; no navigation, disclaimers, footers or the
    原文链接 line."""
    body: str = ""
    """The paragraphs joined with newlines."""
    images: list[str] = field(default_factory=list)
    """Absolute URLs of the images in the body, in page order."""
    attachments: list[dict[str, str]] = field(default_factory=list)
    """[{url, text}]: files the article links (PDF, Word, Excel, OFD, archives), absolute URLs
    with their link text, in page order."""
    document: dict[str, str] | None = None
    """The 信息公开 table of a government document (索引号, 发布机构, 文号, 成文日期, 发布日期,
    主题分类, 有效性), by those names; null on other pages."""
    pages: list[str] = field(default_factory=list)
    """For an article split over several pages, the URL of each page, in order; its text is
    all of theirs. Empty for a one-page article."""
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
    charset_declared: dict[str, str] = field(default_factory=dict)
    """Encoding labels the page gives, as written: header (Content-Type), bom, meta."""
    charset_conflict: bool = False
    """Whether those labels disagree with each other or with the bytes; the page is then
    decoded as what its bytes are (see `encoding`)."""
    replacement_characters: int = 0
    """U+FFFD in the decoded page: above 0, some bytes fit no encoding and the text is not
    clean."""
    aliases: list[str] = field(default_factory=list)
    """Other URLs that served the same article (a dynamic URL, a redirect); filled by the
    archive on export, empty as parsed."""
    capture: dict[str, Any] | None = None
    """Where the response this record was read from is kept, as received: {file, offset,
    record_id} of its WARC response record in the archive's warc/ directory; null when it was
    not captured (parsed from a saved file, or WARC writing off)."""


@dataclass(kw_only=True)
class ReprintCheck:
    """How faithfully a reprint copies its original: one per reprint, recomputed at will.

    Field names are a contract, like Article's.
    """

    reprint_url: str = field(metadata={"json_schema_extra": {"minLength": 1}})
    """URL of the reprint record."""
    original_url: str | None = None
    """URL of the original record compared with, or the 原文链接 named when there is none."""
    verdict: str | None = field(
        default=None,
        metadata={"json_schema_extra": {"enum": ["faithful", "edited", "unrelated", None]}},
    )
    """`faithful` (no edit beyond formatting), `edited` (any edit) or `unrelated` (not the same
    article); null when there is no original to compare with."""
    flags: list[str] = field(default_factory=list)
    """Findings, from: missing_paragraphs, added_paragraphs, changed_paragraphs, changed_numbers,
    reordered, title_changed, source_unattributed, no_original_link, original_unavailable,
    published_before_original."""
    coverage: float | None = None
    """Share of the original's text (punctuation aside) found in the reprint, 0 to 1."""
    purity: float | None = None
    """Share of the reprint's text (punctuation aside) found in the original, 0 to 1."""
    similarity: float | None = None
    """Overall similarity of the two texts, 0 to 1."""
    title: dict = field(default_factory=dict)
    """{reprint, original, equal}: titles as shown; equal after normalisation and without site
    suffixes such as -新华网."""
    attribution: dict = field(default_factory=dict)
    """{source, original_url, publisher, names_publisher}: what the reprint says of its source,
    who published the original, and whether the two agree (null when it cannot be told)."""
    lag_seconds: int | None = None
    """Reprint time minus original time; whole days when either side gives a date only."""
    lag_precision: str | None = None
    """Precision of lag_seconds: second, minute or day."""
    original_status: str | None = None
    """available, unavailable (fetch failed: see original_failure), not_fetched or none (no
    link)."""
    original_failure: str | None = None
    """Why the original could not be had, e.g. http_404."""
    changed_numbers: list[dict] = field(default_factory=list)
    """[{original, reprint, context}]: numbers, dates and 文号 that differ, e.g. 300 -> 3000."""
    paragraphs: list[dict] = field(default_factory=list)
    """[{status, original_index, reprint_index, original_text, reprint_text, diff}]: status kept,
    changed, missing, added or moved; a paragraph split or merged in the reprint is one entry
    (indices name its first paragraph in the record's paragraphs, texts join its paragraphs with
    newlines). Texts are as
    the records have them; diff runs [op, text] (= same, - cut, + added) are read on the
    folded copies, where punctuation width and quote style are not edits."""
    boilerplate: dict = field(default_factory=dict)
    """{reprint, original}: captions, credit and editor lines, disclaimers, compared apart."""
    checked_at: str | None = None
    """When the check was computed, ISO 8601 in UTC."""
    original_state: str | None = field(
        default=None,
        metadata={
            "json_schema_extra": {
                "enum": ["ok", "moved", "removed", "unreachable", "blocked", None]
            }
        },
    )
    """What became of the original when it was last asked for: ok, moved (served from another
    URL), removed (404, 410), unreachable (timeouts, 5xx) or blocked (403, robots.txt); null
    when it was never asked for. A removed original's last capture is still what is compared."""
    original_state_since: str | None = None
    """Since when the original has been in that state (UTC)."""


def _schema(item_class: type) -> dict[str, Any]:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": item_class.__name__,
    }
    schema |= ItemAdapter.get_json_schema(item_class)
    for spec in schema["properties"].values():  # field docstrings wrap; descriptions do not
        spec["description"] = " ".join(spec.get("description", "").split())
    return schema


@cache
def article_schema() -> dict[str, Any]:
    return _schema(Article)


@cache
def check_schema() -> dict[str, Any]:
    return _schema(ReprintCheck)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def record_of(item: Article) -> dict[str, Any]:
    """The item as the dict the archive stores.

    Shallow: Article's fields are plain strings, lists and dicts, and asdict()'s deep copy
    cost more than parsing a page's paragraphs in the benchmark (bench/crawl.py). Read by
    field name, not through ItemAdapter, which cost 45 µs a call, four calls an item.
    """
    if type(item) is Article:
        return {name: getattr(item, name) for name in _ARTICLE_FIELDS}
    return dict(ItemAdapter(item))
