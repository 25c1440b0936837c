"""Reading sheets → gold records (``annotations/real/SHEETS.md``).

Annotators write flat lines per document (``<stem>.indicators.jsonl``,
``<stem>.statements.jsonl``, ``<stem>.amounts.jsonl``) and a scope per document
(``<stem>.scope.json``: the pages on which every record of a kind was written down).
:func:`build_gold` turns one or more annotators' sheets into gold records of the
contract's shape, plus the fields evaluation groups and filters on: ``origin``
(``table`` / ``prose``), ``city``, ``format``, and the page-level ``scope.json``.

The Target of a gold record is built from the annotator's canonical text by
:func:`target_from_text`, a reader of canonical forms only: it never repairs or
interprets raw text, so gold does not depend on the extractor's normalizer.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

Record = dict[str, Any]

SHEET_KINDS = ("indicators", "statements", "amounts")
SCOPE_KEYS = (
    "indicator_pages",
    "statement_pages",
    "amount_prose_pages",
    "amount_table_pages",
)
# op, number, optional range end, unit: the canonical forms of CONTRACT.md only.
_CANONICAL = re.compile(
    r"^(?P<op>[≥≤><=])?(?P<value>-?\d+(?:\.\d+)?)"
    r"(?:(?P<unit1>[^\d~]*)~(?P<value_max>-?\d+(?:\.\d+)?))?(?P<unit>.*)$"
)


class SheetError(ValueError):
    """A sheet line that cannot become a gold record; names file and line."""


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One line of a sheet, with where it was written."""

    annotator: str
    kind: str
    path: Path
    line: int
    data: Record


def target_from_text(raw: str | None, text: str | None) -> Record | None:
    """The contract's Target object for an annotator's canonical ``text``.

    A canonical text is an optional operator, a number, an optional ``~`` range
    end and a unit (``≥95%``, ``80%~100%``, ``1次/季度``); anything else is a
    qualitative target (``op = qual``).
    """
    if text is None:
        return None
    text = text.strip()
    match = _CANONICAL.match(text)
    op, value, value_max, unit, qualitative = "qual", None, None, None, text
    if match:
        try:
            value = _number(match["value"])
            value_max = _number(match["value_max"]) if match["value_max"] else None
        except InvalidOperation:
            match = None
    if match:
        op = match["op"] or ("~" if value_max is not None else "=")
        unit = (match["unit"] or match["unit1"] or "").strip() or None
        qualitative = None
    return {
        "raw": raw if raw is not None else text,
        "text": text,
        "op": op,
        "value": value,
        "value_max": value_max,
        "unit": unit,
        "qualitative": qualitative,
        "repaired": False,
        "notes": [],
    }


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def read_sheets(sheet_dir: Path) -> Iterator[SheetLine]:
    """Every line of every annotator's sheets under ``sheet_dir/<annotator>/``.

    Raises:
        SheetError: a line is not a JSON object.
    """
    for path in sorted(Path(sheet_dir).glob("*/*.jsonl")):
        kind = path.name.rsplit(".", 2)[-2]
        if kind not in SHEET_KINDS:
            raise SheetError(f"{path}: unknown sheet kind {kind!r}")
        with path.open(encoding="utf-8") as fh:
            for number, text in enumerate(fh, 1):
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise SheetError(f"{path}:{number}: not JSON ({exc})") from exc
                if not isinstance(data, dict) or not data.get("doc"):
                    raise SheetError(f"{path}:{number}: not an object with 'doc'")
                yield SheetLine(path.parent.name, kind, path, number, data)


def read_scopes(sheet_dir: Path) -> dict[str, dict[str, list[int]]]:
    """Pages per document and record kind, merged over annotators."""
    scopes: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(Path(sheet_dir).glob("*/*.scope.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in SCOPE_KEYS:
            scopes[data["doc"]][key].update(int(p) for p in data.get(key) or ())
    return {
        doc: {key: sorted(pages[key]) for key in SCOPE_KEYS}
        for doc, pages in sorted(scopes.items())
    }


def _source(line: SheetLine, text_key: str) -> Record:
    data = line.data
    return {
        "page": data.get("page"),
        "table": None,
        "row": None,
        "span": None,
        "text": data.get(text_key) or "",
        "read_by": line.annotator,
    }


def _require(line: SheetLine, *keys: str) -> None:
    missing = [key for key in keys if not line.data.get(key)]
    if missing:
        raise SheetError(f"{line.path}:{line.line}: missing {', '.join(missing)}")


def indicator_record(line: SheetLine) -> Record:
    """A table-row sheet line as a gold indicator."""
    _require(line, "metric", "page")
    d = line.data
    return {
        "doc": d["doc"],
        "project": d.get("project"),
        "project_code": d.get("project_code"),
        "level1": d.get("level1"),
        "level2": d.get("level2"),
        "level1_norm": d.get("level1_norm"),
        "level2_norm": d.get("level2_norm"),
        "metric": "".join(d["metric"].split()),
        "target_raw": d.get("target_raw"),
        "target": target_from_text(d.get("target_raw"), d.get("target_text")),
        "target_period": target_from_text(
            d.get("target_period_raw"), d.get("target_period_text")
        ),
        "actual": target_from_text(d.get("actual_raw"), d.get("actual_text")),
        "kind": "target",
        "origin": "table",
        "confidence": 1.0,
        "source": _source(line, "row_text"),
    }


def statement_record(line: SheetLine) -> Record:
    """A prose-statement sheet line as a gold indicator (no levels)."""
    _require(line, "metric", "page", "value_text")
    d = line.data
    kind = d.get("kind") or "target"
    if kind not in ("target", "actual"):
        raise SheetError(f"{line.path}:{line.line}: kind {kind!r}")
    return {
        "doc": d["doc"],
        "project": d.get("project"),
        "level1": None,
        "level2": None,
        "level1_norm": None,
        "level2_norm": None,
        "metric": "".join(d["metric"].split()),
        "target_raw": d.get("value_raw"),
        "target": target_from_text(d.get("value_raw"), d["value_text"]),
        "kind": kind,
        "origin": "prose",
        "confidence": 1.0,
        "source": _source(line, "sentence"),
    }


def amount_record(line: SheetLine) -> Record:
    """An amount sheet line as a gold amount."""
    _require(line, "text", "value", "page")
    d = line.data
    where = d.get("where")
    if where not in ("prose", "table"):
        raise SheetError(f"{line.path}:{line.line}: where {where!r}")
    try:
        value = Decimal(str(d["value"]))
        value_max = Decimal(str(d["value_max"])) if d.get("value_max") else None
    except InvalidOperation as exc:
        raise SheetError(f"{line.path}:{line.line}: value {d['value']!r}") from exc
    return {
        "doc": d["doc"],
        "text": d["text"],
        "value": f"{value:.2f}",
        "value_max": f"{value_max:.2f}" if value_max is not None else None,
        "currency": d.get("currency") or "CNY",
        "approx": d.get("approx") or "exact",
        "unit_source": d.get("unit_source")
        or ("text" if where == "prose" else "table"),
        "subject": d.get("subject"),
        "column": d.get("column") if where == "table" else None,
        "table_title": d.get("table_title"),
        "origin": where,
        "source": _source(line, "source_text"),
    }


BUILDERS = {
    "indicators": ("indicators", indicator_record),
    "statements": ("indicators", statement_record),
    "amounts": ("amounts", amount_record),
}


def read_manifest(path: Path) -> dict[str, Record]:
    """MANIFEST.tsv rows by file name, with ``city`` (the name's first part)."""
    rows: dict[str, Record] = {}
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for text in lines[1:]:
        row = dict(zip(header, text.split("\t"), strict=False))
        row["city"] = row["name"].split("-", 1)[0]
        row["format"] = Path(row["name"]).suffix.lstrip(".").lower()
        rows[row["name"]] = row
    return rows


def build_gold(
    sheet_dir: Path,
    manifest: dict[str, Record],
    annotators: Iterable[str] | None = None,
) -> tuple[dict[str, dict[str, list[Record]]], dict[str, dict[str, list[int]]]]:
    """Gold records per document and table name, and the scope per document.

    Args:
        sheet_dir: folder of ``<annotator>/`` sheet folders.
        manifest: :func:`read_manifest` rows; gives each record's city and format.
        annotators: annotators whose sheets become gold (all when None).

    Raises:
        SheetError: a line is malformed or names a document not in the manifest.
    """
    chosen = set(annotators) if annotators is not None else None
    gold: dict[str, dict[str, list[Record]]] = defaultdict(
        lambda: {"indicators": [], "amounts": []}
    )
    for line in read_sheets(sheet_dir):
        if chosen is not None and line.annotator not in chosen:
            continue
        doc = line.data["doc"]
        if doc not in manifest:
            raise SheetError(f"{line.path}:{line.line}: {doc!r} not in the manifest")
        table, build = BUILDERS[line.kind]
        record = build(line)
        record["city"] = manifest[doc]["city"]
        record["format"] = manifest[doc]["format"]
        gold[doc][table].append(record)
    for tables in gold.values():
        for records in tables.values():
            records.sort(key=lambda r: r["source"]["page"] or 0)
    scopes = read_scopes(sheet_dir)
    if chosen is not None:
        scopes = {doc: pages for doc, pages in scopes.items() if doc in gold}
    return dict(gold), scopes


def write_gold(
    gold: dict[str, dict[str, list[Record]]],
    scopes: dict[str, dict[str, list[int]]],
    out_dir: Path,
) -> None:
    """Write ``<stem>.indicators.jsonl``, ``<stem>.amounts.jsonl`` and scope.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc, tables in gold.items():
        stem = Path(doc).stem
        for table, records in tables.items():
            with (out_dir / f"{stem}.{table}.jsonl").open("w", encoding="utf-8") as fh:
                for record in records:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    lines = [
        f"  {json.dumps(doc, ensure_ascii=False)}: "
        f"{json.dumps(pages, ensure_ascii=False)}"
        for doc, pages in scopes.items()
    ]
    (out_dir / "scope.json").write_text(
        "{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8"
    )
