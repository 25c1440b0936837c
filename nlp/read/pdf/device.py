"""The pdfminer device and interpreter that collect a page's visible characters.

pdfminer's ``PDFPageAggregator`` is extended to keep, for each drawn character,
only what :mod:`nlp.read.pdf.chars` says a person sees (render mode, colour,
CropBox, clipping, a character printed twice at one place), and the page
interpreter to track the clipping box, which pdfminer ignores. Both classes are
built on first use so that importing the reader does not import pdfminer.
"""

from __future__ import annotations

from typing import Any

from nlp.read.pdf.chars import (
    _INVISIBLE_MODES,
    _STROKE_MODES,
    _descent,
    _inside,
    _intersect,
    _is_white,
    _PageText,
    _unmapped,
)
from nlp.read.pdf.params import DEFAULT_PARAMS, Rect

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
            bottom = _descent(font.get_descent()) * fontsize + rise
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
