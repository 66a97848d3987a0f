"""The CMS families small Chinese reprint and portal sites run on (DOMAIN.md §9): where their
article and list pages are, their pager, and the page object that reads their articles.

A site of a known family needs a profile of a few lines (profiles.py); a family's patterns
can be overridden per site.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    article_urls: tuple[str, ...]
    """Regular expressions an article page's URL matches (searched, not anchored)."""
    list_urls: tuple[str, ...]
    """Regular expressions a column list page's URL matches (its later pages included)."""
    pager: tuple[str, ...]
    """CSS selectors of the pager on a list page."""
    parser: str
    """Name of the page object that reads its articles (newsarchive.parsers.PARSERS)."""


FAMILIES = {
    family.name: family
    for family in (
        Family(
            "xunrui",
            article_urls=(r"/show-\d+\.html$", r"/index\.php\?c=show&id=\d+$"),
            list_urls=(r"/list-[\w-]+\.html$", r"/index\.php\?c=category&id=\d+"),
            pager=(".pages", ".pagination", ".page"),
            parser="xunrui",
        ),
        Family(
            "dedecms",
            article_urls=(
                r"/a/\d{4}/\d{4}/\d+(?:_\d+)?\.html$",
                r"/\d{4}/\d{4}/\d+\.html$",
                r"/plus/view\.php\?aid=\d+$",
            ),
            list_urls=(r"/list_\d+_\d+\.html$", r"/[\w-]+/$", r"/plus/list\.php\?tid=\d+"),
            pager=(".pagelist", ".dede_pages", ".pages"),
            parser="dedecms",
        ),
        Family(
            "phpcms",
            article_urls=(
                r"index\.php\?m=content&c=index&a=show&catid=\d+&id=\d+$",
                r"/html/\d{4}/[\w-]+_\d{4}/\d+\.html$",
                r"/show-\d+-\d+-\d+\.html$",
            ),
            list_urls=(
                r"index\.php\?m=content&c=index&a=lists&catid=\d+",
                r"/list-\d+-\d+\.html$",
                r"/html/[\w-]+/(?:index|\d+)\.html$",
            ),
            pager=("#pages", ".pages"),
            parser="phpcms",
        ),
        Family(
            "empirecms",
            article_urls=(
                r"/e/action/ShowInfo\.php\?classid=\d+&id=\d+$",
                r"/[\w/-]+/\d{4}-\d{2}-\d{2}/\d+\.html$",
            ),
            list_urls=(r"/[\w/-]+/index(?:_\d+)?\.html$", r"/e/action/ListInfo/\?classid=\d+"),
            pager=(".epages", ".list_page", ".page"),
            parser="empirecms",
        ),
        Family(
            "wordpress",
            article_urls=(r"/\?p=\d+$", r"/\d{4}/\d{2}/(?:\d{2}/)?[^/?#]+/$"),
            list_urls=(r"/category/[^?#]+/(?:page/\d+/)?$", r"/page/\d+/$", r"/\?cat=\d+"),
            pager=(".nav-links", ".pagination", ".navigation"),
            parser="wordpress",
        ),
    )
}
# A site of no known family: any URL any family calls an article, read by generic extraction.
FAMILIES["generic"] = Family(
    "generic",
    article_urls=(
        *dict.fromkeys(p for f in FAMILIES.values() for p in f.article_urls),
        r"/t\d{8}_\d+\.s?html?$",
        r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$",
        r"/content_\d+\.html?$",
        r"/c_\d+\.html?$",
        r"/content/post_\d+\.html$",
    ),
    list_urls=(r"/index(?:_\d+)?\.s?html?$", r"/list[\w-]*\.html$", r"/col/col\d+/"),
    pager=(".pages", ".pagination", ".page", ".pagelist", "#pages", ".nav-links"),
    parser="generic",
)
