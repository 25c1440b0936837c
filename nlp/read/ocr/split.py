"""Text lines the detector ran across a table's vertical ruling, cut at the ruling.

The text detector finds lines of text, not cells: where two neighbouring cells'
texts nearly touch a column line (``成本指标 | 经济成本指标``) it may return one box
over both, and the layout would put both texts in the cell holding the box's
centre. A vertical ruling that crosses a box well inside it cuts the box and its
text there; where each character falls is estimated from character widths (a
Chinese or full-width character is about twice as wide as a digit or Latin
letter).
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.read.layout.common import is_wide
from nlp.read.ocr.engine import OcrLine

Box = tuple[float, float, float, float]

# Widths relative to a full-width character.
_NARROW = 0.5
_SPACE = 0.3


def split_at_rulings(
    lines: Sequence[OcrLine], rulings: Sequence[Box], margin: float
) -> list[OcrLine]:
    """Cut each text line at the vertical rulings that cross it.

    Args:
        lines: recognised text lines, in pixels.
        rulings: (x0, top, x1, bottom) in pixels; vertical ones (x0 == x1) are
            used.
        margin: a ruling must lie this many line heights inside the box (a
            ruling at the box's edge is the cell border the box touches).

    Returns:
        The lines, those crossed by a ruling replaced by their pieces (left to
        right); pieces without text are dropped.
    """
    verticals = [r for r in rulings if r[0] == r[2]]
    out: list[OcrLine] = []
    for line in lines:
        cuts = _cuts(line.bbox, verticals, margin)
        out.extend(_cut(line, cuts) if cuts else [line])
    return out


def _cuts(box: Box, verticals: Sequence[Box], margin: float) -> list[float]:
    """x positions of the rulings crossing the box's middle, well inside it."""
    x0, top, x1, bottom = box
    inset = margin * (bottom - top)
    middle = (top + bottom) / 2
    return sorted(
        x
        for x, start, _, stop in verticals
        if x0 + inset < x < x1 - inset and start <= middle <= stop
    )


def _cut(line: OcrLine, cuts: Sequence[float]) -> list[OcrLine]:
    """The line's pieces between the cuts, with the text estimated to fall there."""
    x0, top, x1, bottom = line.bbox
    text = line.text
    ends = _char_ends(text, x0, x1)
    pieces: list[OcrLine] = []
    start_char, start_x = 0, x0
    for x in [*cuts, x1]:
        # Characters whose centre lies left of the cut belong to this piece.
        end_char = start_char
        while end_char < len(text) and _centre(ends, end_char, x0) < x:
            end_char += 1
        if x == x1:
            end_char = len(text)
        piece = text[start_char:end_char].strip()
        if piece:
            quad = ((start_x, top), (x, top), (x, bottom), (start_x, bottom))
            pieces.append(OcrLine(quad, piece, line.score))
        start_char, start_x = end_char, x
    return pieces


def _char_ends(text: str, x0: float, x1: float) -> list[float]:
    """Estimated right edge of each character of a line spanning ``x0``..``x1``."""
    widths = [_width(char) for char in text]
    total = sum(widths) or 1.0
    ends, run = [], 0.0
    for width in widths:
        run += width
        ends.append(x0 + (x1 - x0) * run / total)
    return ends


def _centre(ends: Sequence[float], index: int, x0: float) -> float:
    left = ends[index - 1] if index else x0
    return (left + ends[index]) / 2


def _width(char: str) -> float:
    if char.isspace():
        return _SPACE
    return 1.0 if is_wide(char) else _NARROW
