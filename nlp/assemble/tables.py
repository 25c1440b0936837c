"""Walking the indicator sections of a recovered table, row by row.

Each section of a ``TableView`` is read under its own header; the levels carry
down across sections of one table. Rows are read and turned into records by
``nlp.assemble.rows``; this module also reports which cells those records used,
so the money and prose passes skip them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nlp.assemble.rows import (
    _Levels,
    _packed_readings,
    _read_row,
    _records_for_row,
)
from nlp.blocks import GridRow, Section, TableView, is_number_cell
from nlp.records import Indicator

if TYPE_CHECKING:
    from nlp.assemble import AssemblyParams
    from nlp.assemble.projects import ProjectRef


def _indicator_cells(
    table: TableView,
    project: ProjectRef,
    doc: str,
    params: AssemblyParams,
    out: list[Indicator],
) -> set[tuple[int, int]]:
    """Append the table's indicator records; return the (row, col) cells used."""
    used: set[tuple[int, int]] = set()
    levels = _Levels()
    for section in table.sections:
        labels = _repeated_labels(table.rows[section.start : section.end], section)
        role_cols = {col for col, _ in section.roles}
        for col in range(table.n_cols):
            used.add((section.header_row, col))
        for row in table.rows[section.start : section.end]:
            if row.role in ("header", "unit", "blank"):
                used.update((row.index, c) for c in range(len(row.cells)))
                continue
            if section.column("packed") is not None:
                for reading in _packed_readings(row, section):
                    used.update((row.index, c) for c in reading.used_cols)
                    levels = _Levels(reading.level1, reading.level2)
                    out.extend(
                        _records_for_row(
                            reading, levels, row, table, project, doc,
                            params.positional,
                        )
                    )  # fmt: skip
                continue
            reading, confidence = _read_row(row, section, labels, levels, params)
            used.update((row.index, c) for c in reading.used_cols)
            # The figures of an indicator row are targets, actuals and scores
            # (分值, 得分), never amounts; its prose cells stay open to prose.
            used.update(
                (row.index, c)
                for c, text in enumerate(row.cells)
                if c in role_cols or is_number_cell(text)
            )
            levels.update(reading.level1, reading.level2)
            out.extend(
                _records_for_row(reading, levels, row, table, project, doc, confidence)
            )
    return used


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
