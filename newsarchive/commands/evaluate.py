"""`newsarchive eval DIR`: per-field accuracy of the parsers on an evaluation set."""

import argparse
import json
import sys
from pathlib import Path

from newsarchive.commands.common import EXIT_ERROR, EXIT_OK, UserError
from newsarchive.evaluation import FIELDS, CaseError, accuracy, evaluate


def _floors(path: Path | None) -> dict[str, float]:
    if path is None:
        return {}
    try:
        floors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(f"cannot read floors {path}: {error}") from None
    unknown = sorted(set(floors) - set(FIELDS)) if isinstance(floors, dict) else ["(not a map)"]
    if unknown or not all(isinstance(v, int | float) for v in floors.values()):
        raise UserError(
            f"{path}: floors map fields ({', '.join(FIELDS)}) to shares 0..1; "
            f"unknown: {', '.join(unknown) or 'none'}"
        )
    return floors


def eval_set(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        raise UserError(f"no such directory: {args.directory}")
    floors = _floors(args.floors)
    try:
        cases = list(evaluate(args.directory, args.parser))
    except CaseError as error:
        raise UserError(str(error)) from None
    if not cases:
        raise UserError(f"{args.directory} holds no case (NAME.html with NAME.json)")
    shares = accuracy(cases)
    below = {name: floor for name, floor in floors.items() if shares[name] < floor}
    if args.format == "json":
        misses = {case.name: [n for n, ok in case.results.items() if not ok] for case in cases}
        report = {
            "cases": len(cases),
            "accuracy": shares,
            "misses": {name: miss for name, miss in misses.items() if miss},
            "below_floor": below,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{len(cases)} pages in {args.directory}")
        for name in FIELDS:
            right = sum(case.results[name] for case in cases)
            floor = f"  (floor {floors[name]:.0%})" if name in floors else ""
            print(f"  {name:<16}{right:>4}/{len(cases):<4}{shares[name]:>7.1%}{floor}")
        if args.verbose:
            for case in cases:
                if wrong := [name for name, ok in case.results.items() if not ok]:
                    print(f"{case.name}: {', '.join(wrong)}", file=sys.stderr)
    for name, floor in below.items():
        print(f"below floor: {name} {shares[name]:.1%} < {floor:.0%}", file=sys.stderr)
    return EXIT_ERROR if below else EXIT_OK
