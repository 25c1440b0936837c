"""Column roles from header and content, packed cells and projects, in every format.

Each layout is written inside the test as an HTML page, a Word document, a
workbook and a PDF, and extracted end to end; the expected records follow the
annotation guideline (rules 20-25).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import openpyxl
import pytest

from nlp.blocks.packed import is_packed_cell, packed_clauses, stated_value
from nlp.pipeline import extract
from nlp.records import Indicator

Rows = Sequence[Sequence[str]]
FORMATS = ("html", "docx", "xlsx", "pdf")


def _html(path: Path, title: str, rows: Rows, _builder: object) -> Path:
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    path = path / "t.html"
    path.write_text(
        f"<html><body><p>{title}</p><table>{body}</table></body></html>",
        encoding="utf-8",
    )
    return path


def _docx(path: Path, title: str, rows: Rows, _builder: object) -> Path:
    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = path / "t.docx"
    document.save(str(path))
    return path


def _xlsx(path: Path, title: str, rows: Rows, _builder: object) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    path = path / "t.xlsx"
    workbook.save(str(path))
    return path


def _pdf(path: Path, title: str, rows: Rows, builder: Callable) -> Path:
    pdf = builder()
    page = pdf.page()
    page.text(60, 50, title, 12)
    widths = [460 / len(rows[0])] * len(rows[0])
    wrapped = [[_wrap(c, widths[0]) for c in row] for row in rows]
    height = 12 * max(c.count("\n") + 1 for row in wrapped for c in row) + 8
    page.table(60, 80, widths, wrapped, row_height=height, size=8)
    return pdf.save("t.pdf")


def _wrap(text: str, width: float, size: float = 8) -> str:
    per_line = max(1, int((width - 6) // size))
    return "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))


WRITERS = {"html": _html, "docx": _docx, "xlsx": _xlsx, "pdf": _pdf}


def _extract(fmt: str, tmp_path: Path, title: str, rows: Rows, builder) -> list:
    path = WRITERS[fmt](tmp_path, title, rows, builder)
    result = extract(path)
    assert result.document.status == "ok", result.document.error
    return list(result.indicators)


def _triples(indicators: Sequence[Indicator]) -> list[tuple]:
    return [
        (i.level1_norm, i.level2_norm, i.metric, i.target.text if i.target else None)
        for i in indicators
    ]


# A row label down the left, operator and unit columns under wordings the header
# vocabulary does not list, a weight column and an entry column left blank.
SPLIT_ROWS = (
    ("绩效指标", "指标名称", "方向符", "指标值", "量纲", "分值权重", "是否核心"),
    ("绩效指标", "续建大中型水库", "≥", "27", "座", "60", "是"),
    ("绩效指标", "项目验收合格率", "≥", "90", "%", "40", "否"),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_split_target_columns_under_unlisted_wordings(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    indicators = _extract(fmt, tmp_path, "某项目绩效目标表", SPLIT_ROWS, pdf_builder)
    assert _triples(indicators) == [
        (None, None, "续建大中型水库", "≥27座"),
        (None, None, "项目验收合格率", "≥90%"),
    ]
    # The value cell is the raw target; the weight column is no part of it.
    assert [i.target_raw for i in indicators] == ["27", "90"]
    assert [i.target.unit for i in indicators if i.target] == ["座", "%"]
    assert {i.project for i in indicators} == {"某项目"}


PACKED = (
    "1.1－产出指标，11－数量指标，培训人次；实施周期指标值：≥200人次，"
    "年度指标值：≥100人次；2、3－满意度指标，31－服务对象满意度，学员满意度；"
    "实施周期指标值：≥90%，年度指标值：≥90%"
)
PACKED_ROWS = (
    ("项目名称（资金使用单位）", "总计", "绩效指标"),
    ("职业技能培训补贴", "10.00", PACKED),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_packed_cell_gives_one_indicator_per_clause(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    indicators = _extract(fmt, tmp_path, "项目支出表", PACKED_ROWS, pdf_builder)
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "培训人次", "≥100人次"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"),
    ]
    assert [i.level2 for i in indicators] == ["数量指标", "服务对象满意度"]
    assert [i.target_period.text for i in indicators if i.target_period] == [
        "≥200人次",
        "≥90%",
    ]
    # The project is the row's own project column, never the 总计 header.
    assert {i.project for i in indicators} == {"职业技能培训补贴"}


def test_packed_clauses_keep_commas_inside_a_metric_and_take_the_only_value() -> None:
    text = (
        "1、2-效益指标；23-生态效益；提升公众意识，推广低碳生活；年度指标值:提升。"
        "2、4-成本指标；41-经济成本指标；项目支出成本控制率；实施周期指标值:≤0%"
    )
    assert is_packed_cell(text)
    clauses = packed_clauses(text)
    assert [
        (c.level1, c.level2, c.metric, c.target, c.target_period) for c in clauses
    ] == [
        ("效益指标", "生态效益", "提升公众意识，推广低碳生活", "提升", None),
        ("成本指标", "经济成本指标", "项目支出成本控制率", "≤0%", None),
    ]
    assert not is_packed_cell("1、完成培训100人次；2、满意度≥90%")


def test_packed_clauses_read_from_a_scan_with_colons_for_semicolons() -> None:
    # OCR reads "；" as "：", a code's dash as "一", and may drop a label's 值.
    text = (
        "1、1－产出指标：11－数量指标：项目专职环保员数量：实施周期指标值：≤核定人数，"
        "年度指标值：≤核定人数：2、1一产出指标，13一时效指标，出车准时率：实施周期"
        "指标：≥95%，年度指标值：≥95%"
    )
    assert is_packed_cell(text)
    clauses = packed_clauses(text)
    assert [(c.level1, c.level2, c.metric, c.target) for c in clauses] == [
        ("产出指标", "数量指标", "项目专职环保员数量", "≤核定人数"),
        ("产出指标", "时效指标", "出车准时率", "≥95%"),
    ]


def test_packed_clauses_found_where_a_scan_garbles_the_clause_heads() -> None:
    # A lost 、 runs the number into the code (41一 for 4、1－), a lost separator
    # runs it into the last value (≤0%2、3一), the number may be lost (、1一), a
    # 二级 code misread (4]一, 川一) or its dash dropped (21经济效益), and a value
    # label lose or misread a character (实施周指标值, 年指标值).
    text = (
        "3、1一产出指标，12一质量指标，专家验收通过率：实施周期指标值：100%，"
        "年度指标值：100%;41一产出指标，11一数量指标，名录份数：实施周期指标值：1份，"
        "年度指标值：1份：4、4一成本指标，4]一经济成本指标，项目支出成本控制率："
        "实施周期指标值：≤100%，年度指标值：≤0%2、3一满意度指标，31一服务对象满意度，"
        "主管部门满意度：实施周指标值：≥90%，年指标值：≥90%；、1一产出指标，川一数量指标，"
        "设备购置率：实施周期指标值：100%，年度指标值：100%；2、2一效益指标，21经济效益，"
        "节约成本：实施周期指标值：是，年度指标值：是"
    )
    assert is_packed_cell(text)
    clauses = packed_clauses(text)
    assert [(c.level1, c.level2, c.metric, c.target) for c in clauses] == [
        ("产出指标", "质量指标", "专家验收通过率", "100%"),
        ("产出指标", "数量指标", "名录份数", "1份"),
        ("成本指标", "经济成本指标", "项目支出成本控制率", "≤0%"),
        ("满意度指标", "服务对象满意度", "主管部门满意度", "≥90%"),
        ("产出指标", "数量指标", "设备购置率", "100%"),
        ("效益指标", "经济效益", "节约成本", "是"),
    ]


def test_packed_value_labels_garbled_by_a_coarse_scan_are_still_labels() -> None:
    # At 100 dpi two characters of 实施周期 go (实施盛明, 实施周呵, 实周期) and 值
    # becomes 的 or 信; a label that does not start 实施 or end 周期 is no period.
    text = (
        "1、1一产出指标，11一数量指标，抽查数：实施盛明指标的：12个，年度指标的：12个；"
        "2、1一产出指标，13一时效指标，按时完成率：实施3周期指标值：100%，年度指标的：100%；"
        "3、1一产出指标，11一数量指标，完成培训班次数：实周期指标信：≥1，年度指标值：≥1；"
        "4、1一产出指标，12一质量指标，验收合格率，实际完成值：98%，年度指标值：100%；"
        "5、3一满意度指标，31一服务对象满意度，用户满意度指标：实施周期指标值：≥90%，"
        "年度指标值：≥90%"
    )
    clauses = packed_clauses(text)
    assert [(c.metric, c.target, c.target_period) for c in clauses] == [
        ("抽查数", "12个", "12个"),
        ("按时完成率", "100%", "100%"),
        ("完成培训班次数", "≥1", "≥1"),
        ("验收合格率，实际完成值：98%", "100%", None),
        ("用户满意度指标", "≥90%", "≥90%"),
    ]


def test_packed_clause_head_with_full_stops_for_commas() -> None:
    # OCR reads the comma after a level as a Latin or a Chinese full stop; the
    # clause before it then ends in a colon read for its semicolon.
    text = (
        "3、1一产出指标，13一时效指标，服务响应时间：实施周期指标值：4小时，"
        "年度指标值：4小时:4、2一效益指标.23一生态效益。视频监控设备在线率：实施周期"
        "指标值：≥90%，年度指标值：≥90%"
    )
    clauses = packed_clauses(text)
    assert [(c.level1, c.level2, c.metric, c.target) for c in clauses] == [
        ("产出指标", "时效指标", "服务响应时间", "4小时"),
        ("效益指标", "生态效益", "视频监控设备在线率", "≥90%"),
    ]


def test_packed_clause_head_keeps_a_values_digits_before_it() -> None:
    # A value's digits run into the next clause's number: only the last digit
    # before 、 is the number, so the value keeps ≤100; a two-digit number after
    # a separator (；10、) stays whole.
    text = (
        "1、4一成本指标，41一经济成本指标，支出率：年度指标值：≤1002、3一满意度指标，"
        "31一服务对象满意度，满意度：年度指标值：1套；10、1－产出指标，11－数量指标，"
        "报告数量；年度指标值：2份"
    )
    clauses = packed_clauses(text)
    assert [(c.metric, c.target) for c in clauses] == [
        ("支出率", "≤100"),
        ("满意度", "1套"),
        ("报告数量", "2份"),
    ]


CODED_TITLE_ROWS = (
    ("一级指标", "二级指标", "三级指标", "目标值"),
    ("产出指标", "数量指标", "购置设备数量", "≥10台"),
)


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_project_and_code_from_a_form_title(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    indicators = _extract(
        fmt, tmp_path, "301007_某分局_设备购置项目绩效目标表", CODED_TITLE_ROWS,
        pdf_builder,
    )  # fmt: skip
    assert [(i.project, i.project_code) for i in indicators] == [
        ("某分局_设备购置项目", "301007")
    ]


# A 三级 cell repeating a level name, and a level outside the vocabulary, with a
# value beside each: both rows are indicators (rule 23).
LEVEL_NAME_ROWS = (
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("产出指标", "数量指标", "购置设备数量", "≥10台"),
    ("效益指标", "生态效益指标", "社会效益指标", "≥100%"),
    ("效益指标", "社会效益指标", "社会效益指标", "≥100%"),
    ("一般性支出情况", "一般性支出情况", "“三公”经费控制率", "≤100%"),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_level_name_as_metric_and_unknown_level_keep_the_row(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    indicators = _extract(
        fmt, tmp_path, "某项目绩效目标表", LEVEL_NAME_ROWS, pdf_builder
    )
    assert _triples(indicators) == [
        ("产出指标", "数量指标", "购置设备数量", "≥10台"),
        ("效益指标", "生态效益指标", "社会效益指标", "≥100%"),
        ("效益指标", "社会效益指标", "社会效益指标", "≥100%"),
        (None, None, "“三公”经费控制率", "≤100%"),
    ]
    assert indicators[-1].level1 == "一般性支出情况"


RESTATED = (
    "1、2-效益指标；22-社会效益；安全事故发生数；实施周期指标值:安全事故发生控制数为零。；"
    "年度指标值:安全事故发生控制数为零。"
    "2、4-成本指标；41-经济成本指标；道路日常养护综合年费用；"
    "实施周期指标值:日常养护综合年费用不高于175万元/公里；"
    "年度指标值:日常养护综合年费用不高于175万元/公里。"
)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_packed_value_restating_its_measure_is_read_as_the_figure(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    rows = (
        ("项目", "预算数（万元）", "绩效目标"),
        ("道路养护项目", "6,833.64", RESTATED),
    )
    indicators = _extract(fmt, tmp_path, "项目支出表", rows, pdf_builder)
    assert _triples(indicators) == [
        ("效益指标", "社会效益指标", "安全事故发生数", "0"),
        ("成本指标", "成本指标", "道路日常养护综合年费用", "≤175万元/公里"),
    ]
    # The raw target stays the value as printed.
    assert indicators[0].target_raw == "安全事故发生控制数为零"


def test_packed_cell_beside_prose_cells_is_read_once(tmp_path: Path) -> None:
    # A packed cell in one row, a prose goal in the next: the packed clauses are
    # table rows, the prose cell gives statements, and nothing is read twice.
    rows = (
        ("项目", "预算数（万元）", "绩效目标"),
        ("道路养护项目", "6,833.64", PACKED),
        (
            "桥梁维护项目",
            "750",
            "通过开展维护工作，主要达到以下目标：1.投诉处理率为100%；",
        ),
    )
    indicators = _extract("html", tmp_path, "项目支出表", rows, None)
    assert sorted((i.metric, i.target.text) for i in indicators if i.target) == [
        ("培训人次", "≥100人次"),
        ("学员满意度", "≥90%"),
        ("投诉处理率", "100%"),
    ]
    assert [i.source.span is None for i in indicators] == [True, True, False]


# A money table's form turned into columns: each row names its own project, the
# budget figure beside it is no project, and the title names a class of projects.
PROJECT_COLUMN_ROWS = (
    (
        "序号",
        "项目名称",
        "当年财政拨款预算金额",
        "指标名称",
        "指标性质",
        "指标值",
        "计量单位",
    ),
    ("1", "业务及日常运行项目", "8,534.17", "咨询一次性解答率", "≥", "70", "%"),
    ("2", "[301007]水文监测经费", "1,200.00", "发布水情专报", "≥", "50", "期"),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_project_column_names_each_rows_project(
    fmt: str, tmp_path: Path, pdf_builder
) -> None:
    indicators = _extract(
        fmt, tmp_path, "2026年市级一般性项目绩效目标表（一级项目）",
        PROJECT_COLUMN_ROWS, pdf_builder,
    )  # fmt: skip
    assert [(i.metric, i.target.text) for i in indicators if i.target] == [
        ("咨询一次性解答率", "≥70%"),
        ("发布水情专报", "≥50期"),
    ]
    assert [(i.project, i.project_code) for i in indicators] == [
        ("业务及日常运行项目", None),
        ("水文监测经费", "301007"),
    ]


def test_whole_department_table_is_the_units_project(tmp_path: Path) -> None:
    # A project form, then a 部门整体 form naming its unit: the second table's
    # project is the unit, never the project before it nor the form's title.
    html = (
        "<p>社区培训项目绩效目标表</p><table>"
        "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>目标值</td></tr>"
        "<tr><td>产出指标</td><td>数量指标</td><td>培训人次</td><td>≥200人次</td></tr>"
        "</table><p>部门整体支出绩效目标表</p><table>"
        "<tr><td>部门名称</td><td>某市公安局</td><td>部门预算编码</td><td>301</td></tr>"
        "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>目标值</td></tr>"
        "<tr><td>产出指标</td><td>时效指标</td><td>案件破案率</td><td>≥98%</td></tr>"
        "</table>"
    )
    path = tmp_path / "t.html"
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    indicators = extract(path).indicators
    assert [(i.metric, i.project, i.project_code) for i in indicators] == [
        ("培训人次", "社区培训项目", None),
        ("案件破案率", "某市公安局", None),
    ]


def test_form_title_wrapped_before_its_last_character(tmp_path: Path) -> None:
    # The title's 表 printed on a line of its own: the table is still the titled
    # project's, not the one of the table before it.
    table = (
        "<table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td>"
        "<td>目标值</td></tr><tr><td>产出指标</td><td>数量指标</td><td>{}</td>"
        "<td>≥1项</td></tr></table>"
    )
    html = (
        "<p>公安办案业务经费项目绩效目标表</p>" + table.format("办案数")
        + "<p>活动室改造工程项目绩效目标</p><p>表</p>" + table.format("改造数")
    )  # fmt: skip
    path = tmp_path / "t.html"
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    indicators = extract(path).indicators
    assert [(i.metric, i.project) for i in indicators] == [
        ("办案数", "公安办案业务经费项目"),
        ("改造数", "活动室改造工程项目"),
    ]


def test_packed_value_keeps_words_and_other_measures_whole() -> None:
    # A restated measure is dropped only before a figure, and only when it is the
    # clause's own measure; words or another measure keep the value as printed.
    assert stated_value("应急抢险及时率为100%", "应急抢险及时率") == "100%"
    assert stated_value("空气质量达到国家二级标准", "空气质量达到国家二级标准") == (
        "空气质量达到国家二级标准"
    )
    assert stated_value("更新率＞95％", "网络稳定、数据更新时效率") == "更新率＞95％"
    assert stated_value("不超出预算数", "不超出预算") == "不超出预算数"


def test_packed_clause_naming_another_measure_stays_one_indicator(
    tmp_path: Path,
) -> None:
    cell = (
        "1、1－产出指标，13－时效指标，数据更新时效率；实施周期指标值：更新率＞95％，"
        "年度指标值：更新率＞95％"
    )
    rows = (("项目", "预算数（万元）", "绩效目标"), ("运维项目", "0.52", cell))
    indicators = _extract("html", tmp_path, "项目支出表", rows, None)
    assert [(i.metric, i.target.text) for i in indicators if i.target] == [
        ("数据更新时效率", ">95%")  # a measure named before the value (rule 41)
    ]
