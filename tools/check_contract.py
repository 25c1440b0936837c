#!/usr/bin/env python3
"""Validate an extract output folder against the project's copy of the contract schema.

usage: python tools/check_contract.py OUT_DIR

OUT_DIR holds indicators.jsonl, amounts.jsonl and documents.jsonl. The schema is
``tools/extraction.schema.json``, a copy of the shared contract's schema kept in
the repository so the check runs on any clone. Prints one line per invalid record
(the first 10) and a summary; exits 1 when a record is invalid, a file is missing
or no record was checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent / "extraction.schema.json"
KINDS = ("indicator", "amount", "document")
MAX_SHOWN = 10


def check_folder(out: Path, schema: dict) -> tuple[int, list[str]]:
    """(records checked, one message per missing file or invalid record)."""
    import jsonschema

    checked, problems = 0, []
    for kind in KINDS:
        path = out / f"{kind}s.jsonl"
        if not path.exists():
            problems.append(f"missing {path}")
            continue
        validator = jsonschema.Draft202012Validator(
            {**schema, "$ref": f"#/$defs/{kind}"}
        )
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            checked += 1
            error = next(iter(validator.iter_errors(json.loads(line))), None)
            if error is not None:
                where = "/".join(map(str, error.path))
                problems.append(f"{path.name}:{number}: {where}: {error.message[:160]}")
    return checked, problems


def main(argv: list[str]) -> int:
    """Check the folder named in ``argv``; 0 when every record is valid."""
    if len(argv) != 1:
        print("usage: python tools/check_contract.py OUT_DIR", file=sys.stderr)
        return 2
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    checked, problems = check_folder(Path(argv[0]), schema)
    for message in problems[:MAX_SHOWN]:
        print(message)
    print(f"contract: {checked} records checked, {len(problems)} problems")
    return 1 if problems or not checked else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
