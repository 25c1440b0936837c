"""Tests for the XLSX reader: displayed values, merged ranges, row grouping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import grid, tables
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import _flatten
from nlp.read.xlsx import XlsxReader, format_value


def _read(workbook: Workbook, tmp_path: Path, name: str = "book.xlsx") -> Document:
    path = tmp_path / name
    workbook.save(path)
    return XlsxReader().read(path)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (3293, "0.00", "3293.00"),
        (3293, "#,##0.00", "3,293.00"),
        (1234567.891, "#,##0", "1,234,568"),
        (0.95, "0%", "95%"),
        (0.95, "0.00%", "95.00%"),
        (0.9873, "0.00%", "98.73%"),
        (3293.0000000001, "General", "3293"),
        (0.1 + 0.2, "General", "0.3"),
        (746.1, "General", "746.1"),
        (3293.0, "General", "3293"),
        (2.675, "0.00", "2.68"),
        (746.1, '0.00"万元"', "746.10万元"),
        (746.1, "0.00_ ", "746.10"),
        (-5, "0.00", "-5.00"),
        (-5, "#,##0.00_);(#,##0.00)", "(5.00)"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (-12345.678, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-12,345.68"),
        (3293, "[$¥-804]#,##0.00", "¥3,293.00"),
        (1234567, '#,##0,"千"', "1,235千"),
        (123000, "0.00E+00", "1.23E+05"),
        (7, "@", "7"),
        (True, "General", "TRUE"),
        ("单位：万元", "0.00", "单位：万元"),
        (dt.datetime(2021, 1, 1), "mm-dd-yy", "2021-01-01"),
        (dt.datetime(2021, 1, 1), "yyyy-mm-dd", "2021-01-01"),
        (dt.datetime(2021, 3, 5), 'yyyy"年"m"月"d"日"', "2021年3月5日"),
        (dt.datetime(2021, 3, 5, 14, 7), "yyyy/m/d h:mm", "2021/3/5 14:07"),
        (dt.datetime(2021, 3, 5), "General", "2021-03-05"),
        (dt.time(9, 30), "hh:mm", "09:30"),
        (None, "0.00", ""),
    ],
)
def test_format_value_shows_what_excel_shows(
    value: object, number_format: str, shown: str
) -> None:
    assert format_value(value, number_format) == shown


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_two_decimal_format_is_exact(value: Decimal) -> None:
    shown = format_value(float(value), "#,##0.00")
    expected = f"{abs(value):,.2f}"
    assert shown == (f"-{expected}" if value < 0 else expected)


def test_two_sheets_merges_number_formats_and_blocks(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收支总表"
    sheet["A1"] = "2023年部门收支总表"
    sheet.merge_cells("A1:D1")
    sheet["D2"] = "单位：万元"
    sheet.append(["项目", "预算数", None, "占比"])
    sheet.merge_cells("B3:C3")
    sheet.append(["人员支出", 3293, 746.1, 0.95])
    sheet["B4"].number_format = "#,##0.00"
    sheet["C4"].number_format = "0.00"
    sheet["D4"].number_format = "0%"
    sheet.append(["编制日期", dt.datetime(2021, 1, 1)])
    sheet["B5"].number_format = "yyyy-mm-dd"
    second = workbook.create_sheet("说明")
    second["B2"] = "第二张表"
    workbook.create_sheet("空表")
    doc = _read(workbook, tmp_path)
    assert [(b.kind, b.text, b.page) for b in doc.blocks if b.kind != "table"] == [
        ("heading", "收支总表", 1),
        ("paragraph", "2023年部门收支总表", 1),
        ("paragraph", "单位：万元", 1),
        ("heading", "说明", 2),
        ("paragraph", "第二张表", 2),
    ]
    (table,) = tables(doc)
    assert table.table.caption == "收支总表"
    assert (table.table.n_rows, table.table.n_cols) == (3, 4)
    assert grid(table) == [
        (0, 0, 1, 1, "项目"),
        (0, 1, 1, 2, "预算数"),
        (0, 3, 1, 1, "占比"),
        (1, 0, 1, 1, "人员支出"),
        (1, 1, 1, 1, "3,293.00"),
        (1, 2, 1, 1, "746.10"),
        (1, 3, 1, 1, "95%"),
        (2, 0, 1, 1, "编制日期"),
        (2, 1, 1, 1, "2021-01-01"),
        (2, 2, 1, 1, ""),
        (2, 3, 1, 1, ""),
    ]
    assert {p.page for c in table.table.cells for p in c.prov} == {1}
    assert [b.kind for b in doc.blocks].index("table") == 3
    for cell in table.table.cells:
        start, end = cell.prov[0].span
        assert doc.text[start:end] == _flatten(cell.text)


def test_empty_row_splits_tables_and_columns_are_trimmed(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["C2"], sheet["D2"] = "科目", "金额"
    sheet["C3"], sheet["D3"] = "办公费", 3.5
    sheet["C6"], sheet["E6"] = "合计", 10
    doc = _read(workbook, tmp_path)
    first, second = tables(doc)
    assert grid(first) == [
        (0, 0, 1, 1, "科目"),
        (0, 1, 1, 1, "金额"),
        (1, 0, 1, 1, "办公费"),
        (1, 1, 1, 1, "3.5"),
    ]
    assert grid(second) == [(0, 0, 1, 1, "合计"), (0, 1, 1, 1, ""), (0, 2, 1, 1, "10")]


def test_single_cell_row_inside_a_table_stays_in_it(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["科目", "金额"])
    sheet.append(["一、基本支出"])
    sheet.append(["工资福利", 100])
    doc = _read(workbook, tmp_path)
    assert [b.kind for b in doc.blocks] == ["heading", "table"]
    assert grid(doc.blocks[1])[2:4] == [(1, 0, 1, 1, "一、基本支出"), (1, 1, 1, 1, "")]


def test_hidden_sheet_is_skipped_but_counted(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "隐藏内容"
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("可见")["A1"] = "可见内容"
    doc = _read(workbook, tmp_path)
    assert [(b.text, b.page) for b in doc.blocks] == [("可见", 2), ("可见内容", 2)]


def test_performance_target_tablegrid(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "绩效目标表"
    sheet["A1"] = "项目支出绩效目标表"
    sheet.merge_cells("A1:E1")
    rows = (
        ("一级指标", "二级指标", "三级指标", "指标值", "单位"),
        ("产出指标", "数量指标", "培训人次", 100, "人次"),
        (None, None, "覆盖社区数", 10, "个"),
        (None, "质量指标", "培训合格率", 0.95, None),
        ("效益指标", "社会效益指标", "群众知晓率", "提高", None),
    )
    for row in rows:
        sheet.append(row)
    sheet["D5"].number_format = "0%"
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("B3:B4")
    doc = _read(workbook, tmp_path)
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "table"]
    table = doc.blocks[2]
    assert (table.table.n_rows, table.table.n_cols) == (5, 5)
    assert grid(table) == [
        (0, 0, 1, 1, "一级指标"),
        (0, 1, 1, 1, "二级指标"),
        (0, 2, 1, 1, "三级指标"),
        (0, 3, 1, 1, "指标值"),
        (0, 4, 1, 1, "单位"),
        (1, 0, 3, 1, "产出指标"),
        (1, 1, 2, 1, "数量指标"),
        (1, 2, 1, 1, "培训人次"),
        (1, 3, 1, 1, "100"),
        (1, 4, 1, 1, "人次"),
        (2, 2, 1, 1, "覆盖社区数"),
        (2, 3, 1, 1, "10"),
        (2, 4, 1, 1, "个"),
        (3, 1, 1, 1, "质量指标"),
        (3, 2, 1, 1, "培训合格率"),
        (3, 3, 1, 1, "95%"),
        (3, 4, 1, 1, ""),
        (4, 0, 1, 1, "效益指标"),
        (4, 1, 1, 1, "社会效益指标"),
        (4, 2, 1, 1, "群众知晓率"),
        (4, 3, 1, 1, "提高"),
        (4, 4, 1, 1, ""),
    ]


def test_non_zip_file_raises_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("项目,金额\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"fake\.xlsx: not a valid XLSX \(zip\) file"):
        XlsxReader().read(path)


def test_truncated_workbook_raises_naming_the_file(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "内容"
    workbook.save(tmp_path / "full.xlsx")
    data = (tmp_path / "full.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"cut\.xlsx"):
        XlsxReader().read(path)


def test_empty_workbook_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"blank\.xlsx: no text found"):
        _read(Workbook(), tmp_path, "blank.xlsx")


def test_missing_file_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"absent\.xlsx: file not found"):
        XlsxReader().read(tmp_path / "absent.xlsx")
