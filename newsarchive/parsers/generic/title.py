"""The article's title on a page of unknown layout: the visible headline, the one that agrees
with `<title>`, `og:title` or `ArticleTitle` or stands right before the body; else those meta
values, with the site's name taken off `<title>`."""

import re

from lxml import etree, html

from newsarchive.parsers.generic.tree import Layout, Shown, in_chrome, text_of
from newsarchive.parsers.text import find_cn_datetime

HEADINGS = ("h1", "h2", "h3")
# Any element whose class or id names a title: div.h-title, td.title, p.bt, #ArticleTitle …
# The first test passes over the elements with neither, most of them, at half the cost.
_TITLE_NAMED = etree.XPath(
    "//*[@class or @id][contains(@class,'title') or contains(@class,'Title') or "
    "contains(@id,'title') or contains(@id,'Title') or contains(@class,'tit') "
    "or contains(@class,'bt') or contains(@class,'headline')]"
)
# 标题_栏目_站名, 标题 - 新华网, 标题|人民网, 标题——某某网: the title is the first part.
_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|--|——|-|–|—)\s*[^_|｜]{2,40}$")
_INFO = re.compile(r"来源|作者|发布时间|发布日期|点击|浏览|评论")
_NEAR = 12  # elements between a headline and the body block, at most, to count as "before it"


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text)


def strip_site(title: str | None) -> str | None:
    """A `<title>` without the site and column names after its separators."""
    if not title:
        return None
    stripped = title
    while (shorter := _SUFFIX.sub("", stripped)) != stripped and len(_key(shorter)) >= 4:
        stripped = shorter
    return stripped.strip() or None


def headline_text(element: html.HtmlElement) -> str:
    """A headline's text without the info line some templates put inside it
    (`<h1>标题<span>2023-03-15 来源：…</span></h1>`)."""
    parts = [element.text or ""]
    for child in element:
        child_text = text_of(child)
        if find_cn_datetime(child_text) or _INFO.search(child_text):
            break
        parts += [" " if child.tag == "br" else child_text, child.tail or ""]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _candidates(root: html.HtmlElement, shown: Shown) -> list[tuple[html.HtmlElement, str]]:
    found, seen = [], set()
    elements = [e for tag in HEADINGS for e in root.iter(tag)] + _TITLE_NAMED(root)
    for element in elements:
        if element in seen or not isinstance(element.tag, str) or not shown(element):
            continue
        if element.tag in ("html", "body", "title", "meta", "img", "a", "ul", "table"):
            continue
        seen.add(element)
        text = headline_text(element)
        if 4 <= len(text) <= 150:
            found.append((element, text))
    return found


def title(
    root: html.HtmlElement,
    page_title: str | None,
    metas: list[str | None],
    site_names: list[str | None],
    block: html.HtmlElement | None,
    layout: Layout,
) -> tuple[str | None, html.HtmlElement | None]:
    """(the title, the headline element it was read from, if any)."""
    references = [_key(value) for value in [*metas, page_title] if value]
    sites = {_key(name) for name in site_names if name}
    block_at, block_end = layout.span(block)
    best, best_score = (None, None), 0.0
    for element, text in _candidates(root, layout.visible):
        key = _key(text)
        if not key or key in sites:
            continue
        score = 0.0
        for reference in references:
            if reference.startswith(key) or key == reference:
                score += 3
            elif key in reference:
                score += 1
        score += {"h1": 1.0, "h2": 0.5}.get(element.tag, 0.3)
        at = layout.span(element)[0]
        inside_block = block_at <= at <= block_end
        if 0 <= block_at - at <= _NEAR * 4 or (inside_block and at - block_at <= _NEAR):
            score += 2  # right before the body (or at its top): the article's own headline
        if in_chrome(element):
            score -= 3
        if score > best_score:
            best, best_score = (text, element), score
    text, element = best
    if text is None or best_score < 2:
        fallback = next((meta for meta in metas if meta), None) or strip_site(page_title)
        return (fallback, None) if fallback or text is None else (text, element)
    return text, element
