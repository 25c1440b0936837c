"""Page images for annotation: a PDF page or a scan, and its size in points.

Boxes are stored in PDF points (``source.bbox``); Label Studio draws them in
percent of the image, so each image comes with the page size its boxes refer to:
the PDF page's size, or for a scan the size the image reader gives the page.
"""

from __future__ import annotations

import io
from pathlib import Path

POINTS_PER_INCH = 72.0


def render_page(path: Path, page: int, dpi: float) -> tuple[bytes, tuple[float, float]]:
    """PNG bytes of a 1-based page and the page's (width, height) in points."""
    if Path(path).suffix.lower() == ".pdf":
        return _pdf_page(Path(path), page, dpi)
    return _image_page(Path(path), page)


def _pdf_page(path: Path, page: int, dpi: float) -> tuple[bytes, tuple[float, float]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pdf_page = pdf[page - 1]
        size = pdf_page.get_size()
        image = pdf_page.render(scale=dpi / POINTS_PER_INCH).to_pil()
    finally:
        pdf.close()
    return _png(image), (float(size[0]), float(size[1]))


def _image_page(path: Path, page: int) -> tuple[bytes, tuple[float, float]]:
    from PIL import Image, ImageOps, ImageSequence

    from nlp.read import read_document

    info = read_document(path, ocr="never").pages[page - 1]
    with Image.open(path) as image:
        frame = next(
            f for n, f in enumerate(ImageSequence.Iterator(image), 1) if n == page
        )
        picture = ImageOps.exif_transpose(frame).convert("RGB")
    return _png(picture), (info.width, info.height)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
