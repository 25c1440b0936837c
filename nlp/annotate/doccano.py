"""doccano JSONL for text spans: the passages of :mod:`nlp.annotate.units`.

One line per passage, in doccano's sequence-labeling-with-relations form:
``text``, ``entities`` (``id``, ``label``, ``start_offset``, ``end_offset``) and
``relations`` (``from_id``, ``to_id``, ``type``), plus the passage's own keys
(``doc``, ``offset``, ``page``, ``records``), which doccano keeps as metadata and
writes back on export.

doccano renumbers entities, so the import knows a predicted span by its place and
label, not its id: an entity where a record's span was is that record's span.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlp.annotate.labelstudio import Span, import_passage, stored_spans

Record = dict[str, Any]
RELATION = "value"


def passage_line(task: Record) -> Record:
    """A Label Studio passage task (data and prediction) as a doccano line."""
    data = task["data"]
    result = task["predictions"][0]["result"] if task["predictions"] else []
    ids: dict[str, int] = {}
    entities = []
    for item in result:
        if item["type"] != "labels":
            continue
        ids[item["id"]] = len(ids) + 1
        value = item["value"]
        entities.append(
            {
                "id": ids[item["id"]],
                "label": value["labels"][0],
                "start_offset": value["start"],
                "end_offset": value["end"],
            }
        )
    relations = [
        {
            "id": n,
            "from_id": ids[item["from_id"]],
            "to_id": ids[item["to_id"]],
            "type": RELATION,
        }
        for n, item in enumerate(
            (i for i in result if i["type"] == "relation"), start=1
        )
    ]
    meta = {k: v for k, v in data.items() if k not in ("text", "title", "kind")}
    return {"text": data["text"], "entities": entities, "relations": relations, **meta}


def write_jsonl(tasks: list[Record], path: Path) -> None:
    """Write passage tasks as a doccano JSONL file."""
    lines = [json.dumps(passage_line(t), ensure_ascii=False) + "\n" for t in tasks]
    Path(path).write_text("".join(lines), encoding="utf-8")


def read_jsonl(path: Path) -> list[Record]:
    """The lines of a doccano JSONL export."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _entities(line: Record) -> list[Record]:
    """Entities in either of doccano's shapes (objects, or ``label`` triples)."""
    if "entities" in line:
        return line["entities"]
    return [
        {"id": n, "start_offset": s, "end_offset": e, "label": label}
        for n, (s, e, label) in enumerate(line.get("label") or [], start=1)
    ]


def import_lines(lines: list[Record]) -> list[tuple[str, Record]]:
    """Gold ``(table, record)`` pairs from doccano lines.

    Raises:
        ValueError: a line was not written by :func:`write_jsonl`.
    """
    out: list[tuple[str, Record]] = []
    for number, line in enumerate(lines, start=1):
        if "records" not in line or "offset" not in line:
            raise ValueError(f"line {number}: not a zhibiao passage (no records)")
        data = {**line, "kind": "passage"}
        before = {span: rid for rid, span in stored_spans(data).items()}
        spans: dict[str, Span] = {}
        names: dict[Any, str] = {}
        for entity in _entities(line):
            span = Span(entity["start_offset"], entity["end_offset"], entity["label"])
            name = before.get(span) or f"doccano-{entity['id']}"
            names[entity["id"]] = name
            spans[name] = span
        relations = [
            (names[r["from_id"]], names[r["to_id"]])
            for r in line.get("relations") or []
            if r["from_id"] in names and r["to_id"] in names
        ]
        who = line.get("annotator") or line.get("user")
        out += import_passage(data, spans, relations, str(who) if who else None)
    return out
