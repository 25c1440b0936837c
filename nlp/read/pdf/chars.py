"""Visible characters: render mode, colour, clipping, mapping, and fragments.

The rules the collecting device applies to each drawn character (hidden render
modes, white text, clipping and CropBox, characters without a Unicode mapping)
and the joining of the kept characters into :class:`TextFragment` s. Characters
are ``(text, x0, y0, x1, y1)`` in pdfminer coordinates (bottom-left origin) until
:func:`_fragments` converts them to a top-left origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.read.layout import TextFragment
from nlp.read.pdf.params import PdfParams, Rect

_INVISIBLE_MODES = frozenset({3, 7})
_STROKE_MODES = frozenset({1, 5})
# Font descents in em: beyond half the em a declared descent is broken (a glyph
# box mostly under its baseline); such a font is given a usual descent instead.
_MAX_DESCENT = -0.5
_USUAL_DESCENT = -0.2


@dataclass(slots=True)
class _PageText:
    """What the collecting device found on one page (pdfminer coordinates)."""

    chars: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    hidden: int = 0
    garbage: int = 0
    dark_fills: list[Rect] = field(default_factory=list)
    white: list[tuple[str, float, float, float, float]] = field(default_factory=list)


def _inside(x: float, y: float, box: Rect, tol: float) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def _intersect(a: Rect, b: Rect) -> Rect:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    return (x0, y0, max(x0, min(a[2], b[2])), max(y0, min(a[3], b[3])))


def _unmapped(text: str) -> bool:
    """True for text without a real Unicode mapping."""
    code = ord(text[0])
    return text == "\ufffd" or 0xE000 <= code <= 0xF8FF or text.startswith("(cid:")


def _descent(declared: float) -> float:
    """A font's descent (em, negative) as drawn: a broken ``Descent`` such as
    -1.03 em would put every character's box below its line, so its centre
    would fall into the table row under the one it is printed in."""
    return _USUAL_DESCENT if declared < _MAX_DESCENT else declared


def _is_white(color: Any, level: float) -> bool:
    """True when a pdfminer colour (gray, RGB or CMYK) is white."""
    if isinstance(color, (int, float)):
        return color >= level
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:  # CMYK: no ink
        return all(v <= 1 - level for v in color)
    if len(color) in (1, 3):
        return all(v >= level for v in color)
    return False


def _on_dark(
    white: list[tuple[str, float, float, float, float]], fills: Sequence[Rect]
) -> list[tuple[str, float, float, float, float]]:
    """White characters a reader sees: those printed on a dark filled shape."""
    if not white or not fills:
        return []
    return [
        c
        for c in white
        if any(_inside((c[1] + c[3]) / 2, (c[2] + c[4]) / 2, f, 0.0) for f in fills)
    ]


def _fragments(
    chars: Sequence[tuple[str, float, float, float, float]],
    page: int,
    height: float,
    params: PdfParams,
) -> list[TextFragment]:
    """Join characters in drawing order into runs on one baseline without a gap.

    A single space the PDF draws right after a character stays in the run (it is
    the writer's); two or more spaces in a row, or a space drawn after a gap, end
    it, as they align columns. Coordinates change here to a
    top-left origin.
    """
    fragments: list[TextFragment] = []
    text: list[str] = []
    x0 = y0 = x1 = y1 = reach = size = 0.0

    def close() -> None:
        while text and text[-1] == " ":
            text.pop()
        if text:
            fragments.append(
                TextFragment("".join(text), x0, height - y1, x1, height - y0, page)
            )
        text.clear()

    for char, cx0, cy0, cx1, cy1 in chars:
        if char.isspace():
            # A space drawn away from the run's end follows a jump to another
            # column: it ends the run rather than joining the next column to it.
            if text and text[-1] != " " and cx0 - reach <= params.merge_gap * size:
                text.append(" ")
                reach = max(reach, cx1)
            else:
                close()
            continue
        csize = cy1 - cy0
        if text and (
            abs(cy0 - y0) <= params.baseline_tolerance * size
            and abs(csize - size) <= params.baseline_tolerance * size
            and -params.merge_gap * size <= cx0 - reach <= params.merge_gap * size
        ):
            text.append(char)
            x1 = reach = max(x1, cx1)
            y1 = max(y1, cy1)
            continue
        close()
        text.append(char)
        x0, y0, x1, y1, size = cx0, cy0, cx1, cy1, csize or 1.0
        reach = x1
    close()
    return fragments
