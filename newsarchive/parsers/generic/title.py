"""The article's title on a page of unknown layout: the visible headline that agrees with
`<title>`, `og:title` or `ArticleTitle`, else those with the site's name taken off."""

import re

from lxml import html

from newsarchive.parsers.generic.tree import in_chrome, text_of, visible

HEADINGS = (
    "h1",
    "h2",
    "h3",
    ".title",
    ".article-title",
    ".detail-title",
    ".news_title",
    ".news-title",
    ".entry-title",
    ".tit",
    ".bt",
    "#title",
    ".title_con",
    ".arti_title",
    ".xl_title",
    ".article_title",
    ".detail_title",
    ".contitle",
)
# 标题_栏目_站名, 标题 - 新华网, 标题|人民网, 标题——某某网: the title is the first part.
_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|--|——|-|–|—)\s*[^_|｜]{2,40}$")
_SPACE_IN_CJK = re.compile(
    r"(?<=[\u4e00-\u9fff，。、“”：；！？]) (?=[\u4e00-\u9fff，。、“”：；！？])"
)


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


def _candidates(root: html.HtmlElement) -> list[tuple[html.HtmlElement, str]]:
    found, seen = [], set()
    for selector in HEADINGS:
        for element in root.cssselect(selector):
            if id(element) in seen or not visible(element):
                continue
            seen.add(id(element))
            text = text_of(element)
            if 4 <= len(text) <= 150:
                found.append((element, text))
    return found


def title(
    root: html.HtmlElement,
    page_title: str | None,
    metas: list[str | None],
    site_names: list[str | None],
) -> tuple[str | None, html.HtmlElement | None]:
    """(the title, the headline element it was read from, if any)."""
    references = [_key(value) for value in [*metas, page_title] if value]
    sites = {_key(name) for name in site_names if name}
    best, best_score = (None, None), 0.0
    for order, (element, text) in enumerate(_candidates(root)):
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
        if in_chrome(element):
            score -= 3
        score -= order * 0.01  # earlier on the page, when all else is equal
        if score > best_score and (references == [] or score >= 3 or element.tag == "h1"):
            best, best_score = (text, element), score
    text, element = best
    if text is None:
        fallback = next((meta for meta in metas if meta), None) or strip_site(page_title)
        return fallback, None
    joined = _SPACE_IN_CJK.sub("", text)  # a headline broken over two lines by <br>
    if any(_key(joined) in reference for reference in references):
        text = joined
    return text, element
