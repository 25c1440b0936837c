"""Tests for the PDF reader: each PDF extracts what the same content gives as text.

Every PDF is built in the test with reportlab (``pdf_builder`` in conftest.py); its
text version is written in the test too, and both go through the whole pipeline.
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PdfBuilder, PdfPage, scanned_pdf

from nlp.document import Document
from nlp.errors import ReadError
from nlp.pipeline import Result, extract
from nlp.read import read_document
from nlp.read.base import _flatten
from nlp.read.layout import TextFragment
from nlp.read.ocr import PageOcr
from nlp.read.pdf import PdfReader

Builder = Callable[..., PdfBuilder]
Rows = list[list[str | None]]

HEADER: list[str | None] = ["一级指标", "二级指标", "三级指标", "指标值"]
INDICATORS: Rows = [
    HEADER,
    ["产出指标", "数量指标", "培训人次", "≥500人次"],
    [None, None, "发放宣传手册", "1000份"],
    [None, None, "覆盖乡镇数", "12个"],
    [None, "质量指标", "培训合格率", "≥95%"],
    ["效益指标", "社会效益指标", "群众知晓率", "显著提高"],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"],
]
SPANS = {(1, 0): (4, 1), (1, 1): (3, 1)}
WIDTHS = [80.0, 110.0, 130.0, 100.0]


def _tsv(rows: Sequence[Sequence[str | None]]) -> str:
    return "\n".join("\t".join(c or "" for c in row) for row in rows)


def _triples(result: Result) -> list[tuple]:
    assert result.document.status == "ok", result.document.error
    return [
        (
            i.level1,
            i.level2,
            i.metric,
            i.target_raw,
            i.target.text if i.target else None,
        )
        for i in result.indicators
    ]


def _amounts(result: Result) -> list[tuple]:
    assert result.document.status == "ok", result.document.error
    return [(a.money.value, a.money.approx) for a in result.amounts]


def _same_as_text(path: Path, text: str) -> Result:
    """Extract ``path`` and ``text``; assert equal triples and amounts."""
    from_pdf = extract(path)
    from_text = extract(text)
    assert _triples(from_pdf) == _triples(from_text)
    assert _amounts(from_pdf) == _amounts(from_text)
    return from_pdf


def _read(path: Path, ocr: str = "auto") -> Document:
    return PdfReader(ocr=ocr).read(path)


def _assert_provenance(doc: Document) -> None:
    """Every block and cell has a 1-based page and a top-left bbox on the page."""
    for block in doc.blocks:
        items = [c.prov[0] for c in block.table.cells] if block.table else block.prov
        for prov in items:
            page = doc.pages[prov.page - 1]
            x0, top, x1, bottom = prov.bbox
            assert 0 <= x0 < x1 <= page.width
            assert 0 <= top < bottom <= page.height
            start, end = prov.span
            assert doc.text[start:end]


def _title(page: PdfPage, top: float = 60.0) -> None:
    page.text(72, top, "2023年项目支出绩效目标表", size=14)
    page.text(72, top + 30, "项目名称：农村实用技术培训")


TITLE_TEXT = "2023年项目支出绩效目标表\n\n项目名称：农村实用技术培训\n\n"


# --- tables ---------------------------------------------------------------------------


def test_ruled_table_with_spanning_cells(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    page = pdf.page()
    _title(page)
    page.table(72, 120, WIDTHS, INDICATORS, spans=SPANS)
    path = pdf.save("ruled.pdf")

    result = _same_as_text(path, TITLE_TEXT + _tsv(INDICATORS))
    assert len(result.indicators) == 6

    doc = _read(path)
    _assert_provenance(doc)
    (table,) = [b.table for b in doc.blocks if b.table]
    assert (table.n_rows, table.n_cols) == (7, 4)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(1, 0)] == (4, 1)
    assert spans[(1, 1)] == (3, 1)
    assert (2, 0) not in spans  # covered by the merged cell


def test_unruled_table_by_column_alignment(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    page = pdf.page()
    _title(page)
    page.table(72, 120, WIDTHS, INDICATORS, spans=SPANS, ruled=False, valign="top")
    path = pdf.save("aligned.pdf")

    result = _same_as_text(path, TITLE_TEXT + _tsv(INDICATORS))
    assert len(result.indicators) == 6
    (table,) = [b.table for b in _read(path).blocks if b.table]
    assert table.n_cols == 4


def test_two_aligned_rows_are_not_a_table(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    page = pdf.page()
    page.table(72, 100, [120, 200], [["编制单位", "某某局"], ["填报日期", "2023年"]],
               ruled=False)  # fmt: skip
    doc = _read(pdf.save("pairs.pdf"))
    assert not any(b.table for b in doc.blocks)
    assert [b.text for b in doc.blocks] == ["编制单位 某某局", "填报日期 2023年"]


def test_table_continued_over_a_page_with_repeated_header(pdf_builder: Builder) -> None:
    rows = [
        HEADER,
        ["产出指标", "数量指标", "培训人次", "≥500人次"],
        ["产出指标", "数量指标", "发放宣传手册", "1000份"],
        ["产出指标", "质量指标", "培训合格率", "≥95%"],
        ["产出指标", "时效指标", "完成时间", "2023年底前"],
        ["效益指标", "社会效益指标", "群众知晓率", "显著提高"],
        ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"],
    ]
    pdf = pdf_builder()
    first = pdf.page()
    _title(first, top=600)
    first.table(72, 660, WIDTHS, rows[:4])
    pdf.page().table(72, 60, WIDTHS, [HEADER, *rows[4:]])
    path = pdf.save("continued.pdf")

    result = _same_as_text(path, TITLE_TEXT + _tsv(rows))
    assert len(result.indicators) == 6
    assert {i.source.page for i in result.indicators} == {1, 2}


def test_wrapped_text_in_a_ruled_cell_joins_without_space(
    pdf_builder: Builder,
) -> None:
    rows: Rows = [
        HEADER,
        ["产出指标", "数量指标", "完成农村公路\n养护里程", "≥120公\n里"],
        [None, "质量指标", "验收合格率", "100%"],
        ["效益指标", "社会效益指标", "群众出行便利程度", "显著提高"],
    ]
    flat = [[c.replace("\n", "") if c else c for c in row] for row in rows]
    pdf = pdf_builder()
    page = pdf.page()
    _title(page)
    page.table(72, 120, WIDTHS, rows, row_height=30, spans={(1, 0): (2, 1)})
    result = _same_as_text(pdf.save("wrapped.pdf"), TITLE_TEXT + _tsv(flat))
    assert result.indicators[0].metric == "完成农村公路养护里程"


# --- narrative ------------------------------------------------------------------------


NARRATIVE = [
    "一、部门预算收支情况",
    "2023年部门收入预算合计88,808.45万元，比上年增加1,200.00万元，其中：一般公共预算",
    "拨款收入80,000.00万元，政府性基金预算拨款收入8,808.45万元。",
]


def test_narrative_amounts_and_a_number_cut_by_a_line_end(
    pdf_builder: Builder,
) -> None:
    lines = [
        "    根据年度工作安排，2023年本部门收入预算合计为人民币88,808.",
        "45万元，比上年增加1,200.00万元，主要原因是农村公路养护任务增加，",
        "以及新增的农村实用技术培训项目。",
    ]
    pdf = pdf_builder()
    page = pdf.page()
    page.text(72, 60, NARRATIVE[0], size=14)
    page.lines(72, 100, [NARRATIVE[1], NARRATIVE[2]], width=380)
    page.lines(72, 160, lines, leading=1.4, width=380)
    path = pdf.save("narrative.pdf")
    text = "\n\n".join(
        [NARRATIVE[0], NARRATIVE[1] + NARRATIVE[2], "".join(s.strip() for s in lines)]
    )

    result = _same_as_text(path, text)
    values = [str(v) for v, _ in _amounts(result)]
    assert "888084500.00" in values
    doc = _read(path)
    assert "88,808.45万元" in doc.text
    assert doc.blocks[0].kind == "heading"
    _assert_provenance(doc)


def test_paragraph_cut_by_a_page_break_is_joined(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    first = pdf.page()
    first.text(72, 60, "二、支出预算情况", size=14)
    first.lines(
        72,
        740,
        [
            "    2023年部门支出预算合计88,808.45万元，其中：基本支出12,345.67万元，项",
            "目支出76,462.78万元。项目支出中农村公路养护资金安排合计为人民币3,",
        ],
        width=325,
    )
    pdf.page().lines(72, 60, ["456.00万元，比上年增长百分之十。"])
    path = pdf.save("pagebreak.pdf")
    text = (
        "二、支出预算情况\n\n2023年部门支出预算合计88,808.45万元，其中：基本支出"
        "12,345.67万元，项目支出76,462.78万元。项目支出中农村公路养护资金安排合计为"
        "人民币3,456.00万元，比上年增长百分之十。"
    )
    result = _same_as_text(path, text)
    assert "34560000.00" in [str(v) for v, _ in _amounts(result)]


# --- what a reader cannot see ------------------------------------------------------


def test_hidden_white_clipped_and_off_page_text_is_not_extracted(
    pdf_builder: Builder,
) -> None:
    pdf = pdf_builder()
    page = pdf.page(crop=(0, 0, 595, 700))
    page.lines(72, 60, [NARRATIVE[0]])
    page.lines(72, 100, [NARRATIVE[1], NARRATIVE[2]])
    page.text(72, 200, "白色文字预算111.11万元", color=(1, 1, 1))
    page.text(-400, 220, "页面之外预算222.22万元")
    page.text(72, 240, "隐藏文字预算333.33万元", render_mode=3)
    page.text(72, 760, "裁切框外预算444.44万元")
    page.clipped_text(72, 280, "单元格内容预算555.55万元", clip=(0, 270, 142, 300))
    # White text on a dark band is visible and kept.
    page.rect(70, 318, 400, 336, color=(0.1, 0.1, 0.3))
    page.text(72, 320, "深色底上的白字", color=(1, 1, 1))
    path = pdf.save("hidden.pdf")
    text = "\n\n".join([NARRATIVE[0], NARRATIVE[1] + NARRATIVE[2], "单元格内容预算"])

    _same_as_text(path, text)
    doc = _read(path, ocr="never")
    for hidden in ("白色文字", "页面之外", "隐藏文字", "裁切框外", "555.55"):
        assert hidden not in doc.text
    assert "深色底上的白字" in doc.text


def test_text_printed_twice_at_one_place_is_read_once(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    page = pdf.page()
    for dx in (0.0, 0.3):  # fake bold: the same line drawn again, slightly offset
        page.text(72 + dx, 60, "项目总预算100.00万元")
    doc = _read(pdf.save("bold.pdf"))
    assert doc.text == "项目总预算100.00万元"


def test_running_headers_footers_and_page_numbers_are_dropped(
    pdf_builder: Builder,
) -> None:
    body = [
        ["一、部门职责", "负责全县农村公路建设和养护管理工作。"],
        ["二、机构设置", "本部门下设办公室等5个内设机构。"],
        ["三、收支预算", "2023年收入预算合计1,234.56万元。"],
    ]
    pdf = pdf_builder()
    for number, (heading, sentence) in enumerate(body, start=1):
        page = pdf.page()
        page.text(200, 30, "某某县交通运输局2023年部门预算", size=9)
        page.text(72, 120, heading, size=14)
        page.lines(72, 160, ["    " + sentence])
        footer = f"- {number} -" if number % 2 else f"第 {number} 页"
        page.text(290, 800, footer, size=9)
    path = pdf.save("furniture.pdf")
    text = "\n\n".join(line for pair in body for line in pair)

    _same_as_text(path, text)
    doc = _read(path)
    assert [b.text for b in doc.blocks] == [line for pair in body for line in pair]
    assert [p.number for p in doc.pages] == [1, 2, 3]


# --- OCR hook ---------------------------------------------------------------------


# Seconds the stand-in OCR reports per page, by step (exact in binary).
FAKE_TIMINGS = (("render", 0.25), ("ocr", 0.5), ("rulings", 0.125))


def _fake_ocr(monkeypatch: pytest.MonkeyPatch, calls: list[int]) -> None:
    """Install a stand-in ``nlp.read.ocr`` that 'recognises' one line per page."""
    module = types.ModuleType("nlp.read.ocr")

    def ocr_pdf_page_result(
        path: Path, page_index: int, width: float, height: float
    ) -> PageOcr:
        calls.append(page_index)
        fragment = TextFragment(
            "识别预算12.5万元", 72, 72, 200, 84, page_index + 1, "ocr", 0.9
        )
        return PageOcr((fragment,), (), 0.0, FAKE_TIMINGS)

    module.ocr_pdf_page_result = ocr_pdf_page_result  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nlp.read.ocr", module)


def test_pages_without_visible_text_go_to_ocr(
    pdf_builder: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = pdf_builder()
    pdf.page().text(72, 72, "不可见的识别层预算99.99万元", render_mode=3)
    pdf.page().lines(72, 72, [NARRATIVE[1], NARRATIVE[2]])
    path = pdf.save("scanned.pdf")
    calls: list[int] = []
    _fake_ocr(monkeypatch, calls)

    doc = _read(path, ocr="auto")
    assert calls == [0]
    assert [p.ocr for p in doc.pages] == [True, False]
    first = doc.blocks[0]
    assert first.text == "识别预算12.5万元"
    assert (first.prov[0].source, first.prov[0].confidence) == ("ocr", 0.9)
    assert "99.99" not in doc.text

    calls.clear()
    never = _read(path, ocr="never")
    assert calls == []
    assert [p.ocr for p in never.pages] == [False, False]
    assert never.blocks[0].page == 2

    _read(path, ocr="always")
    assert calls == [0, 1]


def test_ocr_timings_are_added_per_step_over_pages(
    pdf_builder: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = pdf_builder()
    pdf.page().text(72, 72, "不可见的识别层预算99.99万元", render_mode=3)
    pdf.page().lines(72, 72, [NARRATIVE[1], NARRATIVE[2]])
    path = pdf.save("scanned.pdf")
    _fake_ocr(monkeypatch, [])

    one_page = dict(_read(path, ocr="auto").timings)
    assert {step: one_page[step] for step, _ in FAKE_TIMINGS} == dict(FAKE_TIMINGS)
    both_pages = dict(_read(path, ocr="always").timings)
    assert {step: both_pages[step] for step, _ in FAKE_TIMINGS} == {
        step: 2 * seconds for step, seconds in FAKE_TIMINGS
    }
    none = dict(_read(path, ocr="never").timings)
    assert none["ocr"] == 0.0
    assert "render" not in none and "rulings" not in none


def test_scanned_page_reports_render_and_ocr_time_separately(
    tmp_path: Path,
) -> None:
    path = scanned_pdf(
        tmp_path / "scan.pdf", ["一、部门预算收支情况", "公用经费 52.8 万元。"]
    )
    doc = _read(path)
    assert [p.ocr for p in doc.pages] == [True]
    assert "52.8" in doc.text
    steps = dict(doc.timings)
    assert all(steps[step] > 0 for step in ("render", "ocr", "rulings"))

    record = extract(path).document
    assert record.status == "ok", record.error
    timings = dict(record.timings)
    assert timings["read.render"] > 0 and timings["read.ocr"] > 0
    assert timings["read.render"] + timings["read.ocr"] <= timings["read"]


def test_importing_the_reader_loads_no_pdf_or_ocr_library() -> None:
    code = (
        "import sys, nlp.read.pdf; "
        "heavy = ('pdfminer', 'onnxruntime', 'rapidocr_onnxruntime'); "
        "print(any(m.split('.')[0] in heavy for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# --- bad files ----------------------------------------------------------------------


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("这不是PDF文件", encoding="utf-8")
    with pytest.raises(ReadError, match=r"fake\.pdf: not a PDF"):
        read_document(path)
    with pytest.raises(ReadError, match=r"fake\.pdf: damaged"):
        _read(path)


def test_truncated_pdf(pdf_builder: Builder, tmp_path: Path) -> None:
    pdf = pdf_builder()
    for _ in range(3):
        pdf.page().lines(72, 72, NARRATIVE)
    data = pdf.save("whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError, match=r"cut\.pdf: damaged"):
        _read(path)
    result = extract(path)
    assert result.document.status == "error"
    assert "cut.pdf" in result.document.error


def test_encrypted_pdf(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    pdf.page().lines(72, 72, NARRATIVE)
    path = pdf.save("locked.pdf", encrypt="secret")
    with pytest.raises(ReadError, match=r"locked\.pdf: encrypted PDF"):
        _read(path)


def _pdf_bytes(objects: Sequence[str]) -> bytes:
    """A PDF file of the given objects (numbered from 1) with a correct xref."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(
        _pdf_bytes(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [] /Count 0 >>",
            ]
        )
    )
    with pytest.raises(ReadError, match=r"empty\.pdf: PDF has no pages"):
        _read(path)


@pytest.mark.parametrize(
    "system_info",
    ["", "/CIDSystemInfo << /Registry (q#Rz) /Ordering (Zk9) /Supplement 0 >>"],
    ids=["missing", "unreadable"],
)
def test_cid_font_without_a_readable_collection_is_read_by_its_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_info: str
) -> None:
    # 预算资金100万元 in UCS-2, drawn with a non-embedded CID font.
    codes = "".join(f"{ord(c):04X}" for c in "预算资金100万元")
    content = f"BT /F1 12 Tf 72 700 Td <{codes}> Tj ET"
    path = tmp_path / "no_collection.pdf"
    path.write_bytes(
        _pdf_bytes(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                " /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
                "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light"
                " /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
                "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
                f" {system_info} /DW 1000 >>",
                f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
            ]
        )
    )
    calls: list[int] = []
    _fake_ocr(monkeypatch, calls)
    doc = _read(path)
    assert calls == []
    assert doc.text.strip() == "预算资金100万元"


def test_many_pages_stream(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    for number in range(1, 501):
        page = pdf.page()
        page.lines(72, 150, [f"第{number}节 预算{number}.00万元。"])
    doc = _read(pdf.save("long.pdf"))
    assert len(doc.pages) == 500
    assert len(doc.blocks) == 500
    assert doc.blocks[-1].text == "第500节 预算500.00万元。"
    assert doc.blocks[-1].page == 500


def test_cell_spans_index_the_document_text(pdf_builder: Builder) -> None:
    pdf = pdf_builder()
    page = pdf.page()
    page.table(72, 120, WIDTHS, INDICATORS, spans=SPANS)
    doc = _read(pdf.save("spans.pdf"))
    for block in doc.blocks:
        for cell in block.table.cells if block.table else ():
            start, end = cell.prov[0].span
            assert doc.text[start:end] == _flatten(cell.text)


def test_brackets_drawn_below_their_line_stay_in_their_cell(
    pdf_builder: Builder,
) -> None:
    # Some exports set full-width brackets about three quarters of a line lower
    # than the characters around them: in the first row the marks fall between
    # two lines of the cell, in the second the closing mark's centre falls below
    # the row's ruling, into the next row.
    pdf = pdf_builder()
    page = pdf.page()
    widths = [170.0, 60.0, 60.0]
    page.table(60, 80, widths, [["指标名称", "指标值", "计量单位"]], size=10)
    top, height, size, drop = 100.0, 20.0, 10.0, 7.75
    for k, (name, place, value, unit) in enumerate(
        [("传输及时率", "国家地面站", "98", "%"), ("业务可用性", "省级站点", "95", "%")]
    ):
        row_top = top + k * height
        page.table(60, row_top, widths, [["", value, unit]], row_height=height)
        text_top = row_top + (4.0 if k == 0 else 9.0)
        x = 63.0
        page.text(x, text_top, name, size)
        x += size * len(name)
        page.text(x, text_top + drop, "（", size)
        page.text(x + size, text_top, place, size)
        page.text(x + size * (len(place) + 1), text_top + drop, "）", size)
    page.table(60, top + 2 * height, widths, [["工作完成率", "100", "%"]])
    document = read_document(pdf.save("marks.pdf"))
    names = [c.text for c in document.blocks[0].table.cells if c.col == 0]
    assert names == [
        "指标名称",
        "传输及时率（国家地面站）",
        "业务可用性（省级站点）",
        "工作完成率",
    ]


def test_characters_of_a_font_with_a_broken_descent_stay_in_their_row(
    pdf_builder: Builder, tmp_path: Path
) -> None:
    # Some exports declare a font Descent of about a whole em: pdfminer then puts
    # each character's box under its baseline, its centre in the row below; the
    # table's last row would fall out of the grid and the others shift by one.
    rows: Rows = [
        ["科目编码", "科目名称", "金额"],
        ["301", "工资福利支出", "5,293.75"],
        ["30101", "基本工资", "110.24"],
        ["30113", "住房公积金", "39.70"],
    ]
    pdf = pdf_builder()
    pdf.page().table(72, 100, [80.0, 140.0, 80.0], rows, row_height=14, size=10)
    path = pdf.save("descent.pdf")
    data = path.read_bytes()
    assert data.count(b"/Descent -271 ") == 1
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data.replace(b"/Descent -271 ", b"/Descent -999 "))

    (table,) = [b.table for b in _read(broken).blocks if b.table]
    cells = {(c.row, c.col): c.text for c in table.cells}
    assert [[cells.get((r, c)) for c in range(3)] for r in range(4)] == rows


def test_continuation_without_an_empty_column_keeps_its_columns_names(
    pdf_builder: Builder,
) -> None:
    # The part on the next page prints no amount under 财政专户, so the reader
    # drops that grid column: its 单位资金 amounts must still be named 单位资金.
    widths = [60.0, 120.0, 70.0, 70.0, 70.0, 70.0]
    header = ["科目编码", "科目名称", "合计", "财政拨款", "财政专户", "单位资金"]
    first: Rows = [
        header,
        ["201", "一般公共服务支出", "36.00", "20.00", "6.00", "10.00"],
    ]
    rest: Rows = [
        ["205", "教育支出", "7.00", "", "", "7.00"],
        ["208", "社会保障和就业支出", "9.00", "4.00", "", "5.00"],
    ]
    pdf = pdf_builder()
    page = pdf.page()
    page.text(72, 660, "单位：万元")
    page.table(60, 700, widths, first)
    pdf.page().table(60, 60, widths, rest)
    result = extract(pdf.save("continued_money.pdf"))

    named = {(a.money.value, a.column) for a in result.amounts if a.source.page == 2}
    assert named == {
        (Decimal("70000"), "合计"),
        (Decimal("70000"), "单位资金"),
        (Decimal("90000"), "合计"),
        (Decimal("40000"), "财政拨款"),
        (Decimal("50000"), "单位资金"),
    }


def test_a_space_drawn_after_a_gap_does_not_join_two_columns(
    pdf_builder: Builder,
) -> None:
    # Some exports draw each cell's text after a space: code, jump to the next
    # column, space, name. The space belongs to neither column's text run.
    pdf = pdf_builder()
    page = pdf.page()
    page.table(60, 100, [60.0, 140.0, 70.0], [["科目编码", "科目名称", "金额"]])
    page.table(60, 120, [60.0, 140.0, 70.0], [["", "", "56.53"], ["", "", "39.70"]])
    for k, (code, name) in enumerate(
        [("22102", "住房改革支出"), ("2210201", "住房公积金")]
    ):
        page.text(63, 125 + 20 * k, code)
        page.text(120 + 3 - 2.5, 125 + 20 * k, " " + name)
    (table,) = [b.table for b in _read(pdf.save("space.pdf")).blocks if b.table]
    cells = {(c.row, c.col): c.text for c in table.cells}
    assert [[cells.get((r, c)) for c in range(3)] for r in range(1, 3)] == [
        ["22102", "住房改革支出", "56.53"],
        ["2210201", "住房公积金", "39.70"],
    ]
