"""Numbers that differ between an original paragraph and its reprint: 300 -> 3000 in 参与300万人次.

Numbers, dates and 文号 are the edits readers care most about, so each changed paragraph's
digits are compared token by token, a number being one token.
"""

import re
from difflib import SequenceMatcher

NUMBER = r"\d+(?:[.,]\d+)*"  # 127, 3.5, 1,000: one token each
_TOKEN = re.compile(rf"{NUMBER}|.", re.DOTALL)
_NUMBER = re.compile(r"\d")
_CONTEXT = 8  # characters of context on each side


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(match.group(0), match.start()) for match in _TOKEN.finditer(text)]


def number_tokens(text: str) -> list[str]:
    """The text as single characters, except that each number is one token."""
    return _TOKEN.findall(text)


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - _CONTEXT) : end + _CONTEXT].replace("\n", " ")


def numbers_changed(original: str, reprint: str) -> list[dict]:
    """[{original, reprint, context}] for each number replaced by another, in text order.

    A number whose whole phrase was cut or added is not "changed": the text diff shows it.
    Within a replaced phrase, numbers pair in order and a leftover pairs with None.
    """
    tokens_o, tokens_r = _tokens(original), _tokens(reprint)
    matcher = SequenceMatcher(
        None, [t for t, _ in tokens_o], [t for t, _ in tokens_r], autojunk=False
    )
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        numbers_o = [(t, p) for t, p in tokens_o[i1:i2] if _NUMBER.match(t)]
        numbers_r = [(t, p) for t, p in tokens_r[j1:j2] if _NUMBER.match(t)]
        for index in range(max(len(numbers_o), len(numbers_r))):
            old = numbers_o[index] if index < len(numbers_o) else None
            new = numbers_r[index] if index < len(numbers_r) else None
            if old:
                context = _context(original, old[1], old[1] + len(old[0]))
            else:
                context = _context(reprint, new[1], new[1] + len(new[0]))
            changes.append(
                {
                    "original": old[0] if old else None,
                    "reprint": new[0] if new else None,
                    "context": context,
                }
            )
    return changes
