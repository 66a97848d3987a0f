"""The evaluation set and its scorer: `newsarchive eval` judges the parsers field by field.

The scorer's oracles are the rules of samples/eval/README.md, written apart from the parsers;
the set itself holds records people wrote for each page."""

import json
import shutil

import pytest
from conftest import SAMPLES
from test_cli import run

from newsarchive.evaluation import FIELDS, judge

EVAL = SAMPLES / "eval"
FLOORS = json.loads((EVAL / "floors.json").read_text(encoding="utf-8"))
HOLDOUT = SAMPLES / "eval-holdout"

EXPECTED = {
    "url": "http://example.gov.cn/t20230315_1.html",
    "title": "某地召开民族团结进步创建推进会",
    "published_at": "2023-03-15T10:30+08:00",
    "source": "某市民委",
    "author": None,
    "editor": "王芳",
    "paragraphs": 2,
    "body_first": "会议指出，要把铸牢中华民族共同体意识作为主线。",
    "body_last": "会议要求，各地要抓好落实。",
    "must_not_contain": ["上一篇"],
    "images": 1,
    "attachments": [{"url": "http://example.gov.cn/P1.pdf", "text": "方案.pdf"}],
    "document": None,
}
RECORD = {
    "title": "某地召开民族团结进步创建推进会",
    "published_at": "2023-03-15T10:30:00+08:00",
    "source": "某市民委",
    "author": None,
    "editor": "王芳",
    "paragraphs": ["会议指出，要把铸牢中华民族共同体意识作为主线。", "会议要求，各地要抓好落实。"],
    "body": "会议指出，要把铸牢中华民族共同体意识作为主线。\n会议要求，各地要抓好落实。",
    "images": ["http://example.gov.cn/W1.jpg"],
    "attachments": [{"url": "http://example.gov.cn/P1.pdf", "text": "附件"}],
    "document": None,
}


def test_a_record_that_says_what_the_page_does_is_right_on_every_field():
    assert judge(EXPECTED, RECORD) == dict.fromkeys(FIELDS, True)


@pytest.mark.parametrize(
    ("change", "wrong"),
    [
        ({"title": "某地召开推进会"}, {"title"}),
        ({"published_at": "2023-03-15T10:31+08:00"}, {"time"}),
        ({"published_at": None}, {"time"}),
        ({"source": ""}, {"source"}),  # "" (shown empty) is not the 某市民委 the page names
        ({"author": "李明"}, {"author"}),
        ({"editor": None}, {"editor"}),
        ({"images": []}, {"images"}),
        ({"attachments": []}, {"attachments"}),
        ({"document": {"文号": "x"}}, {"document"}),
        ({"paragraphs": ["一段"]}, {"body_complete"}),
        (
            {"body": "上一篇 " + RECORD["body"]},
            {"body_first", "body_complete", "no_boilerplate"},
        ),
        (
            {"body": "会议指出，要把铸牢中华民族共同体意识作为主线。"},
            {"body_last", "body_complete"},
        ),
    ],
)
def test_each_field_is_judged_on_its_own(change, wrong):
    results = judge(EXPECTED, RECORD | change)
    assert {name for name, right in results.items() if not right} == wrong


def test_a_date_only_label_is_met_by_any_time_that_day():
    # README: where the page shows a date only, the label is a date; a parser may add a time.
    expected = EXPECTED | {"published_at": "2023-03-15"}
    assert judge(expected, RECORD)["time"]
    assert not judge(expected, RECORD | {"published_at": "2023-03-16T00:00+08:00"})["time"]


def test_the_parsers_stay_above_the_floors_of_the_evaluation_set():
    """A regression guard: floors.json holds the least share each field may score."""
    result = run("eval", str(EVAL), "--format", "json", "--floors", str(EVAL / "floors.json"))
    report = json.loads(result.stdout)
    assert report["cases"] >= 44
    assert set(FLOORS) == set(FIELDS)
    assert report["below_floor"] == {}, report["misses"]
    assert result.returncode == 0, result.stderr


def test_the_held_out_set_stays_above_its_floors():
    floors = HOLDOUT / "floors.json"
    result = run("eval", str(HOLDOUT), "--format", "json", "--floors", str(floors))
    assert json.loads(result.stdout)["below_floor"] == {}
    assert result.returncode == 0, result.stderr


def test_a_field_below_its_floor_fails_the_run_and_is_named(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"title": 1.01}), encoding="utf-8")
    result = run("eval", str(EVAL), "--floors", str(floors))
    assert result.returncode == 1
    assert "below floor: title" in result.stderr


def test_text_output_prints_every_field_with_its_share():
    result = run("eval", str(EVAL))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith(f"pages in {EVAL}")
    assert [line.split()[0] for line in lines[1:]] == list(FIELDS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Expecting property name"),
        ('["a list"]', "not a case"),
    ],
)
def test_a_broken_case_file_is_one_clear_line(tmp_path, content, message):
    shutil.copy(EVAL / "01-trs-ordos-zwyw.html", tmp_path / "01.html")
    (tmp_path / "01.json").write_text(content, encoding="utf-8")
    result = run("eval", str(tmp_path))
    assert result.returncode == 1
    assert message in result.stderr and "01.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_or_empty_directory_is_a_clear_error(tmp_path):
    assert "no such directory" in run("eval", str(tmp_path / "nope")).stderr
    result = run("eval", str(tmp_path))
    assert result.returncode == 1 and "holds no case" in result.stderr


def test_unreadable_floors_are_a_clear_error(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text('{"titel": 0.9}', encoding="utf-8")
    result = run("eval", str(EVAL), "--floors", str(floors))
    assert result.returncode == 1 and "unknown: titel" in result.stderr
