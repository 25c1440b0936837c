"""Tests for nlp.blocks: header vocabulary, unit lines and table recovery.

Documents are built in each test with ``DocumentBuilder`` and ``CellInput``, the way
a paginated reader hands tables over: one table block per page part.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from nlp.blocks import (
    TableView,
    header_role,
    indicator_roles,
    is_number_cell,
    recover_tables,
    unit_of_line,
)
from nlp.document import Document
from nlp.read.base import CellInput, DocumentBuilder

HEADER = ("一级指标", "二级指标", "三级指标", "指标值")


def _cells(
    rows: Sequence[Sequence[str]], page: int | None = None, first_row: int = 0
) -> list[CellInput]:
    """One CellInput per position of a plain grid (no merged cells)."""
    return [
        CellInput(text, first_row + r, c, page=page)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


Part = str | tuple[str, int] | list[CellInput]


def _document(*parts: Part) -> Document:
    """A paginated document from its parts in reading order.

    Args:
        parts: a paragraph (text, or (text, page)) or a table (its cells).
    """
    builder = DocumentBuilder("test.pdf", "pdf")
    for part in parts:
        if isinstance(part, list):
            builder.add_table(part)
        elif isinstance(part, tuple):
            builder.add_text(part[0], page=part[1])
        else:
            builder.add_text(part)
    return builder.build()


def _only(views: Sequence[TableView]) -> TableView:
    assert len(views) == 1, [v.block_indices for v in views]
    return views[0]


# ---------------------------------------------------------------- header_role


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("一级指标", "level1"),
        ("一级", "level1"),
        ("二级指标", "level2"),
        ("三级指标", "metric"),
        ("指标内容", "metric"),
        ("指标名称", "metric"),
        ("绩效指标", "metric"),
        ("目标值", "target"),
        ("指标值", "target"),
        ("年度指标值", "target"),
        ("指 标 值", "target"),
        ("指标值（%）", "target"),
        ("全年目标", "target"),
        ("计量单位", "unit"),
        ("度量单位", "unit"),
        ("指标性质", "operator"),
        ("运算符", "operator"),
        ("实际完成值", "actual"),
        ("绩效指标描述", "description"),
        ("指标解释", "description"),
        # A target's source or scoring rule is not the target column.
        ("指标值来源", "basis"),
        ("评分标准", "basis"),
        ("分值", "weight"),
        ("指标权重(%)", "weight"),
        ("实施周期指标值", "target_period"),
        ("备注", "basis"),
    ],
)
def test_header_role_names_column_by_meaning(text: str, role: str) -> None:
    assert header_role(text) == role


@pytest.mark.parametrize(
    "text", ["", "项目名称", "预算数", "科目编码", "培训人数", "目标值" * 9]
)
def test_header_role_none_for_other_labels_and_long_text(text: str) -> None:
    assert header_role(text) is None


# ---------------------------------------------------------------- indicator_roles


def test_indicator_roles_of_standard_header() -> None:
    assert indicator_roles(HEADER) == {
        0: "level1",
        1: "level2",
        2: "metric",
        3: "target",
    }


def test_indicator_roles_with_unit_and_operator_columns() -> None:
    cells = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"]
    assert indicator_roles(cells) == {
        0: "level1",
        1: "level2",
        2: "metric",
        3: "operator",
        4: "target",
        5: "unit",
    }


def test_indicator_roles_counts_a_merged_header_once() -> None:
    # "绩效指标" spread over two grid columns by a horizontal merge.
    assert indicator_roles(["绩效指标", "绩效指标", "指标内容", "目标值"]) == {
        0: "metric",
        2: "metric",
        3: "target",
    }


def test_indicator_roles_levels_and_target_without_metric() -> None:
    assert indicator_roles(["一级指标", "二级指标", "目标值"]) == {
        0: "level1",
        1: "level2",
        2: "target",
    }


@pytest.mark.parametrize(
    "cells",
    [
        ["科目编码", "科目名称", "预算数"],
        ["一级指标", "二级指标", "三级指标", "指标值来源"],  # no target column
        ["项目名称", "社区培训项目"],
        ["产出指标", "数量指标", "培训人数", "≥200人"],
    ],
)
def test_indicator_roles_none_for_other_rows(cells: list[str]) -> None:
    assert indicator_roles(cells) is None


# ---------------------------------------------------------------- unit_of_line


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位:元", "元"),
        ("单位： 亿元", "亿元"),
        ("（单位：万元）", "万元"),
        ("(单位:万元)", "万元"),
        ("金额单位：万元", "万元"),
        ("单位：千元", "千元"),
        ("单位：万元 ", "万元"),
    ],
)
def test_unit_of_line_reads_money_unit(text: str, unit: str) -> None:
    assert unit_of_line(text) == unit


@pytest.mark.parametrize(
    "text", ["单位：人", "编制单位：某某局", "单位：万元，%", "预算数（万元）", ""]
)
def test_unit_of_line_none_for_other_lines(text: str) -> None:
    assert unit_of_line(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120.50", True),
        ("1,234.56", True),
        ("87, 300. 0", True),
        ("-3", True),
        ("95%", False),
        ("--", False),
        ("12.5万元", False),
        ("", False),
    ],
)
def test_is_number_cell(text: str, expected: bool) -> None:
    assert is_number_cell(text) is expected


# ---------------------------------------------------------------- merged cells


def test_merged_cells_are_expanded_into_the_grid() -> None:
    cells = [
        *_cells([HEADER]),
        CellInput("产出指标", 1, 0, row_span=3),
        *[
            CellInput(text, r, c)
            for r, row in enumerate(
                [
                    ("数量指标", "培训人数", "≥200人"),
                    ("质量指标", "培训合格率", "≥95%"),
                    ("时效指标", "完成时限", "2023年12月前"),
                ],
                start=1,
            )
            for c, text in enumerate(row, start=1)
        ],
    ]
    view = _only(recover_tables(_document(cells)))
    assert [r.cells[0] for r in view.rows] == ["一级指标"] + ["产出指标"] * 3
    assert [r.origin[0] for r in view.rows] == [True, True, False, False]
    # A covered position repeats the text but is blank in the row as printed.
    assert view.rows[2].text == "\t质量指标\t培训合格率\t≥95%"
    assert [r.role for r in view.rows] == ["header", "data", "data", "data"]


def test_sub_header_refines_a_split_target_column() -> None:
    cells = [
        CellInput("一级指标", 0, 0, row_span=2),
        CellInput("二级指标", 0, 1, row_span=2),
        CellInput("三级指标", 0, 2, row_span=2),
        CellInput("指标值", 0, 3, col_span=3),
        CellInput("运算符", 1, 3),
        CellInput("数值", 1, 4),
        CellInput("单位", 1, 5),
        *_cells([("产出指标", "数量指标", "培训人数", "≥", "200", "人")], first_row=2),
    ]
    view = _only(recover_tables(_document(cells)))
    last = view.sections[-1]
    assert dict(last.roles) == {
        0: "level1",
        1: "level2",
        2: "metric",
        3: "operator",
        4: "target",
        5: "unit",
    }
    assert (last.start, last.end) == (2, 3)


# ---------------------------------------------------------------- continuations


def test_continuation_repeating_the_header_is_joined() -> None:
    document = _document(
        ("项目支出绩效目标表", 1),
        _cells([HEADER, ("产出指标", "数量指标", "培训人数", "≥200人")], 1),
        _cells([HEADER, ("", "质量指标", "培训合格率", "≥95%")], 2),
    )
    view = _only(recover_tables(document))
    assert view.block_indices == (1, 2)
    assert view.title == "项目支出绩效目标表"
    assert [r.index for r in view.rows] == [0, 1, 2, 3]
    assert [r.role for r in view.rows] == ["header", "data", "header", "data"]
    assert [r.page for r in view.rows] == [1, 1, 2, 2]
    assert [(s.header_row, s.start, s.end) for s in view.sections] == [
        (0, 1, 2),
        (2, 3, 4),
    ]


def test_continuation_without_header_is_joined_across_a_page_number() -> None:
    document = _document(
        _cells([HEADER, ("产出指标", "数量指标", "培训人数", "≥200人")], 1),
        ("- 1 -", 1),
        _cells([("效益指标", "社会效益指标", "群众知晓率", "≥80%")], 2),
    )
    view = _only(recover_tables(document))
    assert view.block_indices == (0, 2)
    assert [r.cells[2] for r in view.rows] == ["三级指标", "培训人数", "群众知晓率"]
    assert len(view.sections) == 1
    assert (view.sections[0].start, view.sections[0].end) == (1, 3)


def test_money_table_continued_with_figures_is_joined() -> None:
    document = _document(
        "单位：万元",
        _cells([("项目", "预算数"), ("培训费", "12.00")], 1),
        _cells([("场地费", "3.00"), ("合计", "15.00")], 2),
    )
    view = _only(recover_tables(document))
    assert view.unit == "万元"
    assert [r.cells for r in view.rows][1:] == [
        ("培训费", "12.00"),
        ("场地费", "3.00"),
        ("合计", "15.00"),
    ]


def test_table_after_a_paragraph_is_a_new_table() -> None:
    document = _document(
        _cells([HEADER, ("产出指标", "数量指标", "培训人数", "≥200人")]),
        "二、项目资金安排情况",
        _cells([("效益指标", "社会效益指标", "群众知晓率", "≥80%")]),
    )
    views = recover_tables(document)
    assert [v.block_indices for v in views] == [(0,), (2,)]
    assert [v.index for v in views] == [0, 1]
    assert views[1].title == "二、项目资金安排情况"


def test_table_with_another_kind_of_header_is_a_new_table() -> None:
    document = _document(
        _cells([HEADER, ("产出指标", "数量指标", "培训人数", "≥200人")], 1),
        _cells([("单位：万元", "", ""), ("科目编码", "科目名称", "预算数")], 2),
    )
    views = recover_tables(document)
    assert [v.block_indices for v in views] == [(0,), (1,)]
    assert views[1].unit == "万元"
    assert views[1].rows[0].role == "unit"


def test_row_cut_by_a_page_break_is_made_whole() -> None:
    document = _document(
        _cells(
            [
                HEADER,
                ("产出指标", "质量指标", "居民健康档案规范", "≥95%"),
            ],
            1,
        ),
        _cells(
            [
                ("", "", "化建档率", ""),
                ("", "时效指标", "完成时限", "2023年12月前"),
            ],
            2,
        ),
    )
    view = _only(recover_tables(document))
    assert [r.cells for r in view.rows][1:] == [
        ("产出指标", "质量指标", "居民健康档案规范化建档率", "≥95%"),
        ("", "时效指标", "完成时限", "2023年12月前"),
    ]
    assert [r.index for r in view.rows] == [0, 1, 2]


def test_complete_row_with_blank_level_after_page_break_is_not_joined() -> None:
    document = _document(
        _cells([HEADER, ("产出指标", "质量指标", "培训合格率", "≥95%")], 1),
        _cells([("", "时效指标", "完成时限", "2023年12月前")], 2),
    )
    view = _only(recover_tables(document))
    assert [r.cells for r in view.rows][1:] == [
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("", "时效指标", "完成时限", "2023年12月前"),
    ]


# ---------------------------------------------------------------- unit and title


def test_unit_line_above_binds_to_table_and_title_skips_it() -> None:
    document = _document(
        "一般公共预算支出表",
        "单位：万元",
        _cells([("科目编码", "科目名称", "预算数"), ("2010301", "行政运行", "120.50")]),
    )
    view = _only(recover_tables(document))
    assert view.unit == "万元"
    assert view.title == "一般公共预算支出表"
    assert [r.role for r in view.rows] == ["header", "data"]


def test_unit_row_inside_table() -> None:
    cells = [
        CellInput("单位：元", 0, 0, col_span=2),
        *_cells([("项目", "预算数"), ("培训费", "800")], first_row=1),
    ]
    view = _only(recover_tables(_document(cells)))
    assert view.unit == "元"
    assert [r.role for r in view.rows] == ["unit", "header", "data"]


def test_caption_is_the_title() -> None:
    builder = DocumentBuilder("book.xlsx", "xlsx")
    builder.add_text("不是标题的段落")
    builder.add_table(_cells([HEADER]), caption="项目一")
    view = _only(recover_tables(builder.build()))
    assert view.title == "项目一"


def test_continuation_after_a_running_header_and_without_empty_columns() -> None:
    # Each page starts with the same running header; the second part leaves out
    # the two columns no row fills (上缴上级支出 | 对附属单位补助支出).
    header = (
        "科目编码",
        "科目名称",
        "合计",
        "基本支出",
        "项目支出",
        "上缴上级支出",
        "对附属单位补助支出",
    )
    document = _document(
        ("某局2026年度单位预算公开", 1),
        "单位：万元",
        _cells([header, ("", "合计", "30.00", "20.00", "10.00", "", ""),
                ("208", "社会保障和就业支出", "20.00", "20.00", "", "", "")], 1),
        ("某局2026年度单位预算公开", 2),
        _cells([("221", "住房保障支出", "10.00", "", "10.00")], 2),
    )  # fmt: skip
    view = _only(recover_tables(document))
    assert view.rows[-1].cells[:3] == ("221", "住房保障支出", "10.00")


def test_a_label_row_without_amounts_is_not_a_header() -> None:
    # 收支总表: 使用非财政拨款结余 | | 结转下年 | has labels in the label columns
    # and nothing in the amount columns: a data row, the columns keep their names.
    document = _document(
        "单位：万元",
        _cells([
            ("项目", "预算数", "项目", "预算数"),
            ("一般公共预算拨款收入", "100.00", "一般公共服务支出", "80.00"),
            ("本年收入合计", "100.00", "本年支出合计", "80.00"),
            ("使用非财政拨款结余", "", "结转下年", ""),
            ("上年结转", "20.00", "", ""),
        ], 1),
    )  # fmt: skip
    view = _only(recover_tables(document))
    assert [r.role for r in view.rows] == ["header", "data", "data", "data", "data"]
