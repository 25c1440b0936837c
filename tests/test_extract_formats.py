"""End-to-end tests of ``nlp.pipeline.extract`` on every table-bearing format.

Each test writes a small HTML page, Word document, workbook or text export with the
layouts budget documents use (merged level cells, repeated headers, shifted rows,
unit and operator columns, money tables) and checks the exact records. Expected
values follow the annotation guideline (annotations/README.md) and CONTRACT.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable

from nlp.pipeline import extract
from nlp.records import Amount, Indicator, Result

Triple = tuple[str | None, str | None, str, str | None]


def _ok(result: Result) -> Result:
    assert result.document.status == "ok", result.document.error
    return result


def _triples(indicators: Sequence[Indicator]) -> list[Triple]:
    """(level1_norm, level2_norm, metric, target.text) of each indicator."""
    return [
        (i.level1_norm, i.level2_norm, i.metric, i.target.text if i.target else None)
        for i in indicators
    ]


def _amounts(amounts: Sequence[Amount]) -> list[tuple[str, str | None]]:
    """(value, subject) of each amount, value as the contract writes it."""
    return [(a.to_dict()["value"], a.subject) for a in amounts]


def _html(tmp_path: Path, body: str) -> Result:
    path = tmp_path / "page.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return _ok(extract(path))


def _row(*cells: str, tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


INDICATOR_HEADER = ("一级指标", "二级指标", "指标内容", "目标值")
TWO_TARGETS = "采集率达97%以上,准确率达90%以上"


# ---------------------------------------------------------------- HTML


def test_html_indicator_table_with_merges_repeats_and_shifted_row(
    tmp_path: Path,
) -> None:
    header = _row(*INDICATOR_HEADER, tag="th")
    table = (
        "<table>"
        '<tr><td colspan="4">社区服务项目绩效目标</td></tr>'
        f"{header}"
        '<tr><td rowspan="3">产出指标</td><td>数量指标</td><td>服务人次</td>'
        "<td>≥500人次</td></tr>"
        f"{_row('质量指标', '服务合格率', '≥95%')}"
        f"{_row('时效指标', '完成时间', '2023年12月前')}"
        # Shifted left: the row lost its leading (一级) cell.
        f"{_row('工作时效', '', '1年')}"
        # The header printed again, as at a page break.
        f"{header}"
        f"{_row('效益指标', '社会效益指标', '信息采集', TWO_TARGETS)}"
        f"{_row('效益指标', '经济效益指标', '不适用', '不适用')}"
        f"{_row('满意度指标', '服务对象满意度指标', '群众满意度', '≥90%')}"
        "</table>"
    )
    result = _html(tmp_path, f"<h2>社区服务项目绩效目标表</h2>{table}")
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "服务人次", "≥500人次"),
        ("产出指标", "质量指标", "服务合格率", "≥95%"),
        ("产出指标", "时效指标", "完成时间", "2023年12月前"),
        ("产出指标", "时效指标", "工作时效", "1年"),
        ("效益指标", "社会效益指标", "信息采集（采集率）", "≥97%"),
        ("效益指标", "社会效益指标", "信息采集（准确率）", "≥90%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    # The merged 一级 cell applies to every row it covers, as written.
    assert [i.level1 for i in result.indicators[:4]] == ["产出指标"] * 4
    assert [i.source.row for i in result.indicators] == [2, 3, 4, 5, 7, 7, 9]
    assert [i.target_raw for i in result.indicators[4:6]] == ["达97%以上", "达90%以上"]
    assert result.amounts == ()


def test_html_unit_and_operator_columns(tmp_path: Path) -> None:
    unit_table = (
        "<table>"
        f"{_row('一级指标', '二级指标', '三级指标', '计量单位', '目标值')}"
        f"{_row('产出指标', '质量指标', '验收合格率', '%', '95')}"
        "</table>"
    )
    operator_table = (
        "<table>"
        f"{_row('一级指标', '二级指标', '三级指标', '指标性质', '指标值', '度量单位')}"
        f"{_row('产出指标', '质量指标', '资料完整率', '≥', '90', '%')}"
        f"{_row('效益指标', '社会效益指标', '服务质量', '定性', '优秀', '')}"
        "</table>"
    )
    result = _html(tmp_path, f"{unit_table}<p>续表</p>{operator_table}")
    assert _triples(result.indicators) == [
        ("产出指标", "质量指标", "验收合格率", "95%"),
        ("产出指标", "质量指标", "资料完整率", "≥90%"),
        ("效益指标", "社会效益指标", "服务质量", "优秀"),
    ]
    targets = [i.target for i in result.indicators if i.target]
    assert [(t.op, t.unit, t.qualitative) for t in targets] == [
        ("=", "%", None),
        ("≥", "%", None),
        ("qual", None, "优秀"),
    ]
    assert [i.target_raw for i in result.indicators] == ["95", "90", "优秀"]
    assert [i.source.table for i in result.indicators] == [0, 1, 1]


def test_html_money_tables_with_unit_line(tmp_path: Path) -> None:
    body = (
        "<p>一般公共预算支出表</p><p>单位：万元</p><table>"
        f"{_row('科目编码', '科目名称', '预算数')}"
        f"{_row('2010301', '行政运行', '120.50')}"
        f"{_row('2080505', '机关事业单位基本养老保险缴费支出', '35.00')}"
        "</table><p>收支总表</p><p>单位：万元</p><table>"
        f"{_row('收入', '', '支出', '')}"
        f"{_row('项目', '预算数', '项目', '预算数')}"
        f"{_row('一、一般公共预算拨款', '300.00', '一、一般公共服务支出', '250.00')}"
        f"{_row('二、政府性基金预算拨款', '0', '二、社会保障和就业支出', '50.00')}"
        f"{_row('收入总计', '300.00', '支出总计', '300.00')}"
        "</table>"
    )
    result = _html(tmp_path, body)
    assert result.indicators == ()
    # No 科目编码 is an amount; each figure's subject is the label on its side.
    assert _amounts(result.amounts) == [
        ("1205000.00", "行政运行"),
        ("350000.00", "机关事业单位基本养老保险缴费支出"),
        ("3000000.00", "一般公共预算拨款"),
        ("2500000.00", "一般公共服务支出"),
        ("0.00", "政府性基金预算拨款"),
        ("500000.00", "社会保障和就业支出"),
        ("3000000.00", "收入总计"),
        ("3000000.00", "支出总计"),
    ]
    assert {a.column for a in result.amounts} == {"预算数"}
    assert {a.money.unit_source for a in result.amounts} == {"table"}
    assert [a.source.table for a in result.amounts] == [0, 0] + [1] * 6


NESTED_HTML = (
    "<p>项目基本情况</p><table>"
    "<tr><td>年度绩效目标</td><td><table>"
    f"{_row('三级指标', '指标值', tag='th')}"
    f"{_row('按时办结率', '100%')}"
    f"{_row('培训人数', '≥200人')}"
    "</table></td></tr></table>"
)


def test_html_nested_table_is_read_as_its_own_table(tmp_path: Path) -> None:
    result = _html(tmp_path, NESTED_HTML)
    inner = [i for i in result.indicators if i.source.table == 1]
    assert _triples(inner) == [
        (None, None, "按时办结率", "100%"),
        (None, None, "培训人数", "≥200人"),
    ]
    assert [i.source.row for i in inner] == [1, 2]


# ---------------------------------------------------------------- DOCX


def _docx(tmp_path: Path, build: Callable[[DocxDocument], None]) -> Result:
    document = docx.Document()
    build(document)
    path = tmp_path / "report.docx"
    document.save(str(path))
    return _ok(extract(path))


def _fill(table: DocxTable, rows: Sequence[Sequence[str]], first: int = 0) -> None:
    for r, values in enumerate(rows, start=first):
        for c, text in enumerate(values):
            if text:
                table.cell(r, c).text = text


def test_docx_indicator_table_with_vertical_and_horizontal_merges(
    tmp_path: Path,
) -> None:
    def build(document: DocxDocument) -> None:
        document.add_paragraph("社区培训项目绩效目标表")
        table = document.add_table(rows=6, cols=4)
        # Row 0: "绩效指标" spans the two level columns.
        table.cell(0, 0).merge(table.cell(0, 1)).text = "绩效指标"
        _fill(table, [("", "", "指标内容", "目标值"), INDICATOR_HEADER])
        _fill(
            table,
            [
                ("产出指标", "数量指标", "培训人数", "≥200人"),
                ("", "质量指标", "培训合格率", "≥95%"),
                ("", "时效指标", "完成时限", "2023年12月底前"),
                ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
            ],
            first=2,
        )
        table.cell(2, 0).merge(table.cell(4, 0))

    result = _docx(tmp_path, build)
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "时效指标", "完成时限", "2023年12月底前"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
    ]
    assert [i.level1 for i in result.indicators] == ["产出指标"] * 3 + ["效益指标"]
    assert [i.source.row for i in result.indicators] == [2, 3, 4, 5]
    assert {i.project for i in result.indicators} == {"社区培训项目"}


def _nested_docx(document: DocxDocument) -> None:
    document.add_paragraph("项目基本情况")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "年度绩效目标"
    inner = outer.cell(0, 1).add_table(rows=3, cols=2)
    _fill(
        inner, [("三级指标", "指标值"), ("按时办结率", "100%"), ("培训人数", "≥200人")]
    )


def test_docx_nested_table_is_read_as_its_own_table(tmp_path: Path) -> None:
    result = _docx(tmp_path, _nested_docx)
    inner = [i for i in result.indicators if i.source.table == 1]
    assert _triples(inner) == [
        (None, None, "按时办结率", "100%"),
        (None, None, "培训人数", "≥200人"),
    ]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_nested_table_indicators_are_reported_once(tmp_path: Path, fmt: str) -> None:
    if fmt == "html":
        result = _html(tmp_path, NESTED_HTML)
    else:
        result = _docx(tmp_path, _nested_docx)
    assert _triples(result.indicators) == [
        (None, None, "按时办结率", "100%"),
        (None, None, "培训人数", "≥200人"),
    ]


# ---------------------------------------------------------------- XLSX


def _workbook(tmp_path: Path, money_title: bool = True) -> Path:
    """Two sheets, each one project's table; the first also has a money table.

    Args:
        tmp_path: folder to write to.
        money_title: print a title row above the money table.
    """
    book = openpyxl.Workbook()
    first = book.active
    first.title = "项目一"
    first.append(["项目名称", "社区培训项目", None, None])
    first.append(list(INDICATOR_HEADER))
    first.append(["产出指标", "数量指标", "培训人数", "≥200人"])
    first.append([None, "质量指标", "培训合格率", 0.95])
    first.append([None, "时效指标", "完成时限", "2023年12月前"])
    first.merge_cells("A3:A5")
    first["D4"].number_format = "0%"
    first.append([])
    if money_title:
        first.append(["项目资金预算"])
    first.append(["项目", "预算数（万元）"])
    first.append(["培训费", 1234.56])
    first.append(["场地费", 0.1])
    first.append(["合计", 1234.66])
    for row in first.iter_rows(min_row=first.max_row - 2, min_col=2, max_col=2):
        row[0].number_format = "0.00"
    second = book.create_sheet("项目二")
    second.append(["项目名称", "道路养护项目", None, None])
    second.append(list(INDICATOR_HEADER))
    second.append(["产出指标", "数量指标", "养护里程", "≥50公里"])
    second.append(["效益指标", "社会效益指标", "群众满意度", "≥90%"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_xlsx_merged_levels_number_formats_and_second_sheet(tmp_path: Path) -> None:
    result = _ok(extract(_workbook(tmp_path)))
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "95%"),
        ("产出指标", "时效指标", "完成时限", "2023年12月前"),
        ("产出指标", "数量指标", "养护里程", "≥50公里"),
        ("效益指标", "社会效益指标", "群众满意度", "≥90%"),
    ]
    # The 0% format shows 0.95 as the sheet does.
    assert result.indicators[1].target_raw == "95%"
    assert [i.source.page for i in result.indicators] == [1, 1, 1, 2, 2]
    # 0.00-formatted 万元 figures, converted exactly (no float artefacts).
    assert _amounts(result.amounts) == [
        ("12345600.00", "培训费"),
        ("1000.00", "场地费"),
        ("12346600.00", "合计"),
    ]
    assert [a.money.text for a in result.amounts] == ["1234.56", "0.10", "1234.66"]
    assert {a.money.unit_source for a in result.amounts} == {"table"}


def test_xlsx_money_table_right_after_indicator_table(tmp_path: Path) -> None:
    result = _ok(extract(_workbook(tmp_path, money_title=False)))
    assert [i.metric for i in result.indicators[:4]] == [
        "培训人数",
        "培训合格率",
        "完成时限",
        "养护里程",
    ]
    assert _amounts(result.amounts) == [
        ("12345600.00", "培训费"),
        ("1000.00", "场地费"),
        ("12346600.00", "合计"),
    ]


def test_xlsx_project_from_project_name_row(tmp_path: Path) -> None:
    result = _ok(extract(_workbook(tmp_path)))
    assert [i.project for i in result.indicators] == ["社区培训项目"] * 3 + [
        "道路养护项目"
    ] * 2


def test_xlsx_column_keeps_the_header_as_written(tmp_path: Path) -> None:
    result = _ok(extract(_workbook(tmp_path)))
    assert {a.column for a in result.amounts} == {"预算数（万元）"}


# ---------------------------------------------------------------- plain text

TEXT_HEADER = "一级指标\t二级指标\t三级指标\t指标值\n"


def test_text_continuation_repeating_the_header_carries_the_level() -> None:
    text = (
        "项目支出绩效目标表\n\n"
        + TEXT_HEADER
        + "产出指标\t数量指标\t培训人数\t≥200人\n"
        + "\n"
        + TEXT_HEADER
        + "\t质量指标\t培训合格率\t≥95%\n"
        + "效益指标\t社会效益指标\t群众知晓率\t≥80%\n"
    )
    result = _ok(extract(text))
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
    ]
    assert [i.level1 for i in result.indicators] == ["产出指标"] * 2 + ["效益指标"]
    assert {i.source.table for i in result.indicators} == {0}
    assert [i.source.row for i in result.indicators] == [1, 3, 4]


def test_text_continuation_after_blank_line_without_header() -> None:
    text = (
        TEXT_HEADER
        + "产出指标\t数量指标\t培训人数\t≥200人\n"
        + "\n"
        + "效益指标\t社会效益指标\t群众知晓率\t≥80%\n"
        + "\t\t政策覆盖率\t100%\n"
    )
    result = _ok(extract(text))
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%"),
        ("效益指标", "社会效益指标", "政策覆盖率", "100%"),
    ]
    assert {i.source.table for i in result.indicators} == {0}


def test_text_continuation_with_blank_leading_level_cell() -> None:
    text = (
        TEXT_HEADER
        + "产出指标\t数量指标\t培训人数\t≥200人\n"
        + "\t质量指标\t培训合格率\t≥95%\n"
        + "\n"
        + "\t时效指标\t完成时限\t2023年12月前\n"
    )
    result = _ok(extract(text))
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "培训人数", "≥200人"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("产出指标", "时效指标", "完成时限", "2023年12月前"),
    ]


def test_text_row_cut_by_a_page_break_is_joined() -> None:
    text = (
        TEXT_HEADER
        + "产出指标\t数量指标\t建档人数\t≥200人\n"
        + "\t质量指标\t居民健康档案规范\t≥95%\n"
        + "\n"
        + "\t\t化建档率\t\n"
        + "\t时效指标\t完成时限\t≤1年\n"
    )
    result = _ok(extract(text))
    assert _triples(result.indicators) == [
        ("产出指标", "数量指标", "建档人数", "≥200人"),
        ("产出指标", "质量指标", "居民健康档案规范化建档率", "≥95%"),
        ("产出指标", "时效指标", "完成时限", "≤1年"),
    ]


# ---------------------------------------------------------------- narrative


def test_narrative_statement_gives_metric_and_target() -> None:
    result = _ok(extract("确保法律意见出具及时率不低于90%。"))
    [indicator] = result.indicators
    assert (indicator.metric, indicator.target_raw) == (
        "法律意见出具及时率",
        "不低于90%",
    )
    assert indicator.target is not None
    assert (indicator.target.text, indicator.target.op) == ("≥90%", "≥")
    assert (indicator.level1, indicator.level2) == (None, None)
    assert (indicator.level1_norm, indicator.level2_norm) == (None, None)
    assert result.amounts == ()


def test_narrative_money_value_is_an_amount_not_an_indicator() -> None:
    result = _ok(extract("全年执行数 8.47 万元，执行率为 98.47%。"))
    assert [(i.metric, i.target.text) for i in result.indicators if i.target] == [
        ("执行率", "98.47%")
    ]
    assert [(a.money.text, a.to_dict()["value"]) for a in result.amounts] == [
        ("8.47 万元", "84700.00")
    ]
    assert result.amounts[0].money.unit_source == "text"
    assert result.amounts[0].column is None


def test_narrative_amount_subject_is_the_item_before_it() -> None:
    result = _ok(extract("全年执行数 8.47 万元，执行率为 98.47%。"))
    assert [a.subject for a in result.amounts] in (["执行数"], ["全年执行数"])


def test_narrative_in_self_evaluation_report_is_actual() -> None:
    text = "2023年度项目支出绩效自评报告\n\n全年执行数 8.47 万元，执行率为 98.47%。"
    result = _ok(extract(text))
    assert [(i.metric, i.kind) for i in result.indicators] == [("执行率", "actual")]


def test_narrative_actual_cue_without_report_title() -> None:
    result = _ok(extract("全年执行数 8.47 万元，实际执行率为 98.47%。"))
    assert [i.kind for i in result.indicators] == ["actual"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("一至四季度执行率分别为41.58%、60.12%、80.00%、98.47%。", 4),
        ("城镇和农村参保率分别为95%和90%。", 2),
    ],
)
def test_narrative_enumeration_with_fenbie_gives_one_statement_a_value(
    text: str, values: int
) -> None:
    # the default path (rules + model) keeps what the rules find (guideline rule 31)
    result = _ok(extract(text))
    metrics = [i.metric for i in result.indicators]
    assert len(set(metrics)) == values
    assert all("率（" in m for m in metrics)
    assert result.amounts == ()
