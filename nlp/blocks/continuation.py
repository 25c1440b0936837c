"""Continuations: which reader tables are parts of one table cut by page breaks.

A part continues the table before it when it follows directly (page numbers
aside) with about the same width and either repeats the indicator header or has
no header of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from nlp.blocks.grid import _grid
from nlp.blocks.headers import (
    _is_header_like,
    indicator_roles,
    is_number_cell,
    unit_of_line,
)
from nlp.blocks.records import ColumnRole, RecoveryParams
from nlp.document import Block, Table

_Grid = list[list[tuple[str, bool, object]]]

PAGE_FURNITURE = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)


def _group_continuations(
    blocks: Sequence[Block], params: RecoveryParams
) -> Iterator[list[int]]:
    """Group table blocks into logical tables (a part continues the one before)."""
    running = _running_lines(blocks)
    current: list[int] = []
    last_roles: dict[int, ColumnRole] | None = None
    gap = 0
    for i, block in enumerate(blocks):
        if block.table is None:
            furniture = _is_page_furniture(block) or _text(block) in running
            if current and furniture and gap < params.max_gap_blocks:
                gap += 1
                continue
            if current:
                yield current
            current, last_roles, gap = [], None, 0
            continue
        grid = _grid(block.table)  # once per part: the helpers below share it
        roles = _first_header_roles(grid)
        previous = blocks[current[-1]].table if current else None
        if previous is not None and _continues(
            previous, block.table, grid, last_roles, roles, params
        ):
            current.append(i)
        else:
            if current:
                yield current
            current = [i]
            last_roles = None
        last_roles = _last_header_roles(grid) or last_roles
        gap = 0
    if current:
        yield current


def _is_page_furniture(block: Block) -> bool:
    """A page number or similar line printed between two parts of a table."""
    return bool(PAGE_FURNITURE.match(block.text.strip()))


# A running header or footer is a short line; longer repeated text is content.
RUNNING_MAX_CHARS = 40


def _text(block: Block) -> str:
    return "".join(block.text.split())


def _running_lines(blocks: Sequence[Block]) -> set[str]:
    """Short lines printed on more than one page (a running header such as
    ``某局2026年度单位预算公开``): page furniture between two parts of a table.
    Unit lines (``单位：万元``) are left out: they start a table of their own."""
    pages: dict[str, set[object]] = {}
    for block in blocks:
        text = _text(block)
        if block.table is None and text and len(text) <= RUNNING_MAX_CHARS:
            pages.setdefault(text, set()).add(block.page)
    return {
        text for text, seen in pages.items() if len(seen) > 1 and not unit_of_line(text)
    }


def _continues(
    previous: Table,
    table: Table,
    grid: _Grid,
    previous_roles: dict[int, ColumnRole] | None,
    roles: dict[int, ColumnRole] | None,
    params: RecoveryParams,
) -> bool:
    """Whether ``table`` continues ``previous`` after a page break.

    A continuation directly follows its table and has about the same width; it
    either repeats the indicator header (same roles) or has no header of its own.
    Tables that start with a header of another kind, or with a unit/title line,
    are new tables.
    """
    widths = (previous.n_cols, _data_width(previous))
    if all(abs(w - table.n_cols) > params.max_col_difference for w in widths):
        return False
    if roles is not None:
        return previous_roles is not None and set(roles.values()) == set(
            previous_roles.values()
        )
    first = [text for text, _, _ in grid[0]] if grid else []
    if any(unit_of_line(t) for t in first if t):
        return False
    if _is_header_like(first):
        return False  # a money table's header after an indicator table
    return previous_roles is not None or _looks_like_data(first)


def _data_width(table: Table) -> int:
    """Grid columns up to the last one any row with a number fills: a part on
    the next page leaves out the columns that are empty all down the table
    (a 支出总表's 上缴上级支出 | 对附属单位补助支出 printed without amounts)."""
    width = 0
    for row in _grid(table):
        texts = [text for text, _, _ in row]
        if any(is_number_cell(t) for t in texts if t.strip()):
            filled = [k for k, t in enumerate(texts) if t.strip()]
            width = max(width, filled[-1] + 1)
    return width or table.n_cols


def _first_header_roles(grid: _Grid) -> dict[int, ColumnRole] | None:
    """Roles of the table's indicator header when it is among its first rows."""
    for row in grid[:3]:
        roles = indicator_roles([text for text, _, _ in row])
        if roles:
            return roles
    return None


def _last_header_roles(grid: _Grid) -> dict[int, ColumnRole] | None:
    """Roles of the last indicator header anywhere in the table."""
    found = None
    for row in grid:
        roles = indicator_roles([text for text, _, _ in row])
        if roles:
            found = roles
    return found


def _looks_like_data(cells: Sequence[str]) -> bool:
    """A first row made of blanks and numbers: a money table's continued body."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and any(is_number_cell(c) for c in filled)
