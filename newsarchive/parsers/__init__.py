"""Page objects, one module per site family, and page_for() that picks one for a response."""

from urllib.parse import urlsplit

from scrapy.http import TextResponse

from newsarchive.parsers.base import ArticlePage
from newsarchive.parsers.dedecms import DedecmsArticlePage
from newsarchive.parsers.empirecms import EmpirecmsArticlePage
from newsarchive.parsers.generic import GenericArticlePage
from newsarchive.parsers.phpcms import PhpcmsArticlePage
from newsarchive.parsers.trs_wcm import TRS_ARTICLE_URL, TrsWcmArticlePage
from newsarchive.parsers.wordpress import WordpressArticlePage
from newsarchive.parsers.xunrui import XunruiArticlePage

# Reprint sites known to share the XunRui template (DOMAIN.md §8).
FAMILY_BY_HOST: dict[str, type[ArticlePage]] = {
    "zjifz.org.cn": XunruiArticlePage,
    "www.zjifz.org.cn": XunruiArticlePage,
    "w.mzdc.org.cn": XunruiArticlePage,
    "w.mzuzx.org.cn": XunruiArticlePage,
    # One sample site per CMS family (samples/README.md, "CMS-family sites").
    "www.mzwh.org.cn": DedecmsArticlePage,
    "www.zjzx.org.cn": PhpcmsArticlePage,
    "www.mzxx.org.cn": EmpirecmsArticlePage,
    "www.bjmzgc.org.cn": WordpressArticlePage,
}
PARSERS = {
    page.name: page
    for page in (
        XunruiArticlePage,
        TrsWcmArticlePage,
        DedecmsArticlePage,
        PhpcmsArticlePage,
        EmpirecmsArticlePage,
        WordpressArticlePage,
        GenericArticlePage,
    )
}


def page_class_for(url: str) -> type[ArticlePage]:
    """The family for a URL: by host, then TRS WCM for gov.cn article URLs, else generic."""
    host = urlsplit(url).hostname or ""
    if host in FAMILY_BY_HOST:
        return FAMILY_BY_HOST[host]
    if host.endswith(".gov.cn") and TRS_ARTICLE_URL.search(urlsplit(url).path):
        return TrsWcmArticlePage
    return GenericArticlePage


def page_for(
    response: TextResponse, kind: str | None = None, family: str | None = None
) -> ArticlePage:
    """The page object for a response; `kind` is the role the crawl gave the page, `family`
    the parser a spider knows the page's site uses (else chosen by host and URL)."""
    page_class = PARSERS[family] if family else page_class_for(response.url)
    return page_class(response, kind)


__all__ = ["PARSERS", "ArticlePage", "page_class_for", "page_for"]
