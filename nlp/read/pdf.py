"""Read PDF files: the text layer with pdfminer.six, OCR where a page has none.

Pages are interpreted one at a time (pdfminer's ``PDFPageInterpreter`` with a
collecting device, no ``LAParams`` analysis), so memory stays flat however long
the file. For each page the reader keeps only the text a person sees:

* characters under text render mode 3 or 7 (invisible, as in the text layer of a
  scanned-and-OCRed file) are dropped;
* white characters (fill colour white for filled text, stroke colour for stroked
  text) are dropped unless they sit on a dark filled shape (a header band);
* characters whose centre is outside the page's CropBox, or outside the current
  clipping path (approximated by its bounding box: office exports draw text that
  overflows a cell twice, the copy clipped to the cell), are dropped;
* a character printed again at (nearly) the same place is kept once;
* characters without a Unicode mapping (``(cid:12)``, private-use code points) are
  dropped and counted for the OCR decision below.

Visible characters are joined into fragments (runs of characters on one baseline
without a gap) and, with the page's ruling lines (``LTLine``, ``LTRect`` and
axis-parallel ``LTCurve`` edges), handed to :func:`nlp.read.layout.layout_page`,
which rebuilds paragraphs and tables. :func:`nlp.read.layout.finish_pages` then
drops running headers, footers and page numbers and joins paragraphs cut by a page
break; tables continued over pages are joined later, by table recovery.

A page needs OCR when it has fewer than :attr:`PdfParams.min_text_chars` visible
characters and holds an image or hidden text, or when most of its characters have
no Unicode mapping (``(cid:12)``, private-use code points). With ``ocr="auto"``
such pages are recognised by :func:`nlp.read.ocr.ocr_pdf_page` (imported only
then); ``"always"`` recognises every page, ``"never"`` leaves such pages empty.

Coordinates are converted once, here, from pdfminer's bottom-left origin to points
from the top-left of the page.
"""

from __future__ import annotations

import itertools
import logging
import struct
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.document import Document, PageInfo
from nlp.errors import ReadError
from nlp.read import OcrMode
from nlp.read.base import DocumentBuilder
from nlp.read.layout import (
    DEFAULT_PARAMS as DEFAULT_LAYOUT,
)
from nlp.read.layout import (
    LayoutParams,
    PageItem,
    Ruling,
    TextFragment,
    add_page_items,
    finish_pages,
    layout_page,
)

if TYPE_CHECKING:
    from pdfminer.pdfpage import PDFPage

logger = logging.getLogger(__name__)

Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PdfParams:
    """Thresholds of the PDF reader.

    Attributes:
        min_text_chars: visible characters below which a page has no usable text
            layer.
        max_garbage_share: share of characters without a Unicode mapping above
            which a page's text layer is unusable.
        merge_gap: font sizes of horizontal gap (or overlap) within which two
            successive characters on one baseline join one fragment.
        baseline_tolerance: font sizes by which characters of one fragment may
            differ in vertical position.
        white_level: colour level (0 black .. 1 white) from which text is white.
        clip_tolerance: points a character's centre may lie outside a clipping
            box or the CropBox and still be kept.
        overprint_tolerance: points within which the same character drawn twice
            counts as one.
        layout: page-layout tolerances.
    """

    min_text_chars: int = 10
    max_garbage_share: float = 0.5
    merge_gap: float = 0.15
    baseline_tolerance: float = 0.2
    white_level: float = 0.95
    clip_tolerance: float = 1.0
    overprint_tolerance: float = 1.0
    layout: LayoutParams = field(default=DEFAULT_LAYOUT)


DEFAULT_PARAMS = PdfParams()

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
_INVISIBLE_MODES = frozenset({3, 7})
_STROKE_MODES = frozenset({1, 5})


@dataclass(slots=True)
class _PageText:
    """What the collecting device found on one page (pdfminer coordinates)."""

    chars: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    hidden: int = 0
    garbage: int = 0
    dark_fills: list[Rect] = field(default_factory=list)
    white: list[tuple[str, float, float, float, float]] = field(default_factory=list)


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
            timings "parse" (pdfminer), "layout" and "ocr".

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
        for info, items in self._pages(path, display, params, clock):
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

    def _pages(
        self, path: Path, display: str, params: PdfParams, clock: dict[str, float]
    ) -> Iterator[tuple[PageInfo, list[PageItem]]]:
        """Each page's facts and items, interpreting one page at a time."""
        from pdfminer.pdfpage import PDFPage

        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ReadError(f"{display}: cannot open: {exc.strerror or exc}") from exc
        with handle:
            document, interpreter, device = _open(handle, display)
            number = 0
            try:
                for number, page in enumerate(PDFPage.create_pages(document), start=1):
                    started = time.perf_counter()
                    interpreter.process_page(page)
                    found, ltpage = device.take()
                    clock["parse"] += time.perf_counter() - started
                    yield self._page(path, number, page, found, ltpage, params, clock)
            except ReadError:
                raise
            except _pdf_errors() as exc:
                where = f"page {number}" if number else "page tree"
                raise ReadError(
                    f"{display}: damaged PDF ({where}): {type(exc).__name__}: {exc}"
                ) from exc

    def _page(
        self,
        path: Path,
        number: int,
        page: PDFPage,
        found: _PageText,
        ltpage: Any,
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
            started = time.perf_counter()
            recognised = self._recognise(path, number, width, height)
            clock["ocr"] += time.perf_counter() - started
            if recognised is None:
                use_ocr = False
                fragments = []
            else:
                fragments = list(recognised[0])
                rulings = rulings + list(recognised[1])
        started = time.perf_counter()
        items = layout_page(fragments, rulings, width, height, params.layout)
        clock["layout"] += time.perf_counter() - started
        return PageInfo(number, width, height, ocr=use_ocr), items

    def _recognise(
        self, path: Path, number: int, width: float, height: float
    ) -> tuple[Sequence[TextFragment], Sequence[Ruling]] | None:
        """OCR one page; None when OCR is unavailable and the mode is "auto".

        Raises:
            ReadError: OCR is unavailable and the mode is "always".
        """
        try:
            from nlp.read.ocr import ocr_pdf_page
        except ImportError as exc:
            if self.ocr == "always":
                raise ReadError(
                    f"{path.name}: page {number}: OCR is not available: {exc}"
                ) from exc
            logger.warning(
                "%s: page %d has no usable text layer and OCR is not available (%s)",
                path.name,
                number,
                exc,
            )
            return None
        return ocr_pdf_page(path, number - 1, width, height)

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
    from pdfminer.pdfinterp import PDFResourceManager
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
    manager = PDFResourceManager(caching=True)
    device = _collector_class()(manager)
    interpreter = _interpreter_class()(manager, device)
    return document, interpreter, device


# --- the collecting device ------------------------------------------------------------

_CLASSES: dict[str, type] = {}


class _Collector:
    """Interface of the collecting device (the class is built on first use)."""

    clip: Rect | None

    def take(self) -> tuple[_PageText, Any]: ...


def _collector_class() -> type[_Collector]:
    """A pdfminer device keeping visible characters and the page's paths.

    Built on first use so that importing this module does not import pdfminer.
    """
    if "collector" in _CLASSES:
        return _CLASSES["collector"]
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class Collector(PDFPageAggregator):
        def __init__(self, manager: Any) -> None:
            super().__init__(manager, laparams=None)
            self.clip: Rect | None = None
            self._found = _PageText()
            self._mode = 0
            self._crop: Rect = (0.0, 0.0, 0.0, 0.0)
            self._last: tuple[str, float, float, float, float] | None = None

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self._found = _PageText()
            self._last = None
            self.clip = None
            self._crop = apply_matrix_rect(ctm, page.cropbox)

        def take(self) -> tuple[_PageText, Any]:
            result, self.result = self.result, None
            return self._found, result

        def render_string(
            self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any
        ) -> None:
            self._mode = textstate.render
            super().render_string(textstate, seq, ncs, graphicstate)

        def paint_path(
            self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any
        ) -> None:
            super().paint_path(gstate, stroke, fill, evenodd, path)
            if fill and not _is_white(gstate.ncolor, 0.5) and self.cur_item._objs:
                self._found.dark_fills.append(self.cur_item._objs[-1].bbox)

        def render_char(
            self,
            matrix: Any,
            font: Any,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""
            if font.is_vertical():
                char = LTChar(
                    matrix,
                    font,
                    fontsize,
                    scaling,
                    rise,
                    text,
                    font.char_width(cid),
                    font.char_disp(cid),
                    ncs,
                    graphicstate,
                )
                self._keep(text, char.x0, char.y0, char.x1, char.y1, graphicstate)
                return char.adv
            # LTChar's box for horizontal text, without building the object.
            adv = font.char_width(cid) * fontsize * scaling
            bottom = font.get_descent() * fontsize + rise
            x0, y0, x1, y1 = apply_matrix_rect(
                matrix, (0, bottom, adv, bottom + fontsize)
            )
            self._keep(
                text, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), graphicstate
            )
            return adv

        def _keep(
            self,
            text: str,
            x0: float,
            y0: float,
            x1: float,
            y1: float,
            graphicstate: Any,
        ) -> None:
            found = self._found
            if self._mode in _INVISIBLE_MODES:
                found.hidden += 1
                return
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            tol = DEFAULT_PARAMS.clip_tolerance
            if not _inside(cx, cy, self._crop, tol) or (
                self.clip is not None and not _inside(cx, cy, self.clip, tol)
            ):
                return
            if not text or _unmapped(text):
                found.garbage += 1
                return
            entry = (text, x0, y0, x1, y1)
            last = self._last
            if (
                last is not None
                and last[0] == text
                and abs(last[1] - x0) <= DEFAULT_PARAMS.overprint_tolerance
                and abs(last[2] - y0) <= DEFAULT_PARAMS.overprint_tolerance
            ):
                return  # the same character printed twice (fake bold)
            self._last = entry
            color = (
                graphicstate.scolor
                if self._mode in _STROKE_MODES
                else graphicstate.ncolor
            )
            if _is_white(color, DEFAULT_PARAMS.white_level):
                found.white.append(entry)
            else:
                found.chars.append(entry)

    _CLASSES["collector"] = Collector
    return Collector


def _interpreter_class() -> type:
    """A page interpreter that tracks the clipping box (pdfminer ignores ``W``)."""
    if "interpreter" in _CLASSES:
        return _CLASSES["interpreter"]
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import apply_matrix_pt

    class Interpreter(PDFPageInterpreter):
        inherited_clip: Rect | None = None

        def init_state(self, ctm: Any) -> None:
            super().init_state(ctm)
            self.clip = self.inherited_clip
            self.clips: list[Rect | None] = []
            self.device.clip = self.clip

        def process_page(self, page: Any) -> None:
            self.inherited_clip = None
            super().process_page(page)

        def dup(self) -> PDFPageInterpreter:
            interpreter = super().dup()
            interpreter.inherited_clip = self.clip
            return interpreter

        def do_q(self) -> None:
            super().do_q()
            self.clips.append(self.clip)

        def do_Q(self) -> None:
            super().do_Q()
            if self.clips:
                self.clip = self.clips.pop()
                self.device.clip = self.clip

        def do_W(self) -> None:
            self._set_clip()

        def do_W_a(self) -> None:
            self._set_clip()

        def do_Do(self, xobjid: Any) -> None:
            super().do_Do(xobjid)
            self.device.clip = self.clip

        def _set_clip(self) -> None:
            points = [
                apply_matrix_pt(self.ctm, (seg[i], seg[i + 1]))
                for seg in self.curpath
                for i in range(1, len(seg) - 1, 2)
            ]
            if not points:
                return
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            box = (min(xs), min(ys), max(xs), max(ys))
            self.clip = box if self.clip is None else _intersect(self.clip, box)
            self.device.clip = self.clip

    _CLASSES["interpreter"] = Interpreter
    return Interpreter


# --- characters and rulings -----------------------------------------------------------


def _inside(x: float, y: float, box: Rect, tol: float) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def _intersect(a: Rect, b: Rect) -> Rect:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    return (x0, y0, max(x0, min(a[2], b[2])), max(y0, min(a[3], b[3])))


def _unmapped(text: str) -> bool:
    """True for text without a real Unicode mapping."""
    code = ord(text[0])
    return text == "\ufffd" or 0xE000 <= code <= 0xF8FF or text.startswith("(cid:")


def _is_white(color: Any, level: float) -> bool:
    """True when a pdfminer colour (gray, RGB or CMYK) is white."""
    if isinstance(color, (int, float)):
        return color >= level
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:  # CMYK: no ink
        return all(v <= 1 - level for v in color)
    if len(color) in (1, 3):
        return all(v >= level for v in color)
    return False


def _on_dark(
    white: list[tuple[str, float, float, float, float]], fills: Sequence[Rect]
) -> list[tuple[str, float, float, float, float]]:
    """White characters a reader sees: those printed on a dark filled shape."""
    if not white or not fills:
        return []
    return [
        c
        for c in white
        if any(_inside((c[1] + c[3]) / 2, (c[2] + c[4]) / 2, f, 0.0) for f in fills)
    ]


def _fragments(
    chars: Sequence[tuple[str, float, float, float, float]],
    page: int,
    height: float,
    params: PdfParams,
) -> list[TextFragment]:
    """Join characters in drawing order into runs on one baseline without a gap.

    A single space the PDF draws stays in the run (it is the writer's); two or more
    spaces in a row end it, as they align columns. Coordinates change here to a
    top-left origin.
    """
    fragments: list[TextFragment] = []
    text: list[str] = []
    x0 = y0 = x1 = y1 = reach = size = 0.0

    def close() -> None:
        while text and text[-1] == " ":
            text.pop()
        if text:
            fragments.append(
                TextFragment("".join(text), x0, height - y1, x1, height - y0, page)
            )
        text.clear()

    for char, cx0, cy0, cx1, cy1 in chars:
        if char.isspace():
            if text and text[-1] != " ":
                text.append(" ")
                reach = max(reach, cx1)
            else:
                close()
            continue
        csize = cy1 - cy0
        if text and (
            abs(cy0 - y0) <= params.baseline_tolerance * size
            and abs(csize - size) <= params.baseline_tolerance * size
            and -params.merge_gap * size <= cx0 - reach <= params.merge_gap * size
        ):
            text.append(char)
            x1 = reach = max(x1, cx1)
            y1 = max(y1, cy1)
            continue
        close()
        text.append(char)
        x0, y0, x1, y1, size = cx0, cy0, cx1, cy1, csize or 1.0
        reach = x1
    close()
    return fragments


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


__all__ = ["DEFAULT_PARAMS", "PdfParams", "PdfReader"]
