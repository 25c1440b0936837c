"""Records, tolerances and text rules shared by the page-layout modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nlp.document import BBox, TextSource
from nlp.read.base import CellInput

ParagraphKind = Literal["heading", "paragraph"]


@dataclass(frozen=True, slots=True)
class TextFragment:
    """A piece of text with its box: a character, word, run or OCR line.

    Attributes:
        text: the text; whitespace-only fragments are ignored.
        x0: left edge, points.
        top: top edge, points from the top of the page.
        x1: right edge, points.
        bottom: bottom edge, points from the top of the page.
        page: 1-based page number.
        source: "text" for a text layer, "ocr" for recognised pixels.
        confidence: the recogniser's score for OCR, else 1.0.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    source: TextSource = "text"
    confidence: float = 1.0

    @property
    def height(self) -> float:
        """Box height in points."""
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Ruling:
    """A drawn or detected line segment; a box thick both ways is its four edges.

    Attributes:
        x0: left end, points.
        top: upper end, points from the top of the page.
        x1: right end, points.
        bottom: lower end, points from the top of the page.
    """

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class LayoutParams:
    """Every tolerance of page layout, with its unit.

    "Line height" is the height of the text line concerned (about the font size).

    Attributes:
        duplicate_tolerance: points by which a second copy of the same text may be
            offset and still count as printed twice at one place.
        line_overlap: share of the smaller height two fragments must overlap
            vertically to be on one line.
        space_gap: line heights of horizontal gap read as a space between Latin
            text (never between Chinese characters).
        column_gap: line heights of horizontal gap that separates two runs
            (columns) of one line.
        paragraph_gap: line heights of vertical gap that ends a paragraph.
        indent: line heights a line must start right of the text's left edge to
            be an indented first line.
        short_line: line heights a line must end left of the text's right edge to
            be a paragraph's last line.
        heading_size: ratio of a line's height to the page's body line height
            from which the line is set in a larger type (a heading).
        heading_max_chars: longest one-line paragraph read as a heading.
        ruling_thickness: thickest ruling, points, read as a line; thicker boxes
            are rectangles whose edges are rulings.
        ruling_min_length: shortest ruling, points, kept (shorter: dots, ticks).
        snap_tolerance: points within which rulings are on one line.
        join_tolerance: points of gap between collinear segments that still join.
        min_cell_size: points; grid lines closer than this are one line (double
            borders).
        min_table_rows: rows a text-aligned table must have.
        min_table_cols: columns that must align for a text-aligned table.
        cell_wrap_gap: line heights of vertical gap under which a line of an
            aligned table continues the row above (text wrapped in a cell).
        table_row_gap: line heights of vertical gap that ends an aligned table.
        furniture_zone: share of the page height at the top and at the bottom
            where running headers, footers and page numbers are looked for.
        furniture_share: share of the pages a margin text must repeat on to be a
            running header or footer.
        furniture_min_pages: fewest pages a margin text must repeat on.
        furniture_max_chars: longest margin text taken for a header or footer.
        furniture_x_bucket: points; repeated margin texts whose centres fall in the
            same bucket count as at the same place.
        mark_reach: line heights of horizontal gap between a punctuation mark
            drawn off its line and the text it is re-seated beside.
    """

    duplicate_tolerance: float = 1.0
    line_overlap: float = 0.5
    space_gap: float = 0.35
    column_gap: float = 1.5
    paragraph_gap: float = 0.8
    indent: float = 1.0
    short_line: float = 2.0
    heading_size: float = 1.2
    heading_max_chars: int = 40
    ruling_thickness: float = 3.0
    ruling_min_length: float = 5.0
    snap_tolerance: float = 2.0
    join_tolerance: float = 3.0
    min_cell_size: float = 4.0
    min_table_rows: int = 3
    min_table_cols: int = 2
    cell_wrap_gap: float = 0.45
    table_row_gap: float = 2.5
    furniture_zone: float = 0.08
    furniture_share: float = 0.5
    furniture_min_pages: int = 2
    furniture_max_chars: int = 60
    furniture_x_bucket: float = 40.0
    mark_reach: float = 0.6


DEFAULT_PARAMS = LayoutParams()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A heading or paragraph of one page.

    Attributes:
        text: the text, lines joined.
        bbox: (x0, top, x1, bottom), points, top-left origin.
        page: 1-based page.
        source: "text" or "ocr".
        confidence: lowest fragment confidence.
        kind: "heading" or "paragraph".
        open_end: the last line runs to the right edge without closing
            punctuation, so the paragraph may go on on the next page.
        indented: the first line is indented (a new paragraph starts there).
    """

    text: str
    bbox: BBox
    page: int
    source: TextSource = "text"
    confidence: float = 1.0
    kind: ParagraphKind = "paragraph"
    open_end: bool = False
    indented: bool = False


@dataclass(frozen=True, slots=True)
class TableItem:
    """A table of one page as cells at their top-left grid positions.

    Attributes:
        cells: the cells (covered positions of merged cells are not listed).
        bbox: the table's box, points, top-left origin.
        page: 1-based page.
    """

    cells: tuple[CellInput, ...]
    bbox: BBox
    page: int


PageItem = Paragraph | TableItem

# --- characters ---------------------------------------------------------------

SENTENCE_END = frozenset("。！？!?；;：:…")
CLOSERS = "”’\"'）)】」』》"
SECTION_START = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+\s*[部分章节篇]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|\d{1,2}\s*[、．](?!\d))"
)
PAGE_NUMBER = re.compile(
    r"[-—–\s]*\d{1,4}[-—–\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?"
)
DIGITS = re.compile(r"\d+")


def is_wide(char: str) -> bool:
    """True for CJK ideographs, kana, hangul and full-width forms (no spaces)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def join_lines(first: str, second: str) -> str:
    """Join two lines of one paragraph or cell as one text.

    A space goes between them only where a Latin word ends one line and a Latin
    word or number starts the next (or a number then a Latin word); Chinese lines
    and numbers cut at a line end (``88,808.`` / ``45万元``) join directly.
    """
    if not first:
        return second
    if not second:
        return first
    last, start = first[-1], second[0]
    latin_pair = (_latin(last) and (_latin(start) or start.isdigit())) or (
        last.isascii() and last.isdigit() and _latin(start)
    )
    return f"{first} {second}" if latin_pair else first + second
