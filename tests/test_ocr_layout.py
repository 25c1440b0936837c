"""Scanned pages through the whole pipeline: tables with and without rulings, a
merged level cell, a skewed page, a page number inside a sentence, a wrapped unit,
and a budget table with one misread digit.

Every page is drawn here with PIL in the font the other scan tests use
(``conftest.SCAN_FONT``) and wrapped into an image-only PDF.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SCAN_FONT
from PIL import Image, ImageDraw, ImageFont

from nlp.pipeline import extract
from nlp.read import read_document

DPI = 200
HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
ROWS = (
    ("产出指标", "数量指标", "培训人次", "≥500人次"),
    ("产出指标", "质量指标", "验收合格率", "100%"),
    ("产出指标", "时效指标", "资金拨付及时率", "≥95%"),
    ("效益指标", "社会效益指标", "群众知晓率", "≥90%"),
)
COLUMNS_PT = (90.0, 120.0, 150.0, 100.0)
ROW_PT = 26.0


def px(points: float) -> int:
    return round(points * DPI / 72)


def font(size: float = 10.5) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(SCAN_FONT, px(size))


def page(height_pt: float = 360.0) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (px(595), px(height_pt)), 255)
    return image, ImageDraw.Draw(image)


def save_pdf(images: list[Image.Image], path: Path) -> Path:
    images[0].save(
        path, "PDF", resolution=float(DPI), save_all=True, append_images=images[1:]
    )
    return path


def draw_table(
    draw: ImageDraw.ImageDraw,
    rows: tuple[tuple[str, ...], ...],
    ruled: bool,
    merge_first_column: bool = False,
    top: float = 40.0,
) -> None:
    """The indicator table; with ``merge_first_column`` the 一级 cell of equal
    consecutive rows is drawn once, over the rows, without lines between them."""
    left = 50.0
    edges = [left]
    for width in COLUMNS_PT:
        edges.append(edges[-1] + width)
    table = (HEADER, *rows)
    spans: dict[int, int] = {}
    if merge_first_column:
        r = 1
        while r < len(table):
            end = r
            while end + 1 < len(table) and table[end + 1][0] == table[r][0]:
                end += 1
            spans[r] = end - r + 1
            r = end + 1
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            if merge_first_column and c == 0 and r > 0:
                if r not in spans:
                    continue
                y = top + r * ROW_PT + (spans[r] * ROW_PT) / 2 - 7
            else:
                y = top + r * ROW_PT + 7
            draw.text((px(edges[c] + 4), px(y)), text, font=font(), fill=0)
    if not ruled:
        return
    bottom = top + len(table) * ROW_PT
    width = 2
    for r in range(len(table) + 1):
        y = px(top + r * ROW_PT)
        start = edges[0]
        inside_merge = merge_first_column and any(
            first < r < first + n for first, n in spans.items()
        )
        if inside_merge:
            start = edges[1]
        draw.line([(px(start), y), (px(edges[-1]), y)], fill=0, width=width)
    for x in edges:
        draw.line([(px(x), px(top)), (px(x), px(bottom))], fill=0, width=width)


def triples(path: Path) -> set[tuple[str | None, str | None, str, str | None]]:
    result = extract(path)
    assert result.document.status == "ok", result.document.error
    return {
        (i.level1, i.level2, i.metric, i.target.text if i.target else None)
        for i in result.indicators
    }


EXPECTED = {
    ("产出指标", "数量指标", "培训人次", "≥500人次"),
    ("产出指标", "质量指标", "验收合格率", "100%"),
    ("产出指标", "时效指标", "资金拨付及时率", "≥95%"),
    ("效益指标", "社会效益指标", "群众知晓率", "≥90%"),
}


@pytest.mark.parametrize("ruled", [True, False])
def test_scanned_table_with_and_without_rulings(tmp_path: Path, ruled: bool) -> None:
    image, draw = page()
    draw_table(draw, ROWS, ruled=ruled)
    path = save_pdf([image], tmp_path / "t.pdf")
    assert triples(path) == EXPECTED


def test_merged_level_cell_gives_its_level_to_every_row(tmp_path: Path) -> None:
    image, draw = page()
    draw_table(draw, ROWS, ruled=True, merge_first_column=True)
    path = save_pdf([image], tmp_path / "merged.pdf")
    assert triples(path) == EXPECTED


def test_skewed_page_gives_the_same_rows(tmp_path: Path) -> None:
    image, draw = page()
    draw_table(draw, ROWS, ruled=True)
    turned = image.rotate(1.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
    path = save_pdf([turned], tmp_path / "skew.pdf")
    assert triples(path) == EXPECTED


def _prose_pages(first: list[str], second: list[str]) -> list[Image.Image]:
    """Two A4 pages of prose lines, each with a centred page number at the foot."""
    pages = []
    for number, lines in enumerate((first, second), start=1):
        image, draw = page(842.0)
        for k, line in enumerate(lines):
            draw.text((px(57), px(60 + 22 * k)), line, font=font(12), fill=0)
        draw.text((px(285), px(800)), f"- {number} -", font=font(10.5), fill=0)
        pages.append(image)
    return pages


def test_page_number_inside_a_sentence_is_dropped(tmp_path: Path) -> None:
    # The sentence runs to the foot of page 1; the page number sits between its
    # halves in the page flow.
    filler = (
        "　　本部门坚持过紧日子要求，严格控制一般性支出，压减非急需非刚性支出项目。"
    )
    first = [filler] * 3 + [
        "　　全年一般公共预算支出预算数为本部门年度预算的主要部分，合计"
    ]
    second = ["35.17亿元，比上年增加2.1亿元，主要是基本建设支出增加。"]
    path = save_pdf(_prose_pages(first, second), tmp_path / "pn.pdf")
    document = read_document(path)
    assert "合计35.17亿元" in "".join(document.text.split())
    assert "- 1 -" not in document.text and "- 2 -" not in document.text
    amounts = {a.money.value: a for a in extract(path).amounts}
    assert Decimal("3517000000") in amounts


def test_amount_whose_unit_wraps_to_the_next_line(tmp_path: Path) -> None:
    image, draw = page(300.0)
    lines = [
        "　　2026年本部门收入预算中一般公共预算拨款收入安排人员支出746.1",
        "万元，公用经费52.8万元，主要用于保障机构正常运转。",
    ]
    for k, line in enumerate(lines):
        draw.text((px(57), px(60 + 22 * k)), line, font=font(12), fill=0)
    path = save_pdf([image], tmp_path / "wrap.pdf")
    values = {a.money.value for a in extract(path).amounts}
    assert {Decimal("7461000"), Decimal("528000")} <= values


BUDGET_HEADER = ("科目编码", "科目名称", "合计")
BUDGET_ROWS = (
    ("", "合计", "1,884.50"),
    ("201", "一般公共服务支出", "1,200.00"),
    ("208", "社会保障和就业支出", "384.50"),
    ("210", "卫生健康支出", "300.00"),
)


def _budget_page(rows: tuple[tuple[str, str, str], ...]) -> Image.Image:
    image, draw = page(300.0)
    draw.text((px(50), px(16)), "单位：万元", font=font(), fill=0)
    edges = [50.0, 140.0, 330.0, 450.0]
    top = 40.0
    table = (BUDGET_HEADER, *rows)
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            draw.text(
                (px(edges[c] + 4), px(top + r * ROW_PT + 7)), text, font=font(), fill=0
            )
    for r in range(len(table) + 1):
        y = px(top + r * ROW_PT)
        draw.line([(px(edges[0]), y), (px(edges[-1]), y)], fill=0, width=2)
    bottom = px(top + len(table) * ROW_PT)
    for x in edges:
        draw.line([(px(x), px(top)), (px(x), bottom)], fill=0, width=2)
    return image


def test_scanned_budget_table_adds_up(tmp_path: Path) -> None:
    path = save_pdf([_budget_page(BUDGET_ROWS)], tmp_path / "ok.pdf")
    result = extract(path)
    checks = dict(result.document.checks)
    assert checks.get("sum-totals", 0) >= 1
    assert "sum-mismatch" not in checks
    assert not any(a.flags for a in result.amounts)


def test_scanned_budget_table_with_one_misread_digit_is_repaired(
    tmp_path: Path,
) -> None:
    # The scan shows 1,684.50 where the parts add up to 1,884.50: an 8 read as
    # a 6. One confusable digit makes the sum hold, so it is repaired and said.
    misread = (("", "合计", "1,684.50"), *BUDGET_ROWS[1:])
    path = save_pdf([_budget_page(misread)], tmp_path / "bad.pdf")
    result = extract(path)
    checks = dict(result.document.checks)
    assert checks.get("sum-repaired") == 1
    total = next(a for a in result.amounts if a.subject == "合计")
    assert total.money.value == Decimal("18845000")
    assert "sum-repaired" in total.flags
    assert any("6→8" in note for note in total.notes)


def test_scanned_budget_table_with_a_wrong_total_is_flagged(tmp_path: Path) -> None:
    # 1,984.50: no single confusable digit makes it hold; flagged, not repaired.
    wrong = (("", "合计", "1,984.50"), *BUDGET_ROWS[1:])
    path = save_pdf([_budget_page(wrong)], tmp_path / "wrong.pdf")
    result = extract(path)
    assert dict(result.document.checks).get("sum-mismatch") == 1
    total = next(a for a in result.amounts if a.subject == "合计")
    assert total.money.value == Decimal("19845000")
    assert "sum-mismatch" in total.flags
