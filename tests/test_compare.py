import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAMPLES, check_summary, sample_check
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newsarchive.compare import compare
from newsarchive.compare.attribution import lag, title_check
from newsarchive.compare.fold import sentences
from newsarchive.parsers import page_for
from newsarchive.replay import CHECK_SUFFIX, sample_path, sample_url, stored_headers

CHECKS = sorted(SAMPLES.rglob(f"*{CHECK_SUFFIX}"))
SEED = SAMPLES / "zjifz.org.cn/show-10595.html"
SEED_ORIGINAL_URL = "http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html"


def record(url: str, page: Path | None = None) -> dict:
    page = page or sample_path(SAMPLES, url)
    response = HtmlResponse(url=url, body=page.read_bytes(), headers=stored_headers(page)[1])
    return ItemAdapter(page_for(response).to_item()).asdict()


def seed_pair() -> tuple[dict, dict]:
    return record(sample_url(SEED), SEED), record(SEED_ORIGINAL_URL)


def check_of(reprint: dict, original: dict | None, **options) -> dict:
    return ItemAdapter(compare(reprint, original, **options)).asdict()


@pytest.mark.parametrize("check_path", CHECKS, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_reprint_check_matches_its_snapshot(check_path):
    """Regression guard (regenerate with `python tests/snapshots.py`); the oracles for each
    case are in tests/cases.py."""
    page = check_path.with_name(check_path.name.removesuffix(CHECK_SUFFIX))
    assert check_summary(sample_check(page)) == json.loads(check_path.read_text("utf-8"))


def test_seed_pair_is_faithful_unattributed_and_a_day_late():
    check = check_of(*seed_pair())
    assert check["verdict"] == "faithful"
    assert check["flags"] == ["source_unattributed"]  # its 来源 is empty
    assert (check["coverage"], check["purity"], check["similarity"]) == (1.0, 1.0, 1.0)
    assert check["lag_precision"] == "minute"
    assert 86400 <= check["lag_seconds"] < 2 * 86400  # 2023-02-16 09:47 -> 2023-02-17 17:00:27
    assert check["title"]["equal"] is True
    assert check["attribution"]["publisher"] == ["内蒙古自治区民族事务委员会", "呼和浩特市民委"]


def test_numbers_changed_inside_a_paragraph_are_listed_with_context():
    reprint, original = seed_pair()
    reprint["paragraphs"] = [
        p.replace("参与300万人次", "参与3000万人次") for p in reprint["paragraphs"]
    ]
    check = check_of(reprint, original)
    assert check["verdict"] == "edited"
    assert check["changed_numbers"] == [
        {"original": "300", "reprint": "3000", "context": '籽"互动话题参与300万人次、阅读次数'}
    ]
    [changed] = [entry for entry in check["paragraphs"] if entry["status"] == "changed"]
    assert ["-", "300"] in changed["diff"] and ["+", "3000"] in changed["diff"]


def test_split_and_merged_paragraphs_are_not_edits():
    reprint, original = seed_pair()
    first, second, third, *rest = reprint["paragraphs"]
    cut = first.index(",") + 1  # split mid-sentence: the seed's first paragraph is one sentence
    reprint["paragraphs"] = [first[:cut], first[cut:], second + third, *rest]
    check = check_of(reprint, original)
    assert check["verdict"] == "faithful"
    assert {entry["status"] for entry in check["paragraphs"]} == {"kept"}


def test_a_dropped_sentence_makes_its_paragraph_changed_not_missing():
    reprint, original = seed_pair()
    last = reprint["paragraphs"][-1]
    reprint["paragraphs"][-1] = last[: last.index("。") + 1]
    check = check_of(reprint, original)
    assert check["flags"] == ["changed_paragraphs", "source_unattributed"]
    assert [e["status"] for e in check["paragraphs"]].count("changed") == 1


def test_swapped_paragraphs_are_one_moved_entry():
    reprint, original = seed_pair()
    paragraphs = reprint["paragraphs"]
    paragraphs[3], paragraphs[4] = paragraphs[4], paragraphs[3]
    check = check_of(reprint, original)
    assert check["flags"] == ["reordered", "source_unattributed"]
    assert Counter(e["status"] for e in check["paragraphs"]) == {"kept": 12, "moved": 1}


def test_a_credit_line_or_disclaimer_is_boilerplate_not_an_added_paragraph():
    reprint, original = seed_pair()
    reprint["paragraphs"] += ["(责任编辑:王芳)", "[免责声明] 本文来源于网络转载,仅供学习交流使用。"]
    check = check_of(reprint, original)
    assert check["verdict"] == "faithful"
    assert check["boilerplate"]["reprint"] == reprint["paragraphs"][-2:]


def test_a_source_named_only_in_a_credit_line_counts_as_attribution():
    reprint, original = seed_pair()
    reprint["paragraphs"].append("(来源:呼和浩特市民委)")
    assert check_of(reprint, original)["flags"] == []


def test_another_article_behind_the_link_is_unrelated():
    reprint, _ = seed_pair()
    other = record("http://mw.nmg.gov.cn/xw/msdt/202303/t20230314_2275802.html")
    check = check_of(reprint, other)
    assert check["verdict"] == "unrelated"
    assert check["coverage"] < 0.3 and check["purity"] < 0.3


def test_without_an_original_there_is_no_verdict_but_the_reason():
    reprint, _ = seed_pair()
    gone = check_of(reprint, None, original_failure="http_404")
    assert (gone["verdict"], gone["original_status"], gone["original_failure"]) == (
        None,
        "unavailable",
        "http_404",
    )
    assert "original_unavailable" in gone["flags"]
    reprint["original_url"] = None
    unlinked = check_of(reprint, None)
    assert (unlinked["original_status"], unlinked["original_url"]) == ("none", None)
    assert "no_original_link" in unlinked["flags"]


def test_plain_texts_have_no_title_or_source_to_judge():
    original = {"url": "file:///o.txt", "paragraphs": ["近年来，参与300万人次。", "第二段。"]}
    reprint = {"url": "file:///r.txt", "paragraphs": ["近年来,参与300万人次。", "第二段。"]}
    check = check_of(reprint, original)
    assert (check["verdict"], check["flags"], check["title"]["equal"]) == ("faithful", [], None)


@pytest.mark.parametrize(
    ("reprint_title", "original_title", "equal"),
    [
        ("呼和浩特“三个结合”", '呼和浩特"三个结合"', True),
        ("呼和浩特“三个结合” - 内蒙古自治区民族事务委员会", "呼和浩特“三个结合”", True),
        ("呼和浩特“三个结合”_盟市动态", "呼和浩特“三个结合”", True),
        ("呼和浩特“三个结合”-新华网", "呼和浩特“三个结合”", True),
        ("呼和浩特市获评全国民族团结进步示范市", "呼和浩特“三个结合”", False),
        (None, "呼和浩特“三个结合”", None),
    ],
)
def test_titles_are_equal_without_site_suffixes(reprint_title, original_title, equal):
    suffixes = ["内蒙古自治区民族事务委员会", "盟市动态"]
    assert title_check(reprint_title, original_title, suffixes)["equal"] is equal


@pytest.mark.parametrize(
    ("reprint_at", "original_at", "expected"),
    [
        ("2023-02-17T17:00:27+08:00", "2023-02-16T09:47+08:00", (112407, "minute")),
        ("2023-02-17T17:00:27+08:00", "2023-02-16T17:00:00+08:00", (86427, "second")),
        ("2023-03-24T11:17:46+08:00", "2023-03-20", (4 * 86400, "day")),
        ("2023-03-19", "2023-03-20T08:00+08:00", (-86400, "day")),
        (None, "2023-03-20", (None, None)),
    ],
)
def test_lag_is_honest_about_precision(reprint_at, original_at, expected):
    assert lag(reprint_at, original_at) == expected


def test_taiwan_wording_in_a_traditional_reprint_is_not_an_edit():
    original = {
        "url": "http://a.gov.cn/t20230101_1.html",
        "paragraphs": ["全区加快推进信息网络建设，推广使用国产软件。", "会议要求各地认真落实。"],
    }
    reprint = {
        "url": "http://mirror.example/1.html",
        "paragraphs": ["全區加快推進資訊網路建設，推廣使用國產軟體。", "會議要求各地認真落實。"],
    }
    check = check_of(reprint, original)
    assert (check["verdict"], check["flags"]) == ("faithful", [])


def seed_sentences(count: int) -> list[str]:
    """The first `count` sentences of the seed original, one paragraph each; no two are alike."""
    _, original = seed_pair()
    found = [sentence for paragraph in original["paragraphs"] for sentence in sentences(paragraph)]
    assert len(found) >= count
    return found[:count]


def touched(sentence: str) -> str:
    """The sentence with one character more: similar, but not the same."""
    return sentence[:4] + "各" + sentence[4:]


def statuses_of(original: list[str], reprint: list[str]) -> Counter:
    check = check_of({"url": "r", "paragraphs": reprint}, {"url": "o", "paragraphs": original})
    return Counter(entry["status"] for entry in check["paragraphs"])


def test_a_rewritten_run_within_the_pairing_cap_pairs_each_sentence_with_its_edit():
    # 20 x 20 sentences replaced (400 cells, the cap): one cut first, one added last.
    text = seed_sentences(20)
    original = text[:20]
    reprint = [touched(sentence) for sentence in text[1:20]] + ["笔者认为,此事值得深思。"]
    assert statuses_of(original, reprint) == {"changed": 19, "missing": 1, "added": 1}


def test_a_rewritten_run_over_the_pairing_cap_is_paired_by_position_only():
    # 21 x 20 sentences replaced (420 cells): by position, no sentence meets its edit.
    text = seed_sentences(21)
    reprint = [touched(sentence) for sentence in text[1:21]]
    assert statuses_of(text, reprint) == {"missing": 21, "added": 20}


def test_a_rewritten_run_over_the_pairing_cap_still_pairs_edits_in_place():
    text = seed_sentences(21)
    reprint = [touched(sentence) for sentence in text] + ["笔者认为,此事值得深思。"]
    assert statuses_of(text, reprint) == {"changed": 21, "added": 1}


@pytest.mark.parametrize(
    ("reprint_title", "suffixes", "equal"),
    [
        # A known site or column name after a separator no generic pattern takes: a space,
        # or a name longer than a generic suffix, or one holding a separator itself.
        ("呼和浩特“三个结合” 内蒙古自治区民族事务委员会", ["内蒙古自治区民族事务委员会"], True),
        ("呼和浩特“三个结合” 内蒙古自治区民族事务委员会", [], False),
        ("呼和浩特“三个结合”|" + "某" * 31, ["某" * 31], True),
        ("呼和浩特“三个结合”|" + "某" * 31, [], False),
        ("呼和浩特“三个结合”_民族-宗教网", ["民族-宗教网"], True),
        ("呼和浩特“三个结合”—内蒙古民委", [], True),  # a generic suffix needs no name
    ],
)
def test_a_known_site_name_is_a_suffix_after_any_separator(reprint_title, suffixes, equal):
    assert title_check(reprint_title, "呼和浩特“三个结合”", suffixes)["equal"] is equal
