"""Indicator tables across page breaks and headers over two lines, in PDFs.

Each PDF is drawn in the test with reportlab (``pdf_builder`` in conftest.py): a
table continued on the next page with or without its header repeated, a row cut
in two by the page break, and a header whose labels wrap onto a second line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import PdfBuilder

from nlp.pipeline import extract

Builder = Callable[..., PdfBuilder]
Rows = Sequence[Sequence[str]]
WIDTHS = [80.0, 100.0, 150.0, 100.0]
HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
FIRST = ("产出指标", "数量指标", "培训人次", "≥200人次")
SECOND = ("产出指标", "质量指标", "培训合格率", "≥95%")


def _records(path: Path) -> list[tuple]:
    result = extract(path)
    assert result.document.status == "ok", result.document.error
    return [
        (
            i.level1_norm,
            i.level2_norm,
            i.metric,
            i.target.text if i.target else None,
            i.source.page,
        )
        for i in result.indicators
    ]


def _pages(pdf_builder: Builder, pages: Sequence[Rows], ruled: bool = True) -> Path:
    pdf = pdf_builder()
    for number, rows in enumerate(pages, start=1):
        page = pdf.page()
        page.text(60, 50, "社区培训项目绩效目标表" if number == 1 else "", 12)
        page.table(60, 80, WIDTHS, rows, row_height=24, size=9, ruled=ruled)
        page.text(280, 800, f"- {number} -", 9)
    return pdf.save("pages.pdf")


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_continued_on_the_next_page(
    pdf_builder: Builder, repeat_header: bool
) -> None:
    second_page = [HEADER, SECOND] if repeat_header else [SECOND]
    path = _pages(pdf_builder, [[HEADER, FIRST], second_page])
    assert _records(path) == [
        ("产出指标", "数量指标", "培训人次", "≥200人次", 1),
        ("产出指标", "质量指标", "培训合格率", "≥95%", 2),
    ]


def test_row_cut_by_the_page_break_is_joined_and_its_neighbour_kept(
    pdf_builder: Builder,
) -> None:
    # The last row's metric ends on the next page; the row under it is whole.
    cut = ("产出指标", "质量指标", "结业证书发放", "100%")
    rest = ("", "", "率", "")
    after = ("效益指标", "社会效益指标", "群众知晓率", "≥80%")
    path = _pages(pdf_builder, [[HEADER, FIRST, cut], [rest, after]])
    assert _records(path) == [
        ("产出指标", "数量指标", "培训人次", "≥200人次", 1),
        ("产出指标", "质量指标", "结业证书发放率", "100%", 1),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%", 2),
    ]


@pytest.mark.parametrize("ruled", [True, False])
def test_header_printed_over_two_lines(pdf_builder: Builder, ruled: bool) -> None:
    # 一级 / 指标 on two lines of the header, read as two rows: with rulings drawn
    # between them, and as text aligned in columns.
    rows = [("一级", "二级", "三级", "指标值"), ("指标", "指标", "指标", ""), FIRST]
    rows += [SECOND, ("效益指标", "社会效益指标", "群众知晓率", "≥80%")]
    path = _pages(pdf_builder, [rows], ruled=ruled)
    assert _records(path) == [
        ("产出指标", "数量指标", "培训人次", "≥200人次", 1),
        ("产出指标", "质量指标", "培训合格率", "≥95%", 1),
        ("效益指标", "社会效益指标", "群众知晓率", "≥80%", 1),
    ]
