"""Walking the indicator sections of a recovered table, row by row.

Each section of a ``TableView`` is read row by row under the cell roles table
recovery gave each row; the levels carry down across sections of one table. Rows
are turned into records by ``nlp.assemble.rows``; this module also reports which
cells those records used, so the money and prose passes skip them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.assemble.rows import (
    _Levels,
    _packed_readings,
    _records_for_row,
    read_row,
)
from nlp.blocks import TableView, is_number_cell
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
    ocr_pages: frozenset[int] = frozenset(),
) -> set[tuple[int, int]]:
    """Append the table's indicator records; return the (row, col) cells used.

    ``ocr_pages`` are the pages whose text came from OCR (``PageInfo.ocr``).
    """
    used: set[tuple[int, int]] = set()
    levels = _Levels()
    for section in table.sections:
        role_cols = {col for col, _ in section.roles}
        for col in range(table.n_cols):
            used.add((section.header_row, col))
        for row in table.rows[section.start : section.end]:
            if row.role in ("header", "unit", "blank"):
                used.update((row.index, c) for c in range(len(row.cells)))
        for row_roles in section.rows:
            row = table.rows[row_roles.row]
            if section.column("packed") is not None:
                for reading in _packed_readings(row, section):
                    used.update((row.index, c) for c in reading.used_cols)
                    levels = _Levels(
                        reading.level1, reading.level2, row.page in ocr_pages
                    )
                    out.extend(
                        _records_for_row(
                            reading, levels, row, table, project, doc,
                            params.positional,
                        )
                    )  # fmt: skip
                continue
            reading = read_row(row, row_roles)
            confidence = params.by_content if row_roles.shifted else params.positional
            used.update((row.index, c) for c in reading.used_cols)
            # The figures of an indicator row are targets, actuals and scores
            # (分值, 得分), never amounts; its prose cells stay open to prose.
            used.update(
                (row.index, c)
                for c, text in enumerate(row.cells)
                if c in role_cols or is_number_cell(text)
            )
            levels.update(reading.level1, reading.level2)
            levels.ocr = row.page in ocr_pages
            out.extend(
                _records_for_row(reading, levels, row, table, project, doc, confidence)
            )
    return used
