"""Regenerate the snapshots beside the samples and show what changed, for review.

    python tests/snapshots.py          # rewrite them, print a diff of each changed file
    python tests/snapshots.py --check  # only print the diff; exit 1 if any would change

Snapshots are regression guards, not oracles: `<page>.expected.json` is the record the
parser makes of a page, `<page>.check.json` the essentials of its reprint's check, and the two
committed schemas are what `newsarchive schema` prints. The oracles are the assertions written
from each case in tests/cases.py, which also lists the pages: a new sample page gets its
snapshots once its case is written there. Review every diff this prints before committing it.
"""

import difflib
import json
import sys
from pathlib import Path

from cases import CASES
from conftest import SAMPLES, check_summary, parsed_record, sample_check

from newsarchive.items import CHECK_SCHEMA_PATH, SCHEMA_PATH, article_schema, check_schema
from newsarchive.replay import CHECK_SUFFIX, EXPECTED_SUFFIX, sample_path


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def snapshots() -> dict[Path, str]:
    """Every snapshot file and the text it should hold today: one record per page of the case
    table (tests/cases.py), one check per case with a verdict, and the two schemas."""
    wanted = {SCHEMA_PATH: _dump(article_schema()), CHECK_SCHEMA_PATH: _dump(check_schema())}
    for case in CASES:
        page = sample_path(SAMPLES, case.url)
        wanted[page.with_name(page.name + EXPECTED_SUFFIX)] = _dump(parsed_record(case.url, page))
        if case.check is not None:
            check = check_summary(sample_check(page))
            wanted[page.with_name(page.name + CHECK_SUFFIX)] = _dump(check)
    return wanted


def main(argv: list[str]) -> int:
    write = "--check" not in argv
    changed = 0
    for path, text in snapshots().items():
        old = path.read_text("utf-8") if path.exists() else ""
        if old == text:
            continue
        changed += 1
        name = str(path.relative_to(SAMPLES.parent))
        sys.stdout.writelines(
            difflib.unified_diff(
                old.splitlines(True), text.splitlines(True), f"a/{name}", f"b/{name}"
            )
        )
        if write:
            path.write_text(text, encoding="utf-8")
    print(f"{changed} snapshot(s) {'rewritten' if write else 'would change'}", file=sys.stderr)
    return 1 if changed and not write else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
