"""GenericArticlePage: any article page, read the way a reader reads it.

It finds the headline and the body block, takes the texts between them as the info line, and
reads each field from what the page shows first and its meta tags second (DOMAIN.md §3, §5).
Credit lines, bylines and edition lines are read for their credits and kept out of the text.
Family page objects (CMS templates) subclass it and name their containers; the rest is shared.
"""

import re
from datetime import datetime
from functools import cached_property

from lxml import etree, html

from newsarchive.parsers.base import ArticlePage, title_suffix
from newsarchive.parsers.generic import body, credits, title, tree, when
from newsarchive.parsers.generic.document import document_table
from newsarchive.parsers.generic.tree import text_of
from newsarchive.parsers.text import clean_text

INFO_REACH = 40  # texts after the headline searched for the info line
ORIGINAL_LINK = ("原文链接", "原文地址", "原文网址", "原文出处")
# Compiled once: the elements whose own text names the original, and the link in or after one.
_NAMES_ORIGINAL = etree.XPath(
    "//*[" + " or ".join(f"contains(text(), '{label}')" for label in ORIGINAL_LINK) + "]"
)
_LINK_INSIDE = etree.XPath(".//a/@href")
_UNIX_TIME = re.compile(r"\bvar\s+ct\s*=\s*[\"'](\d{10})[\"']")
_LINK_AFTER = etree.XPath("following-sibling::a[1]/@href")


class GenericArticlePage(ArticlePage):
    """Any HTML article page: headline, info line, body, from layout and meta tags."""

    name = "generic"
    body_selectors: tuple[str, ...] = ()  # a family's own containers, tried first

    @cached_property
    def root(self) -> html.HtmlElement:
        return self.response.selector.root

    @cached_property
    def _properties(self) -> dict[str, str]:
        """og:, article: and twitter: meta tags, which are `property`s, not `name`s."""
        found: dict[str, str] = {}
        for tag in self.root.iter("meta"):
            if (name := tag.get("property")) and (content := tag.get("content")):
                found.setdefault(name.strip(), content)
        return found

    def _meta(self, *names: str) -> str | None:
        for name in names:
            if value := self.meta_value(name):
                return value
        for name in names:
            if value := clean_text(self._properties.get(name)):
                return value
        return None

    # Where things are on the page --------------------------------------------------------

    @cached_property
    def _block(self) -> html.HtmlElement | None:
        for selector in self.body_selectors:
            for element in tree.compiled(selector)(self.root):
                if self._layout.visible(element) and len(text_of(element)) >= body.MIN_BODY:
                    return element
        found = body.body_block(self.root, self._layout.visible)
        # A page too short for any block to look like prose: its whole body, as it is.
        return found if found is not None else self.root.find("body")

    @cached_property
    def _headline(self) -> tuple[str | None, html.HtmlElement | None]:
        metas = [self._meta("ArticleTitle"), self._meta("og:title", "twitter:title")]
        sites = [self.site_name(), self._meta("SiteName", "og:site_name")]
        return title.title(self.root, self.html_title(), metas, sites, self._block, self._layout)

    @cached_property
    def _layout(self) -> tuple[dict, list[tree.Piece]]:
        return tree.walk(self.root)

    @cached_property
    def _pieces(self) -> list[tuple[float, str]]:
        """Every visible text of the page in reading order, with its position."""
        return [(at, text.strip()) for at, text, _ in self._layout.pieces if text.strip()]

    def _span(self, element: html.HtmlElement | None) -> tuple[float, float]:
        """The first and last document positions of an element and its descendants."""
        return self._layout.span(element)

    @cached_property
    def _first_paragraph_at(self) -> int:
        """Where the article's text starts: its first prose paragraph inside the block."""
        start, end = self._span(self._block)
        head_start, head_end = self._span(self._headline[1])
        for at, text in self._pieces:
            if not start <= at <= end or head_start <= at <= head_end:
                continue
            if len(text) >= 25 and body.PROSE.search(text) and not when.is_info_line(text):
                return at
        return start

    @cached_property
    def _info(self) -> list[str]:
        """Texts between the headline and the article's text: where the info line stands."""
        headline, element = self._headline
        start, _ = self._span(element)
        stop = self._first_paragraph_at
        if start < 0 or start >= stop:
            return [text for at, text in self._pieces if at < stop][-INFO_REACH // 2 :]
        # From the headline on, its own words left out: some templates put the info line
        # inside the <h1> (`<h1>标题<br><span>2023-03-15 来源：…</span></h1>`).
        texts = [text for at, text in self._pieces if start <= at < stop]
        return [text for text in texts if text not in (headline or "")][:INFO_REACH]

    @cached_property
    def _info_line(self) -> list[str]:
        """The info texts, and all of them as one line: a label and its value are often
        separate elements (`<span>来源：</span><a>新华网</a>`)."""
        return [*self._info, " ".join(self._info)]

    @cached_property
    def _after_body(self) -> list[str]:
        """The first texts after the body block: 责任编辑 lines and sources printed below."""
        _, end = self._span(self._block)
        return [text for at, text in self._pieces if at > end][:12]

    @cached_property
    def _text(self) -> tuple[list[str], list[str]]:
        """The article's paragraphs, and the credit lines, bylines and edition lines taken
        out of them (read for 来源, 作者 and 编辑)."""
        if self._block is None:
            return [], []
        raw = body.raw_paragraphs(self._block, self._layout.visible)
        paragraphs = [
            paragraph
            for paragraph in body.without_repeats(body.without_buttons(raw))
            if credits.is_credit_line(paragraph)
            or not (body.NOT_TEXT.match(paragraph) or paragraph in ORIGINAL_LINK)
        ]  # chrome lines out first: credit lines are told by where they stand in the rest
        kept, credit_lines = [], []
        for index, paragraph in enumerate(paragraphs):
            at_edge = index < 2 or index >= len(paragraphs) - 3
            if at_edge and (
                credits.is_credit_line(paragraph)
                or credits.is_byline(paragraph)
                or credits.EDITION.match(paragraph)
            ):
                credit_lines.append(paragraph)
                continue
            if index < 3 and when.is_info_line(paragraph):
                credit_lines.append(paragraph)  # an info line inside the block
                continue
            kept.append(paragraph)
        if self._headline[0] and kept and kept[0] == self._headline[0]:
            kept = kept[1:]  # the headline, repeated as the block's first line
        return kept, credit_lines

    @cached_property
    def _credits(self) -> list[str]:
        """Every text that may name the credits, in the order they are believed."""
        return [*self._info_line, *self._text[1], *self._after_body]

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
        shown = when.dated_texts([*self._info, *self._text[1]])
        table = (self._document or {}).get("发布日期")
        if not shown and table:  # a 信息公开 table's 发布日期 is shown too
            shown = when.dated_texts([table])
        raw, visible_iso = ([f for f in shown if f[2]] or shown or [(None, None, False)])[0][:2]
        metas: list[tuple[str, str | None]] = []  # (the value as written, its ISO form)
        for name in ("PubDate", "firstpublishedtime", "publishdate"):
            if (value := self.meta_value(name)) and (found := when.dated_texts([value])):
                metas.append((value, found[0][1]))
        machine = [
            self._meta("article:published_time", "og:published_time", "pubdate", "datePublished"),
            self._json_ld_date(),
            self._script_time(),
            next((t.get("datetime") for t in self.root.iter("time") if t.get("datetime")), None),
        ]
        metas += [(value, when.machine_time(value)) for value in machine if value]
        chosen = when.best_time(visible_iso, [iso for _, iso in metas], self.response.url)
        if chosen != visible_iso or raw is None:
            raw = next((value for value, iso in metas if iso == chosen), raw)
        return raw, chosen

    def _script_time(self) -> str | None:
        """WeChat's publish time, a Unix time in a script (`var ct = "1678880940"`)."""
        for element in self.root.iter("script"):
            if (match := _UNIX_TIME.search(element.text or "")) is not None:
                moment = datetime.fromtimestamp(int(match.group(1)), when.CHINA)
                return moment.isoformat(timespec="seconds")
        return None

    def _json_ld_date(self) -> str | None:
        for element in self.root.iter("script"):
            script = element.text or ""
            if element.get("type") != "application/ld+json":
                continue
            if (at := script.find('"datePublished"')) >= 0:
                return script[at + len('"datePublished"') :].split(",")[0].strip(' :"\n')
        return None

    def published_at_raw(self) -> str | None:
        return self._when[0]

    def published_at(self) -> str | None:
        return self._when[1]

    def source(self) -> str | None:
        # A 来源 line the editor wrote into the text names this article's source; the info
        # line's is often the template's default (the platform, the site's own name).
        shown = credits.credit([*self._text[1], *self._credits], credits.SOURCE)
        if shown:
            return shown
        meta = credits.meta_credit(self.meta_value("ContentSource") or self.meta_value("source"))
        return meta or shown

    def author(self) -> str | None:
        shown = credits.person(credits.credit([*self._info_line, *self._text[1]], credits.AUTHOR))
        if shown:
            return shown
        lines = [*self._info_line, *self._text[1], *self._text[0][:1]]
        named = credits.reporter(lines)
        # The Author meta tag holds the author or the 责任编辑 (DOMAIN.md §3): not the latter.
        meta = credits.meta_credit(self.meta_value("Author"))
        if meta and not credits.CJK.search(meta):
            meta = None  # "Discuz! Team and Comsenz UI Team": the template's, not a person's
        if named or (meta and meta != self.editor()):
            return named or meta
        return "" if "" in (shown, meta) else None  # an 作者 the page leaves empty

    def editor(self) -> str | None:
        lines = [*self._credits, *self._text[0][-2:]]
        return credits.credit(lines, credits.CHIEF_EDITOR) or credits.credit(lines, credits.EDITOR)

    def category(self) -> str | None:
        return self.meta_value("ColumnName")

    def paragraphs(self) -> list[str]:
        return list(self._text[0])

    def images(self) -> list[str]:
        if self._block is None:
            return []
        found = body.images(self._block, self.response.url, self._layout)
        cut = self._chrome_after_text
        return [url for url, at in found if at < cut]

    @cached_property
    def _chrome_after_text(self) -> float:
        """Where the chrome closing a body starts (长按识别二维码, 分享到 …), or infinity:
        an image after it is a QR code or a share button, not the article's."""
        start, end = self._span(self._block)
        last = (self._text[0] or [""])[-1]
        after_text = False
        for at, text in self._pieces:
            if not start <= at <= end:
                continue
            if last and text in last:
                after_text = True
            elif after_text and body.NOT_TEXT.match(text):
                return at
        return float("inf")

    def attachments(self) -> list[dict[str, str]]:
        if self._block is None:
            return []
        return body.attachments(self._block, self.response.url)

    @cached_property
    def _document(self) -> dict[str, str | None] | None:
        return document_table(tree.lines(self._layout.pieces))

    def document(self) -> dict[str, str | None] | None:
        return dict(self._document) if self._document else None

    def original_url(self) -> str | None:
        """The URL after 原文链接 (a reprint naming its original), from its link or text."""
        if not any("原文" in text for _, text in self._pieces):
            return None  # most pages: no need to query the tree
        for element in _NAMES_ORIGINAL(self.root):
            hrefs = _LINK_INSIDE(element) or _LINK_AFTER(element)
            if hrefs:
                return self.response.urljoin(hrefs[0].strip())
            if match := credits.URL.search(text_of(element)):
                return match.group(0)
        return None
