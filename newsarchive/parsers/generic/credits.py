"""Who a page credits: 来源 (source), 作者/记者 (author), 责任编辑 (editor), and the 原文链接
a reprint names. Each from labelled text: an info line, a credit line, a byline, the body's
last line."""

import re

SOURCE_LABELS = r"来源|稿件来源|信息来源|文章来源|资料来源|新闻来源|发布来源|来自"
AUTHOR_LABELS = r"原作者|作者|作\s*者|记者|撰稿|撰文|文字|文|通讯员"
EDITOR_LABELS = r"责任编辑|责编|值班编辑|编辑"
_OTHER_LABELS = (
    r"发布时间|发布日期|更新时间|时间|日期|浏览次数|浏览|点击数|点击|阅读|字号|"
    r"图片|摄影|摄像|审核|校对|初审|复审|终审|监制|出品|供稿|评论|访问量"
)
_ALL_LABELS = rf"{SOURCE_LABELS}|{AUTHOR_LABELS}|{EDITOR_LABELS}|{_OTHER_LABELS}"
_SEPARATOR = r"\s*[:：]\s*"
# Where a value ends: before the next label and its colon, a bracket, a separator, two
# spaces, a date, or the end of the text.
_END = rf"(?=\s*(?:(?:{_ALL_LABELS})\s*[:：]|【|\[|分享|$|[|｜]|[)）\]】])|\s{{2,}}|\s+\d)"
# A value: up to 40 characters without spaces or brackets, and more names after spaces or
# 、 (作者：王芳 李明).
_NOT_NAME = r"(?:[大中小]?字号|发布于|更新于|打印|关闭|分享|收藏|纠错|评论)"
_MORE = rf"(?:[\s、](?!{_NOT_NAME})[\u4e00-\u9fff·]{{2,8}}){{0,3}}"
_VALUE = rf"((?:[^\s【\[|｜:：()（）]{{1,40}}?{_MORE})?)"


def _labelled(labels: str) -> re.Pattern:
    return re.compile(rf"(?:^|[\s(（\[【|｜/])(?:{labels}){_SEPARATOR}{_VALUE}{_END}")


SOURCE = _labelled(SOURCE_LABELS)
AUTHOR = _labelled(AUTHOR_LABELS)
EDITOR = _labelled(EDITOR_LABELS)
CHIEF_EDITOR = _labelled(r"责任编辑|责编")
# 本报记者 王芳 / 新华社记者王芳 / □本报记者 韩晓 / 文/图 杨晓梅: an author named without a
# colon, in a byline or a dateline.
_NAME = r"[\u4e00-\u9fff·]{2,8}"
_REPORTER_BY = r"(?:本报|本台|本网|新华社|中新社|人民日报)?(?:特约)?记者|文/图|图/文|文\s*/\s*图"
# The name ends where the dateline or line does: （记者赵刚） but not 记者从农牧局获悉.
REPORTER = re.compile(
    rf"(?:{_REPORTER_BY})\s*({_NAME}(?:[\s、]{_NAME}){{0,3}})"
    r"(?=[\s）)】\]、，,。;；]|报道|摄|$)"
)
_BYLINE_BY = r"(?:本报|本台|本网)?(?:特约)?记者|通讯员|文/图|图/文|文\s*[:：/]|作者\s*[:：]"
_MORE_NAMES = rf"(?:[\s、]+(?:(?:本报|特约)?(?:记者|通讯员)\s*)?{_NAME}){{0,5}}"
BYLINE = re.compile(rf"^[□■●◆\s]*(?:{_BYLINE_BY})\s*{_NAME}{_MORE_NAMES}\s*$")
# A line that is credits only: (文字：王晓燕 图片：刘洋 编辑：苏日娜 审核：张宏), [责任编辑：王芳],
# （来源：内蒙古日报）, 编辑：李明.
_PAIR = rf"(?:{_ALL_LABELS}){_SEPARATOR}[^\s:：()（）\[\]【】]{{1,40}}"
CREDIT_LINE = re.compile(rf"^[(（\[【]?\s*{_PAIR}(?:[\s;；,，、|｜]+{_PAIR})*\s*[)）\]】]?$")
# 《人民日报》（2023年03月15日 04版）: the newspaper edition a web copy came from.
EDITION = re.compile(
    r"^《\s*[^》]{2,12}\s*》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*"
    r"[0-9０-９]+\s*版\s*[）)]$"
)
EMPTY = {"", "佚名", "未知", "本站", "admin", "管理员", "无", "本网", "本报"}
_BOILER_PREFIX = re.compile(r"^(?:来源|作者|编辑|记者)\s*[:：]\s*")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Any scheme, so that a file: or javascript: link is recorded and the crawl can refuse it.
URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"'<>，。]+")


def labelled(line: str, pattern: re.Pattern) -> str | None:
    """The value after a pattern's label in a line; "" when it is empty or 佚名; None if absent."""
    match = pattern.search(line)
    if match is None:
        return None
    value = match.group(1).strip()
    return "" if value in EMPTY else value


def credit(lines: list[str], pattern: re.Pattern) -> str | None:
    """The first non-empty value a label gives in the lines ("" if only empty ones)."""
    found = None
    for line in lines:
        value = labelled(line, pattern)
        if value:
            return value
        if value == "":
            found = ""
    return found


def is_credit_line(line: str) -> bool:
    return len(line) <= 120 and bool(CREDIT_LINE.match(line.strip()))


def is_byline(line: str) -> bool:
    return len(line) <= 60 and bool(BYLINE.match(line.strip()))


def reporter(lines: list[str]) -> str | None:
    """An author named as 本报记者 王芳 in a dateline or byline."""
    for line in lines:
        if match := REPORTER.search(line):
            return person(match.group(1).strip())
    return None


# 本报记者, 光明网记者, 特约通讯员 before a name; 报道, 摄 after it.
_ROLE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}?(?:特约)?(?:记者|通讯员)\s*)+")
_ROLE_SUFFIX = re.compile(r"\s*(?:报道|摄影|摄|撰稿|供稿)$")


def person(value: str | None) -> str | None:
    """An author's name without the role some pages print around it (作者：本报记者 赵刚,
    米日古丽·吐尔逊 报道)."""
    if not value:
        return value
    return _ROLE_SUFFIX.sub("", _ROLE_PREFIX.sub("", value)).strip() or value


def meta_credit(value: str | None) -> str | None:
    """A meta tag's credit without the label some sites put in it (来源：人民网)."""
    return _BOILER_PREFIX.sub("", value).strip() if value else value
