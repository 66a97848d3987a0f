"""When an article was published, from every place a page says it (DOMAIN.md §5).

A page states its time in several places that do not always agree: the info line under the
title (what the reader sees), meta tags (PubDate, firstpublishedtime, article:published_time,
JSON-LD) that may be a regeneration time, a 信息公开 table, the URL. The visible line wins a
disagreement; a meta time of the same day adds the time of day the line leaves out.
"""

import re
from datetime import UTC, datetime, timedelta, timezone

from newsarchive.parsers.text import CHINA_OFFSET, find_cn_datetime, parse_cn_datetime

CHINA = timezone(timedelta(hours=8))
_MACHINE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)
_URL_DATES = (
    re.compile(r"/t(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})_\d+"),  # TRS WCM
    re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/"),  # www.gov.cn, 新华网
    re.compile(r"/art/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),  # Hanweb
    re.compile(r"/(?P<y>20\d{2})-(?P<m>\d{2})-(?P<d>\d{2})/"),  # EmpireCMS
    re.compile(r"/(?P<y>20\d{2})/(?P<m>\d{2})(?P<d>\d{2})/"),  # DedeCMS /a/2023/0217/
    re.compile(r"/(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),  # /20230216/
    re.compile(r"/(?P<y>20\d{2})/(?P<m>\d{2})/(?P<d>\d{2})/"),
)
# Labels of dates that are not the publication: signing, entry into force, updates.
NOT_PUBLISHED = re.compile(
    r"(?:成文|印发|实施|施行|生效|有效|废止|截止|报名|开始|结束)(?:日期|时间)?\s*[:：]?\s*$"
)
PUBLISHED_LABEL = re.compile(r"(?:发布|发表|发稿|上传|刊发|更新)?(?:时间|日期)\s*[:：]\s*$")


def machine_time(value: str | None) -> str | None:
    """A machine-readable time (2023-02-16T02:21:00Z, 2023-02-16 10:21:00+08:00) in China
    time, at the precision it has; None if there is none."""
    match = _MACHINE.search(value or "")
    if not match:
        return None
    parts = match.groupdict()
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        return None
    if parts["hour"] is None:
        return moment.strftime("%Y-%m-%d")
    if parts["zone"]:
        zone = (
            UTC
            if parts["zone"] == "Z"
            else datetime.strptime(parts["zone"].replace(":", ""), "%z").tzinfo
        )
        moment = moment.replace(tzinfo=zone).astimezone(CHINA).replace(tzinfo=None)
    shape = "%Y-%m-%dT%H:%M:%S" if parts["second"] else "%Y-%m-%dT%H:%M"
    return moment.strftime(shape) + CHINA_OFFSET


def url_date(url: str) -> str | None:
    """The day a URL's path carries (t20230216_…, /2023-02/16/, /art/2023/2/16/ …)."""
    for pattern in _URL_DATES:
        if match := pattern.search(url):
            try:
                day = datetime(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            if 1990 <= day.year <= 2100:
                return day.strftime("%Y-%m-%d")
    return None


def dated_texts(texts: list[str]) -> list[tuple[str, str, bool]]:
    """(raw date, ISO, labelled) of each publication date in a run of texts, in order:
    `labelled` when a label like 发布时间 stands before it; never a date labelled 成文日期,
    实施日期 or 更新时间 (a signing, an entry into force, a revision)."""
    found: list[tuple[str, str, bool]] = []
    carried = ""  # the end of the texts before, for a label in the element before a date
    for text in texts:
        rest = text
        while raw := find_cn_datetime(rest):
            at = rest.index(raw)
            before = (carried + rest[:at])[-14:]
            iso = parse_cn_datetime(raw)
            if not NOT_PUBLISHED.search(before) and iso and 1990 <= int(iso[:4]) <= 2100:
                found.append((raw, iso, bool(PUBLISHED_LABEL.search(before))))
            carried, rest = "", rest[at + len(raw) :]
        carried = (carried + rest)[-14:]
    return found


def same_day(left: str, right: str) -> bool:
    return left[:10] == right[:10]


def best_time(visible: str | None, metas: list[str | None], url: str) -> str | None:
    """The publication time: the visible one, with a meta time of the same day when the
    visible one has no time of day; else the first meta time; else the URL's day."""
    metas = [meta for meta in metas if meta]
    if visible:
        if "T" not in visible:
            for meta in metas:
                if "T" in meta and same_day(meta, visible):
                    return meta
        return visible
    if metas:
        return metas[0]
    return url_date(url)


_INFO_LABEL = re.compile(
    r"(?:发布时间|发布日期|发表时间|时间|日期|来源|作者|点击|浏览|阅读)\s*[:：]"
)


def is_info_line(text: str) -> bool:
    """Whether a short line is an article's info line (时间 · 来源 · 作者), not its text."""
    return (
        len(text) <= 100
        and bool(_INFO_LABEL.search(text))
        and (bool(find_cn_datetime(text)) or text.count("：") + text.count(":") >= 2)
    )
