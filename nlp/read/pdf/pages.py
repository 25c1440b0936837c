"""Page streaming: open the file, interpret one page at a time, find its shapes.

The file's structure is parsed once; each page is then interpreted with the
collecting device (:mod:`nlp.read.pdf.device`) and handed on before the next is
read, so memory stays flat however long the file. Damage pdfminer reports on
the way becomes a :class:`~nlp.errors.ReadError` naming the file and page. The
page's ruling lines and whether it holds an image are read from the interpreted
page; coordinates change here to a top-left origin.
"""

from __future__ import annotations

import itertools
import struct
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nlp.errors import ReadError
from nlp.read.layout import Ruling
from nlp.read.limits import check_count
from nlp.read.pdf.chars import _is_white, _PageText
from nlp.read.pdf.device import _Collector, _collector_class, _interpreter_class
from nlp.read.pdf.fonts import resource_manager
from nlp.read.pdf.params import DEFAULT_PARAMS

if TYPE_CHECKING:
    from pdfminer.pdfpage import PDFPage

T = TypeVar("T")

# Errors pdfminer and the libraries under it raise on damaged files.
_DAMAGE = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    struct.error,
    zlib.error,
    RecursionError,
    OverflowError,
)


def _pdf_errors() -> tuple[type[BaseException], ...]:
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException

    return (PDFException, PSException, *_DAMAGE)


def _open(handle: Any, display: str) -> tuple[Any, Any, _Collector]:
    """Parse the file's structure; raise ReadError for encrypted or broken files."""
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(handle))
    except PDFPasswordIncorrect as exc:
        raise ReadError(
            f"{display}: encrypted PDF (needs a password); cannot read its text"
        ) from exc
    except PDFEncryptionError as exc:
        raise ReadError(f"{display}: encrypted PDF ({exc}); cannot read it") from exc
    except _pdf_errors() as exc:
        raise ReadError(
            f"{display}: damaged or truncated PDF: {type(exc).__name__}: {exc}"
        ) from exc
    manager = resource_manager()
    device = _collector_class()(manager)
    interpreter = _interpreter_class()(manager, device)
    return document, interpreter, device


def _pages(
    path: Path,
    display: str,
    clock: dict[str, float],
    lay_out: Callable[[int, PDFPage, _PageText, Any], T],
) -> Iterator[T]:
    """Interpret one page at a time and yield what ``lay_out`` makes of each.

    Args:
        path: the PDF file.
        display: how messages name the file.
        clock: seconds per step; pdfminer's time is added to "parse".
        lay_out: called with the 1-based page number, the pdfminer page, the
            characters found and the interpreted ``LTPage``; damage it meets is
            reported like damage met while parsing.

    Raises:
        ReadError: the file cannot be opened, is encrypted or is damaged.
    """
    from pdfminer.pdfpage import PDFPage

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ReadError(f"{display}: cannot open: {exc.strerror or exc}") from exc
    with handle:
        document, interpreter, device = _open(handle, display)
        check_count(display, "pages", _declared_pages(document), "max_pages")
        number = 0
        try:
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                # The page tree may hold more pages than it declares.
                check_count(display, "pages (or more)", number, "max_pages")
                started = time.perf_counter()
                interpreter.process_page(page)
                found, ltpage = device.take()
                clock["parse"] += time.perf_counter() - started
                yield lay_out(number, page, found, ltpage)
        except ReadError:
            raise
        except _pdf_errors() as exc:
            where = f"page {number}" if number else "page tree"
            raise ReadError(
                f"{display}: damaged PDF ({where}): {type(exc).__name__}: {exc}"
            ) from exc


def _declared_pages(document: Any) -> int:
    """The page count the page tree declares (0 when it cannot be read)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except (*_pdf_errors(), TypeError):
        return 0
    return count if isinstance(count, int) else 0


def _rulings(ltpage: Any, height: float) -> list[Ruling]:
    """Line segments drawn on the page: lines, rectangles and straight curve parts."""
    from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect

    rulings: list[Ruling] = []
    stack = [ltpage]
    while stack:
        container = stack.pop()
        for obj in container:
            if isinstance(obj, (LTLine, LTRect)):
                if (
                    isinstance(obj, LTRect)
                    and not obj.stroke
                    and _is_white(obj.non_stroking_color, DEFAULT_PARAMS.white_level)
                ):
                    continue  # an invisible white box
                rulings.append(Ruling(obj.x0, height - obj.y1, obj.x1, height - obj.y0))
            elif isinstance(obj, LTCurve):
                rulings.extend(_straight_parts(obj.pts, height))
            elif isinstance(obj, LTContainer):
                stack.append(obj)
    return rulings


def _straight_parts(
    points: Sequence[tuple[float, float]], height: float
) -> Iterator[Ruling]:
    """Axis-parallel segments between successive points of a curve."""
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if ax == bx or ay == by:
            yield Ruling(
                min(ax, bx), height - max(ay, by), max(ax, bx), height - min(ay, by)
            )


def _has_image(ltpage: Any) -> bool:
    from pdfminer.layout import LTContainer, LTImage

    stack = [ltpage]
    while stack:
        for obj in stack.pop():
            if isinstance(obj, LTImage):
                return True
            if isinstance(obj, LTContainer):
                stack.append(obj)
    return False
