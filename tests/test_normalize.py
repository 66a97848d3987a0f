"""The fields a record derives from what its parser read: trimmed texts, body, site, hash."""

import hashlib

from itemadapter import ItemAdapter

from newsarchive.items import Article
from newsarchive.parsers.normalize import TEXT_FIELDS, normalize


def normalized(**fields) -> dict:
    adapter = ItemAdapter(Article(url="http://zjifz.org.cn/show-1.html", **fields))
    normalize(adapter, fetched_at="2024-05-01T08:00:00Z")
    return adapter.asdict()


def test_every_text_field_is_trimmed_and_its_whitespace_collapsed():
    record = normalized(**dict.fromkeys(TEXT_FIELDS, "\u3000 宗教  法治网\n"))
    assert [record[name] for name in TEXT_FIELDS] == ["宗教 法治网"] * len(TEXT_FIELDS)
    assert TEXT_FIELDS == ("site_name", "title", "published_at_raw", "source", "author", "category")


def test_empty_paragraphs_go_and_the_body_joins_the_rest_with_newlines():
    record = normalized(paragraphs=["\u3000\u3000第一段。", " ", "", "第二段。 "])
    assert record["paragraphs"] == ["第一段。", "第二段。"]
    assert record["body"] == "第一段。\n第二段。"


def test_the_site_is_the_host_unless_the_parser_named_it():
    assert normalized()["site"] == "zjifz.org.cn"
    assert normalized(site="w.mzdc.org.cn")["site"] == "w.mzdc.org.cn"


def test_the_hash_is_of_the_folded_paragraphs_one_a_line():
    record = normalized(paragraphs=["第一段，", "第二段"])
    expected = hashlib.sha256("第一段,\n第二段".encode()).hexdigest()  # NFKC folds ，
    assert record["content_hash"] == expected


def test_the_fetch_time_is_filled_once():
    assert normalized()["fetched_at"] == "2024-05-01T08:00:00Z"
    assert normalized(fetched_at="2023-01-01T00:00:00Z")["fetched_at"] == "2023-01-01T00:00:00Z"


def test_empty_text_fields_stay_empty_and_absent_ones_absent():
    record = normalized(source="", author=None)
    assert (record["source"], record["author"]) == ("", None)
