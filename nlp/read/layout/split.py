"""OCR lines that run across the columns of a ruled table, cut back into cells.

The recogniser reads a row of close numeric cells as one text line
(``3,210.10 2,235.04 2,103.71``, or ``465.13465.13`` when the gap is narrow), so
the whole line would land in the cell holding its centre. A text layer never
does this: each cell is its own word. Where an OCR fragment crosses a vertical
grid line of a ruled table, it is cut into its whitespace-separated pieces, and a
piece made only of two-decimal amounts written back to back is cut into those
amounts. Each piece gets a box: the grid column it falls in when there are as many
pieces as columns crossed, else a share of the fragment's width by its characters.
Text-layer fragments are never touched.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from nlp.read.layout.common import TextFragment, is_wide

# One amount with exactly two decimals (万元 tables print them so), thousands
# commas optional; a run of two or more of them with nothing between is fused.
_AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
_FUSED = re.compile(rf"(?:{_AMOUNT}){{2,}}")
_ONE_AMOUNT = re.compile(_AMOUNT)
# Share of the fragment's height a grid line must lie inside the box to count as
# crossed (a box reaching a hair over its cell's line is not crossing it).
CROSS_MARGIN = 0.5


def split_across_columns(
    frags: Sequence[TextFragment], xs: Sequence[float]
) -> list[TextFragment]:
    """Cut OCR fragments crossing the vertical lines ``xs`` into column pieces.

    Args:
        frags: fragments lying in one ruled grid.
        xs: the grid's vertical line positions, left to right, points.

    Returns:
        The fragments, crossing OCR lines replaced by their pieces.
    """
    out: list[TextFragment] = []
    for frag in frags:
        crossed = _crossed_lines(frag, xs)
        pieces = _pieces(frag.text) if crossed else []
        if len(pieces) < 2:
            out.append(frag)
            continue
        out.extend(_place(frag, pieces, crossed))
    return out


def _crossed_lines(frag: TextFragment, xs: Sequence[float]) -> list[float]:
    """Vertical lines lying well inside an OCR fragment's box."""
    if frag.source != "ocr":
        return []
    margin = CROSS_MARGIN * (frag.bottom - frag.top)
    return [x for x in xs if frag.x0 + margin < x < frag.x1 - margin]


def _pieces(text: str) -> list[str]:
    """Whitespace-separated pieces, fused two-decimal amounts cut apart."""
    pieces: list[str] = []
    for word in text.split():
        if _FUSED.fullmatch(word):
            pieces.extend(m.group(0) for m in _ONE_AMOUNT.finditer(word))
        else:
            pieces.append(word)
    return pieces


def _place(
    frag: TextFragment, pieces: list[str], crossed: list[float]
) -> list[TextFragment]:
    """Give each piece a box inside the fragment's box."""
    edges = [frag.x0, *crossed, frag.x1]
    if len(pieces) == len(edges) - 1:
        spans = list(itertools.pairwise(edges))
    else:
        spans = _proportional_spans(frag, pieces)
    return [
        replace(frag, text=piece, x0=x0, x1=x1)
        for piece, (x0, x1) in zip(pieces, spans, strict=True)
    ]


def _proportional_spans(
    frag: TextFragment, pieces: list[str]
) -> list[tuple[float, float]]:
    """Boxes by character width (a wide character counts two), the rest of the
    fragment's width shared equally between the gaps."""
    weights = [sum(2 if is_wide(ch) else 1 for ch in piece) for piece in pieces]
    width = frag.x1 - frag.x0
    unit = min((frag.bottom - frag.top) / 2, width / sum(weights))
    gap = (width - unit * sum(weights)) / (len(pieces) - 1)
    spans = []
    x = frag.x0
    for weight in weights:
        spans.append((x, x + unit * weight))
        x += unit * weight + gap
    return spans


# A fragment that is only a number (an amount, a code): digits with separators.
_NUMBER = re.compile(r"[-−]?\d[\d,.]*%?")

Slots = tuple[int, int, int, int]  # (row0, col0, row1, col1), half-open


def unmerge_numbers(
    xs: Sequence[float],
    ys: Sequence[float],
    rect: Slots,
    frags: Sequence[TextFragment],
) -> list[tuple[Slots, list[TextFragment]]]:
    """A merged cell of OCR numbers lying in different grid slots, cut back into
    those slots; in one grid row, the text beside them too.

    On a scan a thin column or row line is easily missed, and the grid then
    merges two cells whose numbers are side by side (``3,210.10 2,235.04``) or
    one above the other. A drawn merged cell holds one value; two or more numbers,
    each wholly inside its own slot, say the line was there. Text (a level or a
    heading spanning cells) keeps its merged cell, and so does a text layer,
    whose lines are vectors and never missed.

    Args:
        xs: the grid's vertical line positions.
        ys: the grid's horizontal line positions.
        rect: the merged cell's grid rectangle.
        frags: the fragments inside it.

    Returns:
        (rectangle, fragments) per cell: the merged cell unchanged, or one
        single-slot cell per slot holding text.
    """
    r0, c0, r1, c1 = rect
    whole = [(rect, list(frags))]
    numbers = [_NUMBER.fullmatch(f.text.strip()) is not None for f in frags]
    if (
        (r1 - r0) * (c1 - c0) < 2
        or not any(numbers)
        or any(f.source != "ocr" for f in frags)
    ):
        return whole
    by_slot: dict[tuple[int, int], list[TextFragment]] = {}
    for frag in frags:
        slot = _slot_holding(xs, ys, rect, frag)
        if slot is None:
            return whole  # straddles a grid line: one value after all
        by_slot.setdefault(slot, []).append(frag)
    # Text beside a number in one row (合计 | 6838.41) parts from it too; text
    # over several rows is a level or heading spanning them.
    rows = {r for r, _ in by_slot}
    if len(by_slot) < 2 or (not all(numbers) and len(rows) > 1):
        return whole
    return [((r, c, r + 1, c + 1), fs) for (r, c), fs in sorted(by_slot.items())]


def _slot_holding(
    xs: Sequence[float], ys: Sequence[float], rect: Slots, frag: TextFragment
) -> tuple[int, int] | None:
    """The slot of ``rect`` the fragment lies wholly inside (a margin of half
    its height allowed), or None."""
    margin = CROSS_MARGIN * (frag.bottom - frag.top)
    r0, c0, r1, c1 = rect
    for r in range(r0, r1):
        for c in range(c0, c1):
            if (
                xs[c] - margin <= frag.x0
                and frag.x1 <= xs[c + 1] + margin
                and ys[r] - margin <= frag.top
                and frag.bottom <= ys[r + 1] + margin
            ):
                return r, c
    return None


def unmerge_rows(
    ys: Sequence[float],
    rect: Slots,
    frags: Sequence[TextFragment],
) -> list[tuple[Slots, list[TextFragment]]]:
    """A merged cell of OCR text cut into its grid rows, each line wholly in one.

    Called only for a cell whose rows the numbers beside it showed to be
    separate (:func:`unmerge_numbers` cut them): the row line was missed across
    the table, so the labels (``行政运行`` over ``一般行政管理事务``) part too.
    """
    r0, c0, r1, c1 = rect
    whole = [(rect, list(frags))]
    if r1 - r0 < 2 or any(f.source != "ocr" for f in frags):
        return whole
    by_row: dict[int, list[TextFragment]] = {}
    for frag in frags:
        margin = CROSS_MARGIN * (frag.bottom - frag.top)
        rows = [
            r
            for r in range(r0, r1)
            if ys[r] - margin <= frag.top and frag.bottom <= ys[r + 1] + margin
        ]
        if not rows:
            return whole
        by_row.setdefault(rows[0], []).append(frag)
    if len(by_row) < 2:
        return whole
    return [((r, c0, r + 1, c1), fs) for r, fs in sorted(by_row.items())]
