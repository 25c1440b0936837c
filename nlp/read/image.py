"""Read scanned pages saved as PNG, JPEG or TIFF into a Document with OCR.

Each image (each frame of a multi-page TIFF) is one page. The page is brought to
the OCR resolution, read by :func:`nlp.read.ocr.ocr_image` (deskew, RapidOCR,
ruling lines) and laid out by :func:`nlp.read.layout.layout_page`, exactly like a
scanned PDF page; running headers, footers and page numbers are dropped across
pages by :func:`nlp.read.layout.finish_pages`.

Page size in points comes from the image's resolution (``dpi`` in PNG ``pHYs``,
JPEG JFIF/EXIF or TIFF tags). Many scans and photos carry none, or a meaningless
72 dpi; then the page is taken to be A4 wide on its shorter side, which is what
budget documents are printed on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from nlp.document import Document, PageInfo
from nlp.errors import ReadError
from nlp.read import OcrMode
from nlp.read.base import DocumentBuilder
from nlp.read.layout import PageItem, add_page_items, finish_pages, layout_page
from nlp.read.limits import check_count
from nlp.read.ocr import DEFAULT_PARAMS as DEFAULT_OCR_PARAMS
from nlp.read.ocr import POINTS_PER_INCH, OcrParams, ocr_image

logger = logging.getLogger(__name__)

A4_SHORT_SIDE_INCHES = 210 / 25.4


@dataclass(frozen=True, slots=True)
class ImageParams:
    """How page images are sized and resampled.

    Attributes:
        min_dpi: a stated resolution below this is not believed (72 and 96 dpi are
            screen defaults written by many programs), and the A4 guess is used.
        max_dpi: a stated resolution above this is not believed either.
        resample_tolerance: images within this ratio of the OCR resolution are
            read as they are; others are resampled to it (OCR accuracy and speed
            were measured at that resolution).
        min_side_px: frames narrower or lower than this hold no legible line
            of text and are not read (a one-pixel frame would otherwise be
            scaled up to a blank A4 page and recognised).
    """

    min_dpi: float = 100.0
    max_dpi: float = 1200.0
    resample_tolerance: float = 1.25
    min_side_px: int = 16


DEFAULT_PARAMS = ImageParams()


class ImageReader:
    """Reads PNG, JPEG and TIFF scans with OCR.

    Args:
        ocr: "auto" and "always" read every page with OCR (an image has no text
            layer); "never" gives pages without text.
        params: image sizing.
        ocr_params: OCR options.
    """

    format = "image"
    extensions = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

    def __init__(
        self,
        ocr: OcrMode = "auto",
        params: ImageParams = DEFAULT_PARAMS,
        ocr_params: OcrParams = DEFAULT_OCR_PARAMS,
    ) -> None:
        self.ocr = ocr
        self.params = params
        self.ocr_params = ocr_params

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read every page of an image file.

        Args:
            path: the image file.
            name: display name; defaults to the file name.

        Returns:
            The Document: the pages' paragraphs and tables in reading order,
            ``PageInfo.ocr`` set on pages read with OCR, timings "decode", "ocr",
            "rulings" and "layout".

        Raises:
            ReadError: the file is missing, not an image, or truncated.
        """
        path = Path(path)
        builder = DocumentBuilder(name or path.name, self.format)
        pages: list[list[PageItem]] = []
        heights: list[float] = []
        totals: dict[str, float] = {}
        if self.ocr == "never":
            logger.warning("%s: OCR is off; an image page has no text", path)
        for number, (frame, dpi, decode_seconds) in enumerate(
            self._frames(path), start=1
        ):
            _add(totals, "decode", decode_seconds)
            width, height = (
                frame.width * POINTS_PER_INCH / dpi,
                frame.height * POINTS_PER_INCH / dpi,
            )
            use_ocr = self.ocr != "never"
            builder.add_page(PageInfo(number, width, height, ocr=use_ocr))
            heights.append(height)
            if not use_ocr:
                pages.append([])
                continue
            pages.append(self._read_page(frame, dpi, number, (width, height), totals))
        start = time.perf_counter()
        add_page_items(builder, finish_pages(pages, heights))
        _add(totals, "layout", time.perf_counter() - start)
        for step, seconds in totals.items():
            builder.add_timing(step, seconds)
        return builder.build()

    def _read_page(
        self,
        frame: Image.Image,
        dpi: float,
        number: int,
        size: tuple[float, float],
        totals: dict[str, float],
    ) -> list[PageItem]:
        """OCR one page image and lay it out."""
        if min(frame.size) < self.params.min_side_px:
            # Too small to hold a line of text; scaling it up to the OCR
            # resolution would only make a large blank page.
            return []
        image = self._at_ocr_resolution(frame, dpi)
        scale = (size[0] / image.width, size[1] / image.height)
        result = ocr_image(image, number, scale, self.ocr_params)
        for step, seconds in result.timings:
            _add(totals, step, seconds)
        start = time.perf_counter()
        items = layout_page(result.fragments, result.rulings, *size)
        _add(totals, "layout", time.perf_counter() - start)
        return items

    def _at_ocr_resolution(self, image: Image.Image, dpi: float) -> Image.Image:
        """Resample to the OCR resolution unless already close to it."""
        target = self.ocr_params.dpi
        ratio = target / dpi
        tolerance = self.params.resample_tolerance
        if 1 / tolerance <= ratio <= tolerance:
            return image
        size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        return image.resize(size, Image.Resampling.LANCZOS)

    def _frames(self, path: Path) -> Iterator[tuple[Image.Image, float, float]]:
        """Each page as (greyscale image, resolution in dpi, seconds to decode)."""
        try:
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                check_count(str(path), "frames (pages)", frames, "max_pages")
                for frame in ImageSequence.Iterator(image):
                    check_count(
                        str(path),
                        f"pixels in a {frame.width:,}×{frame.height:,} frame",
                        frame.width * frame.height,
                        "max_page_pixels",
                    )
                    start = time.perf_counter()
                    page = _greyscale(ImageOps.exif_transpose(frame))
                    dpi = self._resolution(frame, page)
                    yield page, dpi, time.perf_counter() - start
        except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
            raise ReadError(f"{path}: not a readable image: {exc}") from exc
        except OSError as exc:  # truncated or corrupt data
            raise ReadError(f"{path}: cannot decode image: {exc}") from exc

    def _resolution(self, frame: Image.Image, page: Image.Image) -> float:
        """The frame's stated dpi when believable, else the A4-width guess."""
        stated = frame.info.get("dpi")
        if stated:
            dpi = float(stated[0])
            if self.params.min_dpi <= dpi <= self.params.max_dpi:
                return dpi
        return min(page.width, page.height) / A4_SHORT_SIDE_INCHES


def _greyscale(frame: Image.Image) -> Image.Image:
    """The frame as 8-bit grey; transparency is laid on white paper."""
    if frame.mode in ("RGBA", "LA", "PA") or (
        frame.mode == "P" and "transparency" in frame.info
    ):
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    if frame.mode.startswith("I;16") or frame.mode == "I":
        # 16-bit greyscale: keep the high byte rather than clip at 255.
        wide = np.asarray(frame, dtype=np.uint32) >> 8
        return Image.fromarray(np.clip(wide, 0, 255).astype(np.uint8))
    return frame.convert("L")


def _add(totals: dict[str, float], step: str, seconds: float) -> None:
    totals[step] = totals.get(step, 0.0) + seconds
