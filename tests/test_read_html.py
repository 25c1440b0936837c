"""Tests for the HTML reader: flow text, table grids, form controls, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINI_TABLE_GRID, grid, tables

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import _flatten
from nlp.read.html import HtmlReader, decode_html


def _read(tmp_path: Path, html: str | bytes, name: str = "page.html") -> Document:
    path = tmp_path / name
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    return HtmlReader().read(path)


def _assert_spans_consistent(doc: Document) -> None:
    """Every block and cell span points at its own text in Document.text."""
    for block in doc.blocks:
        start, end = block.prov[0].span
        assert doc.text[start:end] == block.text
        for cell in block.table.cells if block.table else ():
            start, end = cell.prov[0].span
            assert doc.text[start:end] == _flatten(cell.text)


def test_rowspan_colspan_header_input_and_caption(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<table><caption>收支总表</caption>
        <tr><th rowspan="2">项目</th><th colspan="2">预算数</th></tr>
        <tr><th>财政拨款</th><th>其他</th></tr>
        <tr><td>人员支出</td><td><input type="text" value="746.1"></td><td>0</td></tr>
        </table>""",
    )
    (table,) = tables(doc)
    assert table.table.caption == "收支总表"
    assert table.table.n_rows == 3
    assert table.table.n_cols == 3
    assert grid(table) == [
        (0, 0, 2, 1, "项目"),
        (0, 1, 1, 2, "预算数"),
        (1, 1, 1, 1, "财政拨款"),
        (1, 2, 1, 1, "其他"),
        (2, 0, 1, 1, "人员支出"),
        (2, 1, 1, 1, "746.1"),
        (2, 2, 1, 1, "0"),
    ]
    assert [c.header for c in table.table.cells] == [True] * 4 + [False] * 3
    assert table.text == "项目\t预算数\t\n\t财政拨款\t其他\n人员支出\t746.1\t0"
    assert all(p.page is None for p in table.prov)
    _assert_spans_consistent(doc)


def test_malformed_markup_is_repaired_like_a_browser(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "<p>表头<table><tr><td>甲<td>乙<tr><td>丙<td>丁</table><p>表后",
    )
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    assert grid(tables(doc)[0]) == [
        (0, 0, 1, 1, "甲"),
        (0, 1, 1, 1, "乙"),
        (1, 0, 1, 1, "丙"),
        (1, 1, 1, 1, "丁"),
    ]
    assert doc.blocks[2].text == "表后"


def test_bogus_spans_are_clamped_without_overlap(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<table>
        <tr><td rowspan="9">A</td><td colspan="x">B</td><td rowspan="2">C</td></tr>
        <tr><td colspan="3">D</td></tr>
        </table>""",
    )
    (table,) = tables(doc)
    # A's rowspan stops at the last row; D's colspan stops at C, which covers (1, 2).
    assert grid(table) == [
        (0, 0, 2, 1, "A"),
        (0, 1, 1, 1, "B"),
        (0, 2, 2, 1, "C"),
        (1, 1, 1, 1, "D"),
    ]
    covered = [
        (r, c)
        for cell in table.table.cells
        for r in range(cell.row, cell.end_row)
        for c in range(cell.col, cell.end_col)
    ]
    assert len(covered) == len(set(covered))


def test_nested_table_is_its_own_block_after_the_outer(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<table><tr><td>外层</td><td>说明
        <table><tr><td>内1</td><td>内2</td></tr><tr><td>内3</td><td>内4</td></tr>
        </table></td></tr></table><p>之后</p>""",
    )
    outer, inner = tables(doc)
    assert grid(outer) == [
        (0, 0, 1, 1, "外层"),
        (0, 1, 1, 1, "说明"),  # the nested table is its own block, not repeated
    ]
    assert grid(inner) == [
        (0, 0, 1, 1, "内1"),
        (0, 1, 1, 1, "内2"),
        (1, 0, 1, 1, "内3"),
        (1, 1, 1, 1, "内4"),
    ]
    assert [b.kind for b in doc.blocks] == ["table", "table", "paragraph"]
    _assert_spans_consistent(doc)


def test_flow_text_headings_paragraphs_and_breaks(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<html><head><title>标题栏</title><style>p {color: red}</style>
        <script>var a = "脚本";</script></head><body>
        <h2>一、部门  职责</h2>
        <div><div><p>第一段&nbsp;文字　全角</p>外层文字</div></div>
        <!-- 注释 -->
        <p>第一行<br>第二行</p>
        <ul><li>条目一</li><li>条目二</li></ul>
        <div style="display: none">隐藏</div>
        </body></html>""",
    )
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "一、部门 职责"),
        ("paragraph", "第一段 文字 全角"),
        ("paragraph", "外层文字"),
        ("paragraph", "第一行\n第二行"),
        ("paragraph", "条目一"),
        ("paragraph", "条目二"),
    ]
    assert all(b.prov[0].page is None for b in doc.blocks)
    _assert_spans_consistent(doc)


def test_source_line_break_between_chinese_characters_is_dropped(
    tmp_path: Path,
) -> None:
    doc = _read(tmp_path, "<p>项目支出\n    绩效目标 2023\n年</p>")
    assert doc.blocks[0].text == "项目支出绩效目标 2023 年"


def test_form_controls_show_their_values(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<table>
        <tr><td>指标值</td><td><input value="≥95%"><input type="hidden" value="x"></td>
        <td><select><option>否</option><option selected>是</option></select></td>
        <td><select><option>第一项</option><option>第二项</option></select></td>
        <td><textarea>培训
合格</textarea></td></tr></table>""",
    )
    assert [c.text for c in tables(doc)[0].table.cells] == [
        "指标值",
        "≥95%",
        "是",
        "第一项",
        "培训\n合格",
    ]


def test_one_column_layout_table_is_read_as_flow(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<table><tr><td><h1>部门预算</h1><p>说明文字</p>
        <table><tr><td>科目</td><td>金额</td></tr></table></td></tr></table>""",
    )
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "部门预算"),
        ("paragraph", "说明文字"),
        ("table", "科目\t金额"),
    ]


def test_performance_target_tablegrid(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        """<p>单位：万元</p><table>
        <tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th>
            <th>单位</th></tr>
        <tr><td rowspan="3">产出指标</td><td rowspan="2">数量指标</td>
            <td>培训人次</td><td>≥100</td><td>人次</td></tr>
        <tr><td>覆盖社区数</td><td>10</td><td>个</td></tr>
        <tr><td>质量指标</td><td>培训合格率</td><td>≥95</td><td>%</td></tr>
        <tr><td>效益指标</td><td>社会效益指标</td><td>群众知晓率</td><td>提高</td>
            <td></td></tr>
        </table>""",
    )
    (table,) = tables(doc)
    assert table.table.n_rows == 5
    assert table.table.n_cols == 5
    assert grid(table) == MINI_TABLE_GRID
    _assert_spans_consistent(doc)


def test_declared_gb2312_page_is_decoded(tmp_path: Path) -> None:
    html = '<html><head><meta charset="gb2312"></head><body><p>绩效目标</p></body>'
    doc = _read(tmp_path, html.encode("gb18030"))
    assert doc.blocks[0].text == "绩效目标"


def test_undeclared_gbk_bytes_fall_back_to_gb18030() -> None:
    assert decode_html("<p>预算</p>".encode("gbk")) == "<p>预算</p>"


def test_utf8_page_wrongly_declared_gbk_falls_back_to_utf8() -> None:
    raw = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    raw_bytes = raw.encode() + "<p>邕</p>".encode()
    assert decode_html(raw_bytes).endswith("<p>邕</p>")


def test_byte_order_mark_wins() -> None:
    raw = b"\xef\xbb\xbf" + '<meta charset="gbk"><p>资金</p>'.encode()
    assert decode_html(raw) == '<meta charset="gbk"><p>资金</p>'


def test_page_without_text_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"blank\.html: no text found"):
        _read(tmp_path, "<html><body><script>x()</script> &nbsp; </body>", "blank.html")


def test_missing_file_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"absent\.html"):
        HtmlReader().read(tmp_path / "absent.html")


def test_deeply_nested_unclosed_tags_are_read(tmp_path: Path) -> None:
    doc = _read(tmp_path, "<p>开头</p>" + "<font>" * 3000 + "深处文字")
    assert [b.text for b in doc.blocks] == ["开头", "深处文字"]


def test_spaces_across_inline_elements_collapse_to_one(tmp_path: Path) -> None:
    doc = _read(tmp_path, "<p>预算 <b> 支出 </b>  <span>合计</span></p>")
    assert doc.blocks[0].text == "预算 支出 合计"
