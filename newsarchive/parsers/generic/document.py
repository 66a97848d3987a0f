"""The 信息公开 table of a government document page: 索引号, 发布机构, 文号, 成文日期 …

Labels are space-justified (`索 引 号`, `文　　号`) and sit in a table cell, a `<li>` or a
`<span>` before their value; the value is the text after the label's colon, or the next text.
"""

import re

from newsarchive.parsers.text import parse_cn_datetime

# Field names as the record keeps them, and the labels pages use for each.
LABELS = {
    "索引号": ("索引号",),
    "发布机构": ("发布机构", "发文机关", "发文单位", "发布单位", "信息来源"),
    "文号": ("文号", "发文字号", "文件编号", "发文文号"),
    "成文日期": ("成文日期", "成文时间", "印发日期"),
    "发布日期": ("发布日期", "发布时间", "公开日期"),
    "主题分类": ("主题分类", "信息分类", "分类"),
    "有效性": ("有效性", "时效", "是否有效"),
}
_BY_LABEL = {label: field for field, labels in LABELS.items() for label in labels}
_GAP = re.compile(r"[\s\u3000:：]+")
# What a label's text can begin with: most lines of a page begin otherwise, and are passed by
# without a split and a substitution each (\u3000 and the rest of \s are what lstrip() strips).
_FIRST = {label[0] for label in _BY_LABEL}


def _value(field: str, value: str) -> str | None:
    """A field's value as the record keeps it: dates as ISO days, an empty one as null."""
    value = re.sub(r"\s+", " ", value).strip()
    if field.endswith("日期") and (day := parse_cn_datetime(value)):
        return day[:10]
    return value or None


def document_table(texts: list[str]) -> dict[str, str | None] | None:
    """The table's fields, read from the page's lines, when it has an 索引号 or a 文号;
    else None. Every field is there, null when the page does not show it."""
    found: dict[str, str | None] = {}
    for index, text in enumerate(texts):
        if text.lstrip()[:1] not in _FIRST:
            continue
        label, *rest = re.split(r"[:：]", text, maxsplit=1)
        value = rest[0] if rest else ""
        field = _BY_LABEL.get(_GAP.sub("", label))
        if field is None or field in found:
            continue
        value = value.strip() or (texts[index + 1] if index + 1 < len(texts) else "")
        if _BY_LABEL.get(_GAP.sub("", value.split("：")[0].split(":")[0])):
            value = ""  # the next text is another label: this one is empty
        found[field] = _value(field, value)
    if "索引号" not in found and "文号" not in found:
        return None
    return {field: found.get(field) for field in LABELS}
