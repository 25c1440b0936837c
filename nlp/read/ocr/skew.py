"""Skew of a page image, from projection profiles or from text boxes.

:func:`page_skew` finds the skew before OCR from the page's pixels alone (a
coarse then a fine projection-profile search), so the page is turned once and
read once. :func:`estimate_skew` gives it from detected text boxes, and
:func:`refine_skew` sharpens an estimate with profiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image

from nlp.read.ocr.engine import OcrLine
from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams
from nlp.read.ocr.rulings import binarize


def line_angle(line: OcrLine) -> float:
    """Angle of a text box's top edge in degrees, positive sloping down-right."""
    (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def estimate_skew(
    lines: Sequence[OcrLine], params: OcrParams = DEFAULT_PARAMS
) -> float:
    """The page's skew in degrees from its text boxes' orientation.

    The median of the top-edge angles of line-shaped boxes, each weighted by its
    width: long lines give precise angles, short boxes are quantized by a few
    pixels. Rotating the image by the result (counter-clockwise, PIL's sense)
    levels the text.

    Returns:
        The skew, or 0.0 when no box qualifies or the estimate exceeds
        ``params.deskew_max_degrees`` (then it is not a skew but noise or a
        rotated page, which this step does not handle).
    """
    angles: list[float] = []
    weights: list[float] = []
    for line in lines:
        x0, top, x1, bottom = line.bbox
        width, height = x1 - x0, bottom - top
        if height <= 0 or width < params.skew_min_aspect * height:
            continue
        angles.append(line_angle(line))
        weights.append(width)
    if not angles:
        return 0.0
    skew = _weighted_median(angles, weights)
    return skew if abs(skew) <= params.deskew_max_degrees else 0.0


def refine_skew(
    pixels: np.ndarray, estimate: float, params: OcrParams = DEFAULT_PARAMS
) -> float:
    """Sharpen a skew estimate with projection profiles.

    Text boxes give the skew only roughly (a short box's edge is off by a pixel
    or two, which is a degree on a cell of four characters). Around the estimate,
    the page's dark-pixel mask is turned by each candidate angle and the angle
    whose row profile is sharpest (largest sum of squared differences between
    neighbouring rows: text lines and rulings level) wins. A reduced copy of the
    page is used; the profile needs only line-scale detail.

    Args:
        pixels: H x W uint8 greyscale page.
        estimate: the rough skew in degrees, as :func:`estimate_skew` gives it.
        params: search window and step.

    Returns:
        The refined skew in degrees.
    """
    factor = max(1, pixels.shape[1] // params.profile_width_px)
    mask = Image.fromarray((binarize(pixels[::factor, ::factor]) * 255).astype("uint8"))
    steps = round(params.profile_window_degrees / params.profile_step_degrees)
    best, best_score = estimate, -1.0
    for k in range(-steps, steps + 1):
        angle = estimate + k * params.profile_step_degrees
        turned = mask.rotate(angle, resample=Image.Resampling.BILINEAR)
        profile = np.asarray(turned, dtype=np.float64).sum(axis=1)
        score = float(np.sum(np.diff(profile) ** 2))
        if score > best_score:
            best, best_score = angle, score
    return best


def page_skew(pixels: np.ndarray, params: OcrParams = DEFAULT_PARAMS) -> float:
    """The page's skew in degrees from its pixels, before any OCR.

    Text lines and table rulings are horizontal when the page is level, so the
    dark-pixel row profile is sharpest there. The search runs in
    ``skew_coarse_step_degrees`` steps over ``±skew_search_degrees``, then in
    ``profile_step_degrees`` steps around the best coarse angle, on a reduced
    copy of the page (the profile needs only line-scale detail).

    Returns:
        The angle that levels the page (PIL's counter-clockwise sense), or 0.0
        for a page without ink.
    """
    factor = max(1, pixels.shape[1] // params.profile_width_px)
    small = binarize(pixels[::factor, ::factor])
    if not small.any():
        return 0.0
    mask = Image.fromarray((small * 255).astype("uint8"))
    coarse = params.skew_coarse_step_degrees
    steps = round(params.skew_search_degrees / coarse)
    best = _sharpest(mask, [k * coarse for k in range(-steps, steps + 1)])
    fine = params.profile_step_degrees
    around = round(coarse / fine)
    return _sharpest(mask, [best + k * fine for k in range(-around, around + 1)])


def _sharpest(mask: Image.Image, angles: Sequence[float]) -> float:
    """The angle whose turned mask has the sharpest row profile (first on ties)."""
    best, best_score = 0.0, -1.0
    for angle in angles:
        turned = mask.rotate(angle, resample=Image.Resampling.BILINEAR)
        profile = np.asarray(turned, dtype=np.float64).sum(axis=1)
        score = float(np.sum(np.diff(profile) ** 2))
        if score > best_score:
            best, best_score = angle, score
    return best


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    middle = np.searchsorted(cumulative, cumulative[-1] / 2)
    return float(np.asarray(values, dtype=float)[order][middle])
