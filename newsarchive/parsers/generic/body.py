"""The article's text on a page of unknown layout: the block a reader reads, its paragraphs,
images and attachments, without the page around it.

Known body containers (DOMAIN.md §3) are tried first; otherwise every block is scored by the
prose it holds (characters of text in paragraphs, full stops and commas) less the text of its
links, so navigation, related-article lists and footers lose to the article.
"""

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import html

from newsarchive.parsers.generic.tree import CHROME, chrome_words, in_chrome, text_of, visible

# Body containers in the order templates use them: TRS, UCAP, gov.cn, VSB, WebPlus, Hanweb,
# national news sites (新华网 #detail, 人民网 .rm_txt_con, 中新网 .left_zw), CMS families.
# Names as loose as .content are left to scoring: they often wrap the page's chrome too.
CONTAINERS = (
    ".TRS_UEDITOR",
    ".trs_editor_view",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    "#UCAP-CONTENT",
    ".pages_content",
    "#ivs_content",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#vsb_content",
    ".wp_articlecontent",
    "#detail",
    ".rm_txt_con",
    ".left_zw",
    "#content_body",
    ".article_content",
    ".entry-content",
    ".post-content",
    "#article",
    "#Article",
    ".article-body",
    ".news_content",
    ".news-content",
    ".content_text",
    ".TRS_PreAppend",
)
_BLOCKS = ("div", "article", "section", "td", "main", "font", "span")
_PARAGRAPHS = (
    "p",
    "div",
    "li",
    "td",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "center",
    "font",
    "span",
)
_PROSE = re.compile(r"[，。；：！？、,.;!?]")
MIN_BODY = 30  # characters: less is not an article's text
# Lines around an article's text that are not the text (share bars, pagers, print links,
# 原文链接, disclaimers); credit lines are read apart (credits.py).
NOT_TEXT = re.compile(
    r"^(?:分享到|分享|扫一扫|扫描二维码|上一篇|下一篇|上一条|下一条|【?打印|【?关闭|【?收藏|"
    r"字号|【字体|原文链接|原文地址|原文网址|免责声明|\[免责声明\]|【免责声明】|相关阅读|"
    r"相关新闻|相关链接|延伸阅读|推荐阅读|热点推荐|点击排行|网友评论|我要评论|发表评论|"
    r"(?:责任编辑|责编|编辑)\s*[:：]|【纠错】|\[纠错\]|版权所有|本文来源于网络|"
    r"(?:首页|上一页|下一页|尾页)(?:\s|$))"
)
FILE_LINK = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|ofd|zip|rar|7z|wps|et|txt|csv)(?:$|[?#])", re.IGNORECASE
)
_SCRIPT_LINK = re.compile(
    r"""href\s*=\s*\\?["']([^"'\\]+\.(?:pdf|docx?|xlsx?|ofd|zip|rar|wps|et))\\?["']\s*\\?>([^<]{0,80})""",
    re.IGNORECASE,
)
_ICON = re.compile(
    r"qrcode|erweima|ewm|share|logo|icon|btn|button|arrow|spacer|blank\.gif|"
    r"weixin|weibo|wechat|print|close|loading",
    re.IGNORECASE,
)


def _known_containers(root: html.HtmlElement) -> Iterator[html.HtmlElement]:
    for selector in CONTAINERS:
        yield from root.cssselect(selector)


def _prose(element: html.HtmlElement) -> float:
    """How much article-like text an element holds: text in its paragraphs, punctuation,
    minus the text of its links."""
    text = text_of(element)
    if len(text) < MIN_BODY:
        return 0.0
    links = sum(len(text_of(a)) for a in element.iter("a"))
    punctuation = len(_PROSE.findall(text))
    score = len(text) - 2.5 * links + 8 * punctuation
    if CHROME.search(chrome_words(element)):
        score *= 0.2
    return score


def body_block(root: html.HtmlElement) -> html.HtmlElement | None:
    """The element holding the article's text: a known container a reader sees with enough
    text in it, else the block whose own text scores best."""
    for element in _known_containers(root):
        if visible(element) and len(text_of(element)) >= MIN_BODY and not in_chrome(element):
            return element
    best, best_score = None, 0.0
    for element in root.iter(*_BLOCKS):
        if not visible(element) or in_chrome(element):
            continue
        # Judge a block by its direct text and paragraphs, so that an outer wrapper holding
        # the article and the page's chrome does not win over the article's own block.
        own = sum(_prose(child) for child in element if child.tag in (*_PARAGRAPHS, "br"))
        own += 4 * len(
            _PROSE.findall(" ".join(filter(None, [element.text] + [c.tail for c in element])))
        )
        score = max(own, 0.6 * _prose(element))
        if score >= best_score and score > 0:  # on a tie, the inner block: less chrome
            best, best_score = element, score
    return best


def _leaf_blocks(block: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The paragraph elements of a block: <p> and the like that hold no paragraph inside."""
    for element in block.iter(*_PARAGRAPHS):
        if element is block or not visible(element) or in_chrome(element, stop=block):
            continue
        if any(True for _ in element.iter("p")) and element.tag != "p":
            continue  # a wrapper: its paragraphs come on their own
        if element.tag != "p" and any(child.tag in _PARAGRAPHS for child in element):
            continue
        parent = element.getparent()
        if parent is not None and parent is not block and parent.tag in ("p", "li", "td"):
            continue  # inside a paragraph already taken whole
        yield element


def _loose_lines(block: html.HtmlElement) -> list[str]:
    """Text a block holds outside any paragraph element, split at <br>: bodies written as
    `text<br><br>text`."""
    lines, current = [], [block.text or ""]
    for child in block:
        if child.tag == "br":
            lines.append("".join(current))
            current = []
        elif child.tag not in _PARAGRAPHS and visible(child) and child.tag not in ("img",):
            current.append(text_of(child))
        current.append(child.tail or "")
    lines.append("".join(current))
    return [re.sub(r"\s+", " ", line).strip() for line in lines]


def raw_paragraphs(block: html.HtmlElement) -> list[str]:
    """Every visible text paragraph of the block, in order, chrome lines included."""
    texts = [text_of(element) for element in _leaf_blocks(block)]
    loose = [line for line in _loose_lines(block) if len(line) >= 2]
    if sum(map(len, loose)) > sum(map(len, texts)):
        texts = loose + texts
    return [text for text in texts if text]


def without_repeats(paragraphs: list[str]) -> list[str]:
    """One copy of a body printed twice in a row (a print or read-aloud copy left visible)."""
    half = len(paragraphs) // 2
    for size in range(half, 0, -1):
        if paragraphs[:size] == paragraphs[size : 2 * size] and size * 2 >= len(paragraphs) - 1:
            return paragraphs[:size] + paragraphs[2 * size :]
    seen, kept = set(), []
    for paragraph in paragraphs:  # the same long paragraph twice is one
        if len(paragraph) >= 40 and paragraph in seen:
            continue
        seen.add(paragraph)
        kept.append(paragraph)
    return kept


def images(block: html.HtmlElement, base_url: str) -> list[str]:
    found = []
    for image in block.iter("img"):
        src = (image.get("src") or image.get("data-src") or image.get("oldsrc") or "").strip()
        if not src or src.startswith("data:") or not visible(image):
            continue
        if _ICON.search(src) or _ICON.search(chrome_words(image)):
            continue
        if any(_small(image.get(size)) for size in ("width", "height")):
            continue
        found.append(urljoin(base_url, src))
    return list(dict.fromkeys(found))


def _small(value: str | None) -> bool:
    digits = re.match(r"\d+", value or "")
    return bool(digits) and int(digits.group(0)) < 60


def attachments(block: html.HtmlElement, base_url: str) -> list[dict[str, str]]:
    """File links (PDF, Word, Excel, OFD, archives) in or right after the body, with their
    link text; also those a script writes (`var rel_appendix='<a href="./P0….doc">'`)."""
    found: dict[str, str] = {}
    region = [block, *list(block.itersiblings())[:3]]
    for element in region:
        for link in element.iter("a"):
            href = (link.get("href") or "").strip()
            text = text_of(link)
            if href and (FILE_LINK.search(href) or FILE_LINK.search(text)):
                found.setdefault(urljoin(base_url, href), text)
        for script in element.iter("script"):
            for href, text in _SCRIPT_LINK.findall(script.text or ""):
                found.setdefault(urljoin(base_url, href), text.strip())
    return [{"url": url, "text": text} for url, text in found.items()]
