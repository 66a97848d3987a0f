import json
from dataclasses import fields

from newsarchive.items import (
    CHECK_SCHEMA_PATH,
    SCHEMA_PATH,
    Article,
    ReprintCheck,
    article_schema,
    check_schema,
)

CONTRACT_FIELDS = [
    "url",
    "kind",
    "site",
    "site_name",
    "title",
    "published_at",
    "published_at_raw",
    "source",
    "author",
    "editor",
    "category",
    "paragraphs",
    "body",
    "images",
    "attachments",
    "document",
    "pages",
    "original_url",
    "meta",
    "encoding",
    "http_status",
    "fetched_at",
    "content_hash",
    "parser",
    "charset_declared",
    "charset_conflict",
    "replacement_characters",
    "aliases",
    "capture",  # added with the WARC captures (issue 9)
]


def test_committed_schemas_are_the_ones_generated_from_the_items():
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == article_schema()
    assert json.loads(CHECK_SCHEMA_PATH.read_text("utf-8")) == check_schema()


def test_record_fields_keep_their_contract_names_and_order():
    assert [field.name for field in fields(Article)] == CONTRACT_FIELDS
    assert list(article_schema()["properties"]) == CONTRACT_FIELDS


CHECK_CONTRACT_FIELDS = [
    "reprint_url",
    "original_url",
    "verdict",
    "flags",
    "coverage",
    "purity",
    "similarity",
    "title",
    "attribution",
    "lag_seconds",
    "lag_precision",
    "original_status",
    "original_failure",
    "changed_numbers",
    "paragraphs",
    "boilerplate",
    "checked_at",
    "original_state",  # added with the original states over time (issue 9)
    "original_state_since",
]


def test_check_fields_keep_their_contract_names_and_order():
    assert [field.name for field in fields(ReprintCheck)] == CHECK_CONTRACT_FIELDS


def test_every_field_is_documented_in_the_schemas():
    undocumented = [
        name
        for schema in (article_schema(), check_schema())
        for name, spec in schema["properties"].items()
        if not spec.get("description")
    ]
    assert undocumented == []
