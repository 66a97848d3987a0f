"""How well newsarchive reads pages: an evaluation set of saved pages, each with the record a
reader would write for it, scored field by field (`newsarchive eval DIR`).

Each case is `NAME.html` (the page as served) and `NAME.json` (url, title, published_at,
source, author, editor, paragraphs, body_first, body_last, must_not_contain, images,
attachments, document; see samples/eval/README.md).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.parsers import PARSERS, page_for
from newsarchive.parsers.charset import with_best_encoding
from newsarchive.parsers.normalize import normalize

FIELDS = (
    "title",
    "time",
    "source",
    "author",
    "editor",
    "body_first",
    "body_last",
    "body_complete",
    "no_boilerplate",
    "images",
    "attachments",
    "document",
)
_SPACE = re.compile(r"\s+")


def _text(value) -> str | None:
    return None if value is None else _SPACE.sub(" ", str(value)).strip()


def _minute(value: str | None, precision_of: str | None) -> str | None:
    """A time at the precision the expected one has: to the minute, or the day."""
    if not value:
        return None
    if precision_of and "T" not in precision_of:
        return value[:10]
    return value[:16] if "T" in value else value


@dataclass
class Case:
    name: str
    expected: dict
    record: dict
    results: dict[str, bool] = field(default_factory=dict)


def judge(expected: dict, record: dict) -> dict[str, bool]:
    """Each field: whether the record says what the page does."""
    body = record.get("body") or ""
    first, last = _text(expected.get("body_first")) or "", _text(expected.get("body_last")) or ""
    results = {
        "title": _text(record.get("title")) == _text(expected.get("title")),
        "time": _minute(record.get("published_at"), expected.get("published_at"))
        == _minute(expected.get("published_at"), expected.get("published_at")),
        "body_first": bool(first) and _text(body).startswith(first),
        "body_last": bool(last) and _text(body).endswith(last),
    }
    for name in ("source", "author", "editor"):
        results[name] = (_text(record.get(name)) or None) == (_text(expected.get(name)) or None)
    results["body_complete"] = (
        results["body_first"]
        and results["body_last"]
        and (expected.get("paragraphs") in (None, len(record.get("paragraphs") or [])))
    )
    leaks = [text for text in expected.get("must_not_contain") or [] if text in body]
    results["no_boilerplate"] = not leaks
    results["images"] = len(record.get("images") or []) == (expected.get("images") or 0)
    wanted = {item["url"] for item in expected.get("attachments") or []}
    results["attachments"] = {item["url"] for item in record.get("attachments") or []} == wanted
    results["document"] = (record.get("document") or None) == (expected.get("document") or None)
    return results


class CaseError(ValueError):
    """A case whose expected record cannot be read: its file and why."""


def read_case(page: Path, parser: str | None = None) -> Case:
    label = page.with_suffix(".json")
    try:
        expected = json.loads(label.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CaseError(f"{label}: {error}") from None
    if not isinstance(expected, dict) or not isinstance(expected.get("url"), str):
        raise CaseError(f"{label}: not a case (a JSON object with a url)")
    response = with_best_encoding(HtmlResponse(url=expected["url"], body=page.read_bytes()))
    page_object = PARSERS[parser](response, "original") if parser else page_for(response)
    adapter = ItemAdapter(page_object.to_item())
    normalize(adapter, fetched_at=None)
    record = adapter.asdict()
    return Case(page.stem, expected, record, judge(expected, record))


def evaluate(directory: Path, parser: str | None = None) -> Iterator[Case]:
    for page in sorted(Path(directory).glob("*.html")):
        if page.with_suffix(".json").exists():
            yield read_case(page, parser)


def accuracy(cases: list[Case]) -> dict[str, float]:
    """Share of cases each field is right on, 0 to 1."""
    return {name: sum(case.results[name] for case in cases) / len(cases) for name in FIELDS}
