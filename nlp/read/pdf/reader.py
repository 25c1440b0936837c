"""The PDF reader: pages laid out one by one, and the decision to OCR a page.

A page needs OCR when it has fewer than :attr:`PdfParams.min_text_chars` visible
characters and holds an image or hidden text, or when most of its characters have
no Unicode mapping. With ``ocr="auto"`` such pages are recognised by
:func:`nlp.read.ocr.ocr_pdf_page_result` (imported only then), whose per-step
timings ("render", "ocr", "rulings") are added to the document's; ``"always"``
recognises every page, ``"never"`` leaves such pages empty. The reader asks for a
page's OCR through :func:`nlp.read.pdf.ocr_pages.page_ocr`, so a batch can
recognise the pages of one document in several processes and hand the results in.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.document import Document, PageInfo
from nlp.errors import ReadError
from nlp.read import OcrMode
from nlp.read.base import DocumentBuilder
from nlp.read.layout import PageItem, add_page_items, finish_pages, layout_page
from nlp.read.pdf.chars import _fragments, _on_dark, _PageText
from nlp.read.pdf.ocr_pages import OcrRequest, page_ocr
from nlp.read.pdf.pages import _has_image, _pages, _rulings
from nlp.read.pdf.params import DEFAULT_PARAMS, PdfParams

if TYPE_CHECKING:
    from pdfminer.pdfpage import PDFPage

logger = logging.getLogger(__name__)


class PdfReader:
    """Reads PDF files into a Document, page by page.

    Args:
        ocr: "auto" (OCR pages without a usable text layer), "always" or "never".
        params: reader thresholds.
    """

    format = "pdf"
    extensions = (".pdf",)

    def __init__(self, ocr: OcrMode = "auto", params: PdfParams | None = None) -> None:
        self.ocr = ocr
        self.params = params

    def read(self, path: Path, name: str | None = None) -> Document:
        """Read a PDF into a Document.

        Args:
            path: the file to read.
            name: the document's display name (default: the file name).

        Returns:
            The Document, with ``format="pdf"``, one PageInfo per page and the
            timings "parse" (pdfminer), "layout" and "ocr", and when a page was
            recognised also "render" and "rulings" (summed over pages).

        Raises:
            ReadError: the file is missing, encrypted, damaged or has no pages;
                the message starts with the file name.
        """
        path = Path(path)
        display = name or path.name
        params = self.params or DEFAULT_PARAMS
        builder = DocumentBuilder(display, self.format)
        pages: list[list[PageItem]] = []
        heights: list[float] = []
        clock = {"parse": 0.0, "layout": 0.0, "ocr": 0.0}
        lay_out = partial(self._page, path, display=display, params=params, clock=clock)
        for info, items in _pages(path, display, clock, lay_out):
            builder.add_page(info)
            pages.append(items)
            heights.append(info.height)
        if not pages:
            raise ReadError(f"{display}: PDF has no pages")
        started = time.perf_counter()
        add_page_items(builder, finish_pages(pages, heights, params.layout))
        clock["layout"] += time.perf_counter() - started
        for step, seconds in clock.items():
            builder.add_timing(step, seconds)
        return builder.build()

    def _page(
        self,
        path: Path,
        number: int,
        page: PDFPage,
        found: _PageText,
        ltpage: Any,
        display: str,
        params: PdfParams,
        clock: dict[str, float],
    ) -> tuple[PageInfo, list[PageItem]]:
        """Lay out one interpreted page, OCRing it when its text layer is unusable."""
        width, height = ltpage.width, ltpage.height
        started = time.perf_counter()
        chars = found.chars + _on_dark(found.white, found.dark_fills)
        fragments = _fragments(chars, number, height, params)
        rulings = _rulings(ltpage, height)
        clock["layout"] += time.perf_counter() - started
        use_ocr = self._needs_ocr(found, len(chars), page, ltpage, params)
        if use_ocr:
            request = OcrRequest(number, width, height)
            recognised = page_ocr(path, display, request, self.ocr)
            if recognised is None:
                use_ocr = False
                fragments = []
            else:
                for step, seconds in recognised.timings:
                    clock[step] = clock.get(step, 0.0) + seconds
                fragments = list(recognised.fragments)
                rulings = rulings + list(recognised.rulings)
        started = time.perf_counter()
        items = layout_page(fragments, rulings, width, height, params.layout)
        clock["layout"] += time.perf_counter() - started
        return PageInfo(number, width, height, ocr=use_ocr), items

    def _needs_ocr(
        self,
        found: _PageText,
        visible: int,
        page: PDFPage,
        ltpage: Any,
        params: PdfParams,
    ) -> bool:
        """True when this page is to be recognised from its pixels."""
        if self.ocr == "never":
            return False
        if self.ocr == "always":
            return True
        if visible < params.min_text_chars:
            return found.hidden > 0 or found.garbage > 0 or _has_image(ltpage)
        return _unusable(found, visible, params)


def _unusable(found: _PageText, visible: int, params: PdfParams) -> bool:
    """True when most of the page's characters have no Unicode mapping."""
    total = visible + found.garbage
    return total > 0 and found.garbage > params.max_garbage_share * total
