"""Tests for nlp.read.image: PNG, JPEG and multi-page TIFF scans read with OCR.

The page images are drawn inside the tests with PIL in the WenQuanYi Micro Hei
font.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cjk_font import CJK_FONT
from PIL import Image, ImageDraw, ImageFont

from nlp.errors import ReadError
from nlp.pipeline import extract
from nlp.read import read_document
from nlp.read.image import ImageReader, _greyscale

FONT_PATH = CJK_FONT
DPI = 200
HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
ROWS = (
    ("产出指标", "数量指标", "培训人次", "≥95%"),
    ("产出指标", "质量指标", "验收合格率", "100%"),
    ("产出指标", "时效指标", "督导检查", "每季度1次"),
)
COLUMNS_PT = (90.0, 120.0, 120.0, 90.0)


def _px(points: float) -> int:
    return round(points * DPI / 72)


def draw_page(
    lines: tuple[str, ...] = (), table: bool = True, size_pt: tuple = (480, 220)
) -> Image.Image:
    """A page with an optional ruled indicator table and lines of text under it."""
    image = Image.new("L", (_px(size_pt[0]), _px(size_pt[1])), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, _px(10.5))
    left, top, row_pt = 30.0, 30.0, 24.0
    if table:
        edges = [left]
        for width in COLUMNS_PT:
            edges.append(edges[-1] + width)
        rows = (HEADER, *ROWS)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                xy = (_px(edges[c] + 4), _px(top + r * row_pt + 6))
                draw.text(xy, text, font=font, fill=0)
        bottom = top + len(rows) * row_pt
        for r in range(len(rows) + 1):
            y = _px(top + r * row_pt)
            draw.line([(_px(edges[0]), y), (_px(edges[-1]), y)], fill=0, width=2)
        for x in edges:
            draw.line([(_px(x), _px(top)), (_px(x), _px(bottom))], fill=0, width=2)
        top = bottom + 16
    for k, line in enumerate(lines):
        draw.text((_px(left), _px(top + k * 20)), line, font=font, fill=0)
    return image


@pytest.fixture(scope="module")
def png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("png") / "scan.png"
    draw_page(("人员支出 746.1 万元，公用经费 52.8 万元。",)).save(path, dpi=(DPI, DPI))
    return path


def test_png_table_and_paragraph(png: Path) -> None:
    document = ImageReader().read(png)
    assert document.format == "image"
    assert len(document.pages) == 1 and document.pages[0].ocr
    width, height = document.pages[0].width, document.pages[0].height
    assert (width, height) == pytest.approx((480, 220), abs=1)
    tables = [b.table for b in document.blocks if b.table is not None]
    assert len(tables) == 1
    cells = {(c.row, c.col): c.text for c in tables[0].cells}
    assert cells[(0, 2)] == "三级指标"
    assert cells[(1, 3)] == "≥95%"
    assert cells[(3, 3)] == "每季度1次"
    paragraphs = [b.text for b in document.blocks if b.kind == "paragraph"]
    assert any("746.1万元" in text.replace(" ", "") for text in paragraphs)
    assert {"ocr", "decode", "layout"} <= dict(document.timings).keys()


def test_png_through_the_pipeline(png: Path) -> None:
    result = extract(png)
    assert result.document.status == "ok", result.document.error
    assert result.document.format == "image" and result.document.ocr_pages == 1
    metrics = {
        (i.metric, i.target.text if i.target else None) for i in result.indicators
    }
    assert {("培训人次", "≥95%"), ("验收合格率", "100%")} <= metrics
    assert ("督导检查", "1次/季度") in metrics
    assert {str(a.money.value) for a in result.amounts} >= {"7461000.0", "528000.0"}


def test_multi_page_tiff_gives_one_page_per_frame(tmp_path: Path) -> None:
    first = draw_page(("第一页：项目支出 300 万元。",), table=False, size_pt=(400, 80))
    second = draw_page(
        ("第二页：公用经费 52.8 万元。",), table=False, size_pt=(400, 80)
    )
    path = tmp_path / "pages.tif"
    first.save(path, save_all=True, append_images=[second], dpi=(DPI, DPI))
    document = read_document(path)
    assert [p.number for p in document.pages] == [1, 2]
    assert all(p.ocr for p in document.pages)
    by_page = {b.page: b.text.replace(" ", "") for b in document.blocks}
    assert "300万元" in by_page[1]
    assert "52.8万元" in by_page[2]


def test_ocr_never_reads_no_text(png: Path) -> None:
    document = ImageReader(ocr="never").read(png)
    assert document.text == "" and document.blocks == ()
    assert len(document.pages) == 1 and not document.pages[0].ocr


def test_missing_resolution_assumes_an_a4_page(tmp_path: Path) -> None:
    path = tmp_path / "nodpi.png"
    Image.new("L", (1654, 2339), 255).save(path)  # A4 at 200 dpi, no pHYs chunk
    document = ImageReader(ocr="never").read(path)
    assert document.pages[0].width == pytest.approx(595.3, abs=0.5)
    assert document.pages[0].height == pytest.approx(841.9, abs=0.5)


def test_jpeg_with_screen_resolution_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    Image.new("RGB", (1240, 1754), "white").save(path, dpi=(72, 72))  # A4 at 150
    document = ImageReader(ocr="never").read(path)
    assert document.pages[0].width == pytest.approx(595.3, abs=0.5)


def test_not_an_image_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    with pytest.raises(ReadError, match=r"broken\.png"):
        ImageReader().read(path)


def test_transparent_pixels_become_white_paper() -> None:
    image = Image.new("RGBA", (4, 4), (0, 0, 0, 0))  # transparent black
    image.putpixel((0, 0), (0, 0, 0, 255))
    grey = _greyscale(image)
    assert grey.mode == "L"
    assert grey.getpixel((1, 1)) == 255 and grey.getpixel((0, 0)) == 0


def test_sixteen_bit_grey_keeps_its_contrast() -> None:
    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 65535)
    grey = _greyscale(image)
    assert grey.getpixel((0, 0)) == 255 and grey.getpixel((1, 0)) == 0
