"""The meta-refresh middleware: the refreshes Scrapy follows, found without decoding a page
that has none (crawl/redirects.py)."""

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newsarchive.crawl.redirects import LoopAwareMetaRefreshMiddleware

URL = "http://example.org/news/page.html"
REFRESH = '<meta http-equiv="refresh" content="0;url=moved.html">'


class DecodeCountingResponse(HtmlResponse):
    """An HtmlResponse that counts how often its text is asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decoded = 0

    @property
    def text(self) -> str:
        self.decoded += 1
        return super().text


@pytest.fixture
def middleware():
    return build_from_crawler(LoopAwareMetaRefreshMiddleware, get_crawler())


def page(head: str, body: str = "<p>正文</p>", encoding: str = "utf-8", **kwargs):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return DecodeCountingResponse(url=URL, body=html.encode(encoding), encoding=encoding, **kwargs)


def followed(middleware, response) -> str | None:
    """The URL the middleware refreshes to, or None when it passes the page on."""
    result = middleware.process_response(Request(URL), response)
    if result is response:
        return None
    assert isinstance(result, Request)
    return result.url


def test_a_refresh_in_the_head_is_followed_relative_to_the_base(middleware):
    response = page(f'<base href="http://example.org/other/">{REFRESH}')
    assert followed(middleware, response) == "http://example.org/other/moved.html"


def test_a_page_without_a_refresh_passes_undecoded(middleware):
    response = page("<title>无跳转</title>", "<p>" + "正文" * 2000 + "</p>")
    assert followed(middleware, response) is None
    assert response.decoded == 0


@pytest.mark.parametrize("character", ["正", "𝄞"], ids=["3-byte", "4-byte"])
def test_a_refresh_late_in_the_first_4096_characters_is_followed(middleware, character):
    # Scrapy reads a refresh in the first 4,096 characters of the page; characters of 3 and
    # 4 bytes put this one past the 12,000th byte.
    response = page("", character * 3950 + REFRESH)
    assert len(response.text.split("<meta")[0]) < 4096 - len(REFRESH)
    assert followed(middleware, response) == "http://example.org/news/moved.html"


def test_a_refresh_past_the_first_4096_characters_is_not(middleware):
    assert followed(middleware, page("", "正" * 5000 + REFRESH)) is None


def test_a_refresh_inside_noscript_is_not_followed(middleware):
    # Scrapy's METAREFRESH_IGNORE_TAGS: a refresh for browsers without scripts only.
    assert followed(middleware, page(f"<noscript>{REFRESH}</noscript>")) is None


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16"])
def test_a_refresh_is_found_in_other_encodings(middleware, encoding):
    # UTF-16 spells no tag in ASCII bytes, so its pages are decoded to be read. Scrapy's own
    # middleware says where each leads (for UTF-16 with a query that w3lib encodes so).
    response = page(f"<title>新聞</title>{REFRESH}", encoding=encoding)
    expected = followed(build_from_crawler(MetaRefreshMiddleware, get_crawler()), response)
    assert expected.startswith("http://example.org/news/moved.html")
    assert followed(middleware, response) == expected
