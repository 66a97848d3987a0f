"""Reprint sites on the XunRui/FineCMS template, e.g. http://zjifz.org.cn/show-10595.html"""

import re
from functools import cached_property

from lxml import etree, html

from newsarchive.parsers.base import (
    ArticlePage,
    element_text,
    labelled_value,
    paragraph_texts,
    title_suffix,
)
from newsarchive.parsers.text import clean_text


def _xpath(query: str) -> etree.XPath:
    return etree.XPath(query, smart_strings=False)


# Compiled once, run on lxml's elements (see base.VISIBLE_TEXT).
TITLE = _xpath("(//h1)[1]")
INFO_LINE = _xpath("//ul[contains(@class, 'info')]")
BODY = _xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' content ')]")
BREADCRUMB_LINKS = _xpath("//div[contains(@class, 'pos')]//a")
WELCOME = _xpath("//div[contains(@class, 'top')]")
_TEXTS = _xpath(".//text()")
_STRING = _xpath("string()")
_IMAGES = _xpath(".//img/@src")
_FIRST_LINK = _xpath("(.//a/@href)[1]")

# Lines the site adds to the article that are not its text: the link to the original and the
# disclaimer (samples/zjifz.org.cn/show-10595.html keeps the 原文链接 line inside the body).
ORIGINAL_LINK_LABEL = "原文链接"
_NAMES_ORIGINAL = _xpath(f"//*[contains(text(), '{ORIGINAL_LINK_LABEL}')]")
_NOT_BODY = re.compile(r"^(?:原文链接|原文地址|\[免责声明\]|【免责声明】|免责声明)")
# Any scheme, so that a file: or data: link is recorded and the spider can refuse it.
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"'<>，。]+")
_WELCOME = re.compile(r"欢迎(?:访问|来到|光临)\s*(.+?)\s*[!！]?$")
_NO_AUTHOR = {"佚名", "未知"}


class XunruiArticlePage(ArticlePage):
    """Article page of the look-alike *.org.cn reprint sites sharing the XunRui template."""

    name = "xunrui"
    default_kind = "reprint"

    @cached_property
    def root(self) -> html.HtmlElement:
        return self.response.selector.root

    def is_article(self) -> bool:
        return bool(INFO_LINE(self.root)) and super().is_article()

    def site_name(self) -> str | None:
        texts = [text for div in WELCOME(self.root) for text in _TEXTS(div)]
        match = _WELCOME.search(clean_text(" ".join(texts)) or "")
        if match:
            return match.group(1)
        return title_suffix(self.html_title(), " - ")

    def title(self) -> str | None:
        return next((clean_text(_STRING(h1)) for h1 in TITLE(self.root)), None)

    @cached_property
    def _info(self) -> str:
        items = [li for ul in INFO_LINE(self.root) for li in ul.iterchildren("li")]
        return "\n".join(element_text(li) for li in items)

    def published_at_raw(self) -> str | None:
        return labelled_value(self._info, "时间|发布时间|日期", stop=r"\n")

    def source(self) -> str | None:
        return labelled_value(self._info, "来源", stop=r"\n")

    def author(self) -> str | None:
        author = labelled_value(self._info, "作者", stop=r"\n")
        return "" if author in _NO_AUTHOR else author

    def category(self) -> str | None:
        links = [clean_text(_STRING(a)) for a in BREADCRUMB_LINKS(self.root)]
        return links[-1] if len(links) > 1 else None

    @cached_property
    def _body(self) -> list[html.HtmlElement]:
        return BODY(self.root)

    @cached_property
    def _paragraphs(self) -> list[str]:
        return [text for text in paragraph_texts(self._body) if not _NOT_BODY.match(text)]

    def paragraphs(self) -> list[str]:
        return list(self._paragraphs)

    def images(self) -> list[str]:
        return self.absolute_urls([src for body in self._body for src in _IMAGES(body)])

    def original_url(self) -> str | None:
        """The URL after 原文链接, from its link if there is one, else from the text."""
        for element in _NAMES_ORIGINAL(self.root):
            href = _FIRST_LINK(element)
            if href:
                return self.response.urljoin(href[0].strip())
            match = _URL.search(element_text(element))
            if match:
                return match.group(0)
        return None
