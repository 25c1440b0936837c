"""Table recovery: from reader cells to tables a person would recognise.

Readers hand over tables exactly as the file draws them; budget documents break one
logical table into several (a page break, a repeated header, a row cut in two) and
print the unit once above it (``单位：万元``). This stage

1. expands merged cells into a full grid (each covered position repeats the text),
2. joins a table continued after a page break to the table it continues,
3. binds the unit line (``单位：万元`` above the table or inside it) to the table,
4. classifies rows (header, unit line, data) and finds each indicator section's
   column roles from header and content (一级指标, 三级指标, 指标值, 计量单位 …),
   since headers repeat and columns move between sections,
5. aligns each data row: which of its cells is read as level, metric, value …
   (a row that slid left or right is read in printed order). This is the one
   place that decides what a cell is; ``assemble`` only reads rows under it.

The output, :class:`TableView`, is plain data; ``assemble`` turns its rows into
records.

Modules: ``records`` (the output records and tolerances), ``headers`` (header
vocabulary, unit lines, header-like and form rows), ``grid`` (merged cells, rows
of a part, rows cut by a page break), ``continuation`` (grouping parts across
page breaks), ``sections`` (row roles, indicator sections), ``roles`` (column
roles checked against content), ``alignment`` (each data row's cell roles),
``packed`` (cells packing whole indicators) and ``context`` (unit and title above
a table).
"""

from __future__ import annotations

from nlp.blocks.alignment import align_sections
from nlp.blocks.context import _title_above, _unit_above, _unit_inside
from nlp.blocks.continuation import PAGE_FURNITURE, _group_continuations
from nlp.blocks.grid import _joined_rows
from nlp.blocks.headers import (
    COLUMN_WORD,
    FORM_LABEL,
    LABEL_CACHE_SIZE,
    MONEY_HEADER,
    NUMBER_CELL,
    SHORT_LABEL_CHARS,
    UNIT_ANYWHERE,
    UNIT_IN_TEXT,
    UNIT_LINE,
    header_role,
    indicator_roles,
    is_number_cell,
    normalize_label,
    unit_of_line,
)
from nlp.blocks.records import (
    DEFAULT_PARAMS,
    ColumnRole,
    GridRow,
    RecoveryParams,
    RowRole,
    RowRoles,
    Section,
    TableView,
)
from nlp.blocks.sections import _sections, _with_roles
from nlp.document import Document


def recover_tables(
    document: Document, params: RecoveryParams = DEFAULT_PARAMS
) -> tuple[TableView, ...]:
    """Recover every logical table of a document.

    Args:
        document: a reader's output.
        params: joining tolerances.

    Returns:
        The tables in reading order, continuations joined.
    """
    groups = list(_group_continuations(document.blocks, params))
    views = []
    for index, block_indices in enumerate(groups):
        parts = [document.blocks[i] for i in block_indices]
        rows = _joined_rows(parts)
        unit = _unit_above(document.blocks, block_indices[0], params) or _unit_inside(
            rows
        )
        rows = _with_roles(rows)
        views.append(
            TableView(
                index=index,
                rows=tuple(rows),
                n_cols=max(len(r.cells) for r in rows) if rows else 0,
                title=_title_above(document.blocks, block_indices[0], parts[0]),
                unit=unit,
                sections=align_sections(rows, tuple(_sections(rows))),
                block_indices=tuple(block_indices),
            )
        )
    return tuple(views)


__all__ = [
    "COLUMN_WORD",
    "DEFAULT_PARAMS",
    "FORM_LABEL",
    "LABEL_CACHE_SIZE",
    "MONEY_HEADER",
    "NUMBER_CELL",
    "PAGE_FURNITURE",
    "SHORT_LABEL_CHARS",
    "UNIT_ANYWHERE",
    "UNIT_IN_TEXT",
    "UNIT_LINE",
    "ColumnRole",
    "GridRow",
    "RecoveryParams",
    "RowRole",
    "RowRoles",
    "Section",
    "TableView",
    "header_role",
    "indicator_roles",
    "is_number_cell",
    "normalize_label",
    "recover_tables",
    "unit_of_line",
]
