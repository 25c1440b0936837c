"""Ruling-line detection with OpenCV.

The page is binarized, recognised text is blanked out (for horizontal lines), and
long horizontal and vertical strokes are kept as table lines: a box filter along
each direction finds windows of ``ruling_min_pt`` that are nearly all dark, a
dilation by the same window marks every pixel such a window covers, a short
closing joins pieces of one line broken by a scan gap, and each connected
component that is thin enough is one ruling at its centre line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams


def binarize(pixels: np.ndarray) -> np.ndarray:
    """Dark-pixel mask of a greyscale image by Otsu's threshold."""
    if pixels.size == 0:
        return np.zeros(pixels.shape, dtype=bool)
    _, mask = cv2.threshold(pixels, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask.astype(bool)


def find_rulings(
    pixels: np.ndarray,
    text_boxes: Sequence[tuple[float, float, float, float]],
    px_per_pt: float,
    params: OcrParams = DEFAULT_PARAMS,
) -> list[tuple[float, float, float, float]]:
    """Horizontal and vertical table lines in a greyscale page image.

    The image is binarized, the inner part of every recognised text box is
    blanked before horizontal lines are looked for (character strokes such as
    ``一`` are not lines), and long strokes are kept: a pixel
    belongs to a line when a window of ``ruling_min_pt`` along the line's
    direction through it is at least ``ruling_fill`` dark. Pieces of one line
    separated by at most ``ruling_merge_gap_pt`` are joined, and a band thicker
    than ``ruling_max_thickness_pt`` (a filled area) is dropped.

    Args:
        pixels: H x W uint8 greyscale.
        text_boxes: (x0, top, x1, bottom) in pixels of recognised text.
        px_per_pt: pixels per point.
        params: thresholds.

    Returns:
        Rulings as (x0, top, x1, bottom) in pixels, zero thickness: each line is
        reported as its centre line (a thick scanned line is one ruling, not a
        rectangle whose four edges are rulings).
    """
    if pixels.size == 0:
        return []
    dark = binarize(pixels)
    # Column lines are looked for before text is blanked: where two cells'
    # texts nearly touch, the detector's box runs over the line between them,
    # and a line blanked in every text row is lost (and the columns merge).
    # Text strokes stand in one line's height, far shorter than a ruling.
    columns = np.ascontiguousarray(dark.T, dtype=np.uint8)
    _blank_text(dark, text_boxes, params.text_mask_shrink)
    mask = dark.astype(np.uint8)
    min_run = max(3, round(params.ruling_min_pt * px_per_pt)) | 1  # odd: centred
    max_thick = max(1.0, params.ruling_max_thickness_pt * px_per_pt)
    gap = max(1, round(params.ruling_merge_gap_pt * px_per_pt))
    rulings = []
    for x0, y, x1 in _lines(mask, min_run, params.ruling_fill, gap, max_thick):
        rulings.append((x0, y, x1, y))
    for y0, x, y1 in _lines(columns, min_run, params.ruling_fill, gap, max_thick):
        rulings.append((x, y0, x, y1))
    return rulings


def _blank_text(
    dark: np.ndarray,
    boxes: Sequence[tuple[float, float, float, float]],
    shrink: float,
) -> None:
    """Clear the inner part of each text box in the mask, in place."""
    height, width = dark.shape
    for x0, top, x1, bottom in boxes:
        margin = (bottom - top) * shrink
        r0, r1 = max(0, int(top + margin)), min(height, int(bottom - margin) + 1)
        c0, c1 = max(0, int(x0 + margin)), min(width, int(x1 - margin) + 1)
        if r0 < r1 and c0 < c1:
            dark[r0:r1, c0:c1] = False


def _lines(
    mask: np.ndarray, min_run: int, fill: float, gap: int, max_thick: float
) -> list[tuple[float, float, float]]:
    """Horizontal lines of a 0/1 mask as (start, centre row, end) in pixels.

    ``start``/``end`` are the first and one-past-last column.
    """
    if mask.shape[1] < min_run:
        return []
    # Dark pixels in the window of min_run pixels centred on each pixel;
    # windows at least ``fill`` dark mark every pixel they cover.
    counts = cv2.boxFilter(
        mask, cv2.CV_16U, (min_run, 1), normalize=False, borderType=cv2.BORDER_CONSTANT
    )
    starts = (counts >= math.ceil(fill * min_run - 1e-9)).astype(np.uint8)
    covered = cv2.dilate(starts, np.ones((1, min_run), np.uint8))
    joined = cv2.morphologyEx(covered, cv2.MORPH_CLOSE, np.ones((1, gap + 1), np.uint8))
    count, _, stats, centroids = cv2.connectedComponentsWithStats(
        joined, connectivity=8
    )
    lines = []
    for k in range(1, count):
        x, _, width, _, area = stats[k]
        if width < min_run or area / width > max_thick:
            continue  # a speck, or a filled area rather than a line
        # +0.5: pixel row r spans [r, r + 1), its centre is at r + 0.5.
        lines.append((float(x), float(centroids[k][1]) + 0.5, float(x + width)))
    return lines
