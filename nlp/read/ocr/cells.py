"""Ruled-table cells the text detector missed or read as a stray mark, read again.

A cell holding one short mark (``≥``, ``≤``, ``⩾``, ``-``) is a hard case for
line OCR: the detector often finds no text line there, and the recogniser, given
the mark alone, reads ``V`` or ``=``. With the text of the cell to its right
beside it (``⩾`` then ``98``) the recogniser reads it as the line ``≥98`` it
would be in running text. So a cell that has ink but no text, or only a short
mark, is read again together with its right neighbour's first text line, and
when the result ends with the neighbour's text as first read, what precedes it
is the cell's text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.read.layout import Ruling, ruled_grids
from nlp.read.layout.common import is_wide
from nlp.read.layout.tables import Grid
from nlp.read.ocr.engine import OcrLine, recognise_line
from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams
from nlp.read.ocr.rulings import binarize

Box = tuple[float, float, float, float]
Rect = tuple[int, int, int, int]

# How the mark and its neighbour are laid side by side, tried in turn: strip
# height in heights of the neighbour's ink, white margin around and gap between
# the two in strip heights. The recogniser reads a mark best at the scale of the
# text beside it; some print styles read only with more room around.
_LAYOUTS = ((1.0, 0.1, 0.15), (1.8, 0.25, 0.33))


def reread_lone_cells(
    pixels: np.ndarray,
    lines: Sequence[OcrLine],
    rulings: Sequence[Box],
    scale: tuple[float, float],
    params: OcrParams = DEFAULT_PARAMS,
) -> list[OcrLine]:
    """The lines, with the cells read again as the module describes.

    Args:
        pixels: H x W uint8 greyscale page.
        lines: recognised text lines, in pixels.
        rulings: (x0, top, x1, bottom) in pixels.
        scale: points per pixel along x and y.
        params: ``cell_inset_pt``, ``cell_min_ink_px``, ``lone_mark_chars``,
            ``min_score``.

    Returns:
        The lines; a cell re-read has its stray mark replaced by, or gains, one
        line over the ink it holds.
    """
    sx, sy = scale
    grids = ruled_grids(
        [Ruling(a * sx, b * sy, c * sx, d * sy) for a, b, c, d in rulings]
    )
    if not grids:
        return list(lines)
    dark = binarize(pixels)
    out = list(lines)
    for grid in grids:
        members = _members(grid, out, scale)
        dropped: set[int] = set()
        added: list[OcrLine] = []
        for group, rect in enumerate(grid.groups):
            own = members.get(group, [])
            text = "".join(out[i].text for i in own).strip()
            if own and not _lone_mark(text, params.lone_mark_chars):
                continue
            found = _reread(
                pixels, dark, grid, group, rect, members, out, scale, params
            )
            if found is not None:
                dropped.update(own)
                added.append(found)
        out = [line for i, line in enumerate(out) if i not in dropped] + added
    return out


def _members(
    grid: Grid, lines: Sequence[OcrLine], scale: tuple[float, float]
) -> dict[int, list[int]]:
    """Indices of the lines in each merged cell of the grid (by the line's centre)."""
    members: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        x0, top, x1, bottom = line.bbox
        slot = grid.slot_of((x0 + x1) / 2 * scale[0], (top + bottom) / 2 * scale[1])
        if slot is not None:
            members.setdefault(grid.slot_group[slot], []).append(i)
    return members


def _lone_mark(text: str, most: int) -> bool:
    """True for a short text without Chinese characters or digits (a stray read)."""
    return 0 < len(text) <= most and not any(ch.isdigit() or is_wide(ch) for ch in text)


def _reread(
    pixels: np.ndarray,
    dark: np.ndarray,
    grid: Grid,
    group: int,
    rect: Rect,
    members: dict[int, list[int]],
    lines: Sequence[OcrLine],
    scale: tuple[float, float],
    params: OcrParams,
) -> OcrLine | None:
    """The cell's text read beside its right neighbour's, or None."""
    cell = _interior(grid, rect, scale, params.cell_inset_pt)
    ink = _ink_box(dark, cell, params.cell_min_ink_px)
    if ink is None:
        return None
    found = _right_neighbour(grid, rect, members, lines, (ink[1] + ink[3]) / 2)
    if found is None:
        return None
    neighbour, beside_rect = found
    beside_cell = _interior(grid, beside_rect, scale, params.cell_inset_pt)
    beside_clip = _intersection(neighbour.bbox, beside_cell)
    beside_ink = _ink_box(dark, beside_clip, 1) if beside_clip else None
    if beside_ink is None:
        return None
    for layout in _LAYOUTS:
        read = _read_pair(pixels, (ink, cell), (beside_ink, beside_clip), layout)
        text, score = "".join(read[0].split()), read[1]
        known = "".join(neighbour.text.split())
        prefix = text[: len(text) - len(known)]
        if known and prefix and text.endswith(known) and score >= params.min_score:
            break
    else:
        return None
    x0, top, x1, bottom = ink
    quad = ((x0, top), (x1, top), (x1, bottom), (x0, bottom))
    return OcrLine(quad, prefix, score)


def _read_pair(
    pixels: np.ndarray,
    mark: tuple[Box, Box],
    beside: tuple[Box, Box],
    layout: tuple[float, float, float],
) -> tuple[str, float]:
    """Recognise the mark's ink and its neighbour's side by side.

    Each of ``mark`` and ``beside`` is (ink box, clip box): the strip is centred
    on the ink, and only the page's pixels inside the clip are copied.
    """
    scale, margin, gap = layout
    height = (beside[0][3] - beside[0][1]) * scale
    left = _patch(pixels, mark[0], height, mark[1], margin)
    right = _patch(pixels, beside[0], height, beside[1], margin)
    space = np.full((left.shape[0], max(1, round(height * gap))), 255, np.uint8)
    return recognise_line(np.hstack([left, space, right]))


def _interior(grid: Grid, rect: Rect, scale: tuple[float, float], inset: float) -> Box:
    """A merged cell's box in pixels, ``inset`` points inside its rulings."""
    r0, c0, r1, c1 = rect
    return (
        (grid.xs[c0] + inset) / scale[0],
        (grid.ys[r0] + inset) / scale[1],
        (grid.xs[c1] - inset) / scale[0],
        (grid.ys[r1] - inset) / scale[1],
    )


def _intersection(a: Box, b: Box) -> Box | None:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def _ink_box(dark: np.ndarray, cell: Box, min_ink: int) -> Box | None:
    """Bounding box (pixels) of the dark pixels inside ``cell``, or None if few."""
    height, width = dark.shape
    x0, top = max(0, int(cell[0])), max(0, int(cell[1]))
    x1, bottom = min(width, int(cell[2])), min(height, int(cell[3]))
    if x1 <= x0 or bottom <= top:
        return None
    rows, cols = np.nonzero(dark[top:bottom, x0:x1])
    if rows.size < min_ink:
        return None
    return (
        float(x0 + cols.min()),
        float(top + rows.min()),
        float(x0 + cols.max() + 1),
        float(top + rows.max() + 1),
    )


def _right_neighbour(
    grid: Grid,
    rect: Rect,
    members: dict[int, list[int]],
    lines: Sequence[OcrLine],
    middle: float,
) -> tuple[OcrLine, Rect] | None:
    """The text line of the cell right of ``rect`` nearest to the height
    ``middle``, and that cell."""
    r0, _, r1, c1 = rect
    best: tuple[OcrLine, Rect] | None = None
    for group, other in enumerate(grid.groups):
        if other[1] != c1 or other[2] <= r0 or other[0] >= r1:
            continue
        for i in members.get(group, []):
            line = lines[i]
            if not line.text.strip():
                continue
            if best is None or _distance(line, middle) < _distance(best[0], middle):
                best = (line, other)
    return best


def _distance(line: OcrLine, middle: float) -> float:
    return abs((line.bbox[1] + line.bbox[3]) / 2 - middle)


def _patch(
    pixels: np.ndarray, box: Box, height: float, clip: Box, margin: float
) -> np.ndarray:
    """A white strip ``height`` tall centred on ``box``, with the page's pixels
    inside both ``box`` (widened by ``margin`` heights) and ``clip`` copied in."""
    margin *= height
    x0, x1 = int(box[0] - margin), int(box[2] + margin) + 1
    middle = (box[1] + box[3]) / 2
    top = int(middle - height / 2)
    strip = np.full((max(1, round(height)), max(1, x1 - x0)), 255, dtype=np.uint8)
    ph, pw = pixels.shape
    ys = max(top, int(clip[1]), 0), min(top + strip.shape[0], int(clip[3]) + 1, ph)
    xs = max(x0, int(clip[0]), 0), min(x1, int(clip[2]) + 1, pw)
    if ys[0] < ys[1] and xs[0] < xs[1]:
        strip[ys[0] - top : ys[1] - top, xs[0] - x0 : xs[1] - x0] = pixels[
            ys[0] : ys[1], xs[0] : xs[1]
        ]
    return strip
