"""Ruling-line detection with numpy only.

The page is binarized, recognised text is blanked out, and long horizontal and
vertical runs of dark pixels are kept as table lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams


def binarize(pixels: np.ndarray) -> np.ndarray:
    """Dark-pixel mask of a greyscale image by Otsu's threshold."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(float)
    total = histogram.sum()
    if total == 0:
        return np.zeros(pixels.shape, dtype=bool)
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    sum_dark = np.cumsum(histogram * levels)
    mean_dark = sum_dark / np.maximum(weight_dark, 1)
    mean_light = (sum_dark[-1] - sum_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    threshold = int(np.argmax(between))
    return pixels <= threshold


def find_rulings(
    pixels: np.ndarray,
    text_boxes: Sequence[tuple[float, float, float, float]],
    px_per_pt: float,
    params: OcrParams = DEFAULT_PARAMS,
) -> list[tuple[float, float, float, float]]:
    """Horizontal and vertical table lines in a greyscale page image.

    The image is binarized, the inner part of every recognised text box is
    blanked (character strokes are not lines), and long runs of dark pixels are
    kept: a pixel belongs to a line when a window of ``ruling_min_pt`` along the
    line's direction through it is at least ``ruling_fill`` dark. Adjacent
    pixel rows of a run are merged into one ruling (line thickness), and pieces
    of one line separated by a short gap are joined.

    Args:
        pixels: H x W uint8 greyscale.
        text_boxes: (x0, top, x1, bottom) in pixels of recognised text.
        px_per_pt: pixels per point.
        params: thresholds.

    Returns:
        Rulings as (x0, top, x1, bottom) in pixels, zero thickness.
    """
    dark = binarize(pixels)
    _blank_text(dark, text_boxes, params.text_mask_shrink)
    min_run = max(2, round(params.ruling_min_pt * px_per_pt))
    max_thick = max(1, round(params.ruling_max_thickness_pt * px_per_pt))
    gap = max(1, round(params.ruling_merge_gap_pt * px_per_pt))
    horizontal = _line_runs(dark, min_run, params.ruling_fill)
    vertical = _line_runs(np.ascontiguousarray(dark.T), min_run, params.ruling_fill)
    # Each line is reported as its centre line: a thick scanned line is one
    # ruling, not a rectangle whose four edges are rulings.
    rulings = []
    for first, end, start, stop in _bands(horizontal, max_thick, gap):
        y = (first + end) / 2
        rulings.append((float(start), y, float(stop), y))
    for first, end, start, stop in _bands(vertical, max_thick, gap):
        x = (first + end) / 2
        rulings.append((x, float(start), x, float(stop)))
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


def _line_runs(
    dark: np.ndarray, min_run: int, fill: float
) -> list[tuple[int, int, int]]:
    """Runs of line pixels along each row: (row, start, end) half-open.

    A window of ``min_run`` pixels that is at least ``fill`` dark marks all its
    pixels as line pixels; runs of marked pixels are returned.
    """
    cols = dark.shape[1]
    if cols < min_run:
        return []
    need = math.ceil(fill * min_run)
    # Only rows with that many dark pixels at all can hold a line: on a page with
    # its text blanked these are few, so the window sums run on them alone.
    rows = np.flatnonzero(np.count_nonzero(dark, axis=1) >= need)
    if rows.size == 0:
        return []
    dark = dark[rows]
    counts = np.cumsum(dark, axis=1, dtype=np.int32)
    counts = np.pad(counts, ((0, 0), (1, 0)))
    window = counts[:, min_run:] - counts[:, :-min_run]
    starts = window >= need  # rows x (cols - min_run + 1)
    if not starts.any():
        return []
    # A pixel is on a line when some qualifying window covers it: a window
    # starting in [x - min_run + 1, x].
    begun = np.cumsum(starts, axis=1, dtype=np.int32)
    begun = np.pad(begun, ((0, 0), (0, cols - begun.shape[1])), mode="edge")
    earlier = np.pad(begun, ((0, 0), (min_run, 0)))[:, :cols]
    covered = (begun - earlier) > 0
    edges = np.diff(covered.astype(np.int8), axis=1, prepend=0, append=0)
    run_rows, run_starts = np.nonzero(edges == 1)
    _, run_ends = np.nonzero(edges == -1)
    return list(
        zip(
            rows[run_rows].tolist(),
            run_starts.tolist(),
            run_ends.tolist(),
            strict=True,
        )
    )


def _bands(
    runs: Sequence[tuple[int, int, int]], max_thick: int, gap: int
) -> list[tuple[int, int, int, int]]:
    """Merge runs on adjacent rows into lines: (first_row, last_row+1, start, end).

    Runs on consecutive rows that overlap along the line are one line of some
    thickness; bands thicker than ``max_thick`` are filled areas and dropped;
    collinear bands separated by at most ``gap`` pixels are joined.
    """
    open_bands: list[list[int]] = []  # [first_row, last_row, start, end]
    done: list[list[int]] = []
    for row, start, end in sorted(runs):
        still_open = []
        matched = None
        for band in open_bands:
            if band[1] < row - 1:
                done.append(band)
                continue
            still_open.append(band)
            if matched is None and band[1] == row - 1 and _overlap(band, start, end):
                matched = band
        open_bands = still_open
        if matched is None:
            open_bands.append([row, row, start, end])
        else:
            matched[1] = row
            matched[2], matched[3] = min(matched[2], start), max(matched[3], end)
    done.extend(open_bands)
    lines = [b for b in done if b[1] - b[0] + 1 <= max_thick]
    return _join_collinear(lines, gap)


def _overlap(band: Sequence[int], start: int, end: int) -> bool:
    return min(band[3], end) - max(band[2], start) > 0


def _join_collinear(
    bands: list[list[int]], gap: int
) -> list[tuple[int, int, int, int]]:
    """Join bands on the same line whose ends are at most ``gap`` apart."""
    bands.sort(key=lambda b: ((b[0] + b[1]) / 2, b[2]))
    joined: list[list[int]] = []
    for band in bands:
        last = joined[-1] if joined else None
        if (
            last is not None
            and abs((last[0] + last[1]) / 2 - (band[0] + band[1]) / 2) <= gap / 2
            and band[2] - last[3] <= gap
        ):
            last[0], last[1] = min(last[0], band[0]), max(last[1], band[1])
            last[3] = max(last[3], band[3])
            continue
        joined.append(list(band))
    return [(b[0], b[1] + 1, b[2], b[3]) for b in joined]
