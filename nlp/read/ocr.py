"""OCR for pages without a text layer: render, deskew, recognise, find rulings.

A page image becomes what a text layer would have given: :class:`TextFragment` s
(one per recognised text line, ``source="ocr"``, confidence = the recogniser's
score) and :class:`Ruling` s (table lines found in the pixels), both in PDF points
with a top-left origin, ready for :func:`nlp.read.layout.layout_page`.

* PDF pages are rendered with pypdfium2 (no system poppler).
* Text is read by RapidOCR on onnxruntime with the det/rec/cls ONNX models shipped
  inside the ``rapidocr_onnxruntime`` wheel; nothing is downloaded. The engine is
  built once per process (:func:`get_engine`) and reused.
* Skew is estimated from the orientation of the detected text boxes; when it
  exceeds :attr:`OcrParams.deskew_min_degrees` it is sharpened with projection
  profiles and the image is rotated and read again.
* Rulings are found with numpy only: the page is binarized, recognised text is
  blanked out, and long horizontal and vertical runs of dark pixels are kept.
* OCR noise inside numbers (``100. 0%``, ``87, 300. 0``, ``66，100.08``, ``l00``,
  ``O.5``) is repaired by small named rules, each touching only number-like
  tokens.

The default options (``use_cls=False``, 200 dpi) were chosen by measurement on
generated budget-table and prose scans; see ``models/ocr/README.md`` and
``python -m benchmarks.ocr``.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from nlp.errors import ModelError, ReadError
from nlp.read.layout import Ruling, TextFragment

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

logger = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class OcrParams:
    """Every OCR knob, in the units stated per field.

    Attributes:
        dpi: resolution PDF pages are rendered at, dots per inch.
        use_cls: run the 0°/180° text-line orientation classifier. Off by
            default: on upright scans it flips and garbles correct lines and costs
            time (see the model card).
        max_side_px: longest image side RapidOCR may work at before it shrinks
            the image; large enough that the render resolution is kept.
        min_score: recogniser score below which a text line is dropped.
        deskew_min_degrees: skew below this is left alone (no second pass).
        deskew_max_degrees: larger estimates are treated as unreliable.
        skew_min_aspect: a box counts toward the skew estimate only when its
            width is at least this many times its height (a text line, not a
            single character whose box angle is noise).
        profile_width_px: the page is reduced to about this width (pixels)
            for the projection-profile skew search.
        profile_window_degrees: the search covers the box estimate plus or
            minus this.
        profile_step_degrees: angle step of the search.
        ruling_min_pt: shortest table line, in points; shorter dark runs are
            strokes of characters or noise.
        ruling_fill: share of a ruling's run that must be dark (scan gaps).
        ruling_max_thickness_pt: a dark band thicker than this is a filled area,
            not a line.
        ruling_merge_gap_pt: rulings on the same line separated by at most this
            are one ruling (a ruling broken by a blanked text box or a scan gap).
        text_mask_shrink: share of a text box's height trimmed from each side
            before the box is blanked for ruling detection, so a table line
            touching a generous box survives.
    """

    dpi: int = 200
    use_cls: bool = False
    max_side_px: int = 4000
    min_score: float = 0.5
    deskew_min_degrees: float = 0.4
    deskew_max_degrees: float = 10.0
    skew_min_aspect: float = 2.0
    profile_width_px: int = 800
    profile_window_degrees: float = 1.5
    profile_step_degrees: float = 0.1
    ruling_min_pt: float = 24.0
    ruling_fill: float = 0.9
    ruling_max_thickness_pt: float = 4.0
    ruling_merge_gap_pt: float = 6.0
    text_mask_shrink: float = 0.2

    def __post_init__(self) -> None:
        if self.dpi <= 0:
            raise ValueError(f"dpi must be positive, not {self.dpi}")
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], not {self.min_score}")
        if not 0.0 < self.ruling_fill <= 1.0:
            raise ValueError(f"ruling_fill must be in (0, 1], not {self.ruling_fill}")


DEFAULT_PARAMS = OcrParams()


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One text line as the engine returned it, in image pixels.

    Attributes:
        quad: the four corners (top-left, top-right, bottom-right, bottom-left).
        text: recognised text, before repairs.
        score: recogniser confidence, 0..1.
    """

    quad: tuple[tuple[float, float], ...]
    text: str
    score: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Axis-aligned (x0, top, x1, bottom) around the quad, in pixels."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


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


# ---------------------------------------------------------------- engine

_engine: RapidOCR | None = None
_engine_lock = threading.Lock()


def get_engine() -> RapidOCR:
    """The process's RapidOCR engine, built on first use and reused.

    The engine is built from the configuration shipped in the
    ``rapidocr_onnxruntime`` wheel, whose model paths point at ONNX files inside
    the wheel; :func:`model_paths` lists them.

    Raises:
        ModelError: the engine or its models cannot be loaded.
    """
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = _build_engine(DEFAULT_PARAMS)
    return _engine


def _build_engine(params: OcrParams) -> RapidOCR:
    """Construct RapidOCR; imported here so ``import nlp`` never loads onnxruntime."""
    start = time.perf_counter()
    try:
        from rapidocr_onnxruntime import RapidOCR

        engine = RapidOCR(
            max_side_len=params.max_side_px,
            use_cls=params.use_cls,
            text_score=params.min_score,
        )
    except Exception as exc:  # onnxruntime raises its own types, or OSError
        raise ModelError(f"cannot load the RapidOCR engine: {exc}") from exc
    logger.info("RapidOCR engine loaded in %.2f s", time.perf_counter() - start)
    return engine


def model_paths() -> dict[str, Path]:
    """The ONNX model files the engine loads, by stage ("Det", "Cls", "Rec").

    Read from the wheel's own configuration, resolved as RapidOCR resolves it.
    """
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    config = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    return {stage: Path(config[stage]["model_path"]) for stage in ("Det", "Cls", "Rec")}


def run_engine(image: np.ndarray, params: OcrParams = DEFAULT_PARAMS) -> list[OcrLine]:
    """Read the text lines of an image with the shared engine.

    Args:
        image: H x W x 3 uint8 RGB (or H x W grey) pixels.
        params: OCR options (``use_cls``, ``min_score``).

    Returns:
        Text lines in the engine's reading order; empty when none was found.
    """
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    result, _ = get_engine()(image, use_cls=params.use_cls, text_score=params.min_score)
    lines = []
    for quad, text, score in result or ():
        corners = tuple((float(x), float(y)) for x, y in quad)
        lines.append(OcrLine(corners, str(text), float(score)))
    return lines


# ---------------------------------------------------------------- pages


def render_pdf_page(pdf_path: Path, page_index: int, dpi: int) -> Image.Image:
    """Render one PDF page to a greyscale image with pypdfium2.

    Raises:
        ReadError: the file cannot be opened or the page does not exist.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as exc:
        raise ReadError(f"{pdf_path}: cannot open for rendering: {exc}") from exc
    try:
        if not 0 <= page_index < len(pdf):
            raise ReadError(f"{pdf_path}: no page {page_index + 1} to render")
        page = pdf[page_index]
        try:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()


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
    lines = run_engine(np.asarray(grey), params)
    skew = estimate_skew(lines, params)
    if abs(skew) >= params.deskew_min_degrees:
        skew = refine_skew(np.asarray(grey), skew, params)
    if abs(skew) >= params.deskew_min_degrees:
        logger.debug("page %d: deskewing by %.2f degrees", page, skew)
        grey = grey.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        lines = run_engine(np.asarray(grey), params)
    else:
        skew = 0.0
    ocr_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pixels = np.asarray(grey)
    boxes = [line.bbox for line in lines]
    rulings_px = find_rulings(pixels, boxes, _px_per_pt(scale), params)
    ruling_seconds = time.perf_counter() - start
    fragments = tuple(_fragments(lines, page, scale))
    rulings = tuple(_scale_ruling(r, scale) for r in rulings_px)
    timings = (("ocr", ocr_seconds), ("rulings", ruling_seconds))
    return PageOcr(fragments, rulings, skew, timings)


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
        text = repair_ocr_text(line.text).strip()
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


def _scale_ruling(
    ruling: tuple[float, float, float, float], scale: tuple[float, float]
) -> Ruling:
    x0, top, x1, bottom = ruling
    return Ruling(x0 * scale[0], top * scale[1], x1 * scale[0], bottom * scale[1])


# ---------------------------------------------------------------- skew


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


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    middle = np.searchsorted(cumulative, cumulative[-1] / 2)
    return float(np.asarray(values, dtype=float)[order][middle])


# ---------------------------------------------------------------- rulings


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
    vertical = _line_runs(dark.T, min_run, params.ruling_fill)
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
    counts = np.cumsum(dark, axis=1, dtype=np.int32)
    counts = np.pad(counts, ((0, 0), (1, 0)))
    window = counts[:, min_run:] - counts[:, :-min_run]
    starts = window >= math.ceil(fill * min_run)  # rows x (cols - min_run + 1)
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
        zip(run_rows.tolist(), run_starts.tolist(), run_ends.tolist(), strict=True)
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


# ---------------------------------------------------------------- number repairs

# A number-like token: digits with letters OCR confuses for digits, points and
# thousands commas, not touching a Latin letter on either side (so words such
# as "ISO" or "Word" are left alone).
_NUMBER_LIKE = re.compile(r"(?<![A-Za-z])[0-9lIO][0-9lIO.,]*(?![A-Za-z])")
_LETTER_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0"})
# What may follow a number whose spaced-out point or comma is repaired: a unit,
# a percent sign, punctuation or the end. Text such as "1. 15个" (a list number
# then a count) is left alone.
_NUMBER_END = r"(?=\s*(?:%|％|‰|万元|亿元|千元|元|万|亿|[,，.;；:：)）]|\s|$))"
_SPACED_POINT = re.compile(r"(?<![\d.])(\d+)\s*[.．]\s+(\d+)" + _NUMBER_END)
_THOUSANDS = re.compile(
    r"(?<![\d.])(\d{1,3})(?:，\s*|,\s+)(\d{3})(?=\s*[.．]\s*\d|[,，]\s*\d{3}|"
    r"\s*(?:万元|亿元|千元|元|万|亿)|\s*$)"
)


def repair_letter_digits(text: str) -> str:
    """``l00`` → ``100``, ``O.5`` → ``0.5``: letters read for digits in a number.

    Only in a token of digits, points and commas that holds at least one real
    digit and touches no other Latin letter; Chinese text is never touched.
    """

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if not any(ch.isdigit() for ch in token):
            return token
        return token.translate(_LETTER_DIGITS)

    return _NUMBER_LIKE.sub(fix, text)


def repair_thousands_separator(text: str) -> str:
    """``87, 300. 0`` → ``87,300. 0``, ``66，100.08万元`` → ``66,100.08万元``.

    The recogniser reads a thousands comma between digits as the full-width
    Chinese comma, or leaves a space after it; either would cut the number in
    two. Repaired only where the three-digit group continues as a number (a
    decimal point, another group, a money unit or the end), so ``12， 345人``
    stays.
    """
    previous = None
    while previous != text:  # "1, 234, 567" needs one pass per group
        previous = text
        text = _THOUSANDS.sub(r"\1,\2", text)
    return text


def repair_spaced_point(text: str) -> str:
    """``100. 0%`` → ``100.0%``: a space around a decimal point.

    Only where the fraction is followed by a unit, ``%``, punctuation, a space
    or the end, so a list number before a count (``1. 15个``) stays.
    """
    return _SPACED_POINT.sub(r"\1.\2", text)


OCR_REPAIRS: tuple[Callable[[str], str], ...] = (
    repair_letter_digits,
    repair_thousands_separator,
    repair_spaced_point,
)


def repair_ocr_text(text: str) -> str:
    """Apply every number repair in :data:`OCR_REPAIRS`, in order."""
    for repair in OCR_REPAIRS:
        text = repair(text)
    return text


def clear_engine() -> None:
    """Drop the shared engine so the next call builds a new one."""
    global _engine
    with _engine_lock:
        _engine = None


__all__ = [
    "DEFAULT_PARAMS",
    "OCR_REPAIRS",
    "OcrLine",
    "OcrParams",
    "PageOcr",
    "estimate_skew",
    "find_rulings",
    "get_engine",
    "model_paths",
    "ocr_image",
    "ocr_pdf_page",
    "ocr_pdf_page_result",
    "refine_skew",
    "render_pdf_page",
    "repair_ocr_text",
    "run_engine",
]
