"""Comparison copies of Chinese text: fold away what is not an edit, split into sentences.

The raw text of a record is never changed; these functions make the copies that compare()
aligns (DOMAIN.md §6 and §7). Two levels: `fold` keeps punctuation but folds its variants, for
diffs a person reads; `bare` drops punctuation and symbols too, for matching and scoring.

`fold` is also the archive's one definition of "the same text": the content hash that joins
one article served under two URLs is taken over the folded paragraphs (`content_hash`).
"""

import hashlib
import operator
import re
import unicodedata
from functools import cache, lru_cache

import opencc

# Zero-width characters and soft hyphens, removed from comparison copies (DOMAIN.md §6 step 2).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Variant classes after NFKC, each folded to one character (DOMAIN.md §6 step 4).
VARIANTS = {
    '"': "“”‘’「」『』'",
    "[": "〔【",
    "]": "〕】",
    "-": "—―─‐‑‒–",
    "·": "•・‧",
    "~": "〜",
}
_INVISIBLE = re.compile("[" + "".join(map(chr, INVISIBLE)) + "]")
# One compiled class for every variant, scanned in C, where str.translate with a dict looks
# every character of the text up in Python (the larger part of a comparison's folding).
_FOLDED_TO = {char: to for to, chars in VARIANTS.items() for char in chars}
_VARIANT = re.compile(f"[{re.escape(''.join(_FOLDED_TO))}]")
_WHITESPACE = re.compile(r"\s")


def _variant_of(match: re.Match) -> str:
    return _FOLDED_TO[match.group(0)]


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_DASH_RUN = re.compile(r"-{2,}")
_DOT_RUN = re.compile(r"\.{3,}")
# Everything that is not a letter, digit or ideograph, except a decimal point (3.5 is not 35).
_NOT_BARE = re.compile(r"(?:(?!(?<=\d)\.(?=\d))[\W_])+")
_CJK_PERIOD = re.compile(rf"(?<=[{_CJK}])\.(?=[{_CJK}])")
_SPACE_NEAR_CJK = re.compile(
    rf"\s+(?=[{_CJK}\u3000-\u303f\uff00-\uffef])|(?<=[{_CJK}\u3000-\u303f\uff00-\uffef])\s+"
)
_SPACES = re.compile(r"\s+")
# Spam mirrors inject lower-case pinyin after characters: 辦(ban), 當(dāng), 政(zheng)(zheng).
_PINYIN = re.compile(rf"(?<=[{_CJK}])(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\))+")
_PINYIN_MANY = 3  # fewer groups in a body are more likely real parentheses than injection
# Sentences end after 。！？；… (or their NFKC forms) with closing quotes and brackets kept.
_SENTENCE = re.compile(
    r"(?:[^。！？!?；;….]|\.(?!\.\.))+(?:[。！？!?；;]+|…+|\.{3,})?[”’」』）)\"\]]*|[。！？!?；;….]+"
)
_TRADITIONAL_SHARE = 0.05  # t2s changing more than this share of CJK characters = Traditional
_SCRIPT_SAMPLE = 1000
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def is_traditional(text: str) -> bool:
    """Whether `text` is written in Traditional characters (t2s would change many of them).

    The first _SCRIPT_SAMPLE ideographs decide: a page does not change script halfway.
    """
    runs, count = [], 0
    for run in _IDEOGRAPHS.finditer(text):  # read no further than the sample
        runs.append(run.group())
        count += len(runs[-1])
        if count >= _SCRIPT_SAMPLE:
            break
    cjk = "".join(runs)[:_SCRIPT_SAMPLE]
    if not cjk:
        return False
    simplified = _converter("t2s").convert(cjk)
    if simplified == cjk:
        return False  # Simplified text, most pages: nothing to count
    changed = sum(map(operator.ne, cjk, simplified))
    return changed / len(cjk) > _TRADITIONAL_SHARE


def to_simplified(text: str, phrases: bool = False) -> str:
    """Simplified form; `phrases` also undoes Taiwan wording (資訊 -> 信息) with tw2sp."""
    return _converter("tw2sp" if phrases else "t2s").convert(text)


def has_injected_pinyin(paragraphs: list[str]) -> bool:
    """Whether a body has enough pinyin groups after characters to be a spam mirror's."""
    found = 0
    for text in paragraphs:
        if "(" in text:  # a test in C: most paragraphs have no parenthesis to look behind
            found += len(_PINYIN.findall(text))
            if found >= _PINYIN_MANY:
                return True
    return False


def strip_pinyin(text: str) -> str:
    """Remove pinyin groups after characters (辦(ban), 政(zheng)(zheng)); leaves (ABC), (1)."""
    return _PINYIN.sub("", text)


# A comparison folds a few hundred paragraphs and sentences: 4,096 entries hold the last
# dozens of comparisons, an original shared by its reprints included. 65,536 held about 40 MB
# of long-gone articles in a 50,000-page crawl (with bare()'s, a third of its memory growth).
FOLD_CACHE = 4096


@lru_cache(maxsize=FOLD_CACHE)
def fold(text: str) -> str:
    """Punctuation-folded copy: invisible characters out, NFKC, one form per variant class,
    no whitespace next to CJK and single spaces elsewhere.

    Cached: a comparison folds the same paragraphs and sentences many times over (alignment,
    attribution, numbers), and a check folds the original its reprints share once. Each
    pattern runs only where its characters are: most paragraphs have no dot run or dash.
    """
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = _VARIANT.sub(_variant_of, text)
    if "." in text:
        text = _DOT_RUN.sub("...", _CJK_PERIOD.sub("。", text))
    if "--" in text:
        text = _DASH_RUN.sub("-", text)
    if _WHITESPACE.search(text):
        text = _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text))
    return text.strip()


@lru_cache(maxsize=FOLD_CACHE)
def bare(text: str) -> str:
    """Punctuation-free copy of a folded text: letters, digits, ideographs, decimal points."""
    return _NOT_BARE.sub("", text)


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph, closing quotes and brackets kept with their sentence.

    pysbd's Chinese splitter moves the closing quote of 他说：“要做好。” to the next sentence.
    """
    return [part for part in map(str.strip, _SENTENCE.findall(text)) if part]


def content_hash(paragraphs: list[str]) -> str:
    """SHA-256 of the folded paragraphs, one a line: the same article under two URLs, or
    copied with other punctuation widths, quotes or indentation, hashes alike.

    compare() goes further (injected pinyin, Traditional script, paragraph boundaries) because
    it measures how far two texts differ; the hash only joins copies that are the same text.
    """
    folded = "\n".join(filter(None, map(fold, paragraphs)))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
