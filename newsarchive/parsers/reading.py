"""One page read into its record, from its bytes alone: what a crawl's worker process runs
(crawl/workers.py), so it takes plain, picklable arguments and returns plain results."""

from scrapy.http import HtmlResponse

from newsarchive.items import Article
from newsarchive.parsers import page_for
from newsarchive.sites.fields import with_fields


def read_page(
    url: str,
    status: int,
    headers: dict[bytes, list[bytes]],
    body: bytes,
    encoding: str,
    kind: str,
    family: str | None,
    fields: dict[str, str],
    continuation: bool,
) -> tuple[str | None, Article | None, list[str]]:
    """(None, the record, the article's further pages), or ("not_article", None, []) for a
    first page that reads as no article (a later page may have no title of its own)."""
    response = HtmlResponse(url=url, status=status, headers=headers, body=body, encoding=encoding)
    page = page_for(response, kind, family)
    if not continuation and not page.is_article():
        return "not_article", None, []
    item = page.to_item()
    if fields:
        item = with_fields(item, response, fields)
    return None, item, page.more_pages()
