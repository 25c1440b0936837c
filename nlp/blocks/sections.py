"""Row roles and indicator sections of a recovered table.

Rows are classified (header, unit line, data, blank); each indicator header, with
the sub-header row under it, starts a section whose column roles come from the
header's labels, since headers repeat and columns move between sections.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from nlp.blocks.headers import (
    _is_header_like,
    _is_sub_header_cells,
    header_role,
    indicator_roles,
    is_number_cell,
    unit_of_line,
)
from nlp.blocks.records import ColumnRole, GridRow, RowRole, Section
from nlp.blocks.roles import packed_roles, refine_roles


def _with_roles(rows: Sequence[GridRow]) -> list[GridRow]:
    """Classify rows. Inside an indicator section only a repeated indicator header
    (or the sub-header under it) is a header: data rows there hold free text that
    may read like labels."""
    out: list[GridRow] = []
    in_section = False
    previous_was_indicator_header = False
    number_cols: set[int] = set()
    for row in rows:
        role: RowRole
        filled = [c for c in row.cells if c.strip()]
        is_indicator_header = bool(indicator_roles(row.cells))
        if not filled:
            role = "blank"
        elif len(set(filled)) == 1 and unit_of_line(filled[0]):
            role = "unit"
        elif (
            is_indicator_header
            or (previous_was_indicator_header and _is_sub_header_cells(row.cells))
            or (
                not in_section
                and _is_header_like(row.cells)
                and not _is_label_row(row.cells, number_cols)
            )
        ):
            role = "header"
        else:
            role = "data"
            number_cols |= {k for k, c in enumerate(row.cells) if is_number_cell(c)}
        in_section = in_section or is_indicator_header
        previous_was_indicator_header = is_indicator_header
        out.append(
            GridRow(
                row.index, row.cells, row.origin, row.spans, row.page, row.bbox, role
            )
        )
    return out


def _is_label_row(cells: Sequence[str], number_cols: set[int]) -> bool:
    """Labels only in the label columns of the rows above, their amount cells
    empty (使用非财政拨款结余 | | 结转下年 | in a 收支总表): a data row with
    nothing to report, not a header renaming the columns under it."""
    filled = {k for k, c in enumerate(cells) if c.strip()}
    return bool(number_cols) and not filled & number_cols


def _sections(rows: Sequence[GridRow]) -> Iterator[Section]:
    """Indicator sections: each indicator header and the rows up to the next one.

    Roles come from the header's labels, checked against the section's cells
    (``roles.refine_roles``); a table without an indicator header whose cells
    pack whole indicators gives one packed section.
    """
    headers = [
        (row.index, roles)
        for row in rows
        if row.role == "header" and (roles := indicator_roles(row.cells))
    ]
    if not headers:
        yield from _packed_sections(rows)
        return
    for k, (header_row, roles) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(rows)
        start = header_row + 1
        roles = _refine_roles(rows, header_row, roles)
        # A second header row (运算符 | 数值 | 单位 under 指标值) refines the roles.
        if start < end and _is_sub_header(rows[start]):
            start += 1
        data = [r for r in rows[start:end] if r.role == "data"]
        roles = refine_roles(data, rows[header_row].cells, roles)
        yield Section(header_row, start, end, tuple(sorted(roles.items())))


def _packed_sections(rows: Sequence[GridRow]) -> Iterator[Section]:
    """One section under the last header row above the first packed cell."""
    header = next((r for r in rows if r.role == "header"), None)
    if header is None:
        return
    data = [r for r in rows[header.index + 1 :] if r.role == "data"]
    roles = packed_roles(header.cells, data)
    if roles:
        yield Section(
            header.index, header.index + 1, len(rows), tuple(sorted(roles.items()))
        )


def _is_sub_header(row: GridRow) -> bool:
    """A second header row under the indicator header (运算符 | 数值 | 单位)."""
    return _is_sub_header_cells(row.cells)


def _refine_roles(
    rows: Sequence[GridRow], header_row: int, roles: dict[int, ColumnRole]
) -> dict[int, ColumnRole]:
    """Merge a sub-header row's roles (a split 指标值 column) into the header's."""
    refined = dict(roles)
    below = header_row + 1
    if below < len(rows) and _is_sub_header(rows[below]):
        for col, text in enumerate(rows[below].cells):
            role = header_role(text)
            if role is not None and rows[below].origin[col]:
                refined[col] = role
    return refined
