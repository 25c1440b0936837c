"""One page image to OCR results: deskew, recognise, find rulings, map to points.

The entry points for readers: :func:`ocr_pdf_page` and
:func:`ocr_pdf_page_result` for a PDF page (rendered first), :func:`ocr_image`
for an image already in memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from nlp.read.layout import Ruling, TextFragment
from nlp.read.ocr.cells import reread_lone_cells
from nlp.read.ocr.engine import OcrLine, run_engine
from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams
from nlp.read.ocr.render import render_pdf_page
from nlp.read.ocr.repair import (
    level_labels_in_order,
    level_like,
    repair_header_label,
    repair_ocr_text,
)
from nlp.read.ocr.rulings import binarize, find_rulings
from nlp.read.ocr.skew import page_skew
from nlp.read.ocr.split import split_at_rulings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageOcr:
    """What OCR found on one page image.

    Attributes:
        fragments: text lines in points, top-left origin, repaired.
        rulings: table lines in points.
        skew_degrees: the skew corrected (0.0 when none was).
        timings: seconds per step: "render" (PDF pages only), "ocr" (engine
            calls), "rulings".
    """

    fragments: tuple[TextFragment, ...]
    rulings: tuple[Ruling, ...]
    skew_degrees: float = 0.0
    timings: tuple[tuple[str, float], ...] = ()


def ocr_pdf_page(
    pdf_path: Path,
    page_index: int,
    width: float,
    height: float,
    params: OcrParams = DEFAULT_PARAMS,
) -> tuple[list[TextFragment], list[Ruling]]:
    """Render a PDF page and read it with OCR.

    Args:
        pdf_path: the PDF file.
        page_index: 0-based page index.
        width: page width in points (the page's CropBox as the reader sees it).
        height: page height in points.
        params: OCR options.

    Returns:
        Text fragments and rulings in points, top-left origin, page 1-based.
    """
    result = ocr_pdf_page_result(pdf_path, page_index, width, height, params)
    return list(result.fragments), list(result.rulings)


def ocr_pdf_page_result(
    pdf_path: Path,
    page_index: int,
    width: float,
    height: float,
    params: OcrParams = DEFAULT_PARAMS,
) -> PageOcr:
    """Like :func:`ocr_pdf_page`, with the skew found and per-step timings."""
    start = time.perf_counter()
    image = render_pdf_page(pdf_path, page_index, params.dpi)
    render_seconds = time.perf_counter() - start
    # Map pixels to the page size the caller measured (rounding of the bitmap).
    scale_x = width / image.width if image.width else 0.0
    scale_y = height / image.height if image.height else 0.0
    result = ocr_image(image, page_index + 1, (scale_x, scale_y), params)
    timings = (("render", render_seconds), *result.timings)
    return PageOcr(result.fragments, result.rulings, result.skew_degrees, timings)


def ocr_image(
    image: Image.Image,
    page: int,
    scale: tuple[float, float],
    params: OcrParams = DEFAULT_PARAMS,
) -> PageOcr:
    """Read one page image: deskew, recognise, find rulings, convert to points.

    Args:
        image: the page, any PIL mode.
        page: 1-based page number for the fragments.
        scale: points per pixel along x and y (72 / dpi for a rendered page).
        params: OCR options.

    Returns:
        The page's fragments, rulings, corrected skew and timings.
    """
    grey = image.convert("L")
    start = time.perf_counter()
    skew = page_skew(np.asarray(grey), params)
    if abs(skew) >= params.deskew_min_degrees:
        logger.debug("page %d: deskewing by %.2f degrees", page, skew)
        grey = grey.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    else:
        skew = 0.0
    pixels = np.asarray(grey)
    lines = _read_content(pixels, params)
    ocr_seconds = time.perf_counter() - start
    start = time.perf_counter()
    boxes = [line.bbox for line in lines]
    rulings_px = find_rulings(pixels, boxes, _px_per_pt(scale), params)
    lines = split_at_rulings(lines, rulings_px, params.split_inset)
    lines = reread_lone_cells(pixels, lines, rulings_px, scale, params)
    ruling_seconds = time.perf_counter() - start
    fragments = _order_level_labels(tuple(_fragments(lines, page, scale)))
    rulings = tuple(_scale_ruling(r, scale) for r in rulings_px)
    timings = (("ocr", ocr_seconds), ("rulings", ruling_seconds))
    return PageOcr(fragments, rulings, skew, timings)


def content_box(
    pixels: np.ndarray, params: OcrParams = DEFAULT_PARAMS
) -> tuple[int, int, int, int] | None:
    """(x0, top, x1, bottom) in pixels around the page's ink, with a margin.

    Blank borders cost the text detector as much as text does; rows and columns
    with less than ``content_min_ink`` dark pixels (scan noise, specks) are not
    ink. None for a page without ink.
    """
    dark = binarize(pixels)
    height, width = dark.shape
    rows = np.flatnonzero(dark.sum(axis=1) > params.content_min_ink * width)
    cols = np.flatnonzero(dark.sum(axis=0) > params.content_min_ink * height)
    if rows.size == 0 or cols.size == 0:
        return None
    margin = params.content_margin_px
    return (
        max(0, int(cols[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(width, int(cols[-1]) + 1 + margin),
        min(height, int(rows[-1]) + 1 + margin),
    )


def _read_content(pixels: np.ndarray, params: OcrParams) -> list[OcrLine]:
    """OCR the inked part of the page; lines in whole-page pixels."""
    box = content_box(pixels, params)
    if box is None:
        return []
    x0, top, x1, bottom = box
    crop = np.ascontiguousarray(pixels[top:bottom, x0:x1])
    return run_engine(crop, params, offset=(float(x0), float(top)))


def _px_per_pt(scale: tuple[float, float]) -> float:
    """Pixels per point, from the points-per-pixel scale (mean of both axes)."""
    mean = (scale[0] + scale[1]) / 2
    return 1.0 / mean if mean > 0 else 1.0


def _fragments(
    lines: Iterable[OcrLine], page: int, scale: tuple[float, float]
) -> Iterable[TextFragment]:
    """Text lines as fragments in points, with number noise repaired."""
    sx, sy = scale
    for line in lines:
        text = repair_header_label(repair_ocr_text(line.text).strip())
        if not text:
            continue
        x0, top, x1, bottom = line.bbox
        yield TextFragment(
            text=text,
            x0=x0 * sx,
            top=top * sy,
            x1=x1 * sx,
            bottom=bottom * sy,
            page=page,
            source="ocr",
            confidence=line.score,
        )


def _order_level_labels(
    fragments: tuple[TextFragment, ...],
) -> tuple[TextFragment, ...]:
    """Level header labels misread on one header line, named by their order."""
    short = [f for f in fragments if len(f.text) <= 6 and level_like(f.text)]
    renamed: dict[int, str] = {}
    for fragment in short:
        line = sorted((f for f in short if _same_line(f, fragment)), key=lambda f: f.x0)
        texts = level_labels_in_order([f.text for f in line])
        for other, text in zip(line, texts, strict=True):
            if text != other.text:
                renamed[id(other)] = text
    if not renamed:
        return fragments
    return tuple(
        replace(f, text=renamed[id(f)]) if id(f) in renamed else f for f in fragments
    )


def _same_line(a: TextFragment, b: TextFragment) -> bool:
    """Whether two fragments overlap vertically by half the smaller height."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _scale_ruling(
    ruling: tuple[float, float, float, float], scale: tuple[float, float]
) -> Ruling:
    x0, top, x1, bottom = ruling
    return Ruling(x0 * scale[0], top * scale[1], x1 * scale[0], bottom * scale[1])
