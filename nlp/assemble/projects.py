"""Tracking the project a table or paragraph belongs to.

A table row labelled 项目名称 (or 任务名称, 项目), or a paragraph starting
``项目名称：``, names the project of the blocks after it; a table's title ending in
绩效目标表 names its project (guideline rule 34: the suffix dropped, a code printed
before the name kept apart as ``project_code``); a 部门名称 / 单位名称 names the
department, used where no project is known (a 部门整体 table's project is the
unit); the title is the last resort. A total (合计, 总计) is never a project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from nlp.blocks import MONEY_HEADER, GridRow, TableView, normalize_label
from nlp.document import Document

PROJECT_LABEL = re.compile(r"^(?:项目名称|任务名称|项目)$")
# 项目名称：社区养老服务中心运营补贴。 written as a line of text above the tables.
PROJECT_LINE = re.compile(r"^\s*项目名称\s*[:：]\s*([^\s。；;，,]{2,60})")
DEPARTMENT_LABEL = re.compile(
    r"^(?:部门|单位|部门（单位）|部门\(单位\))名称$|^预算单位$"
)
DEPARTMENT_LINE = re.compile(
    r"(?:^|(?<=\d))(?:部门|单位|预算单位)(?:名称)?[:：](?P<name>\S{2,40})$"
)
# A form title: [code_]name绩效目标表 (申报表, （一级项目）…).
FORM_TITLE = re.compile(
    r"^(?:(?P<code>\d{4,})[_\s－\-]+)?(?P<name>.+?)(?:项目支出)?绩效目标(?:申报)?表"
    r"(?:[（(][^)）]*[)）])?$"
)
# A code printed with the project's own name: [301007]名称, 301007_名称.
CODED_NAME = re.compile(r"^(?:\[(?P<b>\d{4,})\]|(?P<u>\d{4,})[_\s－\-]+)(?P<name>.+)$")
TOTAL_WORDS = re.compile(r"^(?:合计|总计|小计|共计)[:：]?$")


class ProjectRef(NamedTuple):
    """A project as printed (code removed) and its code, either may be None."""

    name: str | None
    code: str | None = None


class _ProjectTracker:
    """The project a table or paragraph belongs to, from 项目名称 / 部门名称 rows."""

    def __init__(self, document: Document, tables: Sequence[TableView]) -> None:
        self._by_block: dict[int, str] = {}
        self._department: str | None = None
        self._own: dict[int, ProjectRef] = {}
        current: str | None = None
        titled: ProjectRef | None = None  # a form title line since the last table
        first_block = {t.block_indices[0]: t for t in tables}
        for index in range(len(document.blocks)):
            table = first_block.get(index)
            if table is not None:
                project, department = self._scan(table)
                own = (
                    project
                    or _from_title(table.title)
                    or _from_title(_lone_first_cell(table))
                    or titled
                    # A 部门整体 form names its unit, not a project (rule 24).
                    or (ProjectRef(department) if department else None)
                )
                titled = None
                if own is not None:
                    self._own[table.index] = own
                    current = own.name
            elif document.blocks[index].table is None:
                text = document.blocks[index].text
                current = _project_in_text(text) or current
                titled = _from_title(text.strip()) if len(text) <= 80 else titled
            if current:
                self._by_block[index] = current

    def _scan(self, table: TableView) -> tuple[ProjectRef | None, str | None]:
        """The project and the department a table's form rows name."""
        project = None
        department = None
        for row in table.rows:
            if row.role == "header" and not _is_form_label_row(row):
                continue
            for col, text in enumerate(row.cells):
                label = normalize_label(text)
                value = _value_right_of(row, col)
                if value is None or _not_a_name(value):
                    continue
                if PROJECT_LABEL.match(label) and project is None:
                    project = coded_name(value)
                elif DEPARTMENT_LABEL.match(label) and department is None:
                    department = coded_name(value).name
        if self._department is None:
            self._department = department
        return project, department

    def before(self, table: TableView) -> str | None:
        """The project name of a table's indicators."""
        return self.ref(table).name

    def ref(self, table: TableView) -> ProjectRef:
        """The project of a table's indicators, with its code when printed."""
        own = self._own.get(table.index)
        if own is not None:
            return own
        department = _department_of_title(table.title)
        return ProjectRef(
            self._by_block.get(table.block_indices[0])
            or department
            or self._department
            or table.title
        )

    def current(self, block_index: int) -> str | None:
        return self._by_block.get(block_index) or self._department


def _is_form_label_row(row: GridRow) -> bool:
    """A 项目名称 | X row that a merged layout made look like a header."""
    return any(PROJECT_LABEL.match(normalize_label(c)) for c in row.cells[:2])


def _from_title(title: str | None) -> ProjectRef | None:
    """The project a form title names (301007_X项目绩效目标表 → X项目, 301007)."""
    if not title:
        return None
    match = FORM_TITLE.match(normalize_label(title))
    if match is None or len(match["name"]) < 2:
        return None
    name = match["name"]
    if WHOLE_DEPARTMENT.match(name) or (
        name.startswith(("部门", "单位")) and len(name) <= SHORT_UNIT_NAME
    ):
        return None  # a 部门整体 form: its project is the unit (rule 24)
    return ProjectRef(name, match["code"])


SHORT_UNIT_NAME = 4
# The name part of a 部门整体 form's title (部门整体支出绩效目标表).
WHOLE_DEPARTMENT = re.compile(r"^(?:部门|单位)(?:整体)?(?:支出)?$")


def _not_a_name(value: str) -> bool:
    """A total or a column label right of 项目 (项目 | 预算数), not a name."""
    if TOTAL_WORDS.match(value):
        return True
    label = normalize_label(value)
    return (
        len(label) <= COLUMN_LABEL_CHARS
        and bool(MONEY_HEADER.search(label))
        and not label.endswith(("项目", "经费", "资金"))
    )


COLUMN_LABEL_CHARS = 12


def _lone_first_cell(table: TableView) -> str | None:
    """A title printed as the table's first row (a workbook's title line)."""
    if not table.rows:
        return None
    filled = {c.strip() for c in table.rows[0].cells if c.strip()}
    return filled.pop() if len(filled) == 1 else None


def _department_of_title(title: str | None) -> str | None:
    # A title may carry the line above it (2026 单位名称：…) when it wrapped.
    match = DEPARTMENT_LINE.search(normalize_label(title or ""))
    return match["name"] if match else None


def coded_name(value: str) -> ProjectRef:
    """A name printed with its code (301007_X, [301007]X) split into both."""
    value = re.sub(r"\s+", "", value)
    match = CODED_NAME.match(value)
    if match is None:
        return ProjectRef(value)
    return ProjectRef(match["name"], match["b"] or match["u"])


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
