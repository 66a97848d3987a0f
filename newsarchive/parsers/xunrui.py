"""Reprint sites on the XunRui/FineCMS template, e.g. http://zjifz.org.cn/show-10595.html"""

import re
from functools import cached_property

from newsarchive.parsers.base import (
    ArticlePage,
    element_text,
    labelled_value,
    paragraph_texts,
    title_suffix,
)
from newsarchive.parsers.text import clean_text

TITLE = "//h1"
INFO_LINE = "//ul[contains(@class, 'info')]"
BODY = "//div[contains(concat(' ', normalize-space(@class), ' '), ' content ')]"
BREADCRUMB_LINKS = "//div[contains(@class, 'pos')]//a"
WELCOME = "//div[contains(@class, 'top')]"

# Lines the site adds to the article that are not its text: the link to the original and the
# disclaimer (samples/zjifz.org.cn/show-10595.html keeps the 原文链接 line inside the body).
ORIGINAL_LINK_LABEL = "原文链接"
_NOT_BODY = re.compile(r"^(?:原文链接|原文地址|\[免责声明\]|【免责声明】|免责声明)")
# Any scheme, so that a file: or data: link is recorded and the spider can refuse it.
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"'<>，。]+")
_WELCOME = re.compile(r"欢迎(?:访问|来到|光临)\s*(.+?)\s*[!！]?$")
_NO_AUTHOR = {"佚名", "未知"}


class XunruiArticlePage(ArticlePage):
    """Article page of the look-alike *.org.cn reprint sites sharing the XunRui template."""

    name = "xunrui"
    default_kind = "reprint"

    def is_article(self) -> bool:
        return bool(self.response.xpath(INFO_LINE)) and super().is_article()

    def site_name(self) -> str | None:
        welcome = clean_text(" ".join(self.response.xpath(WELCOME).xpath(".//text()").getall()))
        match = _WELCOME.search(welcome or "")
        if match:
            return match.group(1)
        return title_suffix(self.html_title(), " - ")

    def title(self) -> str | None:
        return clean_text(self.response.xpath(TITLE).xpath("string()").get())

    @cached_property
    def _info(self) -> str:
        items = self.response.xpath(INFO_LINE).xpath("./li")
        return "\n".join(element_text(li) for li in items)

    def published_at_raw(self) -> str | None:
        return labelled_value(self._info, "时间|发布时间|日期", stop=r"\n")

    def source(self) -> str | None:
        return labelled_value(self._info, "来源", stop=r"\n")

    def author(self) -> str | None:
        author = labelled_value(self._info, "作者", stop=r"\n")
        return "" if author in _NO_AUTHOR else author

    def category(self) -> str | None:
        links = [
            clean_text(a.xpath("string()").get()) for a in self.response.xpath(BREADCRUMB_LINKS)
        ]
        return links[-1] if len(links) > 1 else None

    @cached_property
    def _paragraphs(self) -> list[str]:
        return [
            text for text in paragraph_texts(self.response.xpath(BODY)) if not _NOT_BODY.match(text)
        ]

    def paragraphs(self) -> list[str]:
        return list(self._paragraphs)

    def images(self) -> list[str]:
        return self.absolute_urls(self.response.xpath(BODY).xpath(".//img/@src").getall())

    def original_url(self) -> str | None:
        """The URL after 原文链接, from its link if there is one, else from the text."""
        for element in self.response.xpath(f"//*[contains(text(), '{ORIGINAL_LINK_LABEL}')]"):
            href = element.xpath(".//a/@href").get()
            if href:
                return self.response.urljoin(href.strip())
            match = _URL.search(element_text(element))
            if match:
                return match.group(0)
        return None
