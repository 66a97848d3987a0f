"""Minimal parser for pages of unknown sites: meta tags, <title> and <p> text.

It keeps an original on an unfamiliar host from being lost until a family parser exists.
"""

from functools import cached_property

from newsarchive.parsers.base import ArticlePage, paragraph_texts
from newsarchive.parsers.text import find_cn_datetime


class FallbackArticlePage(ArticlePage):
    """Any HTML page: the government meta tags if it has them, else <title> and <p> text."""

    name = "fallback"

    def site_name(self) -> str | None:
        return (
            self.meta_value("SiteName")
            or self.response.xpath("//meta[@property='og:site_name']/@content").get()
        )

    def title(self) -> str | None:
        return self.meta_value("ArticleTitle") or self.html_title()

    def published_at_raw(self) -> str | None:
        return self.meta_value("PubDate") or find_cn_datetime(
            self.response.xpath("//meta[@property='article:published_time']/@content").get()
        )

    def source(self) -> str | None:
        return self.meta_value("ContentSource")

    def author(self) -> str | None:
        return self.meta_value("Author")

    def category(self) -> str | None:
        return self.meta_value("ColumnName")

    @cached_property
    def _paragraphs(self) -> list[str]:
        return paragraph_texts(self.response.xpath("//body"))

    def paragraphs(self) -> list[str]:
        return list(self._paragraphs)

    def images(self) -> list[str]:
        return self.absolute_urls(self.response.xpath("//body//p//img/@src").getall())
