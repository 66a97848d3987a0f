"""What a reprint says of its source, title equality and publication lag, for compare()."""

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from newsarchive.compare.fold import bare, fold, to_simplified

_SOURCE_LINE = re.compile(r"(?:来源|转载自|稿件来源|信息来源)\s*[:：]?\s*([^)）\]]+)")
# Title suffixes naming the site or column: 标题_盟市动态_某某网, 标题 - 新华网, 标题|人民网
_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s-\s|-|—)\s*[^_|｜\-—]{2,30}$")


def _key(text: str | None) -> str:
    """Names and titles as compared: folded, punctuation-free, in Simplified characters."""
    return bare(fold(to_simplified(text or "")))


def stated_source(reprint: dict[str, Any], boilerplate: list[str]) -> str:
    """The reprint's 来源, else a source named in a credit line such as (来源:新华网)."""
    if reprint.get("source"):
        return reprint["source"]
    for line in boilerplate:
        match = _SOURCE_LINE.search(unicodedata.normalize("NFKC", line))
        if match:
            return match.group(1).strip()
    return ""


def publishers(original: dict[str, Any]) -> list[str]:
    """Names under which the original was published: site name, 来源, their meta tags."""
    meta = {name.lower(): value for name, value in (original.get("meta") or {}).items()}
    names = [
        original.get("site_name"),
        original.get("source"),
        meta.get("sitename"),
        meta.get("contentsource"),
    ]
    return list(dict.fromkeys(name for name in names if name))


def attribution(
    reprint: dict[str, Any], original: dict[str, Any] | None, boilerplate: list[str]
) -> dict[str, Any]:
    """{source, original_url, publisher, names_publisher}.

    `names_publisher` says whether the stated source names the original's publisher; it is
    null when that cannot be told: no original to read a publisher from, or no source stated.
    """
    source = stated_source(reprint, boilerplate)
    names = publishers(original) if original else []
    source_key = _key(source)
    agrees = None
    if original is not None and source_key:
        agrees = len(source_key) >= 2 and any(
            source_key in _key(name) or _key(name) in source_key for name in names if _key(name)
        )
    return {
        "source": source,
        "original_url": reprint.get("original_url"),
        "publisher": names,
        "names_publisher": agrees,
    }


def unattributed(reprint: dict[str, Any], stated: dict[str, Any]) -> bool:
    """Whether to flag `source_unattributed` (the rule in samples/README.md, "Flag rules").

    A reprint is unattributed when it states no source (an empty 来源 and no credit line), or
    when the source it states is not the original's publisher. Without an original a stated
    source cannot be judged, so it stands. A plain text with no 来源 field at all (a .txt
    given to `compare`) states nothing either way and is never flagged.
    """
    if not _key(stated["source"]):
        return "source" in reprint
    return stated["names_publisher"] is False


def _title_forms(title: str, suffixes: list[str | None]) -> set[str]:
    """A title as compared: whole, and without a known site or column suffix or any suffix
    (those only when something is left)."""
    text = fold(title)
    shorter = {_key(_SUFFIX.sub("", text))}
    # Whatever separates a known name (_ | - —, or a space, which folding removes next to a
    # Chinese character) is punctuation, which the key drops anyway.
    for suffix in filter(None, suffixes):
        if text.endswith(fold(suffix)):
            shorter.add(_key(text[: -len(fold(suffix))]))
    return {_key(title)} | {form for form in shorter if form}


def title_check(
    reprint_title: str | None, original_title: str | None, suffixes: list[str | None] = ()
) -> dict[str, Any]:
    """{reprint, original, equal}; equal is None when either title is unknown."""
    equal = None
    if original_title is not None and reprint_title is not None:
        forms = _title_forms(reprint_title, list(suffixes))
        equal = bool(forms & _title_forms(original_title, list(suffixes)))
    return {"reprint": reprint_title, "original": original_title, "equal": equal}


def _moment(value: str) -> datetime | date:
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


def _has_seconds(value: str) -> bool:
    """`2023-02-17T17:00:27+08:00` has seconds, `2023-02-16T09:47+08:00` has not."""
    return len(value.partition("T")[2]) >= len("17:00:27+08:00")


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def lag(reprint_at: str | None, original_at: str | None) -> tuple[int | None, str | None]:
    """Reprint time minus original time in seconds, and the precision that figure has.

    A date-only side makes it a whole number of days: never invent a time of day.
    """
    if not reprint_at or not original_at:
        return None, None
    reprint, original = _moment(reprint_at), _moment(original_at)
    if not (isinstance(reprint, datetime) and isinstance(original, datetime)):
        return (_day(reprint) - _day(original)).days * 86400, "day"
    precision = "second" if _has_seconds(reprint_at) and _has_seconds(original_at) else "minute"
    return int((reprint - original).total_seconds()), precision
