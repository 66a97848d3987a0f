"""Lines around an article's text that are not the text: credits, captions, disclaimers.

compare() keeps them apart, so a reprint that drops the 责任编辑 line or adds a disclaimer is
not an edited text (DOMAIN.md §6 step 1).
"""

import re

from newsarchive.compare.fold import fold

_LONGEST = 100  # a longer paragraph is article text whatever it starts with
_BOILERPLATE = re.compile(
    r"^[(\[]?\s*(?:责任编辑|编辑|责编|审核|审校|校对|初审|复审|终审|供稿|来源|原标题|转载自|文字|摄影"
    r"|摄像|记者|通讯员|作者|图片来源|图片)\s*[:/]"  # credit lines, e.g. (责任编辑:王芳)
    r"|^(?:图为|图:|▲|△)"  # captions
    r"|(?:记者|通讯员)\s*\S{1,12}\s*摄\)?$"  # photo credits: …记者 王芳 摄
    r"|^附件\s*\d*\s*:"  # attachment lists
    r"|免责声明|本文来源于网络|版权归原作者|如有侵权"  # disclaimers
)


def is_boilerplate(paragraph: str) -> bool:
    if len(paragraph) > 2 * _LONGEST:
        return False  # folding never halves a text: no need to make its copy
    text = fold(paragraph)  # NFKC and one form per bracket; cached for the alignment after
    return len(text) <= _LONGEST and bool(_BOILERPLATE.search(text))


def split_boilerplate(paragraphs: list[str]) -> tuple[list[str], list[str], list[int]]:
    """(article text, boilerplate, positions of the article text's paragraphs), in page order."""
    body, boilerplate, positions = [], [], []
    for position, paragraph in enumerate(paragraphs):
        if is_boilerplate(paragraph):
            boilerplate.append(paragraph)
        else:
            body.append(paragraph)
            positions.append(position)
    return body, boilerplate, positions
