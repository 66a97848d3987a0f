"""Sentence alignment of two prepared bodies: which sentences were kept, changed or moved.

Both bodies are cut into sentences, folded (fold.py) and aligned as sequences of sentences, so
a paragraph split or merged in the reprint is not an edit.
"""

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property
from itertools import pairwise

from newsarchive.compare.boilerplate import split_boilerplate
from newsarchive.compare.fold import (
    bare,
    fold,
    has_injected_pinyin,
    is_traditional,
    sentences,
    strip_pinyin,
    to_simplified,
)

# A replaced run of sentences at least this similar is one changed passage; below it, the
# original's sentences are missing and the reprint's added.
CHANGED_MIN_SIMILARITY = 0.5
# Replaced runs of more sentence pairs than this are paired by position, not by the quadratic
# dynamic programme.
MAX_PAIRING_CELLS = 400


@dataclass
class Side:
    """One page's body prepared for alignment: folded paragraphs and their sentences."""

    raw: list[str]  # the article paragraphs as the record has them
    record_index: list[int]  # where each of them stands in the record's paragraphs
    folded: list[str]
    keys: list[str]  # punctuation-free sentences, in order
    paragraph_of: list[int]  # paragraph index of each sentence
    boilerplate: list[str]
    text: list[str]  # the article paragraphs, injected pinyin removed

    @cached_property
    def mainland_keys(self) -> list[str]:
        """The keys once the text is Simplified with mainland wording (tw2sp on the text as
        written: Taiwan phrases such as 資訊 need their Traditional form to be recognised)."""
        keys, _ = _sentence_keys([fold(to_simplified(t, phrases=True)) for t in self.text])
        return keys if len(keys) == len(self.keys) else self.keys


def same_in_mainland_form(original: Side, reprint: Side, span_o: slice, span_r: slice) -> bool:
    """Whether runs of sentences are one text once both are Simplified, mainland-worded: a
    mirror swapped some or all characters for Traditional ones, or used Taiwan wording."""
    return "".join(original.mainland_keys[span_o]) == "".join(reprint.mainland_keys[span_r])


def _sentence_keys(folded: list[str]) -> tuple[list[str], list[int]]:
    keys, paragraph_of = [], []
    for index, text in enumerate(folded):
        for key in map(bare, sentences(text)):
            if key:
                keys.append(key)
                paragraph_of.append(index)
    return keys, paragraph_of


def prepare(paragraphs: list[str]) -> Side:
    body, boilerplate, record_index = split_boilerplate(paragraphs)
    if has_injected_pinyin(body):
        body = [strip_pinyin(text) for text in body]
    traditional = is_traditional("".join(body))
    folded = [fold(to_simplified(text) if traditional else text) for text in body]
    keys, paragraph_of = _sentence_keys(folded)
    raw = [paragraphs[index] for index in record_index]
    return Side(raw, record_index, folded, keys, paragraph_of, boilerplate, body)


@dataclass
class Match:
    """Sentences of the original and of the reprint that correspond, and how."""

    status: str  # kept, changed or moved
    original: list[int]
    reprint: list[int]


def _bigram_similarity(left: str, right: str) -> float:
    """Dice coefficient of character bigrams: linear time, and sound for Chinese text."""
    a, b = Counter(pairwise(left)), Counter(pairwise(right))
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else float(left == right)


def _similar_pairs(keys_o: list[str], keys_r: list[str]) -> list[tuple[int, int]]:
    """In-order pairs of similar sentences within a replaced run (the rest was cut or added).

    A small dynamic programme maximising total similarity; runs are a few sentences long. A
    run too large for it (a rewritten page) pairs sentences position by position instead.
    """
    if len(keys_o) * len(keys_r) > MAX_PAIRING_CELLS:
        return [
            (i, i)
            for i in range(min(len(keys_o), len(keys_r)))
            if _bigram_similarity(keys_o[i], keys_r[i]) >= CHANGED_MIN_SIMILARITY
        ]
    rows, cols = len(keys_o), len(keys_r)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1])
            similarity = _bigram_similarity(keys_o[i], keys_r[j])
            if similarity >= CHANGED_MIN_SIMILARITY:
                best[i][j] = max(best[i][j], similarity + best[i + 1][j + 1])
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        if best[i][j] == best[i + 1][j]:
            i += 1
        elif best[i][j] == best[i][j + 1]:
            j += 1
        else:
            pairs.append((i, j))
            i, j = i + 1, j + 1
    return pairs


def align(original: Side, reprint: Side) -> tuple[list[Match], int]:
    """Matches between the two sides' sentences, and how many characters they share."""
    matches: list[Match] = []
    missing: list[int] = []
    added: list[int] = []
    shared = 0
    opcodes = SequenceMatcher(None, original.keys, reprint.keys, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        text_o, text_r = "".join(original.keys[i1:i2]), "".join(reprint.keys[j1:j2])
        if tag == "equal":
            matches += [
                Match("kept", [i], [j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            shared += len(text_o)
        elif tag == "replace" and (
            text_o == text_r
            or same_in_mainland_form(original, reprint, slice(i1, i2), slice(j1, j2))
        ):
            # only sentence boundaries, some characters' script or Taiwan wording differ
            matches.append(Match("kept", list(range(i1, i2)), list(range(j1, j2))))
            shared += len(text_o)
        elif tag == "replace" and (
            pairs := _similar_pairs(original.keys[i1:i2], reprint.keys[j1:j2])
        ):
            paired_o, paired_r = {i for i, _ in pairs}, {j for _, j in pairs}
            for i, j in pairs:
                key_o, key_r = original.keys[i1 + i], reprint.keys[j1 + j]
                if same_in_mainland_form(
                    original, reprint, slice(i1 + i, i1 + i + 1), slice(j1 + j, j1 + j + 1)
                ):
                    matches.append(Match("kept", [i1 + i], [j1 + j]))
                    shared += len(key_o)
                    continue
                matches.append(Match("changed", [i1 + i], [j1 + j]))
                blocks = SequenceMatcher(None, key_o, key_r, autojunk=False).get_matching_blocks()
                shared += sum(block.size for block in blocks)
            missing += [i1 + i for i in range(i2 - i1) if i not in paired_o]
            added += [j1 + j for j in range(j2 - j1) if j not in paired_r]
        else:
            missing += range(i1, i2)
            added += range(j1, j2)
    moves = _moves(original, reprint, missing, added)
    return matches + moves, shared + sum(len(original.keys[m.original[0]]) for m in moves)


def _moves(original: Side, reprint: Side, missing: list[int], added: list[int]) -> list[Match]:
    """Sentences cut in one place and added in another were moved."""
    added_by_key: dict[str, list[int]] = {}
    for j in added:
        added_by_key.setdefault(reprint.keys[j], []).append(j)
    return [
        Match("moved", [i], [added_by_key[original.keys[i]].pop(0)])
        for i in missing
        if added_by_key.get(original.keys[i])
    ]
