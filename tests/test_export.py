"""Tests of exporting archived records: the three formats, atomic files and stdout."""

import csv
import io
import json
import stat

import pytest
from conftest import sample_record

from newsarchive.archive import Archive
from newsarchive.output.export import EXPORT_FIELDS, FORMATS, write_records
from newsarchive.output.files import atomic_output

PAGES = (
    "http://zjifz.org.cn/show-10595.html",
    "http://zjifz.org.cn/show-10601.html",
    "http://zjifz.org.cn/index.php?c=show&id=10601",  # becomes an alias of show-10601
    "http://zjifz.org.cn/show-10602.html",  # images
    "http://www.huhhot.gov.cn/zwdt/bmdt/202303/t20230315_1470358.html",  # GBK page
)


LIST_FIELDS = ("paragraphs", "images", "meta", "charset_declared", "aliases")


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    """Records as the archive gives them to the export command, `aliases` included."""
    with Archive(tmp_path_factory.mktemp("archive")) as archive:
        for url in PAGES:
            archive.records.save(sample_record(url))
        return list(archive.records.all())


def exported(records: list[dict], format: str) -> bytes:
    file = io.BytesIO()
    assert write_records(records, format, file) == len(records)
    return file.getvalue()


def test_sample_records_cover_aliases_images_and_chinese(records):
    # Guards the fixture: the round trips below are only as good as what it holds.
    assert len(records) == 4
    assert any(record["aliases"] for record in records)
    assert any(record["images"] for record in records)
    assert any(record["encoding"] == "gb18030" for record in records)


def test_jsonl_round_trips_each_record_on_its_own_line_in_field_order(records):
    lines = exported(records, "jsonl").decode("utf-8").splitlines()

    assert [json.loads(line) for line in lines] == records
    assert all(list(json.loads(line)) == EXPORT_FIELDS for line in lines)


def test_json_round_trips_the_records_as_one_array_in_field_order(records):
    document = json.loads(exported(records, "json"))

    assert document == records
    assert all(list(record) == EXPORT_FIELDS for record in document)


def test_csv_round_trips_with_lists_and_objects_as_json_cells(records):
    rows = list(csv.DictReader(io.StringIO(exported(records, "csv").decode("utf-8"), newline="")))

    assert list(rows[0]) == EXPORT_FIELDS
    parsed = [
        {field: json.loads(cell) if field in LIST_FIELDS else cell for field, cell in row.items()}
        for row in rows
    ]
    as_text = [
        {
            field: value if field in LIST_FIELDS else "" if value is None else str(value)
            for field, value in record.items()
        }
        for record in records
    ]
    assert parsed == as_text


def test_csv_keeps_a_paragraph_with_commas_in_one_cell(records):
    rows = list(csv.DictReader(io.StringIO(exported(records, "csv").decode("utf-8"), newline="")))
    paragraphs = [json.loads(row["paragraphs"]) for row in rows]

    assert any("," in paragraph for record in paragraphs for paragraph in record)
    assert paragraphs == [record["paragraphs"] for record in records]


@pytest.mark.parametrize("format", FORMATS)
def test_chinese_is_written_as_utf8_never_as_escapes(records, format):
    data = exported(records, format)

    assert "宗教法治网".encode() in data
    assert "王堃".encode() in data  # from the GBK page, outside GB2312
    assert b"\\u" not in data


def test_no_records_export_an_empty_document():
    assert exported([], "jsonl") == b""
    assert json.loads(exported([], "json")) == []


def test_csv_of_no_records_still_has_the_header_line():
    assert exported([], "csv").decode("utf-8").splitlines() == [",".join(EXPORT_FIELDS)]


# atomic_output ----------------------------------------------------------------------------


def test_atomic_output_replaces_the_file_and_leaves_no_temporary(tmp_path, records):
    target = tmp_path / "exports" / "records.jsonl"  # the directory is created too
    with atomic_output(str(target)) as file:
        write_records(records, "jsonl", file)

    assert target.read_bytes() == exported(records, "jsonl")
    assert [path.name for path in target.parent.iterdir()] == ["records.jsonl"]


def test_atomic_output_keeps_the_old_file_when_writing_fails_midway(tmp_path, records):
    target = tmp_path / "records.jsonl"
    target.write_bytes(b'{"old": true}\n')

    def failing_records():
        yield records[0]
        raise RuntimeError("database disk image is malformed")

    with pytest.raises(RuntimeError, match="malformed"), atomic_output(str(target)) as file:
        write_records(failing_records(), "jsonl", file)

    assert target.read_bytes() == b'{"old": true}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["records.jsonl"]


def test_atomic_output_creates_no_file_when_the_first_write_fails(tmp_path):
    target = tmp_path / "records.csv"
    with pytest.raises(KeyboardInterrupt), atomic_output(str(target)):
        raise KeyboardInterrupt

    assert list(tmp_path.iterdir()) == []


def test_replacing_an_export_keeps_its_file_permissions(tmp_path, records):
    target = tmp_path / "records.json"
    target.write_bytes(b"[]")
    target.chmod(0o644)

    with atomic_output(str(target)) as file:
        write_records(records, "json", file)

    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("path", [None, "-"])
def test_atomic_output_writes_to_stdout_for_none_or_dash(
    path, records, capsysbinary, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with atomic_output(path) as file:
        write_records(records, "csv", file)

    assert capsysbinary.readouterr().out == exported(records, "csv")
    assert list(tmp_path.iterdir()) == []


def test_csv_for_excel_is_the_same_csv_after_a_utf8_byte_order_mark(records):
    file = io.BytesIO()
    write_records(records, "csv", file, excel=True)
    assert file.getvalue() == "\ufeff".encode() + exported(records, "csv")
