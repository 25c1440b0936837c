"""Tests for the plain-text reader: table styles, noise, headings, joins, encodings."""

from __future__ import annotations

import builtins
import logging
import pathlib
import random
import re
from pathlib import Path

import pytest

from nlp.document import Block, Document
from nlp.errors import ReadError
from nlp.read.base import _flatten
from nlp.read.text import TextReader, is_heading

logger = logging.getLogger(__name__)

CORPUS = Path(__file__).resolve().parents[1] / "annotations" / "corpus"


def _read(text: str) -> Document:
    return TextReader().read_string(text, "doc.txt")


def _tables(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "table"]


def _rows(block: Block) -> list[list[str]]:
    """The table as a list of rows of cell texts, empty positions as ""."""
    assert block.table is not None
    grid = [[""] * block.table.n_cols for _ in range(block.table.n_rows)]
    for cell in block.table.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def _kinds(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in doc.blocks if b.kind != "table"]


def _assert_spans_consistent(doc: Document) -> None:
    """Every block and cell span points at its own text in Document.text."""
    for block in doc.blocks:
        assert block.page is None
        start, end = block.prov[0].span
        assert doc.text[start:end] == block.text
        for cell in block.table.cells if block.table else ():
            assert cell.prov[0].page is None
            start, end = cell.prov[0].span
            assert doc.text[start:end] == _flatten(cell.text)


def _dump(doc: Document) -> None:
    """Log blocks with kind and first cells, to check a seed's reading by eye."""
    for i, block in enumerate(doc.blocks):
        if block.table is None:
            logger.info("[%d] %s %.60s", i, block.kind, block.text)
            continue
        logger.info("[%d] table %dx%d", i, block.table.n_rows, block.table.n_cols)
        for row in _rows(block)[:3]:
            logger.info("      %s", " | ".join(c[:15] for c in row))


# --- tab-separated rows -----------------------------------------------------------


def test_tab_rows_keep_empty_leading_cells_in_position() -> None:
    doc = _read(
        "单位：万元\n\n"
        "收 入\t\t支 出\t\n"
        "一、政府预算资金\t3,293.00\t一、社会保障和就业支出\t60.05\n"
        "\t\t机关事业单位基本养老保险缴费支出\t30.50\n"
    )
    (table,) = _tables(doc)
    assert _rows(table) == [
        ["收 入", "", "支 出", ""],
        ["一、政府预算资金", "3,293.00", "一、社会保障和就业支出", "60.05"],
        ["", "", "机关事业单位基本养老保险缴费支出", "30.50"],
    ]
    assert table.table is not None
    # Empty fields are cells too: every position of every row is present.
    assert len(table.table.cells) == 12
    assert _kinds(doc) == [("paragraph", "单位：万元")]
    _assert_spans_consistent(doc)


def test_blank_line_between_tab_rows_ends_the_table() -> None:
    doc = _read("项目\t金额\t目标\n甲\t1\t在工作开展1年\n\n\t\t内完成\n--\t--\t--\n")
    first, second = _tables(doc)
    assert _rows(first)[-1] == ["甲", "1", "在工作开展1年"]
    assert _rows(second) == [["", "", "内完成"], ["--", "--", "--"]]


def test_two_column_rows_with_empty_first_cells_stay_rows() -> None:
    doc = _read("合计\t30\n\t10\n\t20\n\t5\n\t5\n")
    (table,) = _tables(doc)
    assert _rows(table) == [
        ["合计", "30"],
        ["", "10"],
        ["", "20"],
        ["", "5"],
        ["", "5"],
    ]


def test_paragraph_markup_in_tab_cells_becomes_line_breaks() -> None:
    doc = _read(
        "项目概况\t<p>1. 培训经费：用于培训。</p> <p>2. 宣传经费&nbsp;用于宣传。</p>"
        "\t\t\n项目用途\t<p>用于<b>发放</b>奖励金<br/>第二行\t\t\n"
    )
    (table,) = _tables(doc)
    rows = _rows(table)
    assert rows[0] == [
        "项目概况",
        "1. 培训经费：用于培训。\n2. 宣传经费 用于宣传。",
        "",
        "",
    ]
    assert rows[1][1] == "用于发放奖励金\n第二行"
    assert "<" not in doc.text
    _assert_spans_consistent(doc)


def test_heading_typed_with_a_tab_is_text() -> None:
    doc = _read("一、\t部门职责\n\n承担全区改造工作。\n")
    assert _tables(doc) == []
    assert _kinds(doc) == [
        ("heading", "一、 部门职责"),
        ("paragraph", "承担全区改造工作。"),
    ]


# --- Markdown pipe tables ---------------------------------------------------------


def test_pipe_table_drops_separator_and_keeps_breaks_and_empty_cells() -> None:
    doc = _read(
        "| 部门名称 |   | 深圳市某中心 |  |\n"
        "|---|---|:--:|--|\n"
        "| 年度<br>主要<br>任务 | 任务名称 | a \\| b |  |\n"
        "|  |  |  |  |\n"
        "|  | 数量指标 | ≥4次 |  |\n"
        "\n"
        "| 产出指标 | 质量指标 | 100% |  |\n"
    )
    first, second = _tables(doc)
    assert _rows(first) == [
        ["部门名称", "", "深圳市某中心", ""],
        ["年度\n主要\n任务", "任务名称", "a | b", ""],
        ["", "数量指标", "≥4次", ""],  # the all-empty row is gone
    ]
    assert _rows(second) == [["产出指标", "质量指标", "100%", ""]]
    assert first.table is not None
    assert not any(c.header for c in first.table.cells)
    _assert_spans_consistent(doc)


# --- one cell per line ------------------------------------------------------------

CELL_PER_LINE = (
    "二、机构设置\n"
    "\t序号\n\t单位名称\n\t经费保障形式\n"
    "\n"
    "\t1\n\t保定市徐水区\n城区办事处\n\t财政拨款\n"
    "\n\n\n"
    "[bookmark: _Toc66962593]1.地震群测群防岗位津贴绩效目标表\n"
    "\t绩效目标\n"
    "\t1.通过项目实施，维持队伍的稳定。\n2.有效降低地震灾害损失。\n"
    "\n"
    "3.进行地震灾害宣传\n"
    "\n\n \n"
    "\t一级指标\n\t二级指标\n\t指标值\n"
    "\n"
    "\t产出指标\n\t数量指标\n\t100%\n"
    "\n"
    "\t\n\t质量指标\n\t≥90%\n"
    "\n"
    "\t\n\t\n\t\n"
    "\n"
    "\t合  计\n"
    " 第七部分：国有资产信息\n"
    "上年末固定资产总金额为275.9万元。\n"
)


def test_cell_per_line_rows_and_multi_line_cells() -> None:
    doc = _read(CELL_PER_LINE)
    first, second = _tables(doc)
    assert _rows(first) == [
        ["序号", "单位名称", "经费保障形式"],
        ["1", "保定市徐水区\n城区办事处", "财政拨款"],
    ]
    assert _rows(second) == [
        # A numbered line after one blank line continues the numbered cell.
        [
            "绩效目标",
            "1.通过项目实施，维持队伍的稳定。\n2.有效降低地震灾害损失。\n"
            "3.进行地震灾害宣传",
            "",
        ],
        # The table runs over the three blank lines before the indicator rows.
        ["一级指标", "二级指标", "指标值"],
        ["产出指标", "数量指标", "100%"],
        # "\t" alone is an empty first cell; the row of only empty cells is gone.
        ["", "质量指标", "≥90%"],
        ["合  计", "", ""],
    ]
    _assert_spans_consistent(doc)


def test_cell_per_line_table_ends_at_section_line() -> None:
    doc = _read(CELL_PER_LINE)
    assert _kinds(doc) == [
        ("heading", "二、机构设置"),
        ("heading", "1.地震群测群防岗位津贴绩效目标表"),
        ("heading", "第七部分：国有资产信息"),
        ("paragraph", "上年末固定资产总金额为275.9万元。"),
    ]


def test_lone_empty_cell_does_not_swallow_the_next_paragraph() -> None:
    doc = _read("2021年部门预算公开说明\n\t\n按照预算法规定，现将预算信息公开如下：\n")
    assert _tables(doc) == []
    assert _kinds(doc)[-1] == ("paragraph", "按照预算法规定，现将预算信息公开如下：")


def test_unmatched_spreadsheet_quote_is_removed_from_cell() -> None:
    doc = _read('\t项目资金\n\t"用于保障民兵训练。\n')
    (table,) = _tables(doc)
    assert _rows(table) == [["项目资金", "用于保障民兵训练。"]]


# --- noise, headings, paragraph joins ---------------------------------------------


def test_conversion_noise_is_removed() -> None:
    doc = _read(
        "[bookmark: _Toc66962590]一、总体绩效目标\n"
        "1) **项目建设有序推进。**南华村\u200b项目封顶。\n"
        "- 第一部分 部门概况\n"
        "---\n"
        "[]{#_Toc1 .anchor}附注\xa0说明。\n"
    )
    assert _kinds(doc) == [
        ("heading", "一、总体绩效目标"),
        ("paragraph", "1) 项目建设有序推进。南华村项目封顶。"),
        ("paragraph", "第一部分 部门概况"),  # a list item is never a heading
        ("paragraph", "附注 说明。"),
    ]
    assert "bookmark" not in doc.text


@pytest.mark.parametrize(
    "line",
    [
        "第一部分 部门概况",
        "第五部分：预算绩效信息",
        "一、部门职责",
        "（三）2024年部门预算编制情况",
        "(1) 资产管理安全性",
        "2. 重点工作任务",
        "表 1",
        "项目支出绩效目标表",
        "一般公共预算支出表（按功能分类）",
        "2024 年度部门整体绩效自评报告",
    ],
)
def test_heading_lines(line: str) -> None:
    assert is_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "单位：万元",
        "部门名称：深圳市福田区活力城区建设事务中心",
        "（一）人员支出 746.1 万元，主要包括：",
        "1. 承担全区老旧小区（棚户区）改造工作。",
        "一、一般公共预算拨款收入：指本级财政当年拨付的资金。",
        "2022 年度",
        "深圳市福田区活力城区建设事务中心实施部门预算绩效管理的单位范围包括全区所有基层单位和项目",
    ],
)
def test_paragraph_lines(line: str) -> None:
    assert not is_heading(line)


def test_number_cut_from_its_unit_by_a_page_break_is_joined() -> None:
    doc = _read(
        "8) 老旧住宅小区改造项目咨询与研究项目全年预算数 52. 34\n\n"
        "万元，全年执行数 52.31 万元。\n"
    )
    assert _kinds(doc) == [
        (
            "paragraph",
            "8) 老旧住宅小区改造项目咨询与研究项目全年预算数 52. 34万元，"
            "全年执行数 52.31 万元。",
        )
    ]


def test_sentence_cut_by_a_page_break_is_joined() -> None:
    doc = _read(
        "一般管理事务 460.65 万元，主要用于绩效考核经费、基层\n\n"
        "党建、培训费等支出。\n\n"
        "公务用车保有数量 0 辆，2022\n\n年拟申请统一调配使用。\n"
    )
    assert [text for _, text in _kinds(doc)] == [
        "一般管理事务 460.65 万元，主要用于绩效考核经费、基层党建、培训费等支出。",
        "公务用车保有数量 0 辆，2022年拟申请统一调配使用。",
    ]


def test_titles_labels_and_numbered_items_are_not_joined() -> None:
    doc = _read(
        "收支总表\n\n部门名称：深圳市某中心\n\n单位：万元\n\n"
        "三是统筹推动建设，加\n\n2. 重点工作任务\n\n"
        "绩效目标：开展文化活动，做好意识形态工作\n绩效指标：开展活动50次。\n"
    )
    assert _kinds(doc) == [
        ("heading", "收支总表"),
        ("paragraph", "部门名称：深圳市某中心"),
        ("paragraph", "单位：万元"),
        ("paragraph", "三是统筹推动建设，加"),
        ("heading", "2. 重点工作任务"),
        ("paragraph", "绩效目标：开展文化活动，做好意识形态工作"),
        ("paragraph", "绩效指标：开展活动50次。"),
    ]


# --- files and encodings ----------------------------------------------------------

SAMPLE = "一、部门职责\r\n\r\n项目名称\t预算数（万元）\r\n一般管理事务\t460.65\r\n"


def _check_sample(doc: Document) -> None:
    assert _kinds(doc) == [("heading", "一、部门职责")]
    (table,) = _tables(doc)
    assert _rows(table) == [["项目名称", "预算数（万元）"], ["一般管理事务", "460.65"]]
    assert "\r" not in doc.text
    _assert_spans_consistent(doc)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "budget.txt"
    path.write_bytes(bom + SAMPLE.encode(encoding))
    doc = TextReader().read(path)
    assert doc.name == "budget.txt"
    assert doc.format == "text"
    assert not doc.text.startswith("\ufeff")
    assert [step for step, _ in doc.timings] == ["decode", "parse"]
    _check_sample(doc)


def test_display_name_is_used(tmp_path: Path) -> None:
    path = tmp_path / "budget.md"
    path.write_text(SAMPLE, encoding="utf-8")
    assert TextReader().read(path, name="dept/budget.md").name == "dept/budget.md"


def test_read_string_never_touches_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("disk access")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "exists", refuse)
    _check_sample(TextReader().read_string(SAMPLE, "budget.txt"))


def test_read_string_of_blank_text_is_empty() -> None:
    doc = TextReader().read_string(" \n\n", "blank.txt")
    assert doc.blocks == ()
    assert doc.text == ""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "whitespace"),
        (b"%PDF-1.4\x00\x01\x02\x00binary", "NUL"),
        (bytes(range(1, 9)) * 50 + "预算".encode(), "control characters"),
    ],
)
def test_unreadable_files_raise_read_error(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "bad (1).txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=rf"^{re.escape(path.name)}: .*{problem}"):
        TextReader().read(path)


def test_undecodable_bytes_raise_read_error(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in random.Random(0).randbytes(4000) if b))
    with pytest.raises(ReadError, match=r"^noise\.txt: cannot decode"):
        TextReader().read(path)


def test_missing_file_raises_read_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(ReadError, match=rf"^{re.escape(path.name)}: no such file"):
        TextReader().read(path)


def test_directory_raises_read_error(tmp_path: Path) -> None:
    path = tmp_path / "folder.txt"
    path.mkdir()
    with pytest.raises(ReadError, match=rf"^{re.escape(path.name)}: is a folder"):
        TextReader().read(path)


def test_read_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing\.txt"):
        TextReader().read(tmp_path / "missing.txt")


# --- the seed documents -----------------------------------------------------------


def _seed(stem: str) -> Document:
    (path,) = CORPUS.glob(f"{stem}_*.txt")
    doc = TextReader().read(path)
    _dump(doc)
    _assert_spans_consistent(doc)
    return doc


def _row_starting(doc: Document, *first: str) -> list[str]:
    """The first table row whose leading cells are ``first``."""
    for block in _tables(doc):
        for row in _rows(block):
            if tuple(row[: len(first)]) == first:
                return row
    raise AssertionError(f"no row starting {first}")


def test_seed_000_tab_tables() -> None:
    doc = _seed("000")
    tables = _tables(doc)
    # 表 11's indicator rows: one table per exported page, each led by 年度绩效指标.
    indicator = [t for t in tables if any(r[0] == "年度绩效指标" for r in _rows(t))]
    assert len(indicator) == 12
    assert _row_starting(doc, "", "", "", "参与培训工作人数") == [
        "",
        "",
        "",
        "参与培训工作人数",
        "≥20 人",
    ]
    # The key-project table is cut by a blank line into two tables.
    assert _rows(tables[0])[0] == ["项目名称", "预算数（万元）", "绩效目标"]
    assert _rows(tables[1])[0][:2] == ["", ""]
    # <p>…</p> inside a cell: one line per paragraph.
    content = _row_starting(doc, "年度主要任务", "老旧住宅小区改造项目咨询与研究")[2]
    assert content.count("\n") == 6
    assert content.startswith(
        "主要负责全区老旧住宅区（棚户区）改造事务性工作：\n1.概念规划设计。"
    )
    texts = [text for _, text in _kinds(doc)]
    assert any("绩效考核经费、基层党建、培训费" in t for t in texts)
    assert ("heading", "第七部分 重点项目预算绩效情况说明") in _kinds(doc)


def test_seed_001_pipe_tables() -> None:
    doc = _seed("001")
    tables = _tables(doc)
    assert len(tables) == 3
    rows = _rows(tables[0])
    assert len(rows) == 18
    assert rows[1][:2] == ["年度\n主要\n任务", "任务名称"]
    assert rows[8][:4] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert rows[9][1:4] == ["数量指标", "党组织建设事项数", "≥4次"]
    # The empty header row of the third table is dropped.
    assert _rows(tables[2])[0][2:5] == ["可持续影响指标", "不适用", "不适用"]
    assert _kinds(doc)[0] == ("heading", "部门（单位）整体支出绩效目标申报表")


def test_seed_002_prose_with_page_breaks() -> None:
    doc = _seed("002")
    assert _tables(doc) == []
    texts = [text for _, text in _kinds(doc)]
    assert any("预算数 52. 34万元，全年执行数 52.31 万元" in t for t in texts)
    assert any("政府性基金预算资金 43,000.0万元，全年预算执行数" in t for t in texts)
    headings = [text for kind, text in _kinds(doc) if kind == "heading"]
    assert headings[:3] == [
        "2024 年度部门整体绩效自评报告",
        "一、部门基本情况",
        "(一) 部门主要职能",
    ]
    assert "四、部门整体支出绩效评价指标评分情况" in headings
    assert not any("**" in t for t in texts)


def test_seed_003_cell_per_line_tables() -> None:
    doc = _seed("003")
    tables = _tables(doc)
    assert len(tables) == 22
    # 18 project tables, each holding its indicator header row.
    headers = [
        t for t in tables if any(r[:2] == ["一级指标", "二级指标"] for r in _rows(t))
    ]
    assert len(headers) == 18
    assert "bookmark" not in doc.text
    assert _row_starting(doc, "", "质量指标", "报表信息质量合格率")[:6] == [
        "",
        "质量指标",
        "报表信息质量合格率",
        "报表信息质量合格率",
        "≥90%",
        "依据工作方案",
    ]
    assert _row_starting(doc, "1")[1] == "保定市徐水区\n城区办事处"
    # A numbered cell continued after a page-break blank line keeps all its items.
    (goals,) = [
        row[1]
        for t in tables
        for row in _rows(t)
        if row[0] == "绩效目标" and row[1].startswith("1.保障本单位的民兵训练")
    ]
    assert goals.split("\n") == [
        "1.保障本单位的民兵训练，征兵等工作的正常开展。",
        "2.根据上级要求，认真制定基干民兵和专武干部培训计划和方案，"
        "严格组织人员按质按量完成训练任务。",
        "3.圆满完成上级交给的各项工作任务。",
    ]
    assert ("heading", "第七部分：国有资产信息") in _kinds(doc)


def test_seed_004_project_tables() -> None:
    doc = _seed("004")
    titles = [text for kind, text in _kinds(doc) if kind == "heading"]
    assert titles == ["项目支出绩效目标表"] * 15
    tables = _tables(doc)
    assert len(tables) == 19  # four tables continue after a blank line
    headers = [
        r
        for t in tables
        for r in _rows(t)
        if r[:3] == ["一级指标", "二级指标", "指标内容"]
    ]
    assert len(headers) == 15
    assert (
        _row_starting(doc, "", "", "采集案件量（包括核查、核实）城市事件数")[3]
        == "150000"
    )
    # <p> markup in the second project's 项目用途 cell is gone; the row keeps its
    # trailing empty positions.
    use = _rows(tables[1])[7]
    assert use[0] == "项目用途"
    assert use[1].startswith("该项目是利用4G/3G、GPS、云计算等信息技术服务")
    assert use[2:] == ["", "", ""]
    assert "<p>" not in doc.text
