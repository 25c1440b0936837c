"""Where the PDF reader gets a page's OCR: recognised in place, or given from outside.

The reader asks :func:`page_ocr` for every page that needs OCR. Outside a plan it
recognises the page at once (:func:`recognise_page`). A batch with several workers
spreads the pages of one scanned document over all of them
(:mod:`nlp.pipeline.pages`) with two plans:

* :func:`deferred_ocr`: a first read lists the pages that need OCR (as
  :class:`OcrRequest` s) and lays them out empty meanwhile;
* :func:`given_ocr`: after each page was recognised on its own with
  :func:`recognise_page`, a second read takes their results in place of
  recognising them.

Both reads see the same pages in the same order, and :func:`recognise_page` is what
the reader calls itself, so the document is the one a single read gives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.errors import ReadError, ZhibiaoError
from nlp.read import OcrMode

if TYPE_CHECKING:
    from nlp.read.ocr import PageOcr

logger = logging.getLogger(__name__)

# Longest exception text quoted in a page's error message.
MAX_CAUSE_CHARS = 300


@dataclass(frozen=True, slots=True)
class OcrRequest:
    """A page the reader wants recognised.

    Attributes:
        number: 1-based page number.
        width: page width in points, as the reader measured it.
        height: page height in points.
    """

    number: int
    width: float
    height: float


class PageOcrError(ReadError):
    """OCR of one page failed; the message names the file and the page.

    Attributes:
        page: the 1-based page number.
    """

    def __init__(self, message: str, page: int = 0) -> None:
        super().__init__(message)
        self.page = page

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the page when a worker process sends the error back.
        return (type(self), (str(self), self.page))


@dataclass(frozen=True, slots=True)
class _Plan:
    """Pages whose OCR is given, and the requests collected (None: recognise)."""

    given: Mapping[int, PageOcr | None]
    requests: list[OcrRequest] | None


_PLAN: ContextVar[_Plan | None] = ContextVar("zhibiao_page_ocr_plan", default=None)


@contextmanager
def deferred_ocr() -> Iterator[list[OcrRequest]]:
    """Inside the block the reader lists pages needing OCR instead of reading them.

    Yields:
        The list the requests are appended to, in page order.
    """
    requests: list[OcrRequest] = []
    token = _PLAN.set(_Plan({}, requests))
    try:
        yield requests
    finally:
        _PLAN.reset(token)


@contextmanager
def given_ocr(pages: Mapping[int, PageOcr | None]) -> Iterator[None]:
    """Inside the block the reader takes these pages' OCR (by 1-based number).

    A page not in ``pages`` is recognised as usual; None stands for "OCR is not
    available" (what :func:`recognise_page` returns in "auto" mode).
    """
    token = _PLAN.set(_Plan(dict(pages), None))
    try:
        yield
    finally:
        _PLAN.reset(token)


def page_ocr(
    path: Path, display: str, request: OcrRequest, mode: OcrMode
) -> PageOcr | None:
    """The OCR of one page as the plan in force says: given, deferred or read now.

    Returns:
        The page's OCR; None when OCR is unavailable in "auto" mode, or while
        requests are being collected.
    """
    plan = _PLAN.get()
    if plan is None:
        return recognise_page(path, display, request, mode)
    if request.number in plan.given:
        return plan.given[request.number]
    if plan.requests is not None:
        plan.requests.append(request)
        return None
    return recognise_page(path, display, request, mode)


def recognise_page(
    path: Path, display: str, request: OcrRequest, mode: OcrMode
) -> PageOcr | None:
    """Recognise one page of a PDF with OCR.

    Args:
        path: the PDF file.
        display: how messages name the file.
        request: the page and its size in points.
        mode: the reader's OCR mode ("auto" or "always").

    Returns:
        The page's OCR; None when OCR is not available and the mode is "auto".

    Raises:
        ReadError: OCR is unavailable and the mode is "always".
        PageOcrError: recognition failed (any error but running out of memory,
            which is left to the caller's memory handling).
    """
    number = request.number
    try:
        from nlp.read.ocr import ocr_pdf_page_result
    except ImportError as exc:
        if mode == "always":
            raise ReadError(
                f"{display}: page {number}: OCR is not available: {exc}"
            ) from exc
        logger.warning(
            "%s: page %d has no usable text layer and OCR is not available (%s)",
            display,
            number,
            exc,
        )
        return None
    try:
        return ocr_pdf_page_result(path, number - 1, request.width, request.height)
    except MemoryError:
        raise
    except ZhibiaoError as exc:
        if re.search(rf"\bpage {number}\b", str(exc)):
            raise
        raise PageOcrError(f"{display}: page {number}: {exc}", number) from exc
    except Exception as exc:
        cause = str(exc)
        if len(cause) > MAX_CAUSE_CHARS:
            cause = cause[:MAX_CAUSE_CHARS] + "…"
        raise PageOcrError(
            f"{display}: page {number}: OCR failed: {type(exc).__name__}: {cause}",
            number,
        ) from exc
