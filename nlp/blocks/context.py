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
    tail = ""  # a title's last character wrapped onto a line of its own
    for k in range(first - 1, max(-1, first - 5), -1):
        block = blocks[k]
        if block.table is not None:
            return None
        text = block.text.strip()
        if unit_of_line(text) or UNIT_ANYWHERE.search(normalize_label(text)):
            continue
        if re.fullmatch(r"表\s*\d+|\d{4}\s*年度?|（?\d{4}年度）?", text):
            continue
        if not tail and TITLE_TAIL.fullmatch(text):
            tail = text
            continue
        if 2 <= len(text) <= 40 and "\n" not in text:
            title = re.sub(r"\s+", "", text)
            if k > 0 and _wrapped_title_line(blocks[k - 1], block, title):
                title = re.sub(r"\s+", "", blocks[k - 1].text) + title
            return title + tail if tail and not TITLE_END.search(title) else title
    return None


# The end of a title wrapped onto a line of its own (…绩效目标 / 表).
TITLE_TAIL = re.compile(r"表(?:[（(][^)）]*[)）])?")


TITLE_END = re.compile(r"表(?:[（(][^)）]*[)）])?$")
HEADING_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])"
)


def _wrapped_title_line(above: Block, line: Block, title: str) -> bool:
    """A title wrapped onto two lines: the line above, on the same page right
    above it, does not end a sentence or a title and is no heading of its own."""
    text = re.sub(r"\s+", "", above.text)
    if above.table is not None or not text or len(text) > 40 or "\n" in above.text:
        return False
    if not TITLE_END.search(title) or TITLE_END.search(text):
        return False
    if HEADING_START.match(text) or text[-1] in "。；;：:，,！？":
        return False
    if not above.prov or not line.prov:
        return False
    a, b = above.prov[0], line.prov[0]
    if a.page != b.page or a.bbox is None or b.bbox is None:
        return False
    height = a.bbox[3] - a.bbox[1]
    return 0 <= b.bbox[1] - a.bbox[3] <= height
