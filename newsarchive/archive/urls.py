"""URLs as the archive keys them, and which of two URLs of one article keeps its record."""

from functools import lru_cache

from w3lib.url import canonicalize_url


@lru_cache(maxsize=4096)  # an item's URLs are canonicalised several times on its way
def canonical(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def preferred(url: str, other: str) -> bool:
    """Whether `url` should be the record's URL rather than `other` (the alias).

    A static URL beats a dynamic one (`show-1.html` over `index.php?c=show&id=1`), then the
    shorter, then the smaller: the same pages give the same records whatever the crawl order.
    """

    def rank(candidate: str) -> tuple[bool, int, str]:
        return ("?" in candidate, len(candidate), candidate)

    return rank(url) < rank(other)
