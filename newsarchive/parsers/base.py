"""What every page object shares: the response, meta tags, paragraphs and item assembly."""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar
from urllib.parse import urlsplit

from lxml import etree, html
from scrapy.http import TextResponse

from newsarchive.items import Article
from newsarchive.parsers.charset import REPLACEMENT, charset_conflict, declared_charsets
from newsarchive.parsers.pagination import continuation_urls
from newsarchive.parsers.text import clean_text, parse_cn_datetime

# Text of an element without the CSS and scripts some editors leave inside the body.
# Compiled once, and run on lxml's elements: parsel compiles a query at every call and wraps
# each result in a Selector, which cost a XunRui page a third of its reading.
VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::style) and not(ancestor::script)]", smart_strings=False
)
_PARAGRAPHS = etree.XPath(".//p[not(ancestor::p)]")
_LABELLED = r"(?:{labels})[^\S\n]*[:：][^\S\n]*"  # spaces around the colon, not line breaks
# What follows an empty label is not its value: `来源：　作者：` states no 来源, not `作者：`
# (samples/mw.nmg.gov.cn/xw/msdt/202304/t20230421_2299917.html).
_NOT_A_LABEL = r"(?![\u4e00-\u9fff]{1,6}[:：])"


def element_text(element: html.HtmlElement) -> str:
    return clean_text("".join(VISIBLE_TEXT(element))) or ""


def paragraph_texts(containers: list[html.HtmlElement]) -> list[str]:
    """Non-empty texts of the <p> elements of body containers, in order."""
    texts = (element_text(p) for container in containers for p in _PARAGRAPHS(container))
    return [text for text in texts if text]


def labelled_value(text: str, labels: str, stop: str = r"[\s【\[]") -> str | None:
    """The value after `标签：` in a line such as `发布时间：… 来源：… 【打印】`.

    `labels` is a regex alternation (`来源|信息来源`); the value runs up to whitespace or a
    bracket by default. Returns "" when the label is there with nothing after it, None when the
    label is absent.
    """
    value = rf"(?:{_NOT_A_LABEL}((?:(?!{stop}).)*))?"
    match = re.search(_LABELLED.format(labels=labels) + value, text)
    return (match.group(1) or "").strip() if match else None


def title_suffix(title: str | None, separator: str) -> str | None:
    """The site name a `<title>` ends with (`标题_栏目_站名`, `标题 - 站名`); None when the
    title has no such suffix: a bare title is no site name."""
    _, found, name = (title or "").rpartition(separator)
    return name.strip() or None if found else None


@dataclass
class ArticlePage:
    """Base of the page objects: a response in, an Article out, no I/O."""

    response: TextResponse
    kind: str | None = None

    name: ClassVar[str] = "base"
    default_kind: ClassVar[str | None] = None

    def is_article(self) -> bool:
        item = self.to_item()
        return bool(item.title) and bool(item.paragraphs or item.images)

    def site(self) -> str:
        return urlsplit(self.response.url).hostname or ""

    def meta(self) -> dict[str, str]:
        return dict(self._meta_tags)

    @cached_property
    def _meta_tags(self) -> dict[str, str]:
        """Every named meta tag, first occurrence wins, names as the page writes them."""
        tags: dict[str, str] = {}
        for tag in self.response.selector.root.iter(
            "meta"
        ):  # lxml: a parsel query per tag was slow
            if tag.get("name") is not None:
                tags.setdefault(tag.get("name").strip(), (tag.get("content") or "").strip())
        return tags

    @cached_property
    def _meta_by_lower_name(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        for name, content in self._meta_tags.items():
            tags.setdefault(name.lower(), content)
        return tags

    def meta_value(self, name: str) -> str | None:
        """A meta tag's content by case-insensitive name (`PubDate`, `pubdate`), or None."""
        return clean_text(self._meta_by_lower_name.get(name.lower()))

    def html_title(self) -> str | None:
        return self._html_title

    @cached_property
    def _html_title(self) -> str | None:
        for element in self.response.selector.root.iter("title"):
            return clean_text(element.text)
        return None

    def site_name(self) -> str | None:
        return None

    def title(self) -> str | None:
        return self.html_title()

    def published_at_raw(self) -> str | None:
        return None

    def published_at(self) -> str | None:
        return parse_cn_datetime(self.published_at_raw())

    def source(self) -> str | None:
        return None

    def author(self) -> str | None:
        return None

    def category(self) -> str | None:
        return None

    def paragraphs(self) -> list[str]:
        return []

    def images(self) -> list[str]:
        return []

    def editor(self) -> str | None:
        return None

    def attachments(self) -> list[dict[str, str]]:
        return []

    def document(self) -> dict[str, str] | None:
        return None

    def original_url(self) -> str | None:
        return None

    def more_pages(self) -> list[str]:
        """The URLs of the article's further pages, if it is split over several."""
        return continuation_urls(self.response)

    def absolute_urls(self, sources: list[str]) -> list[str]:
        return [self.response.urljoin(src.strip()) for src in sources if src.strip()]

    def to_item(self) -> Article:
        """The page's record; built once, since the spider asks is_article() first."""
        return self._item

    @cached_property
    def _item(self) -> Article:
        paragraphs = self.paragraphs()
        return Article(
            url=self.response.url,
            kind=self.kind or self.default_kind,
            site=self.site(),
            site_name=self.site_name(),
            title=self.title(),
            published_at=self.published_at(),
            published_at_raw=self.published_at_raw(),
            source=self.source(),
            author=self.author(),
            editor=self.editor(),
            category=self.category(),
            paragraphs=paragraphs,
            body="\n".join(paragraphs),
            images=self.images(),
            attachments=self.attachments(),
            document=self.document(),
            original_url=self.original_url(),
            meta=self.meta(),
            encoding=self.response.encoding,
            http_status=self.response.status,
            parser=self.name,
            charset_declared=declared_charsets(self.response),
            charset_conflict=charset_conflict(self.response),
            replacement_characters=self.response.text.count(REPLACEMENT),
        )
