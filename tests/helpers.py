"""Helpers shared by the reader tests: a table block's cells as plain tuples."""

from __future__ import annotations

from nlp.document import Block, Document


def grid(block: Block) -> list[tuple[int, int, int, int, str]]:
    """(row, col, row_span, col_span, text) of every cell, in grid order."""
    assert block.table is not None
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in block.table.cells]


def tables(doc: Document) -> list[Block]:
    """The document's table blocks, in reading order."""
    return [b for b in doc.blocks if b.kind == "table"]
