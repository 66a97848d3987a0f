"""compare(reprint, original) -> ReprintCheck: what a reprint cut, added or altered.

Pure Python on two records (dicts with an Article's fields): no Scrapy, no I/O, no clock.
Both bodies are cut into sentences, folded (fold.py) and aligned as sequences of sentences, so
a paragraph split or merged in the reprint is not an edit; paragraphs are then grouped by the
sentences they share and labelled kept, changed, missing, added or moved.
"""

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any

from newsarchive.attribution import attribution, lag, title_check
from newsarchive.boilerplate import split_boilerplate
from newsarchive.fold import bare, fold, is_traditional, sentences, strip_pinyin, to_simplified
from newsarchive.items import ReprintCheck
from newsarchive.numbers import number_tokens, numbers_changed

# A replaced run of sentences at least this similar is one changed passage; below it, the
# original's sentences are missing and the reprint's added.
CHANGED_MIN_SIMILARITY = 0.5
# Replaced runs larger than this many sentence pairs are not paired sentence by sentence.
MAX_PAIRING_CELLS = 400
# Below both of these shares of each other's text, two pages are not the same article.
UNRELATED_BELOW = 0.3


@dataclass
class Side:
    """One page's body prepared for alignment: folded paragraphs and their sentences."""

    raw: list[str]  # the article paragraphs as the record has them
    record_index: list[int]  # where each of them stands in the record's paragraphs
    folded: list[str]
    keys: list[str]  # punctuation-free sentences, in order
    paragraph_of: list[int]  # paragraph index of each sentence
    boilerplate: list[str]
    phrase_keys: list[str] | None  # keys after tw2sp, for a Traditional side only


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
    body_text = [strip_pinyin(text) for text in body]
    traditional = is_traditional("".join(body_text))
    folded = [fold(to_simplified(text) if traditional else text) for text in body_text]
    keys, paragraph_of = _sentence_keys(folded)
    # Taiwan wording (資訊, 網路) survives t2s; tw2sp keys are the second try (DOMAIN.md §6.6).
    phrase_keys = None
    if traditional:
        phrase_keys, _ = _sentence_keys([fold(to_simplified(t, phrases=True)) for t in body_text])
    return Side(body, record_index, folded, keys, paragraph_of, boilerplate, phrase_keys)


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

    A small dynamic programme maximising total similarity; runs are a few sentences long.
    """
    if len(keys_o) * len(keys_r) > MAX_PAIRING_CELLS:
        joined = _bigram_similarity("".join(keys_o), "".join(keys_r))
        return [(0, 0)] if joined >= CHANGED_MIN_SIMILARITY and len(keys_o) == len(keys_r) == 1 else []
    rows, cols = len(keys_o), len(keys_r)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            similarity = _bigram_similarity(keys_o[i], keys_r[j])
            take = similarity + best[i + 1][j + 1] if similarity >= CHANGED_MIN_SIMILARITY else -1
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
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


def _same_in_mainland_wording(original: Side, reprint: Side, span_o: tuple[int, int],
                              span_r: tuple[int, int]) -> bool:
    """Whether a replaced run is the same text once Taiwan phrases become mainland ones."""
    if original.phrase_keys is None and reprint.phrase_keys is None:
        return False
    keys_o = original.phrase_keys or original.keys
    keys_r = reprint.phrase_keys or reprint.keys
    return "".join(keys_o[slice(*span_o)]) == "".join(keys_r[slice(*span_r)])


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
            matches += [Match("kept", [i], [j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            shared += len(text_o)
        elif tag == "replace" and (text_o == text_r or _same_in_mainland_wording(
                original, reprint, (i1, i2), (j1, j2))):  # only boundaries or wording moved
            matches.append(Match("kept", list(range(i1, i2)), list(range(j1, j2))))
            shared += len(text_o)
        elif tag == "replace" and (pairs := _similar_pairs(original.keys[i1:i2],
                                                          reprint.keys[j1:j2])):
            paired_o, paired_r = {i for i, _ in pairs}, {j for _, j in pairs}
            for i, j in pairs:
                matches.append(Match("changed", [i1 + i], [j1 + j]))
                blocks = SequenceMatcher(None, original.keys[i1 + i], reprint.keys[j1 + j],
                                         autojunk=False).get_matching_blocks()
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
    return [Match("moved", [i], [added_by_key[original.keys[i]].pop(0)])
            for i in missing if added_by_key.get(original.keys[i])]


def paragraph_entries(original: Side, reprint: Side, matches: list[Match]) -> list[dict]:
    """One entry per group of paragraphs joined by matched sentences, in reading order."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for paragraph in range(len(original.folded)):
        root(("o", paragraph))
    for paragraph in range(len(reprint.folded)):
        root(("r", paragraph))
    statuses: dict[tuple[str, int], set[str]] = {}
    for match in matches:
        nodes = [("o", original.paragraph_of[i]) for i in match.original]
        nodes += [("r", reprint.paragraph_of[j]) for j in match.reprint]
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
        for node in nodes:
            statuses.setdefault(node, set()).add(match.status)
    covered_o = Counter(original.paragraph_of[i] for m in matches for i in m.original)
    covered_r = Counter(reprint.paragraph_of[j] for m in matches for j in m.reprint)
    covered_o.subtract(Counter(original.paragraph_of))  # < 0: some sentences unmatched
    covered_r.subtract(Counter(reprint.paragraph_of))
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in list(parent):
        groups.setdefault(root(node), []).append(node)
    entries = [_entry(sorted(nodes), original, reprint, statuses, covered_o, covered_r)
               for nodes in groups.values()]
    return sorted(entries, key=_reading_order(entries))


def _entry(nodes, original: Side, reprint: Side, statuses, covered_o, covered_r) -> dict:
    o_paragraphs = [index for side, index in nodes if side == "o"]
    r_paragraphs = [index for side, index in nodes if side == "r"]
    seen = set().union(*(statuses.get(node, set()) for node in nodes))
    partly = any(covered_o[i] < 0 for i in o_paragraphs) or any(
        covered_r[j] < 0 for j in r_paragraphs)
    if not r_paragraphs:
        status = "missing"
    elif not o_paragraphs:
        status = "added"
    elif "changed" in seen or partly or len(seen) > 1:
        status = "changed"
    else:
        status = seen.pop() if seen else "kept"  # kept, or moved as a whole
    folded_o = "\n".join(original.folded[i] for i in o_paragraphs)
    folded_r = "\n".join(reprint.folded[j] for j in r_paragraphs)
    return {
        "status": status,
        "original_index": original.record_index[o_paragraphs[0]] if o_paragraphs else None,
        "reprint_index": reprint.record_index[r_paragraphs[0]] if r_paragraphs else None,
        "original_text": "\n".join(original.raw[i] for i in o_paragraphs),
        "reprint_text": "\n".join(reprint.raw[j] for j in r_paragraphs),
        # Diffs and numbers are read on the folded copies: width and quotes are not edits.
        "diff": char_diff(folded_o, folded_r) if status == "changed" else [],
        "numbers": numbers_changed(folded_o, folded_r) if status == "changed" else [],
    }


def _reading_order(entries: list[dict]):
    """Original order; an added paragraph goes after the entry before it in the reprint."""
    anchor_by_reprint = sorted((e["reprint_index"], e["original_index"]) for e in entries
                               if e["reprint_index"] is not None and e["original_index"] is not None)

    def key(entry: dict) -> tuple[float, float]:
        if entry["original_index"] is not None:
            return entry["original_index"], -1
        before = [o for r, o in anchor_by_reprint if r < entry["reprint_index"]]
        return (max(before) if before else -1) + 0.5, entry["reprint_index"]
    return key


def char_diff(original: str, reprint: str) -> list[list[str]]:
    """[op, text] runs from the original to the reprint: `=` same, `-` cut, `+` added.

    Characters are compared one by one, but a number as a whole: 127 -> 172, not 1+7 2-7.
    """
    tokens_o, tokens_r = number_tokens(original), number_tokens(reprint)
    runs: list[list[str]] = []
    matcher = SequenceMatcher(None, tokens_o, tokens_r, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["=", "".join(tokens_o[i1:i2])])
            continue
        if i2 > i1:
            runs.append(["-", "".join(tokens_o[i1:i2])])
        if j2 > j1:
            runs.append(["+", "".join(tokens_r[j1:j2])])
    return runs


def _verdict_and_flags(entries: list[dict], coverage: float, purity: float,
                       title_equal: bool | None) -> tuple[str, list[str]]:
    if coverage < UNRELATED_BELOW and purity < UNRELATED_BELOW:
        return "unrelated", []
    statuses = {entry["status"] for entry in entries}
    flags = [flag for status, flag in (("missing", "missing_paragraphs"),
                                       ("added", "added_paragraphs"),
                                       ("changed", "changed_paragraphs"),
                                       ("moved", "reordered")) if status in statuses]
    if title_equal is False:
        flags.append("title_changed")
    return ("edited" if flags else "faithful"), flags


def compare(reprint: dict[str, Any], original: dict[str, Any] | None, *,
            original_failure: str | None = None, checked_at: str | None = None) -> ReprintCheck:
    """Check a reprint record against its original record (None if it could not be had)."""
    check = ReprintCheck(reprint_url=reprint["url"], checked_at=checked_at,
                         original_url=original["url"] if original else reprint.get("original_url"))
    reprint_side = prepare(reprint.get("paragraphs") or [])
    check.attribution = attribution(reprint, original, reprint_side.boilerplate)
    flags = ["source_unattributed"] if check.attribution["names_publisher"] is False else []
    if original is None:
        check.original_status = "none" if not reprint.get("original_url") else (
            "unavailable" if original_failure else "not_fetched")
        check.original_failure = original_failure
        flags.append({"none": "no_original_link", "unavailable": "original_unavailable"}.get(
            check.original_status, "original_unavailable"))
        check.flags = sorted(set(flags))
        check.title = title_check(reprint.get("title"), None)
        check.boilerplate = {"reprint": reprint_side.boilerplate, "original": []}
        return check

    original_side = prepare(original.get("paragraphs") or [])
    matches, shared = align(original_side, reprint_side)
    size_o, size_r = sum(map(len, original_side.keys)), sum(map(len, reprint_side.keys))
    check.coverage = round(shared / size_o, 4) if size_o else None
    check.purity = round(shared / size_r, 4) if size_r else None
    check.similarity = round(2 * shared / (size_o + size_r), 4) if size_o + size_r else None
    check.paragraphs = paragraph_entries(original_side, reprint_side, matches)
    check.title = title_check(reprint.get("title"), original.get("title"),
                              suffixes=[original.get("site_name"), reprint.get("site_name"),
                                        original.get("category"), reprint.get("category")])
    verdict, edit_flags = _verdict_and_flags(check.paragraphs, check.coverage or 0,
                                             check.purity or 0, check.title["equal"])
    check.verdict = verdict
    numbers = [change for entry in check.paragraphs for change in entry.pop("numbers")]
    check.changed_numbers = [] if verdict == "unrelated" else numbers
    if check.changed_numbers:
        edit_flags.append("changed_numbers")
    check.lag_seconds, check.lag_precision = lag(reprint.get("published_at"),
                                                 original.get("published_at"))
    if check.lag_seconds is not None and check.lag_seconds < 0:
        flags.append("published_before_original")
    check.original_status = "available"
    check.flags = sorted(set(flags + edit_flags))
    check.boilerplate = {"reprint": reprint_side.boilerplate, "original": original_side.boilerplate}
    return check
