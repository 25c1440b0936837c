"""What every reader shares: the reader interface and the document builder.

A reader turns one file into a :class:`~nlp.document.Document`. Readers differ only
in how they find blocks; they all append them through :class:`DocumentBuilder`,
which lays out ``Document.text`` and computes every character span the same way:
blocks are separated by a blank line, table rows by a newline and cells by a tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from nlp.document import (
    BBox,
    Block,
    BlockKind,
    Cell,
    Document,
    PageInfo,
    Provenance,
    Table,
    TextSource,
)
from nlp.read.limits import check_count

BLOCK_SEPARATOR = "\n\n"
ROW_SEPARATOR = "\n"
CELL_SEPARATOR = "\t"


class Reader(Protocol):
    """One input format: path in, Document out."""

    format: str
    extensions: tuple[str, ...]

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read ``path`` into a Document named ``name`` (default: the file name).

        Raises:
            ReadError: the file is missing, empty, corrupt or undecodable.
        """
        ...


@dataclass(frozen=True, slots=True)
class CellInput:
    """A cell as a reader hands it to :meth:`DocumentBuilder.add_table`.

    Attributes:
        text: cell text, inner line breaks as "\\n".
        row: 0-based grid row of the cell's top-left corner.
        col: 0-based grid column of the cell's top-left corner.
        row_span: grid rows covered.
        col_span: grid columns covered.
        header: the markup marks it as a header cell.
        page: 1-based page, if known.
        bbox: (x0, top, x1, bottom) in points, top-left origin, if known.
        source: "text" or "ocr".
        confidence: recogniser score for OCR, else 1.0.
    """

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    header: bool = False
    page: int | None = None
    bbox: BBox | None = None
    source: TextSource = "text"
    confidence: float = 1.0


class DocumentBuilder:
    """Collects blocks in reading order and lays out ``Document.text``.

    Args:
        name: the document's display name.
        format: the reader's format name.
    """

    def __init__(self, name: str, format: str) -> None:
        self.name = name
        self.format = format
        self._parts: list[str] = []
        self._length = 0
        self._blocks: list[Block] = []
        self._pages: list[PageInfo] = []
        self._timings: list[tuple[str, float]] = []

    def _start_block(self) -> int:
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        return self._length

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def add_text(
        self,
        text: str,
        kind: BlockKind = "paragraph",
        page: int | None = None,
        bbox: BBox | None = None,
        source: TextSource = "text",
        confidence: float = 1.0,
    ) -> Block | None:
        """Append a heading or paragraph; blank text is ignored.

        Returns:
            The block added, or None when ``text`` was blank.
        """
        text = text.strip()
        if not text:
            return None
        check_count(
            self.name, "characters in one paragraph", len(text), "max_line_chars"
        )
        start = self._start_block()
        self._append(text)
        prov = Provenance(page, bbox, (start, self._length), source, confidence)
        block = Block(kind=kind, text=text, prov=(prov,))
        self._blocks.append(block)
        return block

    def add_table(
        self, cells: Sequence[CellInput], caption: str | None = None
    ) -> Block | None:
        """Append a table given its cells at their top-left grid positions.

        Cells covered by another cell's span must not be passed. Rows are written
        one per line, each grid position as a tab-separated field (empty for
        positions covered by a merged cell), so every cell gets a character span.

        Returns:
            The table block, or None when the table has no cell with text.
        """
        if not any(c.text.strip() for c in cells):
            return None
        n_rows = max(c.row + c.row_span for c in cells)
        n_cols = max(c.col + c.col_span for c in cells)
        # One cell per position (the last one given wins), in row-major order.
        origin = {(c.row, c.col): c for c in cells}
        placed = [
            origin[key]
            for key in sorted(origin)
            if 0 <= key[0] < n_rows and 0 <= key[1] < n_cols
        ]
        grid = [[""] * n_cols for _ in range(n_rows)]
        for cell in placed:
            # Tabs and newlines inside a cell would break the row layout.
            grid[cell.row][cell.col] = _flatten(cell.text)
        start, text, row_starts = self._append_grid(grid)
        built: list[Cell] = []
        pages: list[int | None] = []
        row, field_starts = -1, [0]
        for cell in placed:
            if cell.row != row:
                row = cell.row
                field_starts = _field_starts(grid[row], row_starts[row])
            cell_start = field_starts[cell.col]
            span = (cell_start, cell_start + len(grid[row][cell.col]))
            prov = Provenance(cell.page, cell.bbox, span, cell.source, cell.confidence)
            built.append(
                Cell(
                    cell.text.strip(),
                    cell.row,
                    cell.col,
                    cell.row_span,
                    cell.col_span,
                    cell.header,
                    (prov,),
                )
            )
            pages.append(cell.page)
        return self._add_table_block(
            start, text, built, pages, (n_rows, n_cols), caption
        )

    def add_rows(
        self, rows: Sequence[Sequence[str]], caption: str | None = None
    ) -> Block | None:
        """Append a table given row by row, each field a one-position text cell.

        The same as :meth:`add_table` with ``CellInput(text, row=r, col=c)`` for
        every field of every row, empty fields included (short rows leave the
        positions after their last field without a cell), but without building a
        :class:`CellInput` per field: for readers whose cells have no spans, pages
        or boxes, such as plain-text exports.

        Returns:
            The table block, or None when no field has text.
        """
        if not any(field.strip() for fields in rows for field in fields):
            return None
        n_rows = max(r for r, fields in enumerate(rows) if fields) + 1
        n_cols = max(len(fields) for fields in rows)
        # Tabs and newlines inside a cell would break the row layout.
        grid = [
            [_flatten(field) for field in fields] + [""] * (n_cols - len(fields))
            for fields in rows[:n_rows]
        ]
        start, text, row_starts = self._append_grid(grid)
        built: list[Cell] = []
        for r, fields in enumerate(rows[:n_rows]):
            if not fields:
                continue
            flats = grid[r]
            field_starts = _field_starts(flats, row_starts[r])
            for c, field in enumerate(fields):
                span = (field_starts[c], field_starts[c] + len(flats[c]))
                prov = Provenance(None, None, span, "text", 1.0)
                built.append(Cell(field.strip(), r, c, 1, 1, False, (prov,)))
        pages: list[int | None] = [None] if built else []
        return self._add_table_block(
            start, text, built, pages, (n_rows, n_cols), caption
        )

    def _append_grid(self, grid: list[list[str]]) -> tuple[int, str, list[int]]:
        """Write a grid of one-line field texts as a table block's text.

        Returns:
            The block's start offset, its text, and the start offset of each row.
        """
        start = self._start_block()
        row_texts = [CELL_SEPARATOR.join(fields) for fields in grid]
        text = ROW_SEPARATOR.join(row_texts)
        row_starts = list(
            accumulate((len(t) + len(ROW_SEPARATOR) for t in row_texts), initial=start)
        )
        self._append(text)
        return start, text, row_starts

    def _add_table_block(
        self,
        start: int,
        text: str,
        cells: list[Cell],
        pages: list[int | None],
        shape: tuple[int, int],
        caption: str | None,
    ) -> Block:
        """Finish a table block whose text was just appended at ``start``.

        Args:
            start: offset of the block in ``Document.text``.
            text: the block's text.
            cells: the table's cells in row-major order.
            pages: the page of each cell, for the block's provenance.
            shape: grid rows and columns.
            caption: the table's title, if any.
        """
        end = self._length
        table = Table(tuple(cells), *shape, caption)
        block_prov = tuple(
            Provenance(page=p, span=(start, end))
            for p in dict.fromkeys(pages)  # ordered, unique
        ) or (Provenance(span=(start, end)),)
        block = Block(kind="table", text=text, prov=block_prov, table=table)
        self._blocks.append(block)
        return block

    def add_page(self, info: PageInfo) -> None:
        """Record facts about a page of a paginated input."""
        self._pages.append(info)

    def add_timing(self, step: str, seconds: float) -> None:
        """Record how long a reader step took."""
        self._timings.append((step, seconds))

    def build(self) -> Document:
        """Return the finished Document."""
        return Document(
            name=self.name,
            format=self.format,
            text="".join(self._parts),
            blocks=tuple(self._blocks),
            pages=tuple(self._pages),
            timings=tuple(self._timings),
        )


def _field_starts(fields: list[str], row_start: int) -> list[int]:
    """Start offset of each tab-separated field of a row starting at ``row_start``."""
    return list(
        accumulate((len(f) + len(CELL_SEPARATOR) for f in fields), initial=row_start)
    )


def _flatten(text: str) -> str:
    """Cell text on one line: tabs and line breaks become spaces."""
    if "\t" not in text and "\n" not in text:
        return text.strip()  # most cells: skip the replace, split and join
    return " ".join(text.replace("\t", " ").split("\n")).strip()
