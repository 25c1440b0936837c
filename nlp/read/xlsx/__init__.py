"""Read Excel ``.xlsx`` / ``.xlsm`` workbooks into a Document.

Every visible, non-empty worksheet becomes a heading with the sheet name followed
by its content. Within a sheet, rows are grouped into blocks:

* Runs of consecutive rows that have content (or lie under a merged cell with
  content) form a band; an empty row ends a band.
* In a band, the rows from the first to the last row with two or more filled cells
  are a table (rows with a single filled cell between them, such as section rows,
  stay in it; a merged cell starting inside the table pulls the rows it covers in).
  Rows before or after that stretch with a single filled cell, such as a title or
  ``单位：万元``, are paragraphs.
* Merged ranges become cells with row/column spans; empty leading and trailing
  columns of a table are trimmed. Table.caption is the sheet name.

Cells are read as the sheet displays them: cached formula results
(``data_only=True``) with the cell's number format applied by
:func:`format_value` (``0.00``, ``#,##0.00``, ``0%``, dates, literal suffixes such as
``0.00"万元"``, General printed with at most 11 significant digits), never a raw
float. ``[DBNum]`` Chinese-numeral formats are shown with Arabic digits and
conditional sections (``[>=100]``) are taken in order, ignoring the condition.

Workbooks have no pages; provenance ``page`` is the 1-based index of the sheet in
the workbook (hidden sheets are counted but not read).
"""

from nlp.read.xlsx.codes import split_sections
from nlp.read.xlsx.datefmt import format_datetime
from nlp.read.xlsx.numfmt import GENERAL_DIGITS, format_number, format_value, general
from nlp.read.xlsx.reader import SheetGrid, XlsxReader

__all__ = [
    "GENERAL_DIGITS",
    "SheetGrid",
    "XlsxReader",
    "format_datetime",
    "format_number",
    "format_value",
    "general",
    "split_sections",
]
