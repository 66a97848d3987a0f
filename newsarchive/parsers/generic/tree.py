"""The parts of an HTML tree a reader sees: hidden copies, scripts and page chrome told apart.

Small Chinese sites often print an article twice or three times in one page (a mobile copy,
a print copy, a read-aloud copy, one of them hidden); the body is the copy a reader sees.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html
from lxml.cssselect import CSSSelector

# display:none only: WeChat and lazy-loading templates keep the article itself at
# visibility:hidden until a script shows it; copies kept from readers use display:none.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
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
# related links, comments, pagers, tag lists, info lines. (Not "right", "top" or "main":
# article columns use them.) Short words stand alone; longer ones may begin a longer word
# (jp-relatedposts, sharedaddy,
# commentlist). A tag list is `single-tag` or `post-tags`; WordPress's `tag-linzhi` is the
# article's own class.
CHROME = re.compile(
    r"(?:^|[\s_-])(?:(?:nav|navbar|menu|foot|rank|ads|xgyd|xgxw|xglj|location|position|dqwz|"
    r"pager|sxp|crumb|ewm|banner|yqlj|meta|reply)(?:$|[\s_-]|\d)|tags?(?:$|\s)|"
    r"footer|copyright|sidebar|share|sharing|bdshare|related|relate|recommend|comment|"
    r"breadcrumb|pagination|prevnext|toolbar|qrcode|erweima|advert|friendlink)",
    re.IGNORECASE,
)
WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=512)
def compiled(selector: str) -> CSSSelector:
    """A CSS selector translated to XPath once, not on every page (`element.cssselect` does)."""
    return CSSSelector(selector, translator="html")


def is_hidden(element: html.HtmlElement) -> bool:
    """Whether the element itself is hidden (not its ancestors; see hidden_ancestor)."""
    tag = element.tag
    if not isinstance(tag, str) or tag in INVISIBLE_TAGS:
        return True  # comments and processing instructions too
    attributes = element.attrib
    if not attributes:
        return False  # most elements: nothing more to look at
    if attributes.get("hidden") is not None or attributes.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(attributes.get("style") or ""):
        return True
    return bool(_HIDDEN_CLASS.search(attributes.get("class") or ""))


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
    stack: list[tuple[html.HtmlElement, bool]] = [(element, False)]
    while stack:  # a stack, not recursion: see walk()
        node, closing = stack.pop()
        if closing:
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        stack.append((node, True))
        if is_hidden(node):
            continue  # its tail is its parent's text
        if node.tag == "br":
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.extend((child, False) for child in reversed(node))
    return WHITESPACE.sub(" ", "".join(parts)).strip()


# Elements that start a new line of text; the rest (span, a, b, font …) run inline.
BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
Piece = tuple[float, str, bool]  # (position, text as written, whether it starts a line)
Shown = Callable[[html.HtmlElement], bool]  # whether a reader sees an element


@dataclass
class Layout:
    """A page read once in document order: where each node is, the texts a reader sees."""

    spans: dict[html.HtmlElement, tuple[int, int]]  # first and last position of each node
    pieces: list[Piece]
    hidden: set[html.HtmlElement]  # every node a reader does not see (itself or an ancestor)

    def visible(self, element: html.HtmlElement) -> bool:
        return element not in self.hidden

    def span(self, element: html.HtmlElement | None) -> tuple[int, int]:
        return self.spans.get(element, (-1, -1)) if element is not None else (-1, -1)


def walk(root: html.HtmlElement) -> Layout:
    """Each node's first and last position in document order, and the visible texts in
    reading order, each with its position and whether a block boundary comes before it.

    A node's last position is its closing tag's; its tail sits just after it. lxml's
    iterwalk gives the events in C, comments included, with no recursion for deep pages.
    """
    spans: dict[html.HtmlElement, tuple[int, int]] = {}
    pieces: list[Piece] = []
    hidden_nodes: set[html.HtmlElement] = set()
    counter, new_line, hidden_depth = 0, True, 0
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            spans[node] = (counter, counter)
            counter += 1
            tag = node.tag
            new_line = new_line or tag in BLOCK_TAGS
            if hidden_depth or is_hidden(node):
                hidden_depth += 1
                hidden_nodes.add(node)
            elif tag == "br":
                pieces.append((counter - 1, " ", True))
            elif (text := node.text) and not text.isspace():
                pieces.append((counter - 1, text, new_line))
                new_line = False
            continue
        if event == "end":
            spans[node] = (spans[node][0], counter)
            new_line = new_line or node.tag in BLOCK_TAGS
            if hidden_depth:
                hidden_depth -= 1
        else:  # a comment or processing instruction: hidden, but its tail is text
            spans[node] = (counter, counter)
            hidden_nodes.add(node)
        counter += 1
        if not hidden_depth and node is not root and (tail := node.tail) and not tail.isspace():
            pieces.append((counter - 0.5, tail, new_line))
            new_line = False
    return Layout(spans, pieces, hidden_nodes)


def lines(pieces: list[Piece]) -> list[str]:
    """The pieces joined into the lines a reader sees: `<b>索<span></span>引号：</b>` is one."""
    found: list[str] = []
    for _, text, starts in pieces:
        if starts or not found:
            found.append(text)
        else:
            found[-1] += text
    return [line for line in (WHITESPACE.sub(" ", line).strip() for line in found) if line]


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
