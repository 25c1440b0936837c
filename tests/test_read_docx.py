"""Tests for the DOCX reader: body order, headings, merged cells, nested tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from helpers import MINI_TABLE_GRID, grid, tables

from nlp.document import Document
from nlp.errors import ReadError
from nlp.read.base import _flatten
from nlp.read.docx import DocxReader


def _save(document: docx.document.Document, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def _read(document: docx.document.Document, tmp_path: Path) -> Document:
    return DocxReader().read(_save(document, tmp_path, "doc.docx"))


def test_body_order_headings_and_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("部门预算说明", level=1)
    document.add_paragraph("一、收支总体情况")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "收入"
    table.cell(0, 1).text = "100"
    document.add_paragraph("二、支出情况")
    document.add_paragraph("", style=None)
    doc = _read(document, tmp_path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "部门预算说明"),
        ("paragraph", "一、收支总体情况"),
        ("table", "收入\t100"),
        ("paragraph", "二、支出情况"),
    ]
    assert all(p.page is None for b in doc.blocks for p in b.prov)
    assert doc.format == "docx"
    assert doc.name == "doc.docx"


def test_outline_level_marks_a_heading(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("第一部分 部门概况")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>')
    )
    document.add_paragraph("正文")
    doc = _read(document, tmp_path)
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph"]


def test_horizontal_and_vertical_merges_give_true_spans(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "横向合并"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    for r in (1, 2):
        for c in (1, 2):
            table.cell(r, c).text = f"r{r}c{c}"
    doc = _read(document, tmp_path)
    (block,) = tables(doc)
    assert (block.table.n_rows, block.table.n_cols) == (3, 3)
    assert grid(block) == [
        (0, 0, 1, 3, "横向合并"),
        (1, 0, 2, 1, "纵向合并"),
        (1, 1, 1, 1, "r1c1"),
        (1, 2, 1, 1, "r1c2"),
        (2, 1, 1, 1, "r2c1"),
        (2, 2, 1, 1, "r2c2"),
    ]
    assert block.text == "横向合并\t\t\n纵向合并\tr1c1\tr1c2\n\tr2c1\tr2c2"


def test_nested_table_is_its_own_block_after_the_outer(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "项目"
    cell = outer.cell(0, 1)
    cell.text = "明细"
    inner = cell.add_table(rows=2, cols=2)
    for r, row in enumerate((("科目", "金额"), ("办公费", "3.5"))):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    document.add_paragraph("表后")
    doc = _read(document, tmp_path)
    assert [b.kind for b in doc.blocks] == ["table", "table", "paragraph"]
    outer_block, inner_block = tables(doc)
    assert grid(outer_block) == [
        (0, 0, 1, 1, "项目"),
        (0, 1, 1, 1, "明细"),  # the nested table is its own block, not repeated
    ]
    assert grid(inner_block) == [
        (0, 0, 1, 1, "科目"),
        (0, 1, 1, 1, "金额"),
        (1, 0, 1, 1, "办公费"),
        (1, 1, 1, 1, "3.5"),
    ]


def test_content_controls_fields_included_deletions_excluded(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("金额：")
    w = nsdecls("w")
    paragraph._p.append(
        parse_xml(
            f"<w:sdt {w}><w:sdtContent><w:r><w:t>746.1</w:t></w:r>"
            "</w:sdtContent></w:sdt>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {w} w:instr="PAGE"><w:r><w:t>万元</w:t></w:r></w:fldSimple>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r>'
            "</w:del>"
        )
    )
    body = document.element.body
    block_sdt = parse_xml(
        f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>控件段落</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, block_sdt)  # before w:sectPr
    doc = _read(document, tmp_path)
    assert [b.text for b in doc.blocks] == ["金额：746.1万元", "控件段落"]


def test_header_rows_are_marked(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(
        parse_xml(f"<w:tblHeader {nsdecls('w')}/>")
    )
    for r, row in enumerate((("科目", "金额"), ("办公费", "3.5"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    (block,) = tables(_read(document, tmp_path))
    assert [c.header for c in block.table.cells] == [True, True, False, False]


def test_grid_before_shifts_the_row(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(("甲", "乙", "丙")):
        table.cell(0, c).text = text
    second = table.rows[1]._tr
    second.remove(second.findall(qn("w:tc"))[0])
    second.get_or_add_trPr().append(
        parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>')
    )
    tcs = second.findall(qn("w:tc"))
    for tc, text in zip(tcs, ("丁", "戊"), strict=True):
        tc.find(qn("w:p")).append(
            parse_xml(f"<w:r {nsdecls('w')}><w:t>{text}</w:t></w:r>")
        )
    (block,) = tables(_read(document, tmp_path))
    assert grid(block) == [
        (0, 0, 1, 1, "甲"),
        (0, 1, 1, 1, "乙"),
        (0, 2, 1, 1, "丙"),
        (1, 1, 1, 1, "丁"),
        (1, 2, 1, 1, "戊"),
    ]


def test_performance_target_tablegrid(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("项目支出绩效目标表")
    rows = (
        ("一级指标", "二级指标", "三级指标", "指标值", "单位"),
        ("产出指标", "数量指标", "培训人次", "≥100", "人次"),
        ("", "", "覆盖社区数", "10", "个"),
        ("", "质量指标", "培训合格率", "≥95", "%"),
        ("效益指标", "社会效益指标", "群众知晓率", "提高", ""),
    )
    table = document.add_table(rows=5, cols=5)
    table.cell(1, 0).merge(table.cell(3, 0))
    table.cell(1, 1).merge(table.cell(2, 1))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    doc = _read(document, tmp_path)
    (block,) = tables(doc)
    assert (block.table.n_rows, block.table.n_cols) == (5, 5)
    assert grid(block) == MINI_TABLE_GRID
    for cell in block.table.cells:
        start, end = cell.prov[0].span
        assert doc.text[start:end] == _flatten(cell.text)


def test_truncated_file_raises_naming_the_file(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("内容")
    data = _save(document, tmp_path, "full.docx").read_bytes()
    broken = tmp_path / "half.docx"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"half\.docx: not a valid DOCX \(zip\) file"):
        DocxReader().read(broken)


def test_zip_that_is_not_a_word_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not word")
    with pytest.raises(ReadError, match=r"other\.docx: corrupt DOCX file"):
        DocxReader().read(path)


def test_empty_document_raises_naming_the_file(tmp_path: Path) -> None:
    path = _save(docx.Document(), tmp_path, "empty.docx")
    with pytest.raises(ReadError, match=r"empty\.docx: no text found"):
        DocxReader().read(path)


def test_missing_file_raises_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"absent\.docx: file not found"):
        DocxReader().read(tmp_path / "absent.docx")
