"""Annotation: reading sheets into gold, and agreement between two readings.

``annotations/real/`` holds the sheets annotators write while reading the pages
(``sheets/<annotator>/``), a second reading of a share of the pages
(``second/<annotator>/``), the documents and their manifest (``docs/``) and the gold
built from the sheets (``gold/``): :func:`build_real_gold` writes it,
:func:`compare_readings` measures the agreement of the two readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.annotate.agreement import Agreement, agreement
from nlp.annotate.sheets import (
    SheetError,
    build_gold,
    read_manifest,
    write_gold,
)
from nlp.evaluate.scope import in_scope

__all__ = [
    "Agreement",
    "ReadingComparison",
    "SheetError",
    "build_gold",
    "build_real_gold",
    "compare_readings",
    "read_manifest",
    "write_gold",
]


def build_real_gold(root: Path) -> dict[str, int]:
    """Build ``root/gold`` from ``root/sheets`` and ``root/docs/MANIFEST.tsv``.

    Returns:
        Record counts: indicators (table rows), statements, amounts, documents.
    """
    root = Path(root)
    manifest = read_manifest(root / "docs" / "MANIFEST.tsv")
    gold, scopes = build_gold(root / "sheets", manifest)
    out = root / "gold"
    for old in out.glob("*.jsonl"):
        old.unlink()
    write_gold(gold, scopes, out)
    indicators = [r for t in gold.values() for r in t["indicators"]]
    return {
        "documents": len(gold),
        "indicators": sum(r["origin"] == "table" for r in indicators),
        "statements": sum(r["origin"] == "prose" for r in indicators),
        "amounts": sum(len(t["amounts"]) for t in gold.values()),
    }


@dataclass(frozen=True)
class ReadingComparison:
    """Agreement of the first and second readings, per record table and per doc."""

    overall: dict[str, Agreement]
    documents: dict[str, dict[str, Agreement]]


# Agreement tables: (name, gold table, origin of its records).
_READINGS = (
    ("indicators", "indicators", "table"),
    ("statements", "indicators", "prose"),
    ("amounts", "amounts", None),
)


def _records(
    gold: dict, doc: str, table: str, origin: str | None, shared: dict
) -> list[dict]:
    kind = "indicator" if table == "indicators" else "amount"
    return [
        r
        for r in gold.get(doc, {}).get(table, [])
        if (origin is None or r["origin"] == origin) and in_scope(r, kind, shared)
    ]


def compare_readings(root: Path) -> ReadingComparison:
    """Compare ``root/second`` with ``root/sheets`` on the pages both read."""
    root = Path(root)
    manifest = read_manifest(root / "docs" / "MANIFEST.tsv")
    first, first_scopes = build_gold(root / "sheets", manifest)
    second, second_scopes = build_gold(root / "second", manifest)
    documents: dict[str, dict[str, Agreement]] = {}
    pooled: dict[str, tuple[list, list]] = {name: ([], []) for name, _, _ in _READINGS}
    for doc, scope in second_scopes.items():
        shared = {
            key: sorted(set(pages) & set(first_scopes.get(doc, {}).get(key) or ()))
            for key, pages in scope.items()
        }
        documents[doc] = {}
        for name, table, origin in _READINGS:
            a = _records(first, doc, table, origin, shared)
            b = _records(second, doc, table, origin, shared)
            if a or b:
                documents[doc][name] = agreement(name, a, b)
                pooled[name][0].extend(a)
                pooled[name][1].extend(b)
    overall = {t: agreement(t, a, b) for t, (a, b) in pooled.items() if a or b}
    return ReadingComparison(overall=overall, documents=documents)
