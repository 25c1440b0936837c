"""Shared test helpers: PDFs with a Chinese text layer, built inside the test.

The ``pdf_builder`` fixture returns a :class:`PdfBuilder` writing into the test's
``tmp_path``. Coordinates are points from the top-left corner of the page, like
the readers' provenance. Text uses reportlab's built-in CID font ``STSong-Light``
(no font file needed), so the PDF has a real text layer with Chinese.

Example::

    def test_something(pdf_builder):
        pdf = pdf_builder()
        page = pdf.page()
        page.text(72, 72, "项目支出绩效目标表", size=14)
        page.table(72, 100, [80, 80, 120, 80], [["一级指标", "二级指标", ...], ...])
        path = pdf.save("doc.pdf")

:func:`scanned_pdf` writes lines of text as a one-page image-only PDF (a scan:
pixels drawn with PIL in the WenQuanYi Micro Hei font, no text layer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest
from cjk_font import CJK_FONT
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
SCAN_FONT = CJK_FONT  # WenQuanYi Micro Hei, from the test extra
POINTS_PER_INCH = 72.0
Color = tuple[float, float, float]
VAlign = Literal["top", "middle"]
Span = tuple[int, int]

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass
class PdfPage:
    """One page's drawing operations, replayed onto a reportlab canvas on save.

    Args:
        width: page width, points.
        height: page height, points.
        crop: optional CropBox (x0, top, x1, bottom), points, top-left origin.
    """

    width: float
    height: float
    crop: tuple[float, float, float, float] | None = None
    ops: list[Callable[[Canvas], None]] = field(default_factory=list)

    def text(
        self,
        x: float,
        top: float,
        text: str,
        size: float = 10.0,
        color: Color = (0.0, 0.0, 0.0),
        render_mode: int = 0,
        char_space: float = 0.0,
    ) -> None:
        """Draw one line of text whose box starts at (x, top)."""
        baseline = self.height - top - size * 0.88

        def draw(canvas: Canvas) -> None:
            # q/Q keeps colour and render mode from leaking into later text.
            canvas.saveState()
            obj = canvas.beginText(x, baseline)
            obj.setFont(FONT, size)
            obj.setCharSpace(char_space)
            obj.setFillColorRGB(*color)
            obj.setTextRenderMode(render_mode)
            obj.textOut(text)
            canvas.drawText(obj)
            canvas.restoreState()

        self.ops.append(draw)

    def clipped_text(
        self,
        x: float,
        top: float,
        text: str,
        clip: tuple[float, float, float, float],
        size: float = 10.0,
    ) -> None:
        """Draw text under a rectangular clipping path (x0, top, x1, bottom)."""
        baseline = self.height - top - size * 0.88
        x0, ctop, x1, cbottom = clip
        h = self.height

        def draw(canvas: Canvas) -> None:
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(x0, h - cbottom, x1 - x0, cbottom - ctop)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(FONT, size)
            canvas.drawString(x, baseline, text)
            canvas.restoreState()

        self.ops.append(draw)

    def lines(
        self,
        x: float,
        top: float,
        lines: Sequence[str],
        size: float = 10.0,
        leading: float = 1.5,
        width: float | None = None,
    ) -> float:
        """Draw lines one under the other; returns the top of the next line.

        With ``width``, every line but the last is justified to that width by
        spacing its characters, as typeset paragraphs are.
        """
        for k, line in enumerate(lines):
            space = 0.0
            if width is not None and k < len(lines) - 1 and len(line) > 1:
                natural = pdfmetrics.stringWidth(line, FONT, size)
                space = (width - natural) / (len(line) - 1)
            self.text(x, top, line, size, char_space=space)
            top += size * leading
        return top

    def rule(self, x0: float, top: float, x1: float, bottom: float) -> None:
        """Draw a line segment from (x0, top) to (x1, bottom)."""
        h = self.height
        self.ops.append(lambda canvas: canvas.line(x0, h - top, x1, h - bottom))

    def rect(
        self, x0: float, top: float, x1: float, bottom: float, color: Color
    ) -> None:
        """Fill a rectangle with ``color`` (no border)."""
        h = self.height

        def draw(canvas: Canvas) -> None:
            canvas.setFillColorRGB(*color)
            canvas.rect(x0, h - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)

        self.ops.append(draw)

    def table(
        self,
        x: float,
        top: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[str | None]],
        row_height: float = 20.0,
        size: float = 9.0,
        ruled: bool = True,
        spans: dict[tuple[int, int], Span] | None = None,
        valign: VAlign = "middle",
        leading: float = 1.2,
    ) -> float:
        """Draw a table; returns the y (from the top) just under it.

        Args:
            x: left edge.
            top: top edge.
            widths: column widths.
            rows: cell texts; ``None`` marks a position covered by a merged cell;
                "\\n" in a text draws several lines in the cell.
            row_height: height of one grid row.
            size: font size.
            ruled: draw each cell's border (merged cells have no inner border).
            spans: (row, col) -> (row_span, col_span) of merged cells.
            valign: where text sits in a cell taller than its text.
            leading: line pitch inside a cell, in font sizes.
        """
        spans = spans or {}
        lefts = [x + sum(widths[:c]) for c in range(len(widths) + 1)]
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                rs, cs = spans.get((r, c), (1, 1))
                x0, x1 = lefts[c], lefts[c + cs]
                y0, y1 = top + r * row_height, top + (r + rs) * row_height
                if ruled:
                    self.rule(x0, y0, x1, y0)
                    self.rule(x0, y1, x1, y1)
                    self.rule(x0, y0, x0, y1)
                    self.rule(x1, y0, x1, y1)
                parts = cell.split("\n")
                text_height = size * (1 + leading * (len(parts) - 1))
                first = y0 + 2 if valign == "top" else (y0 + y1 - text_height) / 2
                for k, part in enumerate(parts):
                    if part:
                        self.text(x0 + 3, first + k * size * leading, part, size)
        return top + len(rows) * row_height


class PdfBuilder:
    """Collects pages and writes them as one PDF.

    Args:
        folder: where :meth:`save` writes.
        pagesize: (width, height) of new pages, points.
    """

    def __init__(self, folder: Path, pagesize: tuple[float, float] = A4) -> None:
        self.folder = folder
        self.pagesize = pagesize
        self.pages: list[PdfPage] = []

    def page(self, crop: tuple[float, float, float, float] | None = None) -> PdfPage:
        """Start a new page and return it for drawing."""
        page = PdfPage(*self.pagesize, crop=crop)
        self.pages.append(page)
        return page

    def save(self, name: str, encrypt: str | None = None) -> Path:
        """Write the PDF (optionally encrypted with a user password)."""
        path = self.folder / name
        canvas = Canvas(str(path), pagesize=self.pagesize, encrypt=encrypt)
        canvas.setAuthor("test")
        for page in self.pages:
            if page.crop is not None:
                x0, top, x1, bottom = page.crop
                canvas.setCropBox((x0, page.height - bottom, x1, page.height - top))
            for op in page.ops:
                op(canvas)
            canvas.showPage()
        canvas.save()
        return path


@pytest.fixture
def pdf_builder(tmp_path: Path) -> Callable[..., PdfBuilder]:
    """A factory of :class:`PdfBuilder` s writing into the test's ``tmp_path``."""

    def make(pagesize: tuple[float, float] = A4) -> PdfBuilder:
        return PdfBuilder(tmp_path, pagesize)

    return make


def scanned_pdf(
    path: Path,
    lines: Sequence[str],
    pagesize: tuple[float, float] = (595.0, 200.0),
    dpi: int = 200,
    size: float = 10.5,
) -> Path:
    """Write ``lines`` as a one-page image-only PDF, one under the other.

    Args:
        path: where to write.
        lines: the text lines, drawn from (50, 40) points down, 24 points apart.
        pagesize: page (width, height), points.
        dpi: scan resolution.
        size: font size, points.
    """

    def px(points: float) -> int:
        return round(points * dpi / POINTS_PER_INCH)

    image = Image.new("L", (px(pagesize[0]), px(pagesize[1])), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SCAN_FONT, px(size))
    for k, line in enumerate(lines):
        draw.text((px(50), px(40 + 24 * k)), line, font=font, fill=0)
    image.save(path, "PDF", resolution=float(dpi))
    return path
