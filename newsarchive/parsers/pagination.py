"""The further pages of an article split over several (DOMAIN.md §1): `_2.html` links under the
text, 下一页, `?page=2`, or TRS WCM's `createPageHTML(total, current, "t2023…_123", "html")`."""

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from scrapy.http import TextResponse

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
_NUMBERED = re.compile(r"^(?P<stem>.+?)(?:_(?P<page>\d{1,3}))?(?P<ext>\.s?html?)$")
_PAGE_TEXT = re.compile(r"^\s*(?:\d{1,3}|下一页|下页|下一頁|后页|>|»|›|尾页|末页)\s*$")
_PAGE_PARAMETERS = ("page", "p", "pageno", "pn")


def _page_number(url: str, article: str) -> int | None:
    """Where a URL stands among `article`'s pages (0 for the unnumbered first page; TRS numbers
    its second page _1, DedeCMS _2: the order is what counts), or None if it is none of them."""
    here, there = urlsplit(article), urlsplit(url)
    if (here.netloc, here.path) == (there.netloc, there.path) and here.query != there.query:
        query = dict(parse_qsl(there.query))
        rest = {k: v for k, v in dict(parse_qsl(here.query)).items() if k not in _PAGE_PARAMETERS}
        numbers = [query.get(name) for name in _PAGE_PARAMETERS if query.get(name, "").isdigit()]
        if numbers and {k: v for k, v in query.items() if k not in _PAGE_PARAMETERS} == rest:
            return int(numbers[0])
        return None
    mine, theirs = _NUMBERED.match(here.path), _NUMBERED.match(there.path)
    if not (mine and theirs) or here.netloc != there.netloc or here.query != there.query:
        return None
    if mine["stem"] != theirs["stem"] or mine["ext"] != theirs["ext"]:
        return None
    return int(theirs["page"]) if theirs["page"] else 0


def continuation_urls(response: TextResponse) -> list[str]:
    """The URLs of the article's other pages after this one, in page order."""
    found: dict[str, int] = {}
    root = response.selector.root  # lxml directly: a parsel query per link was slow
    for script in root.iter("script"):
        if match := _CREATE_PAGE.search(script.text or ""):
            total, current, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
            for index in range(current + 1, min(total, 50)):
                found[urljoin(response.url, f"{stem}_{index}.{ext}")] = index
    own = _page_number(response.url, response.url) or 0
    for anchor in root.iter("a"):
        href = anchor.get("href")
        # A link without child nodes reads as its own text: text_content() costs 2 µs a link.
        text = anchor.text_content() if len(anchor) else anchor.text or ""
        if href is None or not _PAGE_TEXT.match(text):
            continue
        url = response.urljoin(href.strip())
        number = _page_number(url, response.url)
        if number is not None and number > own and url != response.url:
            found.setdefault(url, number)
    return sorted(found, key=found.get)
