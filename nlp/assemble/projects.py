"""Tracking the project a table or paragraph belongs to.

A table row labelled 项目名称 (or 任务名称, 项目), or a paragraph starting
``项目名称：``, names the project of the blocks after it; a 部门名称 row names the
department, used where no project is known; a table's title is the last resort.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.blocks import GridRow, TableView, normalize_label
from nlp.document import Document

PROJECT_LABEL = re.compile(r"^(?:项目名称|任务名称|项目)$")
# 项目名称：社区养老服务中心运营补贴。 written as a line of text above the tables.
PROJECT_LINE = re.compile(r"^\s*项目名称\s*[:：]\s*([^\s。；;，,]{2,60})")
DEPARTMENT_LABEL = re.compile(
    r"^(?:部门|单位|部门（单位）|部门\(单位\))名称$|^预算单位$"
)


class _ProjectTracker:
    """The project a table or paragraph belongs to, from 项目名称 / 部门名称 rows."""

    def __init__(self, document: Document, tables: Sequence[TableView]) -> None:
        self._by_block: dict[int, str] = {}
        self._department: str | None = None
        current: str | None = None
        first_block = {t.block_indices[0]: t for t in tables}
        for index in range(len(document.blocks)):
            table = first_block.get(index)
            if table is not None:
                current = self._scan(table) or current
            elif document.blocks[index].table is None:
                current = _project_in_text(document.blocks[index].text) or current
            if current:
                self._by_block[index] = current
        self._tables = {t.index: t for t in tables}

    def _scan(self, table: TableView) -> str | None:
        project = None
        for row in table.rows:
            if row.role == "header":
                continue
            for col, text in enumerate(row.cells):
                label = normalize_label(text)
                value = _value_right_of(row, col)
                if value is None:
                    continue
                if PROJECT_LABEL.match(label) and project is None:
                    project = value
                elif DEPARTMENT_LABEL.match(label) and self._department is None:
                    self._department = value
        return project

    def before(self, table: TableView) -> str | None:
        return (
            self._by_block.get(table.block_indices[0])
            or self._department
            or table.title
        )

    def current(self, block_index: int) -> str | None:
        return self._by_block.get(block_index) or self._department


def _project_in_text(text: str) -> str | None:
    """The project a paragraph names (项目名称：X), if it starts with one."""
    match = PROJECT_LINE.match(text)
    return match.group(1) if match else None


def _value_right_of(row: GridRow, col: int) -> str | None:
    label = row.cells[col].strip()
    for c in range(col + 1, len(row.cells)):
        text = row.cells[c].strip()
        if text and text != label:
            return re.sub(r"\s+", "", text)
    return None
