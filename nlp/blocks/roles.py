"""Column roles from header and content together.

A header names a column's role (``headers.header_role``); the cells under it say
whether the name was right. This module checks each header-given role against the
column's content and gives roles to columns the header left unnamed:

* a metric or level column whose cells repeat one text down the section (绩效指标
  printed at the left of every row) is a row label, not a metric;
* an unnamed column of operator signs (≥, ≤, =, 定性) is the operator, an unnamed
  column of bare unit words (座, 个数, %) right of the value is the unit;
* a value column of small whole numbers summing to about 100 is a weight;
* a 实施周期 value column is the target when the table gives no 年度 value;
* a column of packed cells (numbered clauses holding whole indicators) is
  ``packed``, and a 项目名称 column left of the indicator columns (or of the
  packed one) is ``project``: it names each row's project.

Rules with stated thresholds (:class:`RoleParams`), chosen by reading the real
corpus's tables: each family there is decided by a clear majority of its cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.blocks.headers import header_role, is_number_cell, normalize_label
from nlp.blocks.packed import is_packed_cell
from nlp.blocks.records import ColumnRole, GridRow
from nlp.normalize.levels import level_kind

OPERATOR_CELL = re.compile(
    r"^[≥≤><=＝＞＜≧≦]{1,2}$|^(?:大于等于|小于等于|大于|小于|等于)$"
)
QUALITATIVE_OPERATOR = frozenset({"定性"})
# 指标性质 may say the direction in words; they are not operators (rule 20).
DIRECTION_WORDS = frozenset({"正向", "反向", "定量", "中性"})
BARE_UNIT = re.compile(
    r"^(?:[%％‰]|[^\d\s%％≥≤<>=，,。；;：:]{1,4}(?:/[^\d\s]{1,3})?)$"
)
PROJECT_HEADER = re.compile(r"^项目(?:名称)?(?:[（(][^)）]*[)）])?$")


@dataclass(frozen=True, slots=True)
class RoleParams:
    """Thresholds for deciding a column's role from its cells.

    Attributes:
        majority: share of a column's filled cells that must agree (0..1).
        weight_total: (low, high) sum of a column's whole numbers that marks it
            as a weight column (权重 summing to 100).
        max_weight: largest single number a weight cell holds.
    """

    majority: float = 0.6
    weight_total: tuple[int, int] = (90, 110)
    max_weight: int = 100


DEFAULT_ROLE_PARAMS = RoleParams()


def refine_roles(
    rows: Sequence[GridRow],
    header_cells: Sequence[str],
    roles: dict[int, ColumnRole],
    params: RoleParams = DEFAULT_ROLE_PARAMS,
) -> dict[int, ColumnRole]:
    """Check header-given roles against the section's data and fill unnamed ones.

    Args:
        rows: the section's data rows.
        header_cells: the header row's texts.
        roles: column -> role as the header names them.
        params: thresholds.

    Returns:
        The refined column -> role mapping.
    """
    columns = _columns(rows, len(header_cells))
    refined = dict(roles)
    for col, role in roles.items():
        cells = columns.get(col, [])
        if role in ("metric", "level1", "level2") and _is_row_label(
            cells, header_cells[col]
        ):
            del refined[col]
        elif role == "target" and _is_weight(cells, params):
            refined[col] = "weight"
    if "target" not in refined.values():
        for col, role in list(refined.items()):
            if role == "target_period":
                refined[col] = "target"  # rule 22: the only value is the target
    if "metric" not in refined.values():
        _adopt_metric(refined, roles, columns)
    _fill_unnamed(refined, columns, params)
    _project_column(refined, header_cells, columns, params)
    return refined


def _columns(rows: Sequence[GridRow], width: int) -> dict[int, list[str]]:
    """Filled cells of each column, a merged cell counted once."""
    columns: dict[int, list[str]] = {}
    for row in rows:
        for col, text in enumerate(row.cells[:width]):
            if text.strip() and row.origin[col]:
                columns.setdefault(col, []).append(normalize_label(text))
    return columns


def _is_row_label(cells: Sequence[str], header: str) -> bool:
    """One text that names no level down the whole column (or the header's own
    text): a row label such as 绩效指标, not a metric or a level."""
    distinct = set(cells)
    if not cells or distinct <= {normalize_label(header)}:
        return True
    return len(distinct) == 1 and len(cells) > 1 and level_kind(cells[0]) is None


def _is_weight(cells: Sequence[str], params: RoleParams) -> bool:
    """Whole numbers no larger than a weight that sum to about 100."""
    if len(cells) < 2 or not all(c.isdigit() for c in cells):
        return False
    numbers = [int(c) for c in cells]
    low, high = params.weight_total
    return max(numbers) <= params.max_weight and low <= sum(numbers) <= high


def _adopt_metric(
    refined: dict[int, ColumnRole],
    roles: dict[int, ColumnRole],
    columns: dict[int, list[str]],
) -> None:
    """After a row label lost the metric role, the first column right of the
    levels holding distinct non-level texts is the metric."""
    level_cols = [c for c, r in refined.items() if r in ("level1", "level2")]
    start = max(level_cols, default=min(roles, default=0) - 1) + 1
    for col in sorted(columns):
        if col < start or col in refined:
            continue
        cells = columns[col]
        if len(set(cells)) > 1 and not all(level_kind(c) for c in cells):
            refined[col] = "metric"
            return


def _fill_unnamed(
    refined: dict[int, ColumnRole],
    columns: dict[int, list[str]],
    params: RoleParams,
) -> None:
    """Operator and unit columns the header did not name, found by content."""
    target = next((c for c, r in refined.items() if r == "target"), None)
    if target is None:
        return
    for col in sorted(columns):
        if col in refined:
            continue
        cells = columns[col]
        if col < target and _share(cells, _is_operator) >= params.majority:
            refined[col] = "operator"
        elif (
            col == target + 1
            and "unit" not in refined.values()
            and _share(cells, _is_bare_unit) >= params.majority
        ):
            refined[col] = "unit"


def _project_column(
    refined: dict[int, ColumnRole],
    header_cells: Sequence[str],
    columns: dict[int, list[str]],
    params: RoleParams,
) -> None:
    """A 项目名称 column left of the indicator columns names each row's project
    (a money table's form turned into columns: 序号 | 项目名称 | 预算金额 | 指标名称 …),
    unless its cells are level names or figures."""
    first = min(
        (c for c, r in refined.items() if r in ("level1", "level2", "metric")),
        default=None,
    )
    if first is None or "project" in refined.values():
        return
    for col in range(first):
        label = normalize_label(header_cells[col])
        if col in refined or not PROJECT_HEADER.match(label):
            continue
        cells = columns.get(col, [])
        named = [c for c in cells if level_kind(c) is None and not is_number_cell(c)]
        if cells and len(named) >= params.majority * len(cells):
            refined[col] = "project"
            return


def _share(cells: Sequence[str], test: object) -> float:
    if not cells:
        return 0.0
    return sum(1 for c in cells if test(c)) / len(cells)  # type: ignore[operator]


def _is_operator(text: str) -> bool:
    return bool(OPERATOR_CELL.match(text)) or text in QUALITATIVE_OPERATOR


def _is_bare_unit(text: str) -> bool:
    return (
        bool(BARE_UNIT.match(text))
        and not is_number_cell(text)
        and level_kind(text) is None
        and text not in ("是", "否")
    )


def packed_roles(
    header_cells: Sequence[str], rows: Sequence[GridRow]
) -> dict[int, ColumnRole] | None:
    """Roles of a table whose indicators are packed into one cell per row.

    Returns:
        {packed column: "packed", project column: "project"} when some data cell
        of a column holds packed clauses, else None.
    """
    packed = next(
        (
            col
            for col in range(len(header_cells))
            if any(col < len(r.cells) and is_packed_cell(r.cells[col]) for r in rows)
        ),
        None,
    )
    if packed is None:
        return None
    roles: dict[int, ColumnRole] = {packed: "packed"}
    for col, text in enumerate(header_cells[:packed]):
        label = normalize_label(text)
        if PROJECT_HEADER.match(label) or header_role(label) == "project":
            roles[col] = "project"
            break
    return roles
