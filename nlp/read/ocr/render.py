"""PDF page rendering with pypdfium2 (no system poppler)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from nlp.errors import ReadError
from nlp.read.limits import check_count
from nlp.read.ocr.params import POINTS_PER_INCH


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
            width, height = page.get_size()
            scale = dpi / POINTS_PER_INCH
            pixels = round(width * scale) * round(height * scale)
            check_count(
                f"{pdf_path.name}: page {page_index + 1}",
                f"pixels to render at {dpi} dpi ({width:,.0f}×{height:,.0f} points)",
                pixels,
                "max_page_pixels",
            )
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()
