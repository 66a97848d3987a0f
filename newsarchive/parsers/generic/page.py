"""GenericArticlePage: any article page, read the way a reader reads it.

It finds the headline, the body block and the info line between them, then reads each field
from what the page shows first and from its meta tags second (DOMAIN.md §3, §5). Family page
objects (CMS templates) subclass it and name their containers; the rest is shared.
"""

from functools import cached_property

from lxml import html

from newsarchive.parsers.base import ArticlePage, title_suffix
from newsarchive.parsers.generic import body, credits, title, when
from newsarchive.parsers.generic.document import document_table
from newsarchive.parsers.generic.tree import text_of, visible
from newsarchive.parsers.text import clean_text

INFO_REACH = 60  # text pieces between headline and body searched for the info line
ORIGINAL_LINK = ("原文链接", "原文地址", "原文网址", "原文出处")


class GenericArticlePage(ArticlePage):
    """Any HTML article page: headline, info line, body, from layout and meta tags."""

    name = "generic"
    body_selectors: tuple[str, ...] = ()  # a family's own containers, tried first

    @cached_property
    def root(self) -> html.HtmlElement:
        return self.response.selector.root

    def _meta(self, *names: str) -> str | None:
        for name in names:
            if value := self.meta_value(name):
                return value
        for name in names:  # og:, article: and twitter: tags are `property`s
            if value := self.response.xpath(f"//meta[@property='{name}']/@content").get():
                return clean_text(value)
        return None

    # Where things are on the page --------------------------------------------------------

    @cached_property
    def _headline(self) -> tuple[str | None, html.HtmlElement | None]:
        metas = [self._meta("ArticleTitle"), self._meta("og:title", "twitter:title")]
        sites = [self.site_name(), self._meta("SiteName", "og:site_name")]
        return title.title(self.root, self.html_title(), metas, sites)

    @cached_property
    def _block(self) -> html.HtmlElement | None:
        for selector in self.body_selectors:
            for element in self.root.cssselect(selector):
                if visible(element) and len(text_of(element)) >= body.MIN_BODY:
                    return element
        # A page too short for any block to look like prose: its whole body, as it is.
        found = body.body_block(self.root)
        return found if found is not None else self.root.find("body")

    @cached_property
    def _pieces(self) -> list[tuple[html.HtmlElement, str]]:
        """Every visible text of the page in document order, with the element holding it."""
        pieces = []
        for element in self.root.iter():
            if not isinstance(element.tag, str) or not visible(element):
                continue
            if element.text and element.text.strip():
                pieces.append((element, element.text.strip()))
            for child in element:
                if child.tail and child.tail.strip():
                    pieces.append((element, child.tail.strip()))
        return pieces

    def _index_of(self, target: html.HtmlElement | None, default: int) -> int:
        if target is None:
            return default
        inside = {id(node) for node in target.iter()}
        for index, (element, _) in enumerate(self._pieces):
            if id(element) in inside:
                return index
        return default

    @cached_property
    def _info(self) -> list[str]:
        """Texts between the headline and the body: where the info line stands."""
        start = self._index_of(self._headline[1], -1)
        stop = self._index_of(self._block, len(self._pieces))
        if start < 0 or start >= stop:
            start = max(0, stop - INFO_REACH // 2)
        else:
            start += 1
        return [text for _, text in self._pieces[start : min(stop, start + INFO_REACH)]]

    @cached_property
    def _after_body(self) -> list[str]:
        """The first texts after the body block: 责任编辑 lines and sources printed below."""
        if self._block is None:
            return []
        last = self._block
        while len(last):
            last = last[-1]
        start = self._index_of(last, len(self._pieces)) + 1
        return [text for _, text in self._pieces[start : start + 12]]

    @cached_property
    def _text(self) -> tuple[list[str], dict[str, str]]:
        """The body's paragraphs, and the credits its closing lines give (来源, 编辑, 作者)."""
        if self._block is None:
            return [], {}
        paragraphs = body.without_repeats(body.raw_paragraphs(self._block))
        closing: dict[str, str] = {}
        kept = []
        for index, paragraph in enumerate(paragraphs):
            near_end = index >= len(paragraphs) - 3
            found = credits.closing_credit(paragraph) if near_end else None
            if found:
                closing.setdefault(*found)
                continue
            if body.NOT_TEXT.match(paragraph) or paragraph in ORIGINAL_LINK:
                continue
            kept.append(paragraph)
        return kept, closing

    # Fields --------------------------------------------------------------------------------

    def site_name(self) -> str | None:
        return (
            self.meta_value("SiteName")
            or self._meta("og:site_name")
            or title_suffix(self.html_title(), "_")
            or title_suffix(self.html_title(), " - ")
        )

    def title(self) -> str | None:
        return self._headline[0]

    @cached_property
    def _when(self) -> tuple[str | None, str | None]:
        """(the time as the page shows it, ISO 8601): see when.py for who wins."""
        shown = when.dated_texts(self._info)
        table = (self.document() or {}).get("发布日期")
        if not shown and table:  # a 信息公开 table's 发布日期 is shown too
            shown = when.dated_texts([table])
        raw, visible_iso = ([f for f in shown if f[2]] or shown or [(None, None, False)])[0][:2]
        metas: list[tuple[str, str | None]] = []  # (the value as written, its ISO form)
        for name in ("PubDate", "firstpublishedtime"):
            if (value := self.meta_value(name)) and (found := when.dated_texts([value])):
                metas.append((value, found[0][1]))
        machine = [
            self._meta(
                "article:published_time",
                "og:published_time",
                "pubdate",
                "publishdate",
                "datePublished",
            ),
            self._json_ld_date(),
            self.response.xpath("//time[@datetime]/@datetime").get(),  # WordPress and the like
        ]
        metas += [(value, when.machine_time(value)) for value in machine if value]
        chosen = when.best_time(visible_iso, [iso for _, iso in metas], self.response.url)
        if chosen != visible_iso or raw is None:
            raw = next((value for value, iso in metas if iso == chosen), raw)
        return raw, chosen

    def _json_ld_date(self) -> str | None:
        for script in self.response.xpath("//script[@type='application/ld+json']/text()").getall():
            if (at := script.find('"datePublished"')) >= 0:
                return script[at : at + 80]
        return None

    def published_at_raw(self) -> str | None:
        return self._when[0]

    def published_at(self) -> str | None:
        return self._when[1]

    def source(self) -> str | None:
        shown = credits.credit(self._info, credits.SOURCE)
        if shown:
            return shown
        closing = self._text[1].get("source") or credits.credit(self._after_body, credits.SOURCE)
        meta = self.meta_value("ContentSource") or self.meta_value("source")
        return closing or meta or shown

    def author(self) -> str | None:
        shown = credits.credit(self._info, credits.AUTHOR)
        if shown:
            return shown
        paragraphs = self._text[0][:1]
        named = self._text[1].get("author") or credits.reporter(self._info + paragraphs)
        # The Author meta tag holds the author or the 责任编辑 (DOMAIN.md §3): not the latter.
        meta = self.meta_value("Author")
        return named or (meta if meta and meta != self.editor() else None) or shown

    def editor(self) -> str | None:
        lines = self._info + self._text[0][-2:] + self._after_body
        return self._text[1].get("editor") or credits.credit(lines, credits.EDITOR)

    def category(self) -> str | None:
        return self.meta_value("ColumnName")

    def paragraphs(self) -> list[str]:
        return list(self._text[0])

    def images(self) -> list[str]:
        return body.images(self._block, self.response.url) if self._block is not None else []

    def attachments(self) -> list[dict[str, str]]:
        if self._block is None:
            return []
        return body.attachments(self._block, self.response.url)

    @cached_property
    def _document(self) -> dict[str, str] | None:
        return document_table(self.root)

    def document(self) -> dict[str, str] | None:
        return dict(self._document) if self._document else None

    def original_url(self) -> str | None:
        """The URL after 原文链接 (a reprint naming its original), from its link or text."""
        for label in ORIGINAL_LINK:
            for element in self.response.xpath(f"//*[contains(text(), '{label}')]"):
                href = (
                    element.xpath(".//a/@href").get()
                    or element.xpath("following-sibling::a[1]/@href").get()
                )
                if href:
                    return self.response.urljoin(href.strip())
                if match := credits.URL.search(text_of(element.root)):
                    return match.group(0)
        return None
