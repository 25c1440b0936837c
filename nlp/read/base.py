"""What every reader shares: the reader interface and the document builder.

A reader turns one file into a :class:`~nlp.document.Document`. Readers differ only
in how they find blocks; they all append them through :class:`DocumentBuilder`,
which lays out ``Document.text`` and computes every character span the same way:
blocks are separated by a blank line, table rows by a newline and cells by a tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
        origin = {(c.row, c.col): c for c in cells}
        start = self._start_block()
        first_part = len(self._parts)
        built: list[Cell] = []
        pages: list[int | None] = []
        for r in range(n_rows):
            if r:
                self._append(ROW_SEPARATOR)
            for c in range(n_cols):
                if c:
                    self._append(CELL_SEPARATOR)
                cell = origin.get((r, c))
                if cell is None:
                    continue
                # Tabs and newlines inside a cell would break the row layout.
                flat = _flatten(cell.text)
                cell_start = self._length
                self._append(flat)
                prov = Provenance(
                    cell.page,
                    cell.bbox,
                    (cell_start, self._length),
                    cell.source,
                    cell.confidence,
                )
                built.append(
                    Cell(
                        text=cell.text.strip(),
                        row=cell.row,
                        col=cell.col,
                        row_span=cell.row_span,
                        col_span=cell.col_span,
                        header=cell.header,
                        prov=(prov,),
                    )
                )
                pages.append(cell.page)
        end = self._length
        table = Table(tuple(built), n_rows, n_cols, caption)
        block_prov = tuple(
            Provenance(page=p, span=(start, end))
            for p in dict.fromkeys(pages)  # ordered, unique
        ) or (Provenance(span=(start, end)),)
        text = "".join(self._parts[first_part:])
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


def _flatten(text: str) -> str:
    """Cell text on one line: tabs and line breaks become spaces."""
    return " ".join(text.replace("\t", " ").split("\n")).strip()
