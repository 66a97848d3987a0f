import pytest

from newsarchive.parsers.base import labelled_value
from newsarchive.parsers.text import (
    clean_text,
    date_from_url,
    find_cn_datetime,
    parse_cn_datetime,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-02-17 17:00:27", "2023-02-17T17:00:27+08:00"),
        ("2023-02-16 10:21", "2023-02-16T10:21+08:00"),
        ("2023-02-16", "2023-02-16"),
        ("2023年02月16日 09:30", "2023-02-16T09:30+08:00"),
        ("2023年2月16日", "2023-02-16"),
        ("2020/12/31 14:29:32", "2020-12-31T14:29:32+08:00"),
        ("[2023-02-16]", "2023-02-16"),
        ("2023-02-16-10:21:00", "2023-02-16T10:21:00+08:00"),
        ("发布时间：2023-02-16 10:21　来源：呼和浩特市民委", "2023-02-16T10:21+08:00"),
        ("时间:2023-02-17 17:00:27", "2023-02-17T17:00:27+08:00"),
        ("2023.3.5 8:05", "2023-03-05T08:05+08:00"),
        ("2023-02-30", None),
        ("2023-13-01 10:00", None),
        ("来源：新华社", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_cn_datetime_keeps_the_precision_shown(raw, expected):
    assert parse_cn_datetime(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布日期：2023年03月15日 10:30　信息来源：呼和浩特市", "2023年03月15日 10:30"),
        ("发布时间: 2023-03-20 来源: 内蒙古", "2023-03-20"),
        ("no date here", None),
    ],
)
def test_find_cn_datetime_returns_the_date_as_written(text, expected):
    assert find_cn_datetime(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://mw.nmg.gov.cn/xw/msdt/202302/t20230216_2257296.html", "2023-02-16"),
        ("http://www.example.gov.cn/a/202302/t20230216_1.shtml", "2023-02-16"),
        ("http://www.example.gov.cn/a/202302/t20230216_1.htm", "2023-02-16"),
        ("http://zjifz.org.cn/show-10595.html", None),
        ("http://www.example.gov.cn/t20231340_1.html", None),
    ],
)
def test_date_from_trs_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u3000\u3000近年来，呼和浩特市", "近年来，呼和浩特市"),
        ("a\xa0\xa0b\n c", "a b c"),
        ("   ", ""),
        (None, None),
    ],
)
def test_clean_text_collapses_all_whitespace(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("line", "labels", "expected"),
    [
        (
            "发布时间：2023-02-16 10:21　来源：呼和浩特市民委　【字号：大 中 小】",
            "来源",
            "呼和浩特市民委",
        ),
        ("来源：　作者：", "来源", ""),  # an empty label is followed by the next label, not a value
        ("来源：作者：王芳", "来源", ""),
        ("来源：作者：王芳", "作者", "王芳"),
        ("来源 : 新华网", "来源", "新华网"),  # spaces around the colon
        ("来源:新华网【打印】", "来源", "新华网"),
        ("信息来源：内蒙古日报", "来源|信息来源", "内蒙古日报"),
        ("发布时间：2023-02-16", "来源", None),  # no such label
        ("来源：\n新华网", "来源", ""),  # the value does not run over a line break
    ],
)
def test_labelled_value_reads_what_follows_its_label(line, labels, expected):
    assert labelled_value(line, labels) == expected
