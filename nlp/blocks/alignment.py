"""Row alignment: which cell of each data row is read as what.

A section's header gives each column a role (``roles.refine_roles``); most rows sit
under it. Some do not: a page export drops a row's empty leading cell (the row
slides left), adds one (it slides right), or prints a level name alone where the
metric goes. This module decides, once for every data row, which of its cells holds
each role; assembly then reads the row under those roles and decides nothing about
columns.

A row is first taken under its header. That reading stands unless it makes no sense
by content (guideline rules 7 and 23):

* a 二级 name in the 一级 column, or a 一级 name in the 二级 column: the row slid;
* no metric, no value beside it, or one cell across the row (metric = value);
* a metric cell holding a target value while the target cell holds prose;
* a level name in the metric column with no target value beside it (a level row
  that slid right). With a target value beside it the row is kept, its metric the
  level name as written (rule 23);
* text outside the level vocabulary in a level column while the 三级 cell is
  empty: the row slid left. When the row names its metric where the header
  says, that text stays the row's level (levels fall back to position).

A row that makes no sense under its header is read in printed order: level names
first, then the metric, an optional description, operator, value and unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nlp.blocks.headers import is_number_cell
from nlp.blocks.records import READ_ROLES, ColumnRole, GridRow, RowRoles, Section
from nlp.blocks.roles import OPERATOR_CELL
from nlp.normalize.clauses import looks_like_target
from nlp.normalize.levels import level_kind, normalize_level1

# Longest text a unit cell of a realigned row holds.
MAX_UNIT_CHARS = 4

Roles = dict[ColumnRole, int]


@dataclass(slots=True)
class _OpenLevel:
    """The 一级 written last in the table, which decides whether a lone 满意度
    is a 一级 or a 二级."""

    level1: str | None = None


def align_sections(
    rows: Sequence[GridRow], sections: Sequence[Section]
) -> tuple[Section, ...]:
    """Give every data row of every section its cell roles.

    Args:
        rows: the table's rows, roles of rows set.
        sections: the table's indicator sections, in row order.

    Returns:
        The sections with ``rows`` filled: one :class:`RowRoles` per data row.
    """
    open_level = _OpenLevel()
    aligned = []
    for section in sections:
        data = [r for r in rows[section.start : section.end] if r.role == "data"]
        if section.column("packed") is not None:
            readings = tuple(
                RowRoles.of(r.index, _positional(r, section), shifted=False)
                for r in data
            )
        else:
            labels = _repeated_labels(rows[section.start : section.end], section)
            readings = tuple(_align_row(r, section, labels, open_level) for r in data)
        aligned.append(replace(section, rows=readings))
    return tuple(aligned)


def _align_row(
    row: GridRow, section: Section, labels: set[str], open_level: _OpenLevel
) -> RowRoles:
    roles = _positional(row, section)
    _satisfaction_as_level2(roles, row, open_level)
    shifted = not _plausible(roles, row, section)
    if shifted:
        roles = _by_content(row, section, labels, open_level)
    level1 = _text(row, roles.get("level1"))
    if level1:
        open_level.level1 = level1
    return RowRoles.of(row.index, roles, shifted)


def _text(row: GridRow, col: int | None) -> str:
    if col is None or col >= len(row.cells):
        return ""
    return row.cells[col].strip()


def _positional(row: GridRow, section: Section) -> Roles:
    """Each filled cell under the role its header gives."""
    roles: Roles = {}
    for role in READ_ROLES:
        col = section.column(role)
        if col is not None and _text(row, col):
            roles[role] = col
    description = section.column("description")
    if description is not None and _text(row, description):
        roles["description"] = description
        if "metric" not in roles:
            # A table whose 三级指标 cell is empty names the measure here.
            roles["metric"] = description
    return roles


def _satisfaction_as_level2(roles: Roles, row: GridRow, open_level: _OpenLevel) -> None:
    """满意度 alone in the 一级 column under an open 效果/效益 一级 is its 二级."""
    level1 = _text(row, roles.get("level1"))
    if (
        level1
        and "level2" not in roles
        and level_kind(level1) == "either"
        and normalize_level1(open_level.level1) == "效益指标"
    ):
        roles["level2"] = roles.pop("level1")


def _plausible(roles: Roles, row: GridRow, section: Section) -> bool:
    """Whether a row taken under its header makes sense by content."""
    metric = _text(row, roles.get("metric"))
    level1 = _text(row, roles.get("level1"))
    level2 = _text(row, roles.get("level2"))
    value = _text(row, roles.get("target")) or _text(row, roles.get("actual"))
    if not metric or not value or metric == value:
        return False  # metric == value: one cell across the row (第1页共2页)
    if level1 and level_kind(level1) == "level2":
        return False  # a 二级 name in the 一级 column: the row slid left
    if level2 and level_kind(level2) == "level1":
        return False  # a 一级 name in the 二级 column: the row slid right
    own_metric = roles.get("metric") == section.column("metric")
    if not own_metric and any(t and level_kind(t) is None for t in (level1, level2)):
        # Text outside the vocabulary in a level column is the row's level only
        # when the row names its metric where the header says; else it is the
        # metric of a row that slid left.
        return False
    if looks_like_target(metric) and not looks_like_target(value):
        return False  # the metric column holds a value: the row slid left
    # A level name where the metric goes and prose where the value goes: a level
    # row that slid right. With a value beside it, the level name is the row's
    # metric (rule 23).
    return level_kind(metric) is None or looks_like_target(value)


def _by_content(
    row: GridRow, section: Section, labels: set[str], open_level: _OpenLevel
) -> Roles:
    """Assign a shifted row's cells to roles in printed order."""
    first_role_col = min(col for col, _ in section.roles)
    cells = [
        (col, text.strip())
        for col, text in enumerate(row.cells)
        if text.strip()
        and text.strip() not in labels
        and row.origin[col]
        and not (col < first_role_col and is_number_cell(text))  # 序号
    ]
    cells = _dedupe_merged(cells)
    roles: Roles = {}
    i = 0
    level_cells = []
    while (
        i < len(cells)
        and level_kind(cells[i][1])
        and not looks_like_target(cells[i][1])
    ):
        level_cells.append(cells[i])
        i += 1
    _assign_levels(roles, level_cells, open_level)
    if i < len(cells):
        roles["metric"] = cells[i][0]
        i += 1
    i = _skip_description(roles, cells, i, section)
    if i < len(cells) and OPERATOR_CELL.match(cells[i][1]):
        roles["operator"] = cells[i][0]
        i += 1
    if i < len(cells):
        only_actual = (
            section.column("target") is None and section.column("actual") is not None
        )
        roles["actual" if only_actual else "target"] = cells[i][0]
        i += 1
    if (
        i < len(cells)
        and section.column("unit") is not None
        and len(cells[i][1]) <= MAX_UNIT_CHARS
    ):
        roles["unit"] = cells[i][0]
    return roles


def _dedupe_merged(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a text repeated in adjacent columns (a merged cell seen twice)."""
    out: list[tuple[int, str]] = []
    for col, text in cells:
        if out and out[-1][1] == text and out[-1][0] == col - 1:
            continue
        out.append((col, text))
    return out


def _assign_levels(
    roles: Roles, level_cells: Sequence[tuple[int, str]], open_level: _OpenLevel
) -> None:
    """Level names at the start of a shifted row: one or two of them."""
    if len(level_cells) >= 2:
        roles["level1"], roles["level2"] = level_cells[0][0], level_cells[1][0]
    elif len(level_cells) == 1:
        col, text = level_cells[0]
        kind = level_kind(text)
        # 满意度 alone is a 二级 under an open 一级 (the row lost its empty
        # leading cell), and a 一级 only when no other 一级 is open.
        carried = normalize_level1(open_level.level1)
        as_level1 = kind == "level1" or (
            kind == "either" and (carried is None or carried == "满意度指标")
        )
        roles["level1" if as_level1 else "level2"] = col


def _skip_description(
    roles: Roles, cells: Sequence[tuple[int, str]], i: int, section: Section
) -> int:
    """Step over a description cell between metric and target."""
    if section.column("description") is None or i + 1 >= len(cells):
        return i
    if not looks_like_target(cells[i][1]) and looks_like_target(cells[i + 1][1]):
        roles["description"] = cells[i][0]
        return i + 1
    return i


def _repeated_labels(rows: Sequence[GridRow], section: Section) -> set[str]:
    """Texts left of the first role column that repeat down the section.

    Page exports repeat a row label (年度绩效指标) at the left of every row; it is
    not part of any indicator. A text there that appears once is a shifted metric.
    """
    first_role_col = min((col for col, _ in section.roles), default=0)
    counts: Counter[str] = Counter()
    for row in rows:
        for col in range(min(first_role_col, len(row.cells))):
            if row.cells[col].strip():
                counts[row.cells[col].strip()] += 1
    return {text for text, n in counts.items() if n > 1}
