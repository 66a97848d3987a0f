"""compare() field by field, on small hand-made pairs whose every figure can be worked out by
hand: scores, verdicts at their thresholds, flags, titles, attribution and paragraph entries."""

import pytest
from itemadapter import ItemAdapter

from newsarchive.compare import compare
from newsarchive.compare.attribution import attribution, publishers, title_check
from newsarchive.compare.fold import is_traditional


def check(original: list[str] | None, reprint: list[str], **fields) -> dict:
    """The check of a reprint of `reprint` paragraphs against an original of `original` ones
    (None: no original); `fields` go to the reprint, `original_*` ones to the original."""
    reprint_record = {"url": "http://r.example/1.html", "paragraphs": reprint}
    original_record = {"url": "http://o.example.gov.cn/1.html", "paragraphs": original}
    for name, value in fields.items():
        if name.startswith("original_") and name != "original_url":
            original_record[name.removeprefix("original_")] = value
        else:
            reprint_record[name] = value
    options = {"checked_at": "2024-05-01T09:00:00Z", "original_failure": fields.get("failure")}
    reprint_record.pop("failure", None)
    result = compare(reprint_record, original_record if original is not None else None, **options)
    return ItemAdapter(result).asdict()


def statuses(result: dict) -> list[tuple]:
    return [(e["status"], e["original_index"], e["reprint_index"]) for e in result["paragraphs"]]


# Without an original ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original_url", "failure", "status", "flag"),
    [
        ("http://o.example.gov.cn/1.html", None, "not_fetched", "original_unavailable"),
        ("http://o.example.gov.cn/1.html", "http_404", "unavailable", "original_unavailable"),
        (None, None, "none", "no_original_link"),
    ],
)
def test_without_an_original_the_check_says_why_and_keeps_the_reprint_side(
    original_url, failure, status, flag
):
    result = check(
        None,
        ["正文。", "(责任编辑:王芳)"],
        title="标题",
        source="",
        original_url=original_url,
        failure=failure,
    )
    assert result == {
        "reprint_url": "http://r.example/1.html",
        "original_url": original_url,
        "verdict": None,
        "flags": sorted([flag, "source_unattributed"]),
        "coverage": None,
        "purity": None,
        "similarity": None,
        "title": {"reprint": "标题", "original": None, "equal": None},
        "attribution": {
            "source": "",
            "original_url": original_url,
            "publisher": [],
            "names_publisher": None,
        },
        "lag_seconds": None,
        "lag_precision": None,
        "original_status": status,
        "original_failure": failure,
        "changed_numbers": [],
        "paragraphs": [],
        "boilerplate": {"reprint": ["(责任编辑:王芳)"], "original": []},
        "checked_at": "2024-05-01T09:00:00Z",
        "original_state": None,  # compare() alone knows no history: checking.py adds it
        "original_state_since": None,
    }


# Scores and verdicts ----------------------------------------------------------------------


def test_scores_are_shares_of_the_bare_text_to_four_places():
    # 5 of the original's 10 characters are in the reprint, which has nothing else.
    result = check(["甲乙丙丁戊。", "己庚辛壬癸。"], ["甲乙丙丁戊。"])
    assert (result["coverage"], result["purity"], result["similarity"]) == (0.5, 1.0, 0.6667)
    assert (result["verdict"], result["flags"]) == ("edited", ["missing_paragraphs"])


def test_empty_bodies_have_no_scores():
    result = check([], [])
    assert (result["coverage"], result["purity"], result["similarity"]) == (None, None, None)


def test_a_reprint_of_nothing_covers_nothing_and_has_no_purity():
    result = check(["甲乙丙丁戊。"], [])
    assert (result["coverage"], result["purity"], result["similarity"]) == (0.0, None, 0.0)


def test_a_sentence_split_in_two_still_shares_all_its_text():
    result = check(["天地玄黄宇宙洪荒。", "甲乙丙丁戊己"], ["天地玄黄宇宙洪荒。", "甲乙丙。丁戊己"])
    assert (result["coverage"], result["purity"], result["verdict"]) == (1.0, 1.0, "faithful")
    assert statuses(result) == [("kept", 0, 0), ("kept", 1, 1)]  # each paragraph its own entry


def test_a_long_reprint_holding_the_whole_original_is_edited_not_unrelated():
    original = ["甲乙丙丁戊己庚辛壬癸。"]
    added = ["子丑寅卯辰巳午未申酉。", "天地玄黄宇宙洪荒日月。", "春夏秋冬东南西北上下。"]
    result = check(original, original + added)
    assert (result["coverage"], result["purity"]) == (1.0, 0.25)
    assert (result["verdict"], result["flags"]) == ("edited", ["added_paragraphs"])


def test_an_excerpt_of_a_long_original_is_edited_not_unrelated():
    original = [
        "甲乙丙丁戊己庚辛壬癸。",
        "子丑寅卯辰巳午未申酉。",
        "天地玄黄宇宙洪荒日月。",
        "春夏秋冬东南西北上下。",
    ]
    result = check(original, original[:1])
    assert (result["coverage"], result["purity"]) == (0.25, 1.0)
    assert (result["verdict"], result["flags"]) == ("edited", ["missing_paragraphs"])


def test_coverage_at_exactly_the_unrelated_threshold_is_related():
    result = check(["甲乙丙。", "子丑寅卯辰巳午。"], ["甲乙丙。", "天地玄黄宇宙洪荒。"])
    assert (result["coverage"], result["purity"]) == (0.3, 0.2727)
    assert result["verdict"] == "edited"


def test_purity_at_exactly_the_unrelated_threshold_is_related():
    result = check(["甲乙丙。", "天地玄黄宇宙洪荒。"], ["甲乙丙。", "子丑寅卯辰巳午。"])
    assert (result["coverage"], result["purity"]) == (0.2727, 0.3)
    assert result["verdict"] == "edited"


def test_an_unrelated_pair_lists_no_changed_numbers_and_no_flags():
    original = [
        "参与人数达到300万人次。",
        "子丑寅卯辰巳午未申酉戌亥甲乙丙丁戊己庚辛壬癸天地玄黄宇宙洪荒。",
    ]
    reprint = [
        "参与人数达到3000万人次。",
        "春夏秋冬东南西北上下左右前后金木水火土日月星辰风雨雷电山川。",
    ]
    result = check(original, reprint)
    assert result["verdict"] == "unrelated"
    assert (result["flags"], result["changed_numbers"]) == ([], [])


def test_a_related_pair_lists_its_changed_numbers():
    result = check(["参与人数达到300万人次。"], ["参与人数达到3000万人次。"])
    assert result["changed_numbers"] == [
        {"original": "300", "reprint": "3000", "context": "参与人数达到300万人次。"}
    ]
    assert result["flags"] == ["changed_numbers", "changed_paragraphs"]


@pytest.mark.parametrize(
    ("reprint_at", "flags"),
    [
        ("2023-02-16T09:47+08:00", []),  # at the same minute: not before
        ("2023-02-16T09:46+08:00", ["published_before_original"]),
        ("2023-02-16T09:48+08:00", []),
    ],
)
def test_a_reprint_dated_before_its_original_is_flagged(reprint_at, flags):
    result = check(
        ["甲乙丙丁。"],
        ["甲乙丙丁。"],
        published_at=reprint_at,
        original_published_at="2023-02-16T09:47+08:00",
    )
    assert result["flags"] == flags


def test_both_sides_boilerplate_is_kept_apart():
    result = check(
        ["甲乙丙丁。", "（责任编辑：李明）"], ["甲乙丙丁。", "[免责声明] 本文来源于网络转载"]
    )
    assert result["boilerplate"] == {
        "reprint": ["[免责声明] 本文来源于网络转载"],
        "original": ["（责任编辑：李明）"],
    }
    assert result["verdict"] == "faithful"


# Titles -----------------------------------------------------------------------------------

TITLE = "呼和浩特扎实推进创建"
NAME = "内蒙古自治区民族事务委员会"


@pytest.mark.parametrize(
    "holder", ["site_name", "original_site_name", "category", "original_category"]
)
def test_a_site_or_column_name_of_either_side_is_a_title_suffix(holder):
    # After a space the suffix is glued on once folded: only a known name can take it off.
    result = check(
        ["甲乙丙丁。"],
        ["甲乙丙丁。"],
        title=f"{TITLE} {NAME}",
        original_title=TITLE,
        **{holder: NAME},
    )
    assert result["title"] == {"reprint": f"{TITLE} {NAME}", "original": TITLE, "equal": True}


def test_an_unknown_glued_suffix_is_a_title_change():
    result = check(["甲乙丙丁。"], ["甲乙丙丁。"], title=f"{TITLE} {NAME}", original_title=TITLE)
    assert result["title"]["equal"] is False
    assert result["flags"] == ["title_changed"]


@pytest.mark.parametrize(
    ("reprint_title", "original_title", "suffixes", "equal"),
    [
        ("呼和浩特“三个结合”-民族_宗教网", "呼和浩特“三个结合”", ["民族_宗教网"], True),
        ("2023-2024年工作要点_新华网", "2023-2024年工作要点", [], True),  # a dash in the title
        ("", "", [], True),
        ("甲", "乙", [], False),
    ],
)
def test_titles_compare_whole_and_without_suffixes(reprint_title, original_title, suffixes, equal):
    assert title_check(reprint_title, original_title, suffixes) == {
        "reprint": reprint_title,
        "original": original_title,
        "equal": equal,
    }


# Attribution ------------------------------------------------------------------------------


def test_the_publishers_are_site_name_source_and_their_meta_tags_once_each():
    original = {
        "site_name": "某某委员会",
        "source": "某某局",
        "meta": {"SiteName": "某某网站", "ContentSource": "某某报", "Author": "王芳"},
    }
    assert publishers(original) == ["某某委员会", "某某局", "某某网站", "某某报"]
    lower = {
        "site_name": "某某委员会",
        "meta": {"sitename": "某某委员会", "contentsource": "某某局"},
    }
    assert publishers(lower) == ["某某委员会", "某某局"]
    assert publishers({}) == []


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("呼和浩特市民委", True),
        ("市民委", True),  # part of the publisher's name
        ("呼和浩特市民委员会办公室", True),  # holds the publisher's name
        ("民委", True),  # two characters are enough
        ("委", False),  # one is not
        ("新华网", False),
    ],
)
def test_a_source_names_the_publisher_when_one_holds_the_other(source, names):
    stated = attribution(
        {"source": source, "original_url": "http://o/1"}, {"source": "呼和浩特市民委"}, []
    )
    assert stated == {
        "source": source,
        "original_url": "http://o/1",
        "publisher": ["呼和浩特市民委"],
        "names_publisher": names,
    }


# Paragraph entries ------------------------------------------------------------------------


def test_added_paragraphs_stand_where_the_reprint_has_them():
    original = ["甲乙丙丁戊己。", "子丑寅卯辰巳。"]
    reprint = [
        "天地玄黄宇宙。",
        "甲乙丙丁戊己。",
        "春夏秋冬东南。",
        "子丑寅卯辰巳。",
        "金木水火土石。",
    ]
    result = check(original, reprint)
    assert statuses(result) == [
        ("added", None, 0),
        ("kept", 0, 1),
        ("added", None, 2),
        ("kept", 1, 3),
        ("added", None, 4),
    ]
    kept = result["paragraphs"][1]
    assert kept == {
        "status": "kept",
        "original_index": 0,
        "reprint_index": 1,
        "original_text": "甲乙丙丁戊己。",
        "reprint_text": "甲乙丙丁戊己。",
        "diff": [],
    }


def test_merged_and_edited_paragraphs_are_one_changed_entry_with_a_diff():
    original = ["甲乙丙丁戊己庚辛。", "子丑寅卯辰巳午未。"]
    result = check(original, ["甲乙丙丁戊己庚辛。子丑寅卯辰巳午申。"])
    [entry] = result["paragraphs"]
    assert entry == {
        "status": "changed",
        "original_index": 0,
        "reprint_index": 0,
        "original_text": "甲乙丙丁戊己庚辛。\n子丑寅卯辰巳午未。",
        "reprint_text": "甲乙丙丁戊己庚辛。子丑寅卯辰巳午申。",
        "diff": [
            ["=", "甲乙丙丁戊己庚辛。"],
            ["-", "\n"],
            ["=", "子丑寅卯辰巳午"],
            ["-", "未"],
            ["+", "申"],
            ["=", "。"],
        ],
    }


def test_a_sentence_added_inside_a_paragraph_changes_it():
    result = check(["甲乙丙丁戊己庚辛。"], ["甲乙丙丁戊己庚辛。笔者认为值得学习。"])
    assert statuses(result) == [("changed", 0, 0)]
    assert result["flags"] == ["changed_paragraphs"]


def test_a_sentence_cut_from_a_paragraph_changes_it():
    result = check(["甲乙丙丁戊己庚辛。笔者认为值得学习。"], ["甲乙丙丁戊己庚辛。"])
    assert statuses(result) == [("changed", 0, 0)]


def test_paragraphs_joined_by_kept_and_moved_sentences_are_changed():
    result = check(["甲乙丙丁。", "子丑寅卯。天地玄黄。"], ["天地玄黄。甲乙丙丁。", "子丑寅卯。"])
    assert [entry["status"] for entry in result["paragraphs"]] == ["changed"]


def test_a_paragraph_moved_whole_is_moved():
    result = check(
        ["甲乙丙丁。", "子丑寅卯。", "天地玄黄。"], ["甲乙丙丁。", "天地玄黄。", "子丑寅卯。"]
    )
    assert sorted(e["status"] for e in result["paragraphs"]) == ["kept", "kept", "moved"]


def test_a_cut_paragraph_in_the_middle_is_missing_and_the_rest_kept():
    result = check(["甲乙丙丁。", "子丑寅卯。", "天地玄黄。"], ["甲乙丙丁。", "天地玄黄。"])
    assert statuses(result) == [("kept", 0, 0), ("missing", 1, None), ("kept", 2, 1)]


def test_two_edited_runs_each_pair_their_sentences():
    original = [
        "甲乙丙丁戊己庚辛。",
        "天地玄黄宇宙洪荒。",
        "子丑寅卯辰巳午未。",
        "春夏秋冬东南西北。",
    ]
    reprint = [
        "甲乙丙丁戊己庚壬。",
        "天地玄黄宇宙洪荒。",
        "子丑寅卯辰巳午申。",
        "春夏秋冬东南西北。",
    ]
    result = check(original, reprint)
    assert statuses(result) == [
        ("changed", 0, 0),
        ("kept", 1, 1),
        ("changed", 2, 2),
        ("kept", 3, 3),
    ]


def test_a_paragraph_moved_from_the_start_to_the_end_is_one_moved_entry():
    result = check(
        ["天地玄黄。", "甲乙丙丁。", "子丑寅卯。"], ["甲乙丙丁。", "子丑寅卯。", "天地玄黄。"]
    )
    moved = [e for e in result["paragraphs"] if e["status"] == "moved"]
    assert [(e["original_index"], e["reprint_index"]) for e in moved] == [(0, 2)]
    assert result["flags"] == ["reordered"]


def test_a_move_across_an_edited_run_is_still_a_move():
    # The paragraphs around the edit have two sentences: the matcher anchors on them.
    original = ["天地玄黄。", "甲乙丙丁。戊己庚辛。", "子丑寅卯辰巳午未。", "春夏秋冬。东南西北。"]
    reprint = ["甲乙丙丁。戊己庚辛。", "子丑寅卯辰巳午申。", "春夏秋冬。东南西北。", "天地玄黄。"]
    assert sorted(statuses(check(original, reprint))) == [
        ("changed", 2, 1),
        ("kept", 1, 0),
        ("kept", 3, 2),
        ("moved", 0, 3),
    ]


def test_a_sentence_repeated_elsewhere_is_not_taken_for_a_move_of_the_kept_one():
    # The cut 金木水火 and the added 天地玄黄 differ: nothing moved, though 天地玄黄 is also kept.
    original = ["天地玄黄。", "甲乙丙丁。", "金木水火。", "子丑寅卯。"]
    reprint = ["天地玄黄。", "甲乙丙丁。", "子丑寅卯。", "天地玄黄。"]
    assert statuses(check(original, reprint)) == [
        ("kept", 0, 0),
        ("kept", 1, 1),
        ("missing", 2, None),
        ("kept", 3, 2),
        ("added", None, 3),
    ]
    original = ["天地玄黄。", "甲乙丙丁。", "子丑寅卯。", "天地玄黄。"]
    reprint = ["天地玄黄。", "甲乙丙丁。", "金木水火。", "子丑寅卯。"]
    assert statuses(check(original, reprint)) == [
        ("kept", 0, 0),
        ("kept", 1, 1),
        ("added", None, 2),
        ("kept", 2, 3),
        ("missing", 3, None),
    ]


def test_consecutive_edited_sentences_share_what_each_pair_has_in_common():
    # 4 kept + 5 + 5 shared of the edited sentences, of 16 in the original.
    original = ["甲乙丙丁。", "子丑寅卯辰巳。", "天地玄黄宇宙。"]
    reprint = ["甲乙丙丁。", "子丑寅卯辰午。", "天地玄黄宇洪。"]
    result = check(original, reprint)
    assert statuses(result) == [("kept", 0, 0), ("changed", 1, 1), ("changed", 2, 2)]
    assert (result["coverage"], result["purity"]) == (0.875, 0.875)


def test_a_long_sentence_with_one_character_changed_shares_all_the_others():
    sentence = "本条例所称的宗教活动场所的管理组织应当依法履行的职责" * 10
    edited = sentence[:-1] + "任"
    result = check([sentence + "。"], [edited + "。"])
    assert result["coverage"] == round((len(sentence) - 1) / len(sentence), 4)


def test_a_paragraph_split_and_edited_in_the_reprint_joins_the_reprint_side():
    result = check(
        ["甲乙丙丁戊己庚辛。子丑寅卯辰巳午未。"], ["甲乙丙丁戊己庚辛。", "子丑寅卯辰巳午申。"]
    )
    [entry] = result["paragraphs"]
    assert entry["reprint_text"] == "甲乙丙丁戊己庚辛。\n子丑寅卯辰巳午申。"
    assert entry["diff"] == [
        ["=", "甲乙丙丁戊己庚辛。"],
        ["+", "\n"],
        ["=", "子丑寅卯辰巳午"],
        ["-", "未"],
        ["+", "申"],
        ["=", "。"],
    ]


def test_a_mirror_swapping_some_characters_for_traditional_ones_is_faithful():
    original = [
        "呼和浩特市扎实开展民族团结进步创建工作，全市各族群众共同团结奋斗。",
        "会议要求各地认真落实国家的各项政策措施，推动经济社会发展。",
    ]
    # Two characters swapped: under the share that makes a whole page Traditional.
    reprint = [
        "呼和浩特市扎實开展民族团结进步创建工作，全市各族群众共同团结奋斗。",
        "会议要求各地认真落实國家的各项政策措施，推动经济社会发展。",
    ]
    assert not is_traditional("".join(reprint))
    result = check(original, reprint)
    assert (result["verdict"], result["flags"]) == ("faithful", [])


def test_pinyin_injected_a_little_in_each_paragraph_is_formatting():
    original = ["全市各族群众共同团结奋斗。", "会议要求各地认真落实。", "推动经济社会高质量发展。"]
    reprint = [
        "全市各族(zu)群众共同团结奋斗。",
        "会议要求各地认(ren)真落实。",
        "推动经济社会高质(zhi)量发展。",
    ]
    result = check(original, reprint)
    assert (result["verdict"], result["flags"]) == ("faithful", [])
