"""A profile's per-field selectors, applied to what a parser made of a page: a site whose
layout the family's page object misreads is fixed in its profile, not in code."""

from dataclasses import replace

from scrapy.http import TextResponse

from newsarchive.items import Article
from newsarchive.parsers.text import clean_text


def _select(response: TextResponse, selector: str) -> list[str]:
    kind, _, query = selector.partition(":")
    found = response.css(query) if kind == "css" else response.xpath(query)
    return [text for text in (clean_text(value) for value in found.getall()) if text]


def with_fields(item: Article, response: TextResponse, fields: dict[str, str]) -> Article:
    """The item with each field a selector gives read from the page instead; a selector that
    finds nothing leaves the parser's value."""
    changes = {}
    for name, selector in fields.items():
        values = _select(response, selector)
        if not values:
            continue
        if name == "body":
            changes["paragraphs"] = values
        elif name == "original_url":
            changes[name] = response.urljoin(values[0])
        else:
            changes[name] = values[0]
    return replace(item, **changes) if changes else item
