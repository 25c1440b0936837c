"""Reading gold and prediction folders, and pairing their documents by name.

Documents are matched by file name: a gold document named ``x.txt`` scores the
prediction whose ``doc`` has that base name; when none has, a prediction with the
same stem (``x.pdf``, ``sub/x.docx``) is used, so gold written for a text export
also scores a run over the original file.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from nlp.evaluate.measures import Record, RecordType
from nlp.write import FORMATS, read_records

logger = logging.getLogger(__name__)

GOLD_SUFFIXES: dict[RecordType, str] = {
    "indicator": ".indicators.jsonl",
    "amount": ".amounts.jsonl",
}


def _read_jsonl(path: Path) -> list[Record]:
    return list(read_records(path)) if path.exists() else []


def load_gold(gold_dir: Path) -> dict[str, dict[RecordType, list[Record]]]:
    """Gold records per document name (the records' ``doc`` base name, or stem).

    Raises:
        FileNotFoundError: the folder holds no gold files.
    """
    gold_dir = Path(gold_dir)
    stems = sorted(
        {
            path.name[: -len(suffix)]
            for suffix in GOLD_SUFFIXES.values()
            for path in gold_dir.glob(f"*{suffix}")
        }
    )
    if not stems:
        raise FileNotFoundError(
            f"{gold_dir}: no gold files (*.indicators.jsonl, *.amounts.jsonl)"
        )
    gold = {}
    for stem in stems:
        records: dict[RecordType, list[Record]] = {
            kind: _read_jsonl(gold_dir / f"{stem}{suffix}")
            for kind, suffix in GOLD_SUFFIXES.items()
        }
        names = {
            PurePosixPath(r["doc"]).name
            for rs in records.values()
            for r in rs
            if r.get("doc")
        }
        gold[names.pop() if len(names) == 1 else stem] = records
    return gold


def load_scope(gold_dir: Path) -> dict[str, dict[str, list[int]]]:
    """Annotated pages per document (``scope.json`` of the gold folder), or {}.

    A document with a scope was annotated on chosen pages only: for each record
    kind (``indicator_pages``, ``statement_pages``, ``amount_prose_pages``,
    ``amount_table_pages``) the pages on which every record was written down.
    """
    path = Path(gold_dir) / "scope.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _table_file(pred_dir: Path, table: str) -> Path | None:
    for fmt in FORMATS:
        path = pred_dir / f"{table}.{fmt}"
        if path.exists():
            return path
    return None


def load_pred(
    pred_dir: Path,
) -> tuple[dict[str, dict[RecordType, list[Record]]], dict[str, Record]]:
    """Predicted records per ``doc``, and documents.jsonl entries per ``doc``.

    Raises:
        FileNotFoundError: the folder holds no indicators or amounts table.
    """
    pred_dir = Path(pred_dir)
    pred: dict[str, dict[RecordType, list[Record]]] = defaultdict(
        lambda: {"indicator": [], "amount": []}
    )
    found = False
    for kind, table in (("indicator", "indicators"), ("amount", "amounts")):
        path = _table_file(pred_dir, table)
        if path is None:
            continue
        found = True
        for record in read_records(path):
            pred[record["doc"]][kind].append(record)
    if not found:
        raise FileNotFoundError(
            f"{pred_dir}: no extract output (indicators.jsonl, amounts.jsonl)"
        )
    documents: dict[str, Record] = {}
    path = _table_file(pred_dir, "documents")
    if path is not None:
        documents = {r["doc"]: r for r in read_records(path)}
    return dict(pred), documents


def _stem(name: str) -> str:
    return PurePosixPath(name).stem


def _match_docs(gold_names: Iterable[str], pred_docs: Iterable[str]) -> dict[str, str]:
    """Gold name → predicted ``doc``: same base name, else same stem."""
    pred_docs = sorted(set(pred_docs))
    by_name: dict[str, list[str]] = defaultdict(list)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for doc in pred_docs:
        by_name[PurePosixPath(doc).name].append(doc)
        by_stem[_stem(doc)].append(doc)
    matched = {}
    for name in gold_names:
        candidates = by_name.get(name) or by_stem.get(_stem(name)) or []
        if len(candidates) > 1:
            logger.warning(
                "%s: several predictions match (%s); using %s",
                name,
                ", ".join(candidates),
                candidates[0],
            )
        if candidates:
            matched[name] = candidates[0]
    return matched
