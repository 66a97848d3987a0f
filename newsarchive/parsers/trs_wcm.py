"""Government originals published with TRS WCM, e.g.
http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"""

import re
from functools import cached_property

from newsarchive.parsers.base import (
    ArticlePage,
    element_text,
    labelled_value,
    paragraph_texts,
    title_suffix,
)
from newsarchive.parsers.text import clean_text, date_from_url, find_cn_datetime, parse_cn_datetime

# Body containers in the order TRS-style templates use them (DOMAIN.md §3).
BODY_CONTAINERS = (
    ".TRS_UEDITOR",
    ".trs_editor_view",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    "#UCAP-CONTENT",
    ".pages_content",
    "#ivs_content",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#vsb_content",
    ".wp_articlecontent",
    ".content",
)
VISIBLE_TITLE = ("h1", ".detail-title", ".article-title", ".title", "h2")
DATE_LABELS = "发布时间|发布日期|日期|时间"
SOURCE_LABELS = "来源|信息来源|资料来源|发布来源|发布机构|发布单位"
# The info line is the innermost element whose own text names the publication date.
INFO_LINE = "//text()[contains(., '发布时间') or contains(., '发布日期')][not(parent::script)]/.."
TRS_ARTICLE_URL = re.compile(r"/t\d{8}_\d+\.s?html?$")


class TrsWcmArticlePage(ArticlePage):
    """Article page of a government site on TRS WCM, read through its page meta tags first."""

    name = "trs_wcm"
    default_kind = "original"

    @cached_property
    def _container(self):
        for selector in BODY_CONTAINERS:
            found = self.response.css(selector)
            if found:
                return found[:1]
        return self.response.css(BODY_CONTAINERS[-1])

    @cached_property
    def _info(self) -> str:
        return " ".join(element_text(line) for line in self.response.xpath(INFO_LINE)[:1])

    def site_name(self) -> str | None:
        return self.meta_value("SiteName") or title_suffix(self.html_title(), "_")

    def title(self) -> str | None:
        if article_title := self.meta_value("ArticleTitle"):
            return article_title
        for selector in VISIBLE_TITLE:
            if heading := clean_text(self.response.css(selector).xpath("string()").get()):
                return heading
        # TRS writes <title> as 标题_栏目_站名; the article's title is the first part
        # (samples/mw.nmg.gov.cn/xw/msdt/202304/t20230414_2295876.html).
        return (self.html_title() or "").partition("_")[0].strip() or None

    def published_at_raw(self) -> str | None:
        """PubDate, else the info line's date, else gov.cn's firstpublishedtime."""
        if pub_date := self.meta_value("PubDate"):
            return pub_date
        after_label = labelled_value(self._info, DATE_LABELS, stop=r"$")
        return find_cn_datetime(after_label) or self.meta_value("firstpublishedtime")

    def published_at(self) -> str | None:
        return parse_cn_datetime(self.published_at_raw()) or date_from_url(self.response.url)

    def _meta_or_info(self, meta_name: str, labels: str) -> str | None:
        """A non-empty meta tag, else the info line's label; "" if either is there but empty."""
        meta = self.meta_value(meta_name)
        if meta:
            return meta
        shown = labelled_value(self._info, labels)
        if shown or meta is None:
            return shown
        return meta

    def source(self) -> str | None:
        return self._meta_or_info("ContentSource", SOURCE_LABELS)

    def author(self) -> str | None:
        return self._meta_or_info("Author", "作者")

    def category(self) -> str | None:
        return self.meta_value("ColumnName")

    @cached_property
    def _paragraphs(self) -> list[str]:
        paragraphs = paragraph_texts(self._container)
        if paragraphs:
            return paragraphs
        text = element_text(self._container[0]) if self._container else ""
        return [text] if text else []

    def paragraphs(self) -> list[str]:
        return list(self._paragraphs)

    def images(self) -> list[str]:
        return self.absolute_urls(self._container.xpath(".//img/@src").getall())
