"""The workbook reader: sheets to grids of displayed texts, grids to blocks."""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import CellInput, DocumentBuilder
from nlp.read.limits import check_archive, check_count
from nlp.read.xlsx.numfmt import format_value

logger = logging.getLogger(__name__)

_SPACES = str.maketrans({"\xa0": " ", "\u3000": " ", "\r": ""})


class XlsxReader:
    """Reads ``.xlsx`` and ``.xlsm`` workbooks with openpyxl."""

    format = "xlsx"
    extensions = (".xlsx", ".xlsm")

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read a workbook into a Document.

        Args:
            path: the file to read.
            name: display name; defaults to the file name.

        Returns:
            The Document: per sheet a heading, then paragraphs and tables.

        Raises:
            ReadError: the file is missing, not a workbook, corrupt or empty.
        """
        path = Path(path)
        if not path.is_file():
            raise ReadError(f"{path}: file not found")
        if not zipfile.is_zipfile(path):
            raise ReadError(f"{path}: not a valid XLSX (zip) file")
        check_archive(path, str(path))
        _check_sheet_rows(path, str(path))
        try:
            # Opened from a file object: openpyxl rejects some names by extension.
            with path.open("rb") as handle:
                workbook = load_workbook(handle, read_only=False, data_only=True)
        except (
            InvalidFileException,
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            TypeError,
            OSError,
            EOFError,
            zlib.error,
        ) as exc:
            raise ReadError(f"{path}: corrupt XLSX file: {exc}") from exc
        builder = DocumentBuilder(name or path.name, self.format)
        for index, sheet in enumerate(workbook.worksheets, start=1):
            if sheet.sheet_state != "visible":
                logger.debug("%s: skipping hidden sheet %r", path, sheet.title)
                continue
            _read_sheet(SheetGrid.load(sheet), index, builder)
        workbook.close()
        document = builder.build()
        if not document.blocks:
            raise ReadError(f"{path}: no text found")
        return document


# A row element of SpreadsheetML, with or without a namespace prefix.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml", re.I)
_SCAN_CHUNK = 1 << 20
_TAG_ROOM = 64  # longer than any row tag with its namespace prefix


def _check_sheet_rows(path: Path, name: str) -> None:
    """Refuse a workbook with a sheet of more rows than ``max_sheet_rows``.

    Rows are counted in the sheet XML as it streams out of the archive, before
    openpyxl builds a cell object for each of them.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if _SHEET_MEMBER.fullmatch(member.filename):
                    rows = _count_rows(archive, member)
                    check_count(
                        name, f"rows in {member.filename}", rows, "max_sheet_rows"
                    )
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return  # openpyxl reports the damage in its own words


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Row elements in one sheet's XML, read in chunks."""
    count, tail = 0, b""
    with archive.open(member) as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            data = tail + chunk
            # A tag starting in the last bytes is counted with the next chunk,
            # so one cut at the chunk end is neither lost nor counted twice.
            cut = max(0, len(data) - _TAG_ROOM)
            count += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:]
    return count + len(_ROW_TAG.findall(tail))


@dataclass
class SheetGrid:
    """A sheet's displayed texts and merged ranges, 1-based like Excel.

    Attributes:
        title: the sheet name.
        texts: displayed text of every non-empty cell that is not covered by a merge.
        spans: (row_span, col_span) of each merged range, keyed by its top-left cell.
        covered: cells hidden under a merged range (its top-left cell excluded).
    """

    title: str
    texts: dict[tuple[int, int], str]
    spans: dict[tuple[int, int], tuple[int, int]]
    covered: set[tuple[int, int]]

    @classmethod
    def load(cls, sheet: Worksheet) -> SheetGrid:
        """Read displayed texts and merged ranges from an openpyxl worksheet."""
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for rng in sheet.merged_cells.ranges:
            rs = rng.max_row - rng.min_row + 1
            cs = rng.max_col - rng.min_col + 1
            spans[rng.min_row, rng.min_col] = (rs, cs)
            covered.update(
                (r, c)
                for r in range(rng.min_row, rng.max_row + 1)
                for c in range(rng.min_col, rng.max_col + 1)
            )
        covered.difference_update(spans)
        texts: dict[tuple[int, int], str] = {}
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell) or cell.value is None:
                    continue
                text = format_value(cell.value, cell.number_format)
                text = "\n".join(t.strip() for t in text.translate(_SPACES).split("\n"))
                if text.strip():
                    texts[cell.row, cell.column] = text.strip()
        return cls(sheet.title, texts, spans, covered)

    @cached_property
    def columns(self) -> dict[int, list[int]]:
        """Columns with text in each row, in order."""
        by_row: dict[int, list[int]] = {}
        for r, c in sorted(self.texts):
            by_row.setdefault(r, []).append(c)
        return by_row

    def filled(self, row: int) -> int:
        """Number of cells with text in ``row`` (a merged range counts once)."""
        return len(self.columns.get(row, ()))

    def occupied_rows(self) -> set[int]:
        """Rows with text or under a merged range that has text."""
        rows = set(self.columns)
        for (r, c), (rs, _) in self.spans.items():
            if (r, c) in self.texts:
                rows.update(range(r, r + rs))
        return rows

    def extent(self, first: int, last: int) -> int:
        """Last row reached by merged ranges starting in rows ``first..last``."""
        return max(
            [last]
            + [
                r + rs - 1
                for (r, _), (rs, _) in self.spans.items()
                if first <= r <= last
            ]
        )


def _bands(rows: set[int]) -> Iterator[tuple[int, int]]:
    """Maximal runs of consecutive row numbers, as (first, last)."""
    ordered = sorted(rows)
    start = prev = ordered[0] if ordered else 0
    for r in ordered[1:]:
        if r != prev + 1:
            yield start, prev
            start = r
        prev = r
    if ordered:
        yield start, prev


def _read_sheet(grid: SheetGrid, page: int, builder: DocumentBuilder) -> None:
    """Append one sheet's heading, paragraphs and tables to ``builder``."""
    if not grid.texts:
        return
    builder.add_text(grid.title, "heading", page=page)
    counts = {r: grid.filled(r) for r in grid.occupied_rows()}
    for first, last in _bands(set(counts)):
        table_rows = [r for r in range(first, last + 1) if counts.get(r, 0) >= 2]
        if not table_rows:
            _add_paragraphs(grid, first, last, page, builder)
            continue
        start, end = table_rows[0], table_rows[-1]
        # Merged cells starting in the table may reach below its last full row.
        while (reach := grid.extent(start, end)) > end:
            end = reach
        _add_paragraphs(grid, first, start - 1, page, builder)
        builder.add_table(_table_cells(grid, start, end, page), caption=grid.title)
        _add_paragraphs(grid, end + 1, last, page, builder)


def _add_paragraphs(
    grid: SheetGrid, first: int, last: int, page: int, builder: DocumentBuilder
) -> None:
    """Each row's texts in ``first..last`` as one paragraph."""
    for r in range(first, last + 1):
        cols = grid.columns.get(r, ())
        builder.add_text(" ".join(grid.texts[r, c] for c in cols), page=page)


def _table_cells(grid: SheetGrid, first: int, last: int, page: int) -> list[CellInput]:
    """Cells of rows ``first..last``, every uncovered position, spans clipped."""
    origins = [
        (c, grid.spans.get((r, c), (1, 1))[1])
        for r in range(first, last + 1)
        for c in grid.columns.get(r, ())
    ]
    left = min(c for c, _ in origins)
    right = max(c + cs - 1 for c, cs in origins)
    cells: list[CellInput] = []
    for r in range(first, last + 1):
        for c in range(left, right + 1):
            if (r, c) in grid.covered:
                continue
            rs, cs = grid.spans.get((r, c), (1, 1))
            cells.append(
                CellInput(
                    text=grid.texts.get((r, c), ""),
                    row=r - first,
                    col=c - left,
                    row_span=min(rs, last - r + 1),
                    col_span=min(cs, right - c + 1),
                    page=page,
                )
            )
    return cells
