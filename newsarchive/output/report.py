"""HTML report of reprint checks: an index of every pair and a side-by-side page for each.

Every string on these pages was scraped from sites we do not control, so the templates escape
everything (autoescape, no `|safe` on data), link only http(s) URLs, carry no inline script or
event handler, and each page declares a Content-Security-Policy that would stop a missed
escape from running anything.
"""

import base64
import hashlib
import re
from collections import Counter
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsarchive.compare.numbers import NUMBER

STATIC = files("newsarchive.output") / "static"
ASSETS = ("report.css", "report.js")
# A report directory loads its own stylesheet and script files and nothing else.
SITE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
# A lone page has no files beside it: its stylesheet is inline, allowed by its hash only, and
# it runs no script at all.
SINGLE_CSP = (
    "default-src 'none'; style-src '{style_hash}'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
# Browsers drop tabs and newlines inside a URL ("java\nscript:"), so any whitespace or control
# character disqualifies a link, not just a non-http scheme.
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
# A number as numbers.py compares it; the group keeps it in re.split.
_NUMBER = re.compile(f"({NUMBER})")

VERDICTS = {"faithful": "忠实", "edited": "有改动", "unrelated": "不相关", "none": "无对照"}
# Sort rank of a verdict: the pairs that need a reader's eye first.
VERDICT_RANK = {"unrelated": 0, "edited": 1, "none": 2, "faithful": 3}
FLAGS = {
    "missing_paragraphs": "删段",
    "added_paragraphs": "加段",
    "changed_paragraphs": "改段",
    "changed_numbers": "改数字",
    "reordered": "调序",
    "title_changed": "改标题",
    "source_unattributed": "未注明来源",
    "no_original_link": "无原文链接",
    "original_unavailable": "原文不可得",
    "published_before_original": "早于原文",
}
STATUSES = {"kept": "保留", "changed": "改动", "missing": "删去", "added": "新增", "moved": "移位"}
ORIGINAL_STATES = {
    "ok": "原文在线",
    "moved": "原文已迁址",
    "removed": "原文已删除",
    "unreachable": "原文暂时无法访问",
    "blocked": "原文拒绝访问",
}
ORIGINAL_STATUSES = {
    "available": "已取得",
    "unavailable": "取不到",
    "not_fetched": "未抓取",
    "none": "转载未给原文链接",
}


def is_web_url(value: Any) -> bool:
    return isinstance(value, str) and _WEB_URL.fullmatch(value) is not None


def page_id(reprint_url: str) -> str:
    """File name of a pair page: stable across runs, whatever else the archive holds."""
    return hashlib.sha1(reprint_url.encode("utf-8")).hexdigest()[:12]


def lag_text(seconds: int | None, precision: str | None) -> str:
    """Reprint lag for a reader: 1 天 7 小时, 12 分, or ≈2 天（仅日期） when a side has no time."""
    if seconds is None:
        return "—"
    sign, rest = ("−" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(rest, 86400)
    if precision == "day":
        return f"≈{sign}{days} 天（仅日期）" if days else "同一天（仅日期）"
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        parts = [f"{days} 天", f"{hours} 小时" if hours else ""]
    elif hours:
        parts = [f"{hours} 小时", f"{minutes} 分" if minutes else ""]
    else:
        parts = [f"{minutes} 分" if minutes else f"{secs} 秒"]
    return sign + " ".join(part for part in parts if part)


def date_text(value: str | None) -> str:
    """ISO 8601 at the precision given, as read in China: no T, no +08:00."""
    return value.replace("T", " ").removesuffix("+08:00") if value else "—"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _runs(diff: list[list[str]], skip: str, tag: str) -> list[dict[str, Any]]:
    """One side of a character diff; the numbers inside a changed run are marked apart."""
    return [
        {"tag": "same", "pieces": [{"text": text, "number": False}]}
        if op == "="
        else {
            "tag": tag,
            "pieces": [
                {"text": piece, "number": bool(_NUMBER.fullmatch(piece))}
                for piece in _NUMBER.split(text)
                if piece
            ],
        }
        for op, text in diff
        if op != skip
    ]


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    """A paragraph entry split into what each side of the page shows."""
    if entry.get("diff"):
        original, reprint = _runs(entry["diff"], "+", "del"), _runs(entry["diff"], "-", "ins")
    else:
        original = _runs([["=", entry["original_text"]]], "+", "del")
        reprint = _runs([["=", entry["reprint_text"]]], "-", "ins")
    return entry | {"original_runs": original, "reprint_runs": reprint}


def _side(url: str | None, record: dict[str, Any] | None, title: str | None) -> dict[str, Any]:
    """What the page header shows of one side; the check alone gives only URL and title."""
    record = record or {}
    return {
        "url": url,
        "title": record.get("title", title),
        "site": record.get("site") or (urlsplit(url).hostname if is_web_url(url) else None),
        "site_name": record.get("site_name"),
        "published_at": record.get("published_at"),
        "source": record.get("source"),
        "author": record.get("author"),
        "images": record.get("images") or [],
        "paragraphs": record.get("paragraphs") or [],
    }


def pair_view(
    check: dict[str, Any], reprint: dict[str, Any] | None, original: dict[str, Any] | None
) -> dict[str, Any]:
    """Everything a pair page (and its index row) shows, from the check and both records."""
    title = check.get("title") or {}
    return {
        "id": page_id(check["reprint_url"]),
        "check": check,
        "verdict": check.get("verdict") or "none",
        "reprint": _side(check["reprint_url"], reprint, title.get("reprint")),
        "original": _side(check.get("original_url"), original, title.get("original")),
        "statuses": Counter(entry["status"] for entry in check.get("paragraphs") or []),
        "rows": [_row(entry) for entry in check.get("paragraphs") or []],
    }


def index_row(view: dict[str, Any]) -> dict[str, Any]:
    """What the index shows of a pair; the paragraphs are left out, to keep the list small."""
    check, reprint = view["check"], view["reprint"]
    return {
        "id": view["id"],
        "verdict": view["verdict"],
        "flags": check.get("flags") or [],
        "url": reprint["url"],
        "title": reprint["title"],
        "site": reprint["site"],
        "site_name": reprint["site_name"],
        "published_at": reprint["published_at"],
        "original_published_at": view["original"]["published_at"],
        "lag_seconds": check.get("lag_seconds"),
        "lag_precision": check.get("lag_precision"),
        "coverage": check.get("coverage"),
    }


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsarchive.output", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["web_url"] = is_web_url
    env.filters.update(lag=lag_text, date=date_text, percent=percent)
    env.globals.update(
        VERDICTS=VERDICTS,
        VERDICT_RANK=VERDICT_RANK,
        FLAGS=FLAGS,
        STATUSES=STATUSES,
        ORIGINAL_STATUSES=ORIGINAL_STATUSES,
        ORIGINAL_STATES=ORIGINAL_STATES,
    )
    return env


ENV = _environment()


def asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def pair_page(
    check: dict[str, Any],
    reprint: dict[str, Any] | None = None,
    original: dict[str, Any] | None = None,
) -> str:
    """One self-contained page for a pair: stylesheet inline (allowed by hash), no script."""
    css = asset("report.css")
    style_hash = "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    # Markup on our own stylesheet, never on data: the hash must match its exact text.
    return ENV.get_template("pair.html.j2").render(
        pair=pair_view(check, reprint, original),
        csp=SINGLE_CSP.format(style_hash=style_hash),
        inline_css=Markup(css),
        stylesheet=None,
        index_href=None,
    )
