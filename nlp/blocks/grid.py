"""Grid rows of reader tables: merged cells expanded, parts joined, cut rows mended.

A reader table is cells with row/col spans; here each grid position gets the text
of the cell covering it, rows get their page, box and character spans, and a row
cut in two by a page break is made whole again when the parts are joined.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from nlp.blocks.headers import indicator_roles, is_number_cell
from nlp.blocks.records import GridRow
from nlp.document import BBox, Block, Cell, Table
from nlp.normalize.levels import level_kind
from nlp.normalize.target import looks_like_target

_GridCell = tuple[str, bool, "object"]


def _grid(table: Table) -> list[list[tuple[str, bool, object]]]:
    """Expand merged cells: (text, is_origin, cell) at every grid position."""
    grid: list[list[tuple[str, bool, object]]] = [
        [("", True, None) for _ in range(table.n_cols)] for _ in range(table.n_rows)
    ]
    for cell in table.cells:
        for r in range(cell.row, min(cell.end_row, table.n_rows)):
            for c in range(cell.col, min(cell.end_col, table.n_cols)):
                is_origin = r == cell.row and c == cell.col
                grid[r][c] = (cell.text, is_origin, cell)
    return grid


def _joined_rows(parts: Sequence[Block]) -> list[GridRow]:
    """Rows of all parts, with a row cut in two by a page break made whole and a
    header printed over two lines made one row."""
    rows: list[GridRow] = []
    for part_no, block in enumerate(parts):
        assert block.table is not None
        table = block.table
        if part_no and parts[0].table is not None:
            table = _placed_under(parts[0].table, table)
        part_rows = _rows_of(table, start=len(rows))
        if part_no and rows and part_rows and _is_cut_row(rows[-1], part_rows[0]):
            rows[-1] = _join_cut_row(rows[-1], part_rows[0])
            part_rows = [
                _reindex(r, len(rows) + k) for k, r in enumerate(part_rows[1:])
            ]
        rows.extend(part_rows)
    return _header_lines_joined(rows)


def _placed_under(first: Table, part: Table) -> Table:
    """A continuation narrower than its table's first part, its cells moved to the
    first part's columns by their x-position on the page.

    A reader drops grid columns without text, so a part on the next page with
    nothing in some columns (财政专户 | 国有资本 left empty) has fewer columns, and
    laid by index its cells would fall under the wrong names. Unchanged when a
    cell's position is unknown or its edges are not those of the first part's
    columns (text-aligned tables, whose boxes are the text's).
    """
    if part.n_cols >= first.n_cols:
        return part
    columns = _column_ranges(first)
    moved: dict[int, int] = {}
    for cell in part.cells:
        for col in (cell.col, cell.end_col - 1):
            box = _cell_box(cell)
            edge = None if box is None else (box[0] if col == cell.col else box[2])
            target = _column_at(columns, edge, col == cell.col)
            if target is None or moved.setdefault(col, target) != target:
                return part
    order = [moved[c] for c in sorted(moved)]
    if any(b <= a for a, b in itertools.pairwise(order)):
        return part
    cells = tuple(
        replace(
            cell,
            col=moved[cell.col],
            col_span=moved[cell.end_col - 1] - moved[cell.col] + 1,
        )
        for cell in part.cells
    )
    return Table(cells, part.n_rows, first.n_cols, part.caption)


# Points by which a cell's edge may miss its column's ruling on another page.
EDGE_TOLERANCE = 2.0


def _column_ranges(table: Table) -> dict[int, tuple[float, float]]:
    """Each column's left and right edge on the page, from the single-column
    cells that show it."""
    ranges: dict[int, tuple[float, float]] = {}
    for cell in table.cells:
        box = _cell_box(cell)
        if box is not None and cell.col_span == 1:
            ranges.setdefault(cell.col, (box[0], box[2]))
    return ranges


def _cell_box(cell: Cell) -> BBox | None:
    return cell.prov[0].bbox if cell.prov else None


def _column_at(
    columns: dict[int, tuple[float, float]], edge: float | None, left: bool
) -> int | None:
    """The column whose left (or right) edge is at ``edge``."""
    if edge is None:
        return None
    for col, (x0, x1) in columns.items():
        if abs((x0 if left else x1) - edge) <= EDGE_TOLERANCE:
            return col
    return None


def _header_lines_joined(rows: list[GridRow]) -> list[GridRow]:
    """Join a header whose labels wrap onto a second row (一级 | 二级 | 三级 | 指标值
    over 指标 | 指标 | 指标 |): neither row is a header alone, the two together are.
    Text-aligned tables and scans read each printed line as a row."""
    labels = [_label_row(row) for row in rows]
    out: list[GridRow] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if (
            i + 1 < len(rows)
            and labels[i]
            and labels[i + 1]
            and _is_split_header(row, rows[i + 1])
        ):
            row = _join_header_lines(row, rows[i + 1])
            i += 1
        out.append(_reindex(row, len(out)) if row.index != len(out) else row)
        i += 1
    return out


def _is_split_header(first: GridRow, second: GridRow) -> bool:
    """Two label rows whose columns read as one indicator header, each label of
    the second continuing a label of the first in its own cell (a sub-header
    under a merged 指标值 cell is a row of its own)."""
    continues = all(
        col < len(first.cells) and first.origin[col] and first.cells[col].strip()
        for col, text in enumerate(second.cells)
        if text.strip() and second.origin[col]
    )
    if not continues or indicator_roles(second.cells):
        return False
    return bool(indicator_roles(_joined_header_cells(first, second)))


def _label_row(row: GridRow) -> bool:
    """A row of short labels without figures: what a header line holds."""
    filled = False
    for cell in row.cells:
        text = cell.strip()
        if not text:
            continue
        if len(text) > HEADER_LINE_CHARS or DIGIT.search(text):
            return False
        filled = True
    return filled


DIGIT = re.compile(r"\d")
HEADER_LINE_CHARS = 8


def _joined_header_cells(first: GridRow, second: GridRow) -> tuple[str, ...]:
    """Each column's two lines joined; a cell merged over both rows counts once."""
    return (
        tuple(
            top + (bottom.strip() if second.origin[col] else "")
            for col, (top, bottom) in enumerate(
                zip(first.cells, second.cells, strict=False)
            )
        )
        + first.cells[len(second.cells) :]
    )


def _join_header_lines(first: GridRow, second: GridRow) -> GridRow:
    return GridRow(
        first.index, _joined_header_cells(first, second), first.origin,
        first.spans, first.page, first.bbox, first.role,
    )  # fmt: skip


def _rows_of(table: Table, start: int) -> list[GridRow]:
    rows = []
    for r, row in enumerate(_grid(table)):
        cells = tuple(text for text, _, _ in row)
        origin = tuple(is_origin for _, is_origin, _ in row)
        spans = tuple(_cell_span(cell) for _, _, cell in row)
        page, bbox = _row_geometry(row)
        rows.append(GridRow(start + r, cells, origin, spans, page, bbox, role="data"))
    return rows


def _cell_span(cell: object) -> tuple[int, int] | None:
    prov = getattr(cell, "prov", ())
    return prov[0].span if prov else None


def _row_geometry(
    row: Sequence[tuple[str, bool, object]],
) -> tuple[int | None, BBox | None]:
    page = None
    boxes = []
    for _, is_origin, cell in row:
        for prov in getattr(cell, "prov", ()):
            if page is None and prov.page is not None:
                page = prov.page
            if is_origin and prov.bbox is not None and prov.page == page:
                boxes.append(prov.bbox)
    if not boxes:
        return page, None
    return page, (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _is_cut_row(last: GridRow, first: GridRow) -> bool:
    """A continuation's first row that is the rest of the previous part's last row.

    Its first column is empty, it holds no number and no level name of its own,
    and each of its filled cells continues a filled cell of the row above.
    """
    filled = [i for i, c in enumerate(first.cells) if c.strip()]
    if not filled or filled[0] == 0:
        return False
    if any(is_number_cell(first.cells[i]) for i in filled):
        return False
    if indicator_roles(first.cells):
        return False
    if any(
        level_kind(first.cells[i]) or _is_short_target(first.cells[i]) for i in filled
    ):
        # A complete row under a blank 一级 carried over the break.
        return False
    return all(i < len(last.cells) and last.cells[i].strip() for i in filled) and (
        not _ends_sentence(last.cells[filled[0]])
    )


def _is_short_target(text: str) -> bool:
    """A cell that is a target value on its own (≥90%, 2023年12月前), not prose."""
    text = text.strip()
    return len(text) <= SHORT_TARGET_CHARS and looks_like_target(text)


SHORT_TARGET_CHARS = 16


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(("。", "；", ";", "！", "？"))


def _join_cut_row(last: GridRow, rest: GridRow) -> GridRow:
    cells = list(last.cells)
    for i, text in enumerate(rest.cells):
        if text.strip() and i < len(cells):
            cells[i] = cells[i] + text
    return GridRow(
        last.index, tuple(cells), last.origin, last.spans, last.page, last.bbox, "data"
    )


def _reindex(row: GridRow, index: int) -> GridRow:
    return GridRow(
        index, row.cells, row.origin, row.spans, row.page, row.bbox, row.role
    )
