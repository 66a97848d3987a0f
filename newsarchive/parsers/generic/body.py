"""The article's text on a page of unknown layout: the block a reader reads, its paragraphs,
images and attachments, without the page around it.

Known body containers (DOMAIN.md §3) are tried first; otherwise every block is scored by the
prose it holds (characters of text in paragraphs, full stops and commas) less the text of its
links, so navigation, related-article lists and footers lose to the article.
"""

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree, html

from newsarchive.parsers.generic.tree import (
    CHROME,
    WHITESPACE,
    Layout,
    Shown,
    chrome_words,
    in_chrome,
    text_of,
    visible,
)

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
    "#js_content",  # WeChat articles and their mirrors
)
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
_BLOCKS = set(_PARAGRAPHS) - {"span", "font"}
PROSE = re.compile(r"[，。；：！？、,.;!?]")
MIN_BODY = 30  # characters: less is not an article's text
# Lines around an article's text that are not the text (share bars, pagers, print links,
# 原文链接, disclaimers); credit lines are read apart (credits.py).
NOT_TEXT = re.compile(
    r"^(?:分享到|分享|扫一扫|扫描二维码|上一篇|下一篇|上一条|下一条|【?打印|【?关闭|【?收藏|"
    r"字号|【字体|原文链接|原文地址|原文网址|免责声明|\[免责声明\]|【免责声明】|相关阅读|"
    r"相关新闻|相关链接|延伸阅读|推荐阅读|热点推荐|点击排行|网友评论|我要评论|发表评论|"
    r"(?:责任编辑|责编|编辑)\s*[:：]|【纠错】|\[纠错\]|版权所有|本文来源于网络|"
    r"(?:首页|上一页|下一页|尾页)(?:\s|$)|共\s*\d+\s*页|标签\s*[:：]|关键词\s*[:：]|"
    r"(?:上一页\s*)?(?:\d+\s*)+(?:下一页)?$|阅读原文$|"
    r"【?(?:下载|扫码下载|点击下载)[^】]{0,20}客户端|长按(?:识别)?二维码|识别二维码)"
)
FILE_LINK = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|ofd|zip|rar|7z|wps|et|txt|csv)(?:$|[?#])", re.IGNORECASE
)
_SCRIPT_LINK = re.compile(
    r"""href\s*=\s*\\?["']([^"'\\]+\.(?:pdf|docx?|xlsx?|ofd|zip|rar|wps|et))\\?["'][^<>]{0,300}>"""
    r"([^<]{0,80})",
    re.IGNORECASE,
)
_ICON = re.compile(
    r"qrcode|erweima|ewm|share|logo|icon|btn|button|arrow|spacer|blank\.gif|"
    r"weixin|weibo|wechat|print|close|loading",
    re.IGNORECASE,
)


_CLASS_RANK = {name[1:]: rank for rank, name in enumerate(CONTAINERS) if name[0] == "."}
_ID_RANK = {name[1:]: rank for rank, name in enumerate(CONTAINERS) if name[0] == "#"}
_NAMED = etree.XPath("//*[@class or @id]")


def _known_containers(root: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The elements CONTAINERS name, in the order of CONTAINERS, then of the page: one query
    for every named element rather than one per selector."""
    found = []
    for order, element in enumerate(_NAMED(root)):
        ranks = [
            _CLASS_RANK[word]
            for word in (element.get("class") or "").split()
            if word in _CLASS_RANK
        ]
        if (rank := _ID_RANK.get((element.get("id") or "").strip())) is not None:
            ranks.append(rank)
        if ranks:
            found.append((min(ranks), order, element))
    for _, _, element in sorted(found, key=lambda entry: entry[:2]):
        yield element


def _direct_text(element: html.HtmlElement) -> str:
    """The text an element holds itself, outside its child elements (a <br>-broken body)."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return WHITESPACE.sub(" ", "".join(parts)).strip()


def _paragraph_score(text: str) -> float:
    """How much a paragraph reads like an article's: its commas and full stops, its length."""
    return 1 + len(PROSE.findall(text)) + min(len(text) / 100, 3)


def _link_density(element: html.HtmlElement) -> float:
    text = len(text_of(element)) or 1
    return min(1.0, sum(len(text_of(link)) for link in element.iter("a")) / text)


def body_block(root: html.HtmlElement, shown: Shown = visible) -> html.HtmlElement | None:
    """The element holding the article's text: a known container a reader sees with enough
    text in it, else the element whose paragraphs score best.

    Each paragraph gives its score to its parent and half of it to its grandparent (a text
    written straight into a block, split by <br>, to the block itself), so the block right
    around the article's paragraphs wins over a wrapper that also holds the page's chrome;
    a block of links (navigation, related articles) loses by its link density.
    """
    for element in _known_containers(root):
        if shown(element) and len(text_of(element)) >= MIN_BODY and not in_chrome(element):
            return element
    scores: dict[html.HtmlElement, float] = {}

    def give(element, score: float) -> None:
        if element is not None and isinstance(element.tag, str):
            scores[element] = scores.get(element, 0.0) + score

    for element in root.iter(*_PARAGRAPHS):
        if not shown(element) or in_chrome(element):
            continue
        if element.tag == "p":
            text = text_of(element)
        else:
            text = _direct_text(element)
            if len(text) >= 20:
                give(element, _paragraph_score(text))  # a block written with <br>
                continue
        if len(text) < 20:
            continue
        score = _paragraph_score(text)
        parent = element.getparent()
        give(parent, score)
        give(parent.getparent() if parent is not None else None, score / 2)
    best, best_score = None, 0.0
    for element, score in scores.items():
        if element.tag in ("body", "html") or in_chrome(element):
            continue
        final = score * (1 - _link_density(element))
        if CHROME.search(chrome_words(element)):
            final *= 0.2
        if final > best_score:
            best, best_score = element, final
    return best if best is not None and len(text_of(best)) >= MIN_BODY else None


def _leaf_blocks(block: html.HtmlElement, shown: Shown) -> Iterator[html.HtmlElement]:
    """The paragraph elements of a block: <p> and the like that hold no paragraph inside."""
    taken: set[html.HtmlElement] = set()
    for element in block.iter(*_PARAGRAPHS, "tr"):
        if element is block or not shown(element) or in_chrome(element, stop=block):
            continue
        if element.tag == "tr" or (element.tag == "td" and _is_data_row(element.getparent())):
            if element.tag == "tr" and _is_data_row(element):
                yield element  # a row of a table in the text is one paragraph
            continue
        if any(True for _ in element.iter("p")) and element.tag != "p":
            continue  # a wrapper: its paragraphs come on their own
        if element.tag != "p" and any(child.tag in _BLOCKS for child in element):
            continue  # its block children come on their own (<span> and <font> run inline)
        if _inside(element, taken, block):
            continue  # inside a paragraph already taken whole (<p><font><span>…)
        taken.add(element)
        if element.tag == "li" and _link_density(element) > 0.6:
            continue  # an item of a list of links: related articles left inside the body
        yield element


def _inside(element: html.HtmlElement, taken: set, block: html.HtmlElement) -> bool:
    node = element.getparent()
    while node is not None and node is not block:
        if node in taken:
            return True
        node = node.getparent()
    return False


def _is_data_row(row: html.HtmlElement | None) -> bool:
    """A table row of data (cells of text), not a row of a layout table holding the page."""
    if row is None or row.tag != "tr":
        return False
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    return bool(cells) and not any(
        True for cell in cells for _ in cell.iter("p", "div", "table", "ul", "ol", "h1", "h2")
    )


def row_text(row: html.HtmlElement) -> str:
    return " ".join(filter(None, (text_of(cell) for cell in row if cell.tag in ("td", "th"))))


def _loose_lines(block: html.HtmlElement, shown: Shown) -> list[str]:
    """Text a block holds outside any paragraph element, split at <br>: bodies written as
    `text<br><br>text`."""
    lines, current = [], [block.text or ""]
    for child in block:
        if child.tag == "br":
            lines.append("".join(current))
            current = []
        elif (
            child.tag not in (*_PARAGRAPHS, "img")
            and shown(child)
            and next(child.iter(*_PARAGRAPHS), None) is None
        ):  # else its paragraphs count
            current.append(text_of(child))
        current.append(child.tail or "")
    lines.append("".join(current))
    return [re.sub(r"\s+", " ", line).strip() for line in lines]


def raw_paragraphs(block: html.HtmlElement, shown: Shown = visible) -> list[str]:
    """Every visible text paragraph of the block, in order, chrome lines included."""
    texts = [
        row_text(element) if element.tag == "tr" else text_of(element)
        for element in _leaf_blocks(block, shown)
    ]
    loose = [line for line in _loose_lines(block, shown) if len(line) >= 2]
    if sum(map(len, loose)) > sum(map(len, texts)):
        texts = loose + texts
    return [text for text in texts if text]


_BUTTON = re.compile(r"[【\[](?:纠错|打印|关闭|收藏|分享|打印本页|关闭窗口|字号[^】\]]*)[】\]]")


def without_buttons(paragraphs: list[str]) -> list[str]:
    """Paragraphs without the 【纠错】【打印】 buttons some templates put before a credit."""
    stripped = (_BUTTON.sub("", paragraph).strip() for paragraph in paragraphs)
    return [paragraph for paragraph in stripped if paragraph]


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


def images(block: html.HtmlElement, base_url: str, layout: Layout) -> list[tuple[str, int]]:
    """The block's images a reader sees, not icons: (absolute URL, position), first one each."""
    found: dict[str, int] = {}
    for image in block.iter("img"):
        src = (image.get("src") or image.get("data-src") or image.get("oldsrc") or "").strip()
        if not src or src.startswith("data:") or not layout.visible(image):
            continue
        if _ICON.search(src) or _ICON.search(chrome_words(image)):
            continue
        if any(_small(image.get(size)) for size in ("width", "height")):
            continue
        found.setdefault(urljoin(base_url, src), layout.span(image)[0])
    return list(found.items())


def _small(value: str | None) -> bool:
    digits = re.match(r"\d+", value or "")
    return bool(digits) and int(digits.group(0)) < 60


def attachments(block: html.HtmlElement, base_url: str) -> list[dict[str, str]]:
    """File links (PDF, Word, Excel, OFD, archives) in or right after the body, with their
    link text; also those a script writes (`var rel_appendix='<a href="./P0….doc">'`)."""
    found: dict[str, str] = {}
    region = [block]
    for container in (block, block.getparent()):  # attachments follow the body or its frame
        if container is not None:
            region += list(container.itersiblings())[:3]
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
