"""What the archive accepts: a record that meets the published schema and the archive's rules."""

from functools import cache
from typing import Any

import fastjsonschema

from newsarchive.items import article_schema


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
