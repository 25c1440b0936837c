"""Tests for nlp.assemble: table rows and prose become indicator and amount records.

Each test builds a Document with ``DocumentBuilder``, recovers its tables with
``nlp.blocks.recover_tables`` and checks the records ``assemble`` makes from them.
Expected values follow the annotation guideline (annotations/README.md) and
CONTRACT.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.assemble import assemble
from nlp.blocks import recover_tables
from nlp.document import Document
from nlp.pipeline import extract
from nlp.read.base import CellInput, DocumentBuilder
from nlp.records import Amount, Indicator

HEADER = ("一级指标", "二级指标", "三级指标", "指标值")

Triple = tuple[str | None, str | None, str, str | None]
Part = str | list[CellInput]


def _cells(rows: Sequence[Sequence[str]], page: int | None = None) -> list[CellInput]:
    """One CellInput per position of a plain grid (no merged cells)."""
    return [
        CellInput(text, r, c, page=page)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


def _run(*parts: Part) -> tuple[tuple[Indicator, ...], tuple[Amount, ...]]:
    """Assemble a document made of paragraphs (text) and tables (cells)."""
    builder = DocumentBuilder("test.pdf", "pdf")
    for part in parts:
        if isinstance(part, list):
            builder.add_table(part)
        else:
            builder.add_text(part)
    document: Document = builder.build()
    return assemble(document, recover_tables(document), "test.pdf")


def _table(*rows: Sequence[str]) -> Part:
    return _cells(rows)


def _triples(indicators: Sequence[Indicator]) -> list[Triple]:
    """(level1_norm, level2_norm, metric, target.text) of each indicator."""
    return [
        (i.level1_norm, i.level2_norm, i.metric, i.target.text if i.target else None)
        for i in indicators
    ]


def _amounts(amounts: Sequence[Amount]) -> list[tuple[str, str | None, str | None]]:
    """(value, subject, column) of each amount, value as the contract writes it."""
    return [(a.to_dict()["value"], a.subject, a.column) for a in amounts]


# ---------------------------------------------------------------- positional reading


def test_rows_read_by_position_with_levels_carried_down() -> None:
    indicators, amounts = _run(
        _table(
            HEADER,
            ("产出目标", "数量", "培训人数", "≥200人"),
            ("", "质量", "培训合格率", "≥95%"),
            ("", "", "结业证书发放率", "100%"),
            ("效果目标", "社会效益", "群众知晓率", "≥80%"),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "质量指标", "结业证书发放率", "100%"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
    ]
    # Raw levels are kept as written (guideline rule 6).
    assert [(i.level1, i.level2) for i in indicators] == [
        ("产出目标", "数量"),
        ("产出目标", "质量"),
        ("产出目标", "质量"),
        ("效果目标", "社会效益"),
    ]
    assert [i.source.row for i in indicators] == [1, 2, 3, 4]
    assert all(i.source.table == 0 for i in indicators)
    assert [i.target_raw for i in indicators] == ["≥200人", "≥95%", "100%", "≥80%"]
    assert amounts == ()


def test_level1_implied_by_level2_when_absent() -> None:
    indicators, _ = _run(
        _table(
            ("二级指标", "三级指标", "目标值"),
            ("时效指标", "完成时限", "1年"),
            ("服务对象满意度指标", "群众满意度", "≥90%"),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "时效指标", "完成时限", "1年"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    assert [i.level1 for i in indicators] == [None, None]


def test_metric_whitespace_and_line_breaks_removed() -> None:
    indicators, _ = _run(
        _table(HEADER, ("产出指标", "数量指标", "培训\n人 数", "≥200人"))
    )
    assert [i.metric for i in indicators] == ["培训人数"]


# ---------------------------------------------------------------- realignment


def test_row_missing_its_leading_cell_is_read_by_content() -> None:
    indicators, _ = _run(
        _table(
            HEADER,
            ("产出指标", "数量指标", "培训人数", "≥200人"),
            ("质量指标", "培训合格率", "≥95%", ""),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ]
    assert indicators[1].confidence < indicators[0].confidence


def test_row_shifted_right_is_read_by_content() -> None:
    indicators, _ = _run(
        _table(
            (*HEADER, ""),
            ("产出指标", "数量指标", "培训人数", "≥200人", ""),
            ("", "产出指标", "质量指标", "培训合格率", "≥95%"),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ]


def test_shifted_row_under_row_number_column_skips_the_number() -> None:
    indicators, _ = _run(
        _table(
            ("序号", *HEADER),
            ("1", "产出指标", "数量指标", "培训人数", "≥200人"),
            ("2", "", "质量指标", "培训合格率", "≥95%"),
            ("3", "质量指标", "培训覆盖率", "≥90%", ""),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "质量指标", "培训覆盖率", "≥90%"),
    ]


def test_level_name_alone_in_metric_column_is_the_level() -> None:
    indicators, _ = _run(
        _table(
            HEADER,
            ("产出指标", "数量指标", "培训人数", "≥200人"),
            ("效益指标", "", "社会效益指标", ""),
            ("", "", "群众知晓率", "≥80%"),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
    ]


# ---------------------------------------------------------------- unit and operator


def test_unit_column_joins_the_target() -> None:
    indicators, amounts = _run(
        _table(
            ("一级指标", "二级指标", "三级指标", "计量单位", "目标值"),
            ("产出指标", "质量指标", "验收合格率", "%", "95"),
            ("产出指标", "数量指标", "培训人数", "人", "200"),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "质量指标", "验收合格率", "95%"),
        ("产出指标", "数量指标", "培训人数", "200人"),
    ]
    # target_raw is the value cell; the unit lives in target.unit (rule 10).
    assert [i.target_raw for i in indicators] == ["95", "200"]
    assert [i.target.unit for i in indicators if i.target] == ["%", "人"]
    assert amounts == ()


def test_operator_column_joins_operator_value_and_unit() -> None:
    indicators, _ = _run(
        _table(
            ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"),
            ("产出指标", "质量指标", "资料完整率", "≥", "90", "%"),
            ("产出指标", "时效指标", "办理时限", "≤", "15", "天"),
            ("效益指标", "社会效益指标", "服务质量", "定性", "优秀", ""),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "质量指标", "资料完整率", "≥90%"),
        ("产出指标", "时效指标", "办理时限", "≤15天"),
        ("效益指标", "社会效益指标", "服务质量", "优秀"),
    ]
    targets = [i.target for i in indicators if i.target]
    assert [(t.op, t.qualitative) for t in targets] == [
        ("≥", None),
        ("≤", None),
        ("qual", "优秀"),
    ]
    assert [i.target_raw for i in indicators] == ["90", "15", "优秀"]


# ---------------------------------------------------------------- several targets


def test_cell_with_several_targets_gives_one_indicator_each() -> None:
    indicators, _ = _run(
        _table(
            HEADER,
            (
                "产出指标",
                "质量指标",
                "实有人口信息采集",
                "采集率达97%以上,信息准确率达97%以上,未注销率低于3%;",
            ),
        )
    )
    assert _triples(indicators) == [
        ("产出指标", "质量指标", "实有人口信息采集（采集率）", "≥97%"),
        ("产出指标", "质量指标", "实有人口信息采集（信息准确率）", "≥97%"),
        ("产出指标", "质量指标", "实有人口信息采集（未注销率）", "<3%"),
    ]
    assert {i.source.row for i in indicators} == {1}


def test_single_clause_naming_its_measure_is_split_off() -> None:
    indicators, _ = _run(
        _table(HEADER, ("产出指标", "质量指标", "实有事件信息通报", "信息通报率达100%"))
    )
    assert _triples(indicators) == [
        ("产出指标", "质量指标", "实有事件信息通报（信息通报率）", "≥100%")
    ]


def test_statement_with_copula_stays_one_qualitative_target() -> None:
    indicators, _ = _run(
        _table(HEADER, ("产出指标", "质量指标", "投诉处理", "投诉率为 0"))
    )
    assert _triples(indicators) == [("产出指标", "质量指标", "投诉处理", "投诉率为0")]
    assert indicators[0].target is not None and indicators[0].target.op == "qual"


# ---------------------------------------------------------------- not applicable


def test_not_applicable_rows() -> None:
    indicators, _ = _run(
        _table(
            HEADER,
            ("效益指标", "经济效益指标", "不适用", "不适用"),
            ("效益指标", "经济效益指标", "经济效益", "不适用"),
            ("效益指标", "生态效益指标", "环境影响", "不适用"),
            ("效益指标", "可持续影响指标", "", ""),
        )
    )
    # Only the row with a real metric is an indicator (guideline rule 2).
    assert _triples(indicators) == [
        ("效益指标", "生态效益指标", "环境影响", "不适用"),
    ]
    assert indicators[0].target is not None and indicators[0].target.op == "qual"


# ---------------------------------------------------------------- table amounts


def test_money_table_with_unit_line_and_code_column() -> None:
    indicators, amounts = _run(
        "单位：万元",
        _table(
            ("科目编码", "科目名称", "预算数", "人数"),
            ("2010301", "行政运行", "120.50", "12"),
            ("2080505", "机关事业单位基本养老保险缴费支出", "0", "--"),
        ),
    )
    assert indicators == ()
    assert _amounts(amounts) == [
        ("1205000.00", "行政运行", "预算数"),
        ("0.00", "机关事业单位基本养老保险缴费支出", "预算数"),
    ]
    assert [a.money.unit_source for a in amounts] == ["table", "table"]
    assert [a.money.text for a in amounts] == ["120.50", "0"]


def test_two_sided_table_takes_subjects_from_the_same_side() -> None:
    _, amounts = _run(
        "单位：万元",
        _table(
            ("收入", "", "支出", ""),
            ("项目", "预算数", "项目", "预算数"),
            ("一、一般公共预算拨款", "300.00", "一、一般公共服务支出", "250.00"),
            ("二、政府性基金预算拨款", "", "（二）社会保障和就业支出", "50.00"),
            ("收入总计", "300.00", "支出总计", "300.00"),
        ),
    )
    assert [(v, s) for v, s, _ in _amounts(amounts)] == [
        ("3000000.00", "一般公共预算拨款"),
        ("2500000.00", "一般公共服务支出"),
        ("500000.00", "社会保障和就业支出"),
        ("3000000.00", "收入总计"),
        ("3000000.00", "支出总计"),
    ]


def test_unit_from_cell_row_label_and_column_header() -> None:
    _, amounts = _run(
        _table(
            ("项目", "预算数（万元）", "上年数"),
            ("培训费", "12.5", "3000元"),
            ("场地费（元）", "", "800"),
        )
    )
    assert [(a.to_dict()["value"], a.money.unit_source) for a in amounts] == [
        ("125000.00", "table"),  # 预算数（万元）
        ("3000.00", "text"),  # the unit written in the cell wins
        ("800.00", "table"),  # （元） in the row label
    ]
    assert [a.subject for a in amounts] == ["培训费", "培训费", "场地费"]


def test_form_like_row_takes_the_label_before_each_value() -> None:
    _, amounts = _run(
        "项目基本情况",
        _table(
            ("预算数", "3300.00", "其中：财政资金", "3300.00"),
            ("项目总金额（万元）", "1,008.14", "", ""),
        ),
    )
    assert _amounts(amounts)[2] == ("10081400.00", "项目总金额", None)
    assert [(a.subject, a.column) for a in amounts[:2]] == [
        ("预算数", None),
        ("财政资金", None),
    ]


def test_indicator_target_with_money_unit_is_not_an_amount() -> None:
    indicators, amounts = _run(
        _table(HEADER, ("成本指标", "经济成本指标", "人均培训成本", "≤180元"))
    )
    assert _triples(indicators) == [("成本指标", "成本指标", "人均培训成本", "≤180元")]
    assert amounts == ()


def test_percentage_column_is_not_money() -> None:
    _, amounts = _run(
        "单位：万元",
        _table(("项目", "预算数", "资金支出计划（%）"), ("培训费", "12.00", "50")),
    )
    assert _amounts(amounts) == [("120000.00", "培训费", "预算数")]


def test_column_number_row_and_line_number_column_are_not_money() -> None:
    _, amounts = _run(
        "单位：万元",
        _table(
            ("项目", "行次", "预算数", "项目", "行次", "预算数"),
            ("栏次", "", "1", "栏次", "", "2"),
            ("财政拨款收入", "1", "300.00", "一般公共服务支出", "27", "300.00"),
        ),
    )
    assert [(v, s) for v, s, _ in _amounts(amounts)] == [
        ("3000000.00", "财政拨款收入"),
        ("3000000.00", "一般公共服务支出"),
    ]


def test_a_misread_column_number_row_is_not_money() -> None:
    # OCR reads the ** of the column-number row as 冰水 and puts two of its
    # numbers into one cell; a total row of small values stays money.
    _, amounts = _run(
        "单位：万元",
        _table(
            ("科目", "合计", "基本支出", "项目支出", "其他"),
            ("冰水", "1 2", "3", "4", "5"),
            ("合计", "1", "2", "3", ""),
        ),
    )
    assert [v for v, _, _ in _amounts(amounts)] == ["10000.00", "20000.00", "30000.00"]


def test_rows_that_state_a_measure_unit_are_not_money() -> None:
    _, amounts = _run(
        "单位：万元",
        _table(
            ("项目", "预算数"),
            ("城市绿化", "12.00"),
            ("市发展改革委（本级）", "8.00"),
            ("绿地（万m²）", "106.4"),
            ("道路（万公里）", "12.5"),
            ("服务（万人次）", "3.2"),
            ("养护里程（km）", "8.00"),
        ),
    )
    assert _amounts(amounts) == [
        ("120000.00", "城市绿化", "预算数"),
        ("80000.00", "市发展改革委(本级)", "预算数"),
    ]


def test_form_like_row_under_project_name_row_has_no_column() -> None:
    _, amounts = _run(
        _table(
            ("项目名称", "社区培训", "主管部门", "区民政局"),
            ("预算数", "3300.00", "其中：财政资金", "3300.00"),
        )
    )
    assert [(a.subject, a.column) for a in amounts] == [
        ("预算数", None),
        ("财政资金", None),
    ]


# ---------------------------------------------------------------- project


def test_project_defaults_to_table_title() -> None:
    indicators, _ = _run(
        "社区培训项目绩效目标表",
        _table(HEADER, ("产出指标", "数量指标", "培训人数", "≥200人")),
    )
    # Rule 34: a form title's project drops the trailing 绩效目标表.
    assert [i.project for i in indicators] == ["社区培训项目"]


def test_project_from_project_name_row() -> None:
    indicators, _ = _run(
        "项目支出绩效目标表",
        _table(
            ("项目名称", "社区培训项目", "", ""),
            HEADER,
            ("产出指标", "数量指标", "培训人数", "≥200人"),
        ),
    )
    assert [i.project for i in indicators] == ["社区培训项目"]


# ---------------------------------------------------------------- prose


def test_paragraph_gives_statements_and_amounts() -> None:
    text = "项目预算资金746.1万元，确保法律意见出具及时率不低于90%。"
    indicators, amounts = _run(text)
    assert [
        (i.metric, i.target_raw, i.target.text) for i in indicators if i.target
    ] == [("法律意见出具及时率", "不低于90%", "≥90%")]
    assert [(i.level1_norm, i.level2_norm) for i in indicators] == [(None, None)]
    start = text.index("法律意见出具及时率")
    assert [i.source.span for i in indicators] == [(start, start + 15)]
    assert _amounts(amounts) == [("7461000.00", "项目预算资金", None)]
    assert amounts[0].money.unit_source == "text"


def test_prose_cell_in_a_table_gives_statements() -> None:
    indicators, _ = _run(
        _table(("年度绩效目标", "全年完成培训200人次，学员考核合格率达到95%以上。"))
    )
    # A count stated as a goal is a statement too (guideline rule 28).
    assert [(i.metric, i.target.text) for i in indicators if i.target] == [
        ("培训", "200人次"),
        ("学员考核合格率", "≥95%"),
    ]
    assert indicators[0].source.table == 0


def test_metric_named_like_a_level_under_its_own_level2_is_a_metric() -> None:
    # 服务对象满意度 is the commonest 三级指标 and also reads like a 二级 name.
    result = extract(
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t服务人次\t≥1200人次\n"
        "满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\n"
    )
    triples = [
        (i.level1_norm, i.level2_norm, i.metric, i.target.text if i.target else None)
        for i in result.indicators
    ]
    assert triples == [
        ("产出指标", "数量指标", "服务人次", "≥1200人次"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
    ]


def test_level_written_as_a_level_in_the_metric_column_is_read_as_a_level() -> None:
    # The row slid right: 服务对象满意度指标 sits in the 三级 column.
    result = extract(
        "一级指标\t二级指标\t三级指标\t指标值\t度量单位\n"
        "产出指标\t数量指标\t服务人次\t≥1200人次\t\n"
        "\t满意度指标\t服务对象满意度指标\t民生诉求满意度\t≥60%\n"
    )
    last = result.indicators[-1]
    assert (last.level1_norm, last.level2_norm, last.metric, last.target.text) == (
        "满意度指标",
        "服务对象满意度指标",
        "民生诉求满意度",
        "≥60%",
    )


def test_project_named_in_a_line_above_the_table() -> None:
    result = extract(
        "项目名称：社区养老服务中心运营补贴。\n\n"
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t服务人次\t≥1200人次\n"
    )
    assert [i.project for i in result.indicators] == ["社区养老服务中心运营补贴"]


def test_self_evaluation_row_operator_qualifies_target_not_actual() -> None:
    # 指标方向 | 数值 | 单位 split the target; 实际完成值 shares the unit column.
    result = extract(
        "一级指标\t二级指标\t三级指标\t指标方向\t数值\t单位\t实际完成值\t分值\t得分\n"
        "产出指标\t数量指标\t抽检批次\t≥\t3500\t批次\t3626\t20\t20\n"
        "总分\t\t\t\t\t\t\t100\t98\n"
    )
    records = [(i.metric, i.kind, i.target.text) for i in result.indicators]
    assert records == [
        ("抽检批次", "target", "≥3500批次"),
        ("抽检批次", "actual", "3626批次"),
    ]


def test_unit_named_in_a_header_corner_holds_for_the_band() -> None:
    result = extract(
        "项目资金（元）\t年初预算数\t全年执行数\t执行率\n"
        "年度资金总额\t1,850,000.00\t1,792,345.60\t96.88%\n"
    )
    assert [(a.money.to_dict()["value"], a.column) for a in result.amounts] == [
        ("1850000.00", "年初预算数"),
        ("1792345.60", "全年执行数"),
    ]


def test_quantity_column_beside_a_unit_price_column_is_not_money() -> None:
    result = extract(
        "单位：万元\n\n"
        "支出内容\t数量\t单价（万元）\t金额\n"
        "高清摄像头采购安装\t1380\t0.25\t345.00\n"
    )
    assert [a.money.to_dict()["value"] for a in result.amounts] == [
        "2500.00",
        "3450000.00",
    ]


def test_scores_in_a_self_evaluation_table_are_not_amounts() -> None:
    # 分值 and 得分 are points; the table's 万元 unit line does not make them money.
    result = extract(
        "金额单位：万元\n\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
        "产出指标\t数量指标\t改造公厕数量\t≥120座\t126座\t10\t10\n"
        "总分\t\t\t\t\t100\t97.76\n"
    )
    assert result.amounts == ()
    assert [(i.metric, i.kind) for i in result.indicators] == [
        ("改造公厕数量", "target"),
        ("改造公厕数量", "actual"),
    ]
