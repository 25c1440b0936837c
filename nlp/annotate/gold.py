"""Corrected and added records in the contract's shape, and the annotated set on disk.

An imported record carries ``review``: ``predicted`` (the annotator left it as the
model wrote it), ``corrected`` or ``added``; deleted records are gone. Corrected and
added records name their annotator in ``source.read_by``. Fields the annotator
edits are written as the guideline asks (canonical target text, levels as printed);
the canonical Target and level norms are derived from them the way reading sheets
derive them (:func:`nlp.annotate.sheets.target_from_text`).

:func:`write_set` writes an annotated set as ``zhibiao train`` and ``evaluate``
read it: ``gold/<stem>.indicators.jsonl`` and ``.amounts.jsonl``, ``corpus/`` (the
documents, so spans can be aligned), ``spans/`` (the ``datasets`` span corpus) and
``set.json`` (name, version, counts).
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from nlp.annotate.sheets import target_from_text

Record = dict[str, Any]

INDICATOR_FIELDS = ("level1", "level2", "metric", "target", "kind")
AMOUNT_FIELDS = ("text", "value", "subject")
REVIEW = "review"


def indicator_fields(record: Record) -> dict[str, str]:
    """The fields an annotator sees and edits for an indicator."""
    target = record.get("target") or {}
    return {
        "level1": record.get("level1") or "",
        "level2": record.get("level2") or "",
        "metric": record.get("metric") or "",
        "target": target.get("text") or record.get("target_raw") or "",
        "kind": record.get("kind") or "target",
    }


def amount_fields(record: Record) -> dict[str, str]:
    """The fields an annotator sees and edits for an amount."""
    return {
        "text": record.get("text") or "",
        "value": record.get("value") or "",
        "subject": record.get("subject") or "",
    }


def fields_of(table: str, record: Record) -> dict[str, str]:
    """The editable fields of a record of ``table``."""
    return indicator_fields(record) if table == "indicators" else amount_fields(record)


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _levels(record: Record, level1: str, level2: str) -> None:
    """Set the raw levels; recompute a norm only where its level changed."""
    from nlp.normalize.levels import (
        implied_level1,
        normalize_level1,
        normalize_level2,
    )

    if level2 != (record.get("level2") or ""):
        record["level2"] = level2 or None
        record["level2_norm"] = normalize_level2(level2) if level2 else None
    if level1 != (record.get("level1") or ""):
        record["level1"] = level1 or None
        record["level1_norm"] = (
            normalize_level1(level1) if level1 else None
        ) or implied_level1(record.get("level2_norm"))


def apply_indicator(record: Record, fields: dict[str, str]) -> Record:
    """A copy of an indicator with the annotator's field values."""
    out = copy.deepcopy(record)
    _levels(out, _clean(fields.get("level1")), _clean(fields.get("level2")))
    out["metric"] = "".join(_clean(fields.get("metric")).split())
    target = _clean(fields.get("target"))
    old = out.get("target") or {}
    if target != (old.get("text") or out.get("target_raw") or ""):
        out["target_raw"] = target or None
        out["target"] = target_from_text(target, target) if target else None
    out["kind"] = fields.get("kind") or out.get("kind") or "target"
    out["confidence"] = 1.0
    return out


def apply_amount(record: Record, fields: dict[str, str]) -> Record:
    """A copy of an amount with the annotator's field values.

    A value left empty is read from the amount's text by the money parser.
    """
    out = copy.deepcopy(record)
    text = _clean(fields.get("text"))
    out["text"] = text
    out["value"] = _money(_clean(fields.get("value")), text)
    out["subject"] = _clean(fields.get("subject")) or None
    return out


def _money(value: str, text: str) -> str | None:
    try:
        return f"{Decimal(value.replace(',', '')):.2f}" if value else _parsed(text)
    except InvalidOperation:
        return _parsed(text)


def _parsed(text: str) -> str | None:
    from nlp.normalize.money import parse_money

    try:
        money = parse_money(text)
    except ValueError:
        return None
    return money.to_dict()["value"] if money is not None else None


def new_indicator(doc: str, source: Record, project: str | None = None) -> Record:
    """An empty indicator of the contract's shape, to fill with fields."""
    return {
        "doc": doc,
        "project": project,
        "level1": None,
        "level2": None,
        "level1_norm": None,
        "level2_norm": None,
        "metric": "",
        "target_raw": None,
        "target": None,
        "kind": "target",
        "confidence": 1.0,
        "source": source,
    }


def new_amount(doc: str, source: Record) -> Record:
    """An empty amount of the contract's shape, to fill with fields."""
    return {
        "doc": doc,
        "text": "",
        "value": None,
        "value_max": None,
        "currency": "CNY",
        "approx": "exact",
        "unit_source": "text",
        "subject": None,
        "column": None,
        "source": source,
    }


def new_source(page: int | None = None, **extra: Any) -> Record:
    """A Source object; ``extra`` adds table, row, span, text, bbox."""
    source: Record = {"page": page, "table": None, "row": None, "span": None}
    source["text"] = extra.pop("text", "")
    source.update(extra)
    return source


def reviewed(record: Record, review: str, annotator: str | None = None) -> Record:
    """The record marked with how the annotator left it."""
    out = dict(record)
    out[REVIEW] = review
    if review != "predicted" and annotator:
        out["source"] = {**out["source"], "read_by": annotator}
    return out


def without_review(record: Record) -> Record:
    """The record without the import's mark (to compare with what was exported)."""
    return {k: v for k, v in record.items() if k != REVIEW}


# --- the set on disk ---------------------------------------------------------------


def write_set(
    gold: dict[str, dict[str, list[Record]]],
    out: Path,
    docs: dict[str, Path],
    source_name: str,
    spans: bool = True,
) -> Record:
    """Write an annotated set; return its ``set.json`` facts.

    Args:
        gold: records per document and table (``indicators`` / ``amounts``).
        out: the set's folder (``annotations/<set>/``); ``gold/`` is replaced.
        docs: document name → file, copied into ``corpus/`` when found.
        source_name: the export file the records came from (for ``set.json``).
        spans: also build the ``spans/`` datasets corpus (needs the documents).
    """
    out = Path(out)
    gold_dir = out / "gold"
    if gold_dir.exists():
        shutil.rmtree(gold_dir)
    gold_dir.mkdir(parents=True)
    reviews: Counter[str] = Counter()
    for doc, tables in sorted(gold.items()):
        stem = Path(doc).stem
        for table, records in tables.items():
            lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
            (gold_dir / f"{stem}.{table}.jsonl").write_text(
                "".join(lines), encoding="utf-8"
            )
            reviews.update(r.get(REVIEW, "predicted") for r in records)
    copied = _copy_corpus(gold, out / "corpus", docs)
    facts: Record = {
        "name": out.name,
        "version": set_version(gold_dir),
        "source": source_name,
        "documents": len(gold),
        "indicators": sum(len(t.get("indicators", [])) for t in gold.values()),
        "amounts": sum(len(t.get("amounts", [])) for t in gold.values()),
        "review": dict(sorted(reviews.items())),
        "corpus": copied,
    }
    if spans and copied == len(gold) and gold:
        from nlp.corpus import build_dataset

        report = build_dataset(out, out / "spans")
        facts["spans"] = {
            "aligned": sum(report.aligned.values()),
            "failed": sum(report.failed.values()),
        }
    text = json.dumps(facts, ensure_ascii=False, indent=1)
    (out / "set.json").write_text(text + "\n", encoding="utf-8")
    return facts


def _copy_corpus(gold: dict, corpus: Path, docs: dict[str, Path]) -> int:
    from nlp.annotate.units import find_doc

    copied = 0
    for doc in gold:
        path = find_doc(doc, docs)
        if path is None or not path.exists():
            continue
        corpus.mkdir(parents=True, exist_ok=True)
        target = corpus / doc
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.resolve() != target.resolve():
            shutil.copyfile(path, target)
        copied += 1
    return copied


def set_version(gold_dir: Path) -> str:
    """SHA-256 (first 12 hex digits) of a set's gold files, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def group_gold(
    items: list[tuple[str, Record]],
) -> dict[str, dict[str, list[Record]]]:
    """(table, record) pairs → records per document and table, in order."""
    gold: dict[str, dict[str, list[Record]]] = defaultdict(
        lambda: {"indicators": [], "amounts": []}
    )
    for table, record in items:
        gold[record["doc"]][table].append(record)
    return dict(gold)
