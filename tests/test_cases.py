"""Each sample article page against its oracle in tests/cases.py.

The snapshots beside the samples say what the code printed last time; these tests say what
the page shows: the record's fields, where the body starts and ends, what it must not hold,
and for reprints the verdict and flags their case exists for.
"""

from functools import cache
from pathlib import Path

import pytest
from cases import CASES, Case
from conftest import SAMPLES, parsed_record, sample_check

from newsarchive.replay import CHECK_SUFFIX, EXPECTED_SUFFIX, sample_path

FIELDS = (
    "title",
    "site_name",
    "category",
    "published_at",
    "published_at_raw",
    "source",
    "author",
    "original_url",
)
CHECKED = [case for case in CASES if case.check is not None]


def case_id(case: Case) -> str:
    return case.url.split("://", 1)[1]


def page_of(case: Case) -> Path:
    return sample_path(SAMPLES, case.url)


def sidecar(page: Path, suffix: str) -> Path:
    return page.with_name(page.name + suffix)


def pages_with(suffix: str) -> set[Path]:
    return {
        path.with_name(path.name.removesuffix(suffix)).resolve()
        for path in SAMPLES.rglob(f"*{suffix}")
    }


@cache
def record(url: str) -> dict:
    """The parsed record of a case's page; a missing page raises, so its tests fail."""
    return parsed_record(url)


def test_every_sample_article_page_has_an_oracle():
    assert pages_with(EXPECTED_SUFFIX) - {page_of(case) for case in CASES} == set()


def test_every_reprint_check_snapshot_has_an_oracle_verdict():
    assert pages_with(CHECK_SUFFIX) == {page_of(case) for case in CHECKED}


def test_each_page_has_one_oracle():
    urls = [case.url for case in CASES]
    assert sorted(set(urls)) == sorted(urls)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_oracle_page_is_stored_with_its_snapshot(case):
    page = page_of(case)
    assert page.is_file(), f"no sample page at {page}"
    assert sidecar(page, EXPECTED_SUFFIX).is_file(), "run python tests/snapshots.py"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_oracle_names_text_to_look_for(case):
    assert case.starts and case.ends and case.not_in_body


@pytest.mark.parametrize(
    ("case", "field"),
    [(case, field) for case in CASES for field in FIELDS],
    ids=lambda value: value if isinstance(value, str) else case_id(value),
)
def test_record_field_is_what_the_page_shows(case, field):
    assert record(case.url)[field] == getattr(case, field)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_record_is_of_the_page_url(case):
    assert record(case.url)["url"] == case.url


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_body_starts_with_the_first_paragraph_of_the_text(case):
    assert record(case.url)["body"].startswith(case.starts)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_body_ends_with_the_last_sentence_of_the_text(case):
    assert record(case.url)["body"].endswith(case.ends)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_body_has_one_paragraph_per_text_paragraph_of_the_page(case):
    parsed = record(case.url)
    assert len(parsed["paragraphs"]) == case.paragraphs
    assert parsed["body"] == "\n".join(parsed["paragraphs"])


@pytest.mark.parametrize(
    ("case", "text"),
    [(case, text) for case in CASES for text in case.not_in_body],
    ids=lambda value: value if isinstance(value, str) else case_id(value),
)
def test_body_leaves_out_page_chrome(case, text):
    assert text not in record(case.url)["body"]


@pytest.mark.parametrize(
    ("case", "text"),
    [(case, text) for case in CASES for text in case.contains],
    ids=lambda value: value if isinstance(value, str) else case_id(value),
)
def test_body_keeps_the_text_its_case_is_about(case, text):
    assert text in record(case.url)["body"]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_images_are_the_body_images_in_page_order(case):
    assert record(case.url)["images"] == list(case.images)


@pytest.mark.parametrize("case", CHECKED, ids=case_id)
def test_reprint_check_gives_the_verdict_and_flags_of_its_case(case):
    check = sample_check(page_of(case))
    assert check["verdict"] == case.check.verdict
    assert check["flags"] == sorted(case.check.flags)
