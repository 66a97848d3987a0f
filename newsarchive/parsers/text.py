"""Text cleaning for parsers: whitespace, and Chinese dates to ISO 8601."""

import re
from datetime import datetime

_WHITESPACE = re.compile(r"\s+")  # str patterns match U+3000 and NBSP too

# Dates as Chinese pages write them (DOMAIN.md §5): 2023-02-17 17:00:27, 2023年02月16日 09:30,
# 2020/12/31 14:29, 2023-02-16-10:21:00 (gov.cn meta). Generic date parsers misread several of
# these (年 dates, the gov.cn dash before the time), so the pattern is explicit.
_DATE = re.compile(
    r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:[\sT-]*(?P<hour>\d{1,2})\s*[:时]\s*(?P<minute>\d{2})(?:\s*[:分]\s*(?P<second>\d{2}))?)?"
)
# TRS WCM article URLs carry the document date: /202302/t20230216_2257296.html
_URL_DATE = re.compile(r"/t(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})_\d+\.s?html?$")
CHINA_OFFSET = "+08:00"


def clean_text(text: str | None) -> str | None:
    """Collapse whitespace runs (ideographic spaces and NBSP included) and strip the ends."""
    if text is None:
        return None
    return _WHITESPACE.sub(" ", text).strip()


def parse_cn_datetime(text: str | None) -> str | None:
    """The first date in `text` as ISO 8601 at the precision shown, in China time.

    `2023-02-17 17:00:27` gives `2023-02-17T17:00:27+08:00`, `2023-02-16 10:21` gives
    `2023-02-16T10:21+08:00`, and a date alone stays a date: `2023年3月20日` gives `2023-03-20`.
    Labels and trailing text around the date are ignored. None when there is no valid date.
    """
    if not text:
        return None
    match = _DATE.search(text)
    return _iso_from_match(match) if match else None


def find_cn_datetime(text: str | None) -> str | None:
    """The first date in `text` exactly as written, e.g. `2023年03月15日 10:30`."""
    if not text:
        return None
    match = _DATE.search(text)
    return match.group(0).strip() if match else None


def date_from_url(url: str) -> str | None:
    """The document date a TRS WCM URL carries (`t20230216_…` gives 2023-02-16), if any."""
    match = _URL_DATE.search(url)
    return _iso_from_match(match) if match else None


def _iso_from_match(match: re.Match) -> str | None:
    parts = match.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    hour, minute, second = parts.get("hour"), parts.get("minute"), parts.get("second")
    try:
        moment = datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if hour is None:
        return moment.strftime("%Y-%m-%d")
    if second is None:
        return moment.strftime("%Y-%m-%dT%H:%M") + CHINA_OFFSET
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + CHINA_OFFSET
