import json
from dataclasses import fields

from newsarchive.items import Article
from newsarchive.records import SCHEMA_PATH, article_schema

CONTRACT_FIELDS = [
    "url", "kind", "site", "site_name", "title", "published_at", "published_at_raw", "source",
    "author", "category", "paragraphs", "body", "images", "original_url", "meta", "encoding",
    "http_status", "fetched_at", "content_hash", "parser",
]


def test_committed_schema_is_the_one_generated_from_the_item():
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == article_schema(), (
        "regenerate with: python -m newsarchive schema > newsarchive/schema/article.schema.json"
    )


def test_record_fields_keep_their_contract_names_and_order():
    assert [field.name for field in fields(Article)] == CONTRACT_FIELDS
    assert list(article_schema()["properties"]) == CONTRACT_FIELDS


def test_every_field_is_documented_in_the_schema():
    undocumented = [name for name, spec in article_schema()["properties"].items()
                    if not spec.get("description")]
    assert undocumented == []
