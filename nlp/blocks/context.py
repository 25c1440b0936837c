"""What surrounds a table: the unit line and the title printed above it.

The unit (``单位：万元``) is printed once above a table or as a row inside it; the
title is the table's caption or the nearest short line above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.blocks.headers import UNIT_ANYWHERE, normalize_label, unit_of_line
from nlp.blocks.records import GridRow, RecoveryParams
from nlp.document import Block


def _unit_above(
    blocks: Sequence[Block], first: int, params: RecoveryParams
) -> str | None:
    """The unit line among the few non-table blocks above a table."""
    for block in reversed(blocks[max(0, first - params.unit_lookback) : first]):
        if block.table is not None:
            return None
        for line in block.text.splitlines():
            unit = unit_of_line(line)
            if unit is None:
                match = UNIT_ANYWHERE.search(normalize_label(line))
                unit = match.group(1) if match and len(line) < 40 else None
            if unit:
                return unit
    return None


def _unit_inside(rows: Sequence[GridRow]) -> str | None:
    """A unit line printed as a row (or a cell of a row) of the table itself."""
    for row in rows[:6]:
        for cell in row.cells:
            unit = unit_of_line(cell)
            if unit:
                return unit
    return None


def _title_above(blocks: Sequence[Block], first: int, table_block: Block) -> str | None:
    """The table's caption, else the nearest short non-unit line above it."""
    if table_block.table is not None and table_block.table.caption:
        return table_block.table.caption
    for block in reversed(blocks[max(0, first - 4) : first]):
        if block.table is not None:
            return None
        text = block.text.strip()
        if unit_of_line(text) or UNIT_ANYWHERE.search(normalize_label(text)):
            continue
        if re.fullmatch(r"表\s*\d+|\d{4}\s*年度?|（?\d{4}年度）?", text):
            continue
        if 2 <= len(text) <= 40 and "\n" not in text:
            return re.sub(r"\s+", "", text)
    return None
