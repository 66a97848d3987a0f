import pytest

from newsarchive.compare.boilerplate import is_boilerplate
from newsarchive.compare.fold import (
    bare,
    content_hash,
    fold,
    has_injected_pinyin,
    is_traditional,
    sentences,
    strip_pinyin,
    to_simplified,
)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("近年来，呼和浩特市（首府）扎实推进！", "近年来,呼和浩特市(首府)扎实推进!"),  # width
        ("“三个结合”", '"三个结合"'),  # quote variants
        ("「三个结合」", "‘三个结合’"),
        ("内政发〔2013〕62号", "内政发[2013]62号"),  # 文号 brackets
        ("内政发【2013】62号", "内政发[2013]62号"),
        ("乌兰·巴特尔", "乌兰•巴特尔"),  # middle dots
        ("乌兰・巴特尔", "乌兰‧巴特尔"),
        ("2023——2025年", "2023—2025年"),  # dash runs
        ("　　近年来", "近年来"),  # indent
        ("第一章 总  则", "第一章总则"),  # whitespace next to CJK
        ("扎\u200b实推\ufeff进", "扎实推进"),  # invisible characters
        ("参与１２７项", "参与127项"),  # full-width digits
        ("呼和.浩特", "呼和。浩特"),  # period between CJK
        ("阅读……", "阅读..."),  # ellipsis
    ],
)
def test_variants_that_are_not_edits_fold_alike(left, right):
    assert fold(left) == fold(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("参与300万人次", "参与3000万人次"),
        ("内政发〔2013〕62号", "内政发〔2013〕63号"),
        ("乌兰巴特尔", "乌兰巴图"),
        ("version 2.5", "version 25"),  # a period between digits is not folded
    ],
)
def test_edits_stay_visible_after_folding(left, right):
    assert bare(fold(left)) != bare(fold(right))


def test_spaces_between_latin_words_are_kept_single():
    assert fold("Inner   Mongolia  民委") == "Inner Mongolia民委"


def test_bare_drops_punctuation_and_symbols_but_not_decimal_points():
    assert bare(fold("“三个结合”，增长3.5%！")) == "三个结合增长3.5"


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("他说：“要做好。”然后走了。", ["他说：“要做好。”", "然后走了。"]),
        ("第一句；第二句！第三句？", ["第一句；", "第二句！", "第三句？"]),
        ("增长3.5%。阅读……完了", ["增长3.5%。", "阅读……", "完了"]),
        ("no end", ["no end"]),
        ("", []),
    ],
)
def test_sentences_keep_closing_quotes_with_their_sentence(paragraph, expected):
    assert sentences(paragraph) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("辦(ban)事當(dāng)政(zheng)(zheng)府", "辦事當政府"),
        ("辦(ban)事 (ABC) (1) 當(dāng)府(fu)", "辦事 (ABC) (1) 當府"),  # upper case and digits stay
    ],
)
def test_pinyin_after_characters_is_removed(text, expected):
    assert strip_pinyin(text) == expected


@pytest.mark.parametrize(
    ("paragraphs", "injected"),
    [
        (["只有一处(yi)拼音"], False),  # too few groups to be injection
        (["一处(yi)拼音", "二处(er)拼音"], False),
        (["一处(yi)拼音", "二处(er)拼音", "三处(san)拼音"], True),  # counted over the body
        (["辦(ban)事當(dāng)政(zheng)(zheng)府"], True),
        (["公司(ABC)和(1)"], False),
    ],
)
def test_injected_pinyin_is_told_by_how_many_groups_a_body_has(paragraphs, injected):
    assert has_injected_pinyin(paragraphs) is injected


def test_traditional_text_is_detected_and_simplified():
    assert is_traditional("內蒙古自治區民族事務委員會召開會議")
    assert not is_traditional("内蒙古自治区民族事务委员会召开会议")
    assert to_simplified("內蒙古自治區民族事務委員會") == "内蒙古自治区民族事务委员会"
    assert to_simplified("資訊網路", phrases=True) == "信息网络"


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("（责任编辑：王芳）", True),
        ("[责任编辑:王芳]", True),
        ("来源：内蒙古日报", True),
        ("图为活动现场。", True),
        ("本报记者 王芳 摄", True),
        ("附件：1.实施方案", True),
        ("[免责声明] 本文来源于网络转载,仅供学习交流使用。", True),
        ("近年来，呼和浩特市自觉把民族工作摆放在全市发展大局中谋划推进。", False),
        ("记者从自治区民委获悉，全区民族团结进步创建工作取得新进展。", False),
    ],
)
def test_boilerplate_lines_are_told_from_article_text(paragraph, expected):
    assert is_boilerplate(paragraph) is expected


def test_punctuation_width_quotes_indentation_and_zero_width_do_not_change_the_hash():
    original = ["\u3000\u3000近年来，呼和浩特市（首府）扎实推进“三个结合”。", "参与300万人次！"]
    reprint = ['近年来,呼和浩特市(首府)扎\u200b实推进"三个结合"。', "", "参与 300万人次!"]
    assert content_hash(original) == content_hash(reprint)


def test_a_changed_number_changes_the_hash():
    assert content_hash(["参与300万人次"]) != content_hash(["参与3000万人次"])
