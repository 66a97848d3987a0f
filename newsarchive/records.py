"""Record-level rules shared by pipelines and the CLI: completing, validating, the JSON Schema."""

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
from itemadapter import ItemAdapter

from newsarchive.items import Article, ReprintCheck
from newsarchive.text import clean_text, content_hash

SCHEMA_PATH = Path(__file__).with_name("schema") / "article.schema.json"
CHECK_SCHEMA_PATH = Path(__file__).with_name("schema") / "reprint_check.schema.json"
TEXT_FIELDS = ("site_name", "title", "published_at_raw", "source", "author", "category")


def _schema(item_class: type) -> dict[str, Any]:
    """The JSON Schema of an item class, generated from the dataclass and its docstrings."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": item_class.__name__}
    return schema | ItemAdapter.get_json_schema(item_class)


def article_schema() -> dict[str, Any]:
    return _schema(Article)


def check_schema() -> dict[str, Any]:
    return _schema(ReprintCheck)


def record_of(item: Article) -> dict[str, Any]:
    """The item as the dict the archive stores, through ItemAdapter.

    Shallow: Article's fields are plain strings, lists and dicts, and asdict()'s deep copy
    cost more than parsing a page's paragraphs in the benchmark (bench/crawl.py).
    """
    return dict(ItemAdapter(item))


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


@cache
def _validator():
    # Compiled to Python once: interpreting the schema for every record was a tenth of a
    # crawl's time (bench/crawl.py).
    return fastjsonschema.compile(article_schema())


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Why a record cannot be archived (the first schema error, then the rules); empty if none."""
    errors = []
    try:
        _validator()(record)
    except fastjsonschema.JsonSchemaValueException as error:
        errors.append(error.message.removeprefix("data.").removeprefix("data "))
    if record.get("kind") is None:
        errors.append("kind: not set")
    if not record.get("title"):
        errors.append("title: empty")
    if not record.get("body") and not record.get("images"):
        errors.append("body: no text and no images")
    return errors
