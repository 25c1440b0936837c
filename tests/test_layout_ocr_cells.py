"""Recognised table cells repaired where the repair needs the whole cell or row."""

from __future__ import annotations

import pytest

from nlp.read.base import CellInput
from nlp.read.layout.ocr_cells import agree_echoed_cells, repair_ocr_cells


def _ocr(text: str, row: int, col: int, confidence: float) -> CellInput:
    return CellInput(text, row, col, source="ocr", confidence=confidence)


@pytest.mark.parametrize(
    ("unsure", "sure"),
    [
        ("基层信访工作网络盖率", "基层信访工作网络覆盖率"),  # a character lost
        ("办公用房租货成本", "办公用房租赁成本"),  # a character misread
        ("办公用房租货成本", "办公用房\n租赁成本"),  # and wrapped differently
    ],
)
def test_an_echo_takes_the_surer_reading(unsure: str, sure: str) -> None:
    cells = [
        _ocr("成本指标", 3, 0, 0.99),
        _ocr(unsure, 3, 2, 0.67),
        _ocr(sure, 3, 3, 0.74),
        _ocr("<=250万元", 3, 4, 0.95),
    ]
    out = agree_echoed_cells(cells)
    assert [c.text for c in out] == ["成本指标", sure, sure, "<=250万元"]
    assert out[1].confidence == 0.74


def test_the_surer_copy_wins_whichever_column_it_is_in() -> None:
    cells = [_ocr("办公用房租赁成本", 0, 2, 0.95), _ocr("办公用房租货成本", 0, 3, 0.9)]
    assert [c.text for c in agree_echoed_cells(cells)] == ["办公用房租赁成本"] * 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("项目验收合格率≥95%", "项目验收合格率≥96%"),  # two targets
        ("完成检查12次以上", "完成检查2次以上"),  # a number lost or added
        ("实施周期指标值", "年度指标值"),  # more than one character apart
        ("网络覆盖率", "网络盖率"),  # too short to be sure they are one text
    ],
)
def test_cells_that_differ_in_content_are_left_alone(a: str, b: str) -> None:
    cells = [_ocr(a, 0, 0, 0.9), _ocr(b, 0, 1, 0.6)]
    assert [c.text for c in agree_echoed_cells(cells)] == [a, b]


def test_only_cells_of_one_row_and_only_recognised_cells_are_compared() -> None:
    rows = [_ocr("办公用房租赁成本", 0, 2, 0.95), _ocr("办公用房租货成本", 1, 2, 0.6)]
    assert [c.text for c in agree_echoed_cells(rows)] == [c.text for c in rows]
    typed = [
        CellInput("办公用房租货成本", 0, 2),  # a text layer says what it says
        _ocr("办公用房租赁成本", 0, 3, 0.95),
    ]
    assert [c.text for c in agree_echoed_cells(typed)] == [c.text for c in typed]


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        # wrapped over two lines, the slash lost
        ("聘用人员准入规范性（是\n否）", "聘用人员准入规范性（是/否）"),
        ("提供支持(是/香)", "提供支持(是/否)"),  # 否 read as 香
        ("数据支撑（是 / 否）", "数据支撑（是/否）"),
        ("是否按时完成（是）", "是否按时完成（是）"),  # "whether", and one option
        ("（是否达标）", "（是否达标）"),
        ("香港（是香）", "香港（是香）"),  # 香 only after the slash
    ],
)
def test_yes_no_options_are_put_back_as_printed(raw: str, fixed: str) -> None:
    assert [c.text for c in repair_ocr_cells([_ocr(raw, 0, 0, 0.9)])] == [fixed]


def test_a_text_layer_cell_is_never_repaired() -> None:
    cell = CellInput("聘用人员准入规范性（是否）", 0, 0)
    assert repair_ocr_cells([cell]) == [cell]
