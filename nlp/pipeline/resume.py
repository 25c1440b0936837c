"""What an earlier run into the same folder already finished, for ``--resume``.

Two sources, the newer winning: a finished run's manifest (``manifest.json``, or
``manifest.previous.json`` while a resumed run is going on) with the tables it
lists, checked against their hashes; and an interrupted run's journal
(``manifest.jsonl.partial``) with its JSON Lines work files, read up to the end
of the last document the journal records. A document is carried over only when
its status was ``ok`` and its input still has the same content hash; its rows are
copied as they were written, so a resumed run writes the same records as an
uninterrupted one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from nlp.write import (
    JOURNAL_NAME,
    MANIFEST_NAME,
    PREVIOUS_MANIFEST_NAME,
    TABLES,
    RowLines,
    TableName,
    json_line,
    read_records,
    verify_manifest,
    work_path,
)

logger = logging.getLogger(__name__)


def finished_documents(out_dir: Path, wanted: dict[str, str]) -> dict[str, RowLines]:
    """Rows of the documents an earlier run finished, ready to be copied.

    Args:
        out_dir: the output folder of the earlier run.
        wanted: content hash of each input of this run, by ``doc``.

    Returns:
        Per ``doc`` carried over, its JSON lines per table.
    """
    carried: dict[str, RowLines] = {}
    for name in (PREVIOUS_MANIFEST_NAME, MANIFEST_NAME):
        manifest = verify_manifest(out_dir, name)
        if manifest is not None:
            carried.update(_from_manifest(out_dir, manifest, wanted))
    carried.update(_from_journal(out_dir, wanted))
    return carried


def _keep(entry: dict[str, Any], wanted: dict[str, str]) -> bool:
    sha = entry.get("sha256")
    return entry.get("status") == "ok" and bool(sha) and wanted.get(entry["doc"]) == sha


def _from_manifest(
    out_dir: Path, manifest: dict[str, Any], wanted: dict[str, str]
) -> dict[str, RowLines]:
    """Rows of the ok documents of a finished run, read back from its tables."""
    keep = {e["doc"] for e in manifest.get("inputs", ()) if _keep(e, wanted)}
    carried: dict[str, RowLines] = {doc: {t: [] for t in TABLES} for doc in keep}
    fmt = manifest.get("format", "jsonl")
    for table in TABLES:
        path = out_dir / f"{table}.{fmt}"
        for line, doc in _table_lines(path):
            if doc in carried:
                carried[doc][table].append(line)
    return carried


def _table_lines(path: Path) -> list[tuple[str, str]]:
    """Each record of a table as (JSON line, doc)."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8", newline="\n") as handle:
            return [(line, json.loads(line)["doc"]) for line in handle if line.strip()]
    return [(json_line(row), row["doc"]) for row in read_records(path)]


def _from_journal(out_dir: Path, wanted: dict[str, str]) -> dict[str, RowLines]:
    """Rows of the ok documents an interrupted run journaled."""
    journal = out_dir / JOURNAL_NAME
    if not journal.is_file():
        return {}
    entries = []
    with journal.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                entries.append(json.loads(line))
            except ValueError:
                break  # a line cut by the interruption ends the journal
    documents = [e for e in entries[1:] if "ends" in e]
    files = {table: _work_file(out_dir, table) for table in TABLES}
    if not documents or any(path is None for path in files.values()):
        return {}
    data = {table: path.read_bytes() for table, path in files.items() if path}
    carried: dict[str, RowLines] = {}
    starts = dict.fromkeys(TABLES, 0)
    for entry in documents:
        ends = entry["ends"]
        if any(ends[t] > len(data[t]) for t in TABLES):
            break  # the work files end before this document
        if _keep(entry, wanted):
            carried[entry["doc"]] = {
                t: _lines(data[t][starts[t] : ends[t]]) for t in TABLES
            }
        starts = {t: ends[t] for t in TABLES}
    logger.info("%s: %d finished documents found in the journal", out_dir, len(carried))
    return carried


def _work_file(out_dir: Path, table: TableName) -> Path | None:
    """The table's work file, or its final JSON Lines name when already renamed."""
    for path in (work_path(out_dir, table), out_dir / f"{table}.jsonl"):
        if path.is_file():
            return path
    return None


def _lines(data: bytes) -> list[str]:
    """JSON lines, split on line feeds only (a record may hold U+2028)."""
    return [line + "\n" for line in data.decode("utf-8").split("\n")[:-1]]
