"""Stage records: the in-memory document every reader fills.

Readers (``nlp.read``) turn a file into a :class:`Document` of ordered
:class:`Block` s. A block is a heading, a paragraph or a table; a table is a set of
:class:`Cell` s with row/column spans over 0-based half-open grid positions, like
docling's ``TableCell``. Every block and cell carries :class:`Provenance`: 1-based
page, bounding box in PDF points with a top-left origin, half-open character span
into ``Document.text``, whether it came from a text layer or OCR, and confidence.

These are plain frozen dataclasses: geometry, text, children, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table"]
TextSource = Literal["text", "ocr"]
BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a piece of a document came from.

    Attributes:
        page: 1-based page number, or None for inputs without pages.
        bbox: (x0, top, x1, bottom) in PDF points, origin top-left, or None.
        span: half-open (start, end) character offsets into ``Document.text``.
        source: "text" for a text layer or markup, "ocr" for recognised pixels.
        confidence: 1.0 for a text layer; the recogniser's score for OCR.
    """

    page: int | None = None
    bbox: BBox | None = None
    span: tuple[int, int] | None = None
    source: TextSource = "text"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell; merged cells have spans greater than one.

    Attributes:
        text: the cell's text with inner line breaks kept as "\\n".
        row: 0-based first grid row.
        col: 0-based first grid column.
        row_span: number of grid rows covered (>= 1).
        col_span: number of grid columns covered (>= 1).
        header: True when the markup says so (``<th>``); readers may leave False.
        prov: one provenance per page the cell touches.
    """

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    header: bool = False
    prov: tuple[Provenance, ...] = ()

    @property
    def end_row(self) -> int:
        """First grid row after the cell (half-open)."""
        return self.row + self.row_span

    @property
    def end_col(self) -> int:
        """First grid column after the cell (half-open)."""
        return self.col + self.col_span


@dataclass(frozen=True, slots=True)
class Table:
    """A table as cells over an ``n_rows`` x ``n_cols`` grid.

    Attributes:
        cells: the cells, each placed once at its top-left grid position.
        n_rows: grid rows.
        n_cols: grid columns.
        caption: a title the reader found with the table (sheet name, <caption>).
    """

    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or table in reading order.

    Attributes:
        kind: "heading", "paragraph" or "table".
        text: the block's plain text as it appears in ``Document.text``
            (for a table: cells joined by tabs, rows by newlines).
        prov: one provenance per page the block touches.
        table: the cell grid when ``kind == "table"``.
    """

    kind: BlockKind
    text: str
    prov: tuple[Provenance, ...] = ()
    table: Table | None = None

    @property
    def page(self) -> int | None:
        """1-based page where the block starts, if the input has pages."""
        return self.prov[0].page if self.prov else None


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Facts about one page of a paginated input.

    Attributes:
        number: 1-based page number.
        width: page width in points.
        height: page height in points.
        ocr: True when the page's text came from OCR.
    """

    number: int
    width: float = 0.0
    height: float = 0.0
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """Everything a reader found in one input.

    Attributes:
        name: the input's display name (used as ``doc`` in records).
        format: reader format name ("text", "html", "docx", "xlsx", "pdf", "image").
        text: plain text of the whole document; block and cell spans index it.
        blocks: blocks in reading order.
        pages: per-page facts for paginated inputs, else empty.
        timings: seconds per reader step, e.g. (("layout", 0.12), ("ocr", 1.5)).
    """

    name: str
    format: str
    text: str
    blocks: tuple[Block, ...]
    pages: tuple[PageInfo, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=())

    @property
    def n_pages(self) -> int | None:
        """Number of pages, or None for inputs without pages."""
        return len(self.pages) or None
