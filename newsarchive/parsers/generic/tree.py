"""The parts of an HTML tree a reader sees: hidden copies, scripts and page chrome told apart.

Small Chinese sites often print an article twice or three times in one page (a mobile copy,
a print copy, a read-aloud copy, one of them hidden); the body is the copy a reader sees.
"""

import re

from lxml import html

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:hide|hidden|hiddenbox|sr-only|print-only)(?:$|[\s_-])", re.IGNORECASE
)
INVISIBLE_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "select",
    "option",
    "textarea",
    "button",
    "svg",
    "object",
    "embed",
}
# Class or id words of page chrome around an article: navigation, footers, share bars,
# related links, comments, pagers. (Not "right", "top" or "main": article columns use them.)
CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|copyright|sidebar|share|bdshare|related|"
    r"relate|xgyd|xgxw|xglj|recommend|rank|comment|comments|reply|breadcrumb|crumb|location|"
    r"position|dqwz|pager|pagination|sxp|prevnext|toolbar|qrcode|ewm|erweima|advert|ads|"
    r"banner|friendlink|yqlj)(?:$|[\s_-]|\d)",
    re.IGNORECASE,
)
WHITESPACE = re.compile(r"\s+")


def is_hidden(element: html.HtmlElement) -> bool:
    """Whether the element itself is hidden (not its ancestors; see hidden_ancestor)."""
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    if element.tag in INVISIBLE_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    return bool(_HIDDEN_CLASS.search(element.get("class") or ""))


def visible(element: html.HtmlElement) -> bool:
    """Whether a reader sees the element: neither it nor an ancestor is hidden."""
    node = element
    while node is not None:
        if is_hidden(node):
            return False
        node = node.getparent()
    return True


def text_of(element: html.HtmlElement) -> str:
    """The visible text of an element, whitespace collapsed; <br> is a space."""
    parts: list[str] = []
    _collect(element, parts)
    return WHITESPACE.sub(" ", "".join(parts)).strip()


def _collect(element, parts: list[str]) -> None:
    if is_hidden(element):
        return  # its tail is its parent's text, added there
    if element.tag == "br":
        parts.append(" ")
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def chrome_words(element: html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def in_chrome(element: html.HtmlElement, stop: html.HtmlElement | None = None) -> bool:
    """Whether the element sits in navigation, footer, share bar, comments and the like
    (up to `stop`, the candidate body block, whose own name does not count)."""
    node = element
    while node is not None and node is not stop:
        if node.tag in ("nav", "footer", "aside", "header") or CHROME.search(chrome_words(node)):
            return True
        node = node.getparent()
    return False
