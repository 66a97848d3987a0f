"""The fields of a record derived from those a parser read: trimmed texts, body, site, hash."""

from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from newsarchive.compare.fold import content_hash
from newsarchive.parsers.text import clean_text

TEXT_FIELDS = ("site_name", "title", "published_at_raw", "source", "author", "category")


def normalize(adapter: ItemAdapter, fetched_at: str | None) -> None:
    """Complete the fields derived from the page: trimmed texts, body, site, hash, fetch time."""
    for name in TEXT_FIELDS:
        adapter[name] = clean_text(adapter[name])
    paragraphs = [text for text in map(clean_text, adapter["paragraphs"]) if text]
    adapter["paragraphs"] = paragraphs
    adapter["body"] = "\n".join(paragraphs)
    adapter["site"] = adapter["site"] or urlsplit(adapter["url"]).hostname
    adapter["content_hash"] = content_hash(paragraphs)
    adapter["fetched_at"] = adapter["fetched_at"] or fetched_at
