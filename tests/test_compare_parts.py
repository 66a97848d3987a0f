"""The comparison's parts, table by table: character diffs, changed numbers, similarity, the
pairing of edited sentences, script detection, folding, the hash and boilerplate."""

import hashlib

import pytest

from newsarchive.compare.align import _bigram_similarity, _similar_pairs
from newsarchive.compare.boilerplate import is_boilerplate, split_boilerplate
from newsarchive.compare.fold import content_hash, fold, is_traditional, to_simplified
from newsarchive.compare.numbers import numbers_changed
from newsarchive.compare.paragraphs import char_diff

# Ideographs written the same in both scripts, to build texts of a known Traditional share.
SAME_IN_BOTH = "中人大小上下一二三四五六七八九十百千万方"


@pytest.mark.parametrize(
    ("original", "reprint", "runs"),
    [
        (
            "参与300万人次",
            "参与3000万人次",
            [["=", "参与"], ["-", "300"], ["+", "3000"], ["=", "万人次"]],
        ),  # a number is one token
        ("甲乙", "甲丙乙", [["=", "甲"], ["+", "丙"], ["=", "乙"]]),
        ("甲丙乙", "甲乙", [["=", "甲"], ["-", "丙"], ["=", "乙"]]),
        ("甲乙", "甲乙", [["=", "甲乙"]]),
        # Long texts of one common character: no character is treated as junk.
        (
            "的" * 120 + "甲" + "的" * 120,
            "的" * 120 + "乙" + "的" * 120,
            [["=", "的" * 120], ["-", "甲"], ["+", "乙"], ["=", "的" * 120]],
        ),
    ],
)
def test_char_diff_runs_from_the_original_to_the_reprint(original, reprint, runs):
    assert char_diff(original, reprint) == runs


def test_a_changed_number_is_listed_with_its_context_from_the_start_of_the_text():
    assert numbers_changed("细化实化127项措施", "细化实化172项措施") == [
        {"original": "127", "reprint": "172", "context": "细化实化127项措施"}
    ]


def test_a_number_more_in_the_reprint_pairs_with_none_and_takes_the_reprint_context():
    assert numbers_changed("第3批\n名单公布", "第4、5批\n名单公布") == [
        {"original": "3", "reprint": "4", "context": "第3批 名单公布"},
        {"original": None, "reprint": "5", "context": "第4、5批 名单公布"},
    ]


def test_a_number_fewer_in_the_reprint_pairs_with_none_and_keeps_the_original_context():
    assert numbers_changed("第4、5批名单", "第3批名单") == [
        {"original": "4", "reprint": "3", "context": "第4、5批名单"},
        {"original": "5", "reprint": None, "context": "第4、5批名单"},
    ]


def test_context_is_eight_characters_either_side():
    original = "一二三四五六七八九十参与300万人次一二三四五六七八九十"
    reprint = original.replace("300", "3000")
    [change] = numbers_changed(original, reprint)
    assert change["context"] == "五六七八九十参与300万人次一二三四五"  # 8 either side


@pytest.mark.parametrize(
    ("left", "right", "similarity"),
    [
        ("ab", "ab", 1.0),
        ("abc", "abd", 0.5),  # ab shared of ab,bc / ab,bd
        ("abcd", "abce", 2 * 2 / 6),
        ("ab", "cd", 0.0),
        ("a", "a", 1.0),  # no bigrams: equal or not
        ("a", "b", 0.0),
    ],
)
def test_bigram_similarity_is_the_dice_coefficient(left, right, similarity):
    assert _bigram_similarity(left, right) == pytest.approx(similarity)


A, A2 = "全市民族团结进步创建工作扎实推进", "全市民族团结进步创建工作稳步推进"
B, B2 = "各族群众共同富裕的步伐不断加快", "各族群众共同富裕的步伐持续加快"
X, Y = "会议由市委副书记主持召开", "笔者认为此事值得深思"


def test_the_sentences_used_below_are_alike_in_pairs_only():
    assert _bigram_similarity(A, A2) >= 0.5 and _bigram_similarity(B, B2) >= 0.5
    others = [(A, B2), (A, X), (A, Y), (B, A2), (B, X), (B, Y), (X, A2), (X, B2), (X, Y)]
    assert all(_bigram_similarity(left, right) < 0.5 for left, right in others)


@pytest.mark.parametrize(
    ("original", "reprint", "pairs"),
    [
        ([A], [A2], [(0, 0)]),
        ([X, A, B], [A2, Y, B2], [(1, 0), (2, 2)]),
        ([A, X, B], [Y, A2, B2], [(0, 1), (2, 2)]),
        ([A, B], [B2, A2], [(0, 1)]),  # in order only: the other one was moved, not edited
        ([X], [Y], []),
        (["abc"], ["abd"], [(0, 0)]),  # exactly at the threshold still pairs
        (["abc", X], ["abd", A], [(0, 0)]),
    ],
)
def test_edited_sentences_pair_in_order_by_similarity(original, reprint, pairs):
    assert _similar_pairs(original, reprint) == pairs


def distinct(count: int, offset: int) -> list[str]:
    """`count` sentences sharing no character with each other or any other offset's."""
    return ["".join(chr(0x4E00 + offset + 8 * n + k) for k in range(8)) for n in range(count)]


def test_over_the_cap_sentences_pair_by_position_at_the_threshold_too():
    original, reprint = ["abc", *distinct(20, 0)], ["abd", *distinct(19, 4000)]
    assert len(original) * len(reprint) > 400
    assert _similar_pairs(original, reprint) == [(0, 0)]


@pytest.mark.parametrize(
    ("text", "traditional"),
    [
        ("", False),
        ("hello 123", False),
        (SAME_IN_BOTH[:19] + "國", False),  # one in twenty: 5% is not more than 5%
        (SAME_IN_BOTH[:18] + "國語", True),
        # two runs: the share is of ideographs only, 2 of 39
        (SAME_IN_BOTH[:19] + "國，" + SAME_IN_BOTH[:18] + "語", True),
        ("國家語言", True),
        # The first 1,000 ideographs decide, however many runs hold them, and no more.
        (SAME_IN_BOTH + "，" + "，".join(["國語"] * 20), True),
        (SAME_IN_BOTH * (1000 // len(SAME_IN_BOTH) + 1) + "國語" * 1000, False),
    ],
)
def test_a_text_is_traditional_when_over_5_percent_of_its_ideographs_change(text, traditional):
    assert to_simplified(SAME_IN_BOTH) == SAME_IN_BOTH  # the filler is script-neutral
    assert is_traditional(text) is traditional


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("等等......", "等等..."),
        ("等等……", "等等..."),
        ("2023——2024", "2023-2024"),
        ("“三个结合”", '"三个结合"'),
        ("〔2013〕62号", "[2013]62号"),
        ("乌兰•巴特尔", "乌兰·巴特尔"),
        ("呼和\u200b浩特", "呼和浩特"),
        ("\u3000\u3000近年来，", "近年来,"),
        ("第一章 总  则", "第一章总则"),
        ("Inner  Mongolia", "Inner Mongolia"),
        ("内蒙古.呼和浩特", "内蒙古。呼和浩特"),
    ],
)
def test_fold_keeps_only_what_can_be_an_edit(text, folded):
    assert fold(text) == folded


def test_content_hash_is_sha256_of_the_folded_paragraphs_one_a_line():
    expected = hashlib.sha256("近年来,\n参与300万人次".encode()).hexdigest()
    assert content_hash(["近年来，", "", "参与 300万人次"]) == expected


def test_a_credit_line_is_boilerplate_up_to_a_hundred_characters():
    line = "(责任编辑:" + "王" * 93 + ")"
    assert len(line) == 100 and is_boilerplate(line)
    assert not is_boilerplate(line[:-1] + "王)")


def test_split_boilerplate_keeps_the_positions_of_the_text():
    assert split_boilerplate(["正文。", "(责任编辑:王芳)", "正文二。"]) == (
        ["正文。", "正文二。"],
        ["(责任编辑:王芳)"],
        [0, 2],
    )


@pytest.mark.parametrize(
    ("original", "reprint", "pairs"),
    [
        ([X, A], [A2, Y], [(1, 0)]),
        ([X, Y, A, B], [A2, B2], [(2, 0), (3, 1)]),
        ([A, B], [X, Y, A2, B2], [(0, 2), (1, 3)]),
        ([X, A, Y, B], [A2, "春夏秋冬东南西北", B2], [(1, 0), (3, 2)]),
    ],
)
def test_unpaired_sentences_are_skipped_on_either_side(original, reprint, pairs):
    assert _similar_pairs(original, reprint) == pairs


@pytest.mark.parametrize(
    ("original", "reprint", "runs"),
    [
        ("甲乙丙丁", "甲丁", [["=", "甲"], ["-", "乙丙"], ["=", "丁"]]),
        ("甲丁", "甲乙丙丁", [["=", "甲"], ["+", "乙丙"], ["=", "丁"]]),
    ],
)
def test_char_diff_keeps_a_run_of_several_characters_whole(original, reprint, runs):
    assert char_diff(original, reprint) == runs


def test_a_number_only_the_reprint_has_takes_eight_characters_after_it_as_context():
    original = "第3批名单今日在首府正式公布"
    reprint = "第4、5批名单今日在首府正式公布"
    assert numbers_changed(original, reprint)[1] == {
        "original": None,
        "reprint": "5",
        "context": "第4、5批名单今日在首府",
    }
