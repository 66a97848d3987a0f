"""Who a page credits: 来源 (source), 作者/记者 (author), 责任编辑 (editor), and the 原文链接
a reprint names. Each from labelled text (an info line, a credit line, the body's last line)."""

import re

# Labels as Chinese news pages write them; a value runs to the next label, a bracket, a
# separator or the end of the line.
SOURCE_LABELS = r"来源|稿件来源|信息来源|文章来源|资料来源|新闻来源|发布来源|来自"
AUTHOR_LABELS = r"作者|记者|撰稿|撰文|文|通讯员|作\s*者"
EDITOR_LABELS = r"责任编辑|责编|编辑|值班编辑"
_ANY_LABEL = (
    rf"(?:{SOURCE_LABELS}|{AUTHOR_LABELS}|{EDITOR_LABELS}|发布时间|发布日期|时间|日期|"
    r"浏览次数|点击数|点击|阅读|字号|【|\[|分享)"
)
# A value: up to 40 characters without spaces or brackets, and a second name after a space
# (作者：王芳 李明); it ends at the next label, a separator, a bracket or the line's end.
_VALUE = (
    r"((?:[^\s【\[|｜:：()（）]{1,40}?(?:\s[\u4e00-\u9fff]{2,4}){0,3})?)"
    rf"(?=\s*(?:{_ANY_LABEL}|$|[|｜/]|[)）\]】])|\s+\d)"
)
_SEPARATOR = r"\s*[:：]\s*"


def _labelled(labels: str) -> re.Pattern:
    return re.compile(rf"(?:^|[\s(（\[【|｜])(?:{labels}){_SEPARATOR}{_VALUE}")


SOURCE = _labelled(SOURCE_LABELS)
AUTHOR = _labelled(AUTHOR_LABELS)
EDITOR = _labelled(EDITOR_LABELS)
# 本报记者 王芳 / 新华社记者王芳 / 记者 王芳 李明: an author named without a colon.
REPORTER = re.compile(
    r"(?:本报|本台|本网|新华社|中新社)?记者\s*([\u4e00-\u9fff]{2,4}(?:[\s、][\u4e00-\u9fff]{2,4}){0,3})"
)
# （来源：内蒙古日报） closing a body; [责任编辑：王芳]; （编辑：李明）
CLOSING_CREDIT = re.compile(
    r"^[(（\[【]\s*(?P<label>来源|稿件来源|文章来源|信息来源|责任编辑|编辑|责编|作者|记者|审核|校对)"
    r"\s*[:：]\s*(?P<value>[^)）\]】]{1,40})\s*[)）\]】]$"
)
EMPTY = {"", "佚名", "未知", "本站", "admin", "管理员", "无"}
# Any scheme, so that a file: or javascript: link is recorded and the crawl can refuse it.
URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\"'<>，。]+")


def _first(pattern: re.Pattern, lines: list[str]) -> str | None:
    for line in lines:
        if match := pattern.search(line):
            return match.group(1).strip()
    return None


def credit(lines: list[str], pattern: re.Pattern) -> str | None:
    """The value after a label in the first line that has it; "" when it is empty or 佚名."""
    value = _first(pattern, lines)
    if value is None:
        return None
    return "" if value in EMPTY else value


def closing_credit(line: str) -> tuple[str, str] | None:
    """("source" | "editor" | "author", value) of a credit line in brackets, else None."""
    match = CLOSING_CREDIT.match(line.strip())
    if not match:
        return None
    label = match["label"]
    kind = "source" if "来源" in label else "author" if label in ("作者", "记者") else "editor"
    return kind, match["value"].strip()


def reporter(lines: list[str]) -> str | None:
    """An author named as 本报记者 王芳 in a dateline or byline."""
    return _first(REPORTER, lines)
