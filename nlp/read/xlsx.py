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

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import CellInput, DocumentBuilder

logger = logging.getLogger(__name__)

# Excel's General format shows at most this many significant digits.
GENERAL_DIGITS = 11
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


# ---------------------------------------------------------------------------
# Number formats

_DIGIT = "0#?"
# Excel's built-in locale-dependent date formats, shown here in ISO order.
_ISO_FORMATS = {
    "mm-dd-yy": "yyyy-mm-dd",
    "m/d/yy": "yyyy-mm-dd",
    "m/d/yy h:mm": "yyyy-mm-dd hh:mm",
    "[$-f800]dddd, mmmm dd, yyyy": "yyyy-mm-dd",
    "[$-f400]h:mm:ss am/pm": "hh:mm:ss",
}
_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_value(value: object, number_format: str | None) -> str:
    """A cell value as Excel displays it under ``number_format``.

    Args:
        value: the cell value from openpyxl (number, str, bool, date/time, None).
        number_format: the cell's number format code ("General", "0.00" ...).

    Returns:
        The displayed text; "" for an empty cell.
    """
    fmt = number_format or "General"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return format_datetime(value, fmt)
    if isinstance(value, int | float | Decimal):
        return format_number(_to_decimal(value), fmt)
    return str(value)


def _to_decimal(value: float | int | Decimal) -> Decimal:
    # repr gives the shortest string that round-trips, so 0.1 stays 0.1.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def split_sections(fmt: str) -> list[str]:
    """Split a format code on ';' outside quotes, escapes and brackets."""
    sections: list[str] = []
    current: list[str] = []
    quoted = bracket = escaped = False
    for ch in fmt:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[]":
            bracket = ch == "["
        elif ch == ";" and not (quoted or bracket):
            sections.append("".join(current))
            current = []
            continue
        current.append(ch)
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """Split a section into ("lit", text), ("num", char), ("general", "") tokens."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1 : end]))
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
            continue
        if ch in "_*" and i + 1 < len(section):
            # _x pads with the width of x; *x repeats x to fill the column.
            tokens.append(("lit", " " if ch == "_" else ""))
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inner = section[i + 1 : end]
            if inner.startswith("$"):
                tokens.append(("lit", inner[1:].split("-")[0]))
            i = end + 1
            continue
        if section[i : i + 7].lower() == "general":
            tokens.append(("general", ""))
            i += 7
            continue
        if ch in _DIGIT + ".," or (ch in "eE" and section[i + 1 : i + 2] in ("+", "-")):
            step = 2 if ch in "eE" else 1
            tokens.append(("num", section[i : i + step].upper()))
            i += step
            continue
        tokens.append(("lit", ch))
        i += 1
    return tokens


def format_number(value: Decimal, fmt: str) -> str:
    """A number under an Excel number format code.

    Args:
        value: the exact value.
        fmt: the format code; "General" and "@" print like Excel's General.

    Returns:
        The displayed text.
    """
    sections = split_sections(fmt)
    sign = ""
    if value == 0 and len(sections) >= 3:
        section = sections[2]
    elif value < 0 and len(sections) >= 2 and sections[1].strip():
        # The negative section writes its own sign or parentheses.
        section, value = sections[1], -value
    else:
        section = sections[0]
        sign, value = ("-", -value) if value < 0 else ("", value)
    tokens = _tokens(section)
    nums = [i for i, (kind, _) in enumerate(tokens) if kind in ("num", "general")]
    if not nums:
        literal = "".join(text for _, text in tokens).strip()
        return literal if literal and literal != "@" else sign + general(value)
    first, last = nums[0], nums[-1]
    middle = tokens[first : last + 1]
    prefix = "".join(t for k, t in tokens[:first] if k == "lit")
    suffix = "".join(t for k, t in tokens[last + 1 :] if k == "lit")
    percents = (prefix + suffix).count("%")
    value = value * (100**percents)
    if any(kind == "general" for kind, _ in middle) or any(
        kind == "lit" for kind, _ in middle
    ):
        # Literals between digits (phone-number formats) are beyond this formatter.
        body = general(value)
    else:
        body = _apply_digits("".join(t for _, t in middle), value)
    text = f"{prefix}{body}{suffix}".strip()
    if sign and any(ch.isdigit() and ch != "0" for ch in body):
        text = sign + text
    return text


def _apply_digits(pattern: str, value: Decimal) -> str:
    """Format ``value`` (>= 0) by a digit pattern: ``#,##0.00``, ``0.0E+00``."""
    if "E" in pattern:
        mantissa = pattern.split("E")[0]
        places = sum(ch in _DIGIT for ch in mantissa.partition(".")[2])
        return f"{float(value):.{places}E}"
    int_pat, point, dec_pat = pattern.partition(".")
    stripped = int_pat.rstrip(",")
    # Each comma after the last integer digit scales the value down by 1000.
    value = value / (1000 ** (len(int_pat) - len(stripped)))
    places = sum(ch in _DIGIT for ch in dec_pat)
    required = dec_pat.count("0")
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    int_digits, _, frac = f"{rounded:f}".partition(".")
    int_digits = int_digits.lstrip("0").zfill(stripped.count("0"))
    if "," in stripped and int_digits:
        int_digits = f"{int(int_digits):,}".zfill(len(int_digits))
    frac = frac.rstrip("0").ljust(required, "0")
    return f"{int_digits}{point}{frac}"


def general(value: Decimal) -> str:
    """A number as Excel's General format shows it: no float artifacts, no .0.

    Args:
        value: the exact value.

    Returns:
        Integers without a point; other numbers rounded to ``GENERAL_DIGITS``
        significant digits with trailing zeros dropped.
    """
    if value == value.to_integral_value():
        return str(int(value))
    places = max(0, GENERAL_DIGITS - 1 - value.adjusted())
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------------------
# Date and time formats

_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|am/pm|a/p|上午/下午|a{3,4}|e+|y+|m+|d+|h+|s+(?:\.0+)?|.',
    re.I,
)


def format_datetime(value: dt.date | dt.time | dt.timedelta, fmt: str) -> str:
    """A date, time or duration under an Excel date format code.

    Excel's locale-dependent built-in date formats (id 14 "mm-dd-yy" and friends)
    are shown in ISO order (2021-01-01); other codes follow their own pattern.

    Args:
        value: the value openpyxl converted from the cell's serial number.
        fmt: the cell's number format code.

    Returns:
        The displayed text.
    """
    section = split_sections(fmt)[0]
    section = _ISO_FORMATS.get(section.lower(), section)
    unquoted = re.sub(r'"[^"]*"|\[\$[^\]]*\]', "", section)
    if section.lower() in ("general", "@") or not re.search(r"[ymdhs]", unquoted, re.I):
        section = _default_pattern(value)
    tokens = _DATE_TOKEN.findall(section)
    kinds = [_date_kind(t) for t in tokens]
    twelve_hour = any(k == "ampm" for k in kinds)
    parts: list[str] = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind == "m" and _is_minute(kinds, i):
            kind = "minute"
        parts.append(_render_date_token(token, kind, value, twelve_hour))
    return "".join(parts).strip()


def _default_pattern(value: dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.timedelta):
        return "[h]:mm:ss"
    if isinstance(value, dt.time):
        return "hh:mm:ss"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return "yyyy-mm-dd hh:mm:ss"
    return "yyyy-mm-dd"


def _date_kind(token: str) -> str:
    low = token.lower()
    if low in ("am/pm", "a/p", "上午/下午"):
        return "ampm"
    if low.startswith("[") and re.fullmatch(r"\[(h+|m+|s+)\]", low):
        return "elapsed"
    if low.startswith("aaa"):
        return "weekday_zh"
    if low[0] in "ymdhse" and len(set(low.split(".")[0])) == 1:
        return low[0]
    return "lit"


def _is_minute(kinds: list[str], i: int) -> bool:
    """An m token means minutes after an hour or before a second token."""
    before = [k for k in kinds[:i] if k != "lit"]
    after = [k for k in kinds[i + 1 :] if k != "lit"]
    return bool(
        (before and before[-1] in ("h", "elapsed")) or (after and after[0] == "s")
    )


def _render_date_token(
    token: str, kind: str, value: dt.date | dt.time | dt.timedelta, twelve: bool
) -> str:
    """Render one date-format token for ``value``."""
    n = len(token)
    if kind == "lit":
        return _date_literal(token)
    if isinstance(value, dt.timedelta):
        return _render_duration(token, kind, value)
    date = value if isinstance(value, dt.date) else None
    time = value.time() if isinstance(value, dt.datetime) else value
    time = time if isinstance(time, dt.time) else dt.time()
    if kind in ("y", "e") and date is not None:
        return f"{date.year % 100:02d}" if kind == "y" and n <= 2 else str(date.year)
    if kind == "m" and date is not None:
        name = _MONTHS[date.month - 1]
        return (str(date.month), f"{date.month:02d}", name[:3], name, name[0])[
            min(n, 5) - 1
        ]
    if kind == "d" and date is not None:
        name = _DAYS[date.weekday()]
        return (str(date.day), f"{date.day:02d}", name[:3], name)[min(n, 4) - 1]
    if kind == "weekday_zh" and date is not None:
        day = _WEEKDAYS_ZH[date.weekday()]
        return f"星期{day}" if n >= 4 else day
    if kind == "h":
        hour = (time.hour % 12 or 12) if twelve else time.hour
        return f"{hour:0{min(n, 2)}d}"
    if kind == "minute":
        return f"{time.minute:0{min(n, 2)}d}"
    if kind == "s":
        return f"{time.second:0{min(n, 2)}d}"
    if kind == "ampm":
        return (
            ("AM" if time.hour < 12 else "PM")
            if token[0] in "aA"
            else ("上午" if time.hour < 12 else "下午")
        )
    return ""


def _render_duration(token: str, kind: str, value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    if kind == "elapsed":
        unit = token[1].lower()
        return str(seconds // {"h": 3600, "m": 60, "s": 1}[unit])
    if kind == "minute":
        return f"{seconds // 60 % 60:02d}"
    if kind == "s":
        return f"{seconds % 60:02d}"
    if kind == "h":
        return f"{seconds // 3600 % 24:02d}"
    return ""


def _date_literal(token: str) -> str:
    if token.startswith('"'):
        return token.strip('"')
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "
    if token.startswith(("*", "[")):
        return ""
    return token
