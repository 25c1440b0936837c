"""Helpers shared by the tests: a table block's cells as plain tuples, a run's
records without their timings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlp.document import Block, Document
from nlp.write import read_records


def grid(block: Block) -> list[tuple[int, int, int, int, str]]:
    """(row, col, row_span, col_span, text) of every cell, in grid order."""
    assert block.table is not None
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in block.table.cells]


def tables(doc: Document) -> list[Block]:
    """The document's table blocks, in reading order."""
    return [b for b in doc.blocks if b.kind == "table"]


# A small performance-target document: a tab-separated indicator table and a
# sentence with amounts, the two shapes every budget text export has.
GOOD_TEXT = (
    "项目支出绩效目标表\n"
    "\n"
    "项目名称：社区培训项目\n"
    "\n"
    "一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t培训人次\t≥95人次\n"
    "产出指标\t质量指标\t培训合格率\t≥95%\n"
    "效益指标\t社会效益指标\t群众满意度\t≥90%\n"
    "\n"
    "本项目预算资金746.1万元，其中人员支出300万元，公用经费50万元。\n"
)


def write(path: Path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# The grid every reader must produce for the mini 绩效目标表 the reader tests build:
# 一级 merged over three rows, 数量指标 over two, a unit column.
MINI_TABLE_GRID = [
    (0, 0, 1, 1, "一级指标"),
    (0, 1, 1, 1, "二级指标"),
    (0, 2, 1, 1, "三级指标"),
    (0, 3, 1, 1, "指标值"),
    (0, 4, 1, 1, "单位"),
    (1, 0, 3, 1, "产出指标"),
    (1, 1, 2, 1, "数量指标"),
    (1, 2, 1, 1, "培训人次"),
    (1, 3, 1, 1, "≥100"),
    (1, 4, 1, 1, "人次"),
    (2, 2, 1, 1, "覆盖社区数"),
    (2, 3, 1, 1, "10"),
    (2, 4, 1, 1, "个"),
    (3, 1, 1, 1, "质量指标"),
    (3, 2, 1, 1, "培训合格率"),
    (3, 3, 1, 1, "≥95"),
    (3, 4, 1, 1, "%"),
    (4, 0, 1, 1, "效益指标"),
    (4, 1, 1, 1, "社会效益指标"),
    (4, 2, 1, 1, "群众知晓率"),
    (4, 3, 1, 1, "提高"),
    (4, 4, 1, 1, ""),
]


def run_records(out: Path) -> dict[str, list[dict[str, Any]]]:
    """An extract run's tables, with the documents' timings left out (they vary)."""
    tables = {}
    for table in ("indicators", "amounts", "documents"):
        rows = list(read_records(out / f"{table}.jsonl"))
        if table == "documents":
            rows = [
                {k: v for k, v in r.items() if k not in ("seconds", "timings")}
                for r in rows
            ]
        tables[table] = rows
    return tables
