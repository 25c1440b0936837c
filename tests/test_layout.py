"""Tests for page layout: fragments and rulings placed by hand on an A4 page."""

from __future__ import annotations

import pytest

from nlp.read.base import DocumentBuilder
from nlp.read.layout import (
    Paragraph,
    Ruling,
    TableItem,
    TextFragment,
    add_page_items,
    drop_page_furniture,
    finish_pages,
    is_wide,
    join_across_pages,
    join_lines,
    layout_page,
    visible_fragments,
)

WIDTH, HEIGHT = 595.0, 842.0


def _chars(
    text: str, x: float, top: float, size: float = 10.0, page: int = 1
) -> list[TextFragment]:
    """One fragment per character, full width for Chinese, half for the rest."""
    out = []
    for char in text:
        advance = size if is_wide(char) else size / 2
        if not char.isspace():
            out.append(TextFragment(char, x, top, x + advance, top + size, page))
        x += advance
    return out


def _word(text: str, x: float, top: float, size: float = 10.0) -> TextFragment:
    width = sum(size if is_wide(c) else size / 2 for c in text)
    return TextFragment(text, x, top, x + width, top + size, 1)


def _grid_rulings(xs: list[float], ys: list[float]) -> list[Ruling]:
    return [Ruling(xs[0], y, xs[-1], y) for y in ys] + [
        Ruling(x, ys[0], x, ys[-1]) for x in xs
    ]


def _cells(item: TableItem) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in item.cells]


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("预算资金合计88,808.", "45万元", "预算资金合计88,808.45万元"),
        ("合计88,808.45", "万元，其中", "合计88,808.45万元，其中"),
        ("主要用于农村公路", "养护。", "主要用于农村公路养护。"),
        ("the annual", "budget", "the annual budget"),
        ("page", "12", "page 12"),
        ("", "文字", "文字"),
    ],
)
def test_join_lines(first: str, second: str, joined: str) -> None:
    assert join_lines(first, second) == joined


def test_characters_become_one_line_with_spaces_only_between_latin() -> None:
    fragments = _chars("预算数 52.34 万元", 72, 100) + _chars("GDP growth", 72, 130)
    items = layout_page(fragments, [], WIDTH, HEIGHT)
    assert [item.text for item in items] == ["预算数 52.34 万元", "GDP growth"]


def test_off_page_whitespace_and_repeated_fragments_are_not_visible() -> None:
    kept = _word("可见", 72, 100)
    fragments = [
        kept,
        TextFragment("  ", 100, 100, 110, 110, 1),
        _word("页外", -200, 100),
        _word("页外", 72, 900),
        TextFragment("可见", kept.x0 + 0.4, kept.top + 0.2, kept.x1, kept.bottom, 1),
    ]
    assert visible_fragments(fragments, WIDTH, HEIGHT) == [kept]


def test_ruled_grid_spans_where_a_separator_is_missing() -> None:
    xs, ys = [72.0, 172.0, 272.0, 372.0], [100.0, 120.0, 140.0, 160.0]
    rulings = [
        Ruling(72, 100, 372, 100),
        Ruling(72, 120, 372, 120),
        Ruling(172, 140, 372, 140),  # no border under (1, 0): it spans two rows
        Ruling(72, 160, 372, 160),
        Ruling(72, 100, 72, 160),
        Ruling(172, 100, 172, 160),
        Ruling(272, 120, 272, 160),  # none in the header row: (0, 1) spans two cols
        Ruling(372, 100, 372, 160),
    ]
    texts = [
        ("一级指标", 0, 0),
        ("指标与目标", 0, 1),
        ("产出指标", 1, 0),
        ("培训人次", 1, 1),
        ("≥500人次", 1, 2),
        ("合格率", 2, 1),
        ("95%", 2, 2),
    ]
    fragments = [_word(t, xs[c] + 3, ys[r] + 5) for t, r, c in texts]
    (table,) = layout_page(fragments, rulings, WIDTH, HEIGHT)
    assert isinstance(table, TableItem)
    assert _cells(table) == [
        (0, 0, 1, 1, "一级指标"),
        (0, 1, 1, 2, "指标与目标"),
        (1, 0, 2, 1, "产出指标"),
        (1, 1, 1, 1, "培训人次"),
        (1, 2, 1, 1, "≥500人次"),
        (2, 1, 1, 1, "合格率"),
        (2, 2, 1, 1, "95%"),
    ]
    merged = table.cells[2]
    assert merged.bbox == (72.0, 120.0, 172.0, 160.0)
    assert merged.page == 1


def test_grid_rows_and_columns_without_text_are_dropped() -> None:
    xs, ys = [72.0, 172.0, 190.0, 290.0], [100.0, 120.0, 140.0, 160.0]
    fragments = [
        _word("项目", 75, 105),
        _word("金额", 195, 105),
        _word("合计", 75, 145),
        _word("100", 195, 145),
    ]
    (table,) = layout_page(fragments, _grid_rulings(xs, ys), WIDTH, HEIGHT)
    assert _cells(table) == [
        (0, 0, 1, 1, "项目"),
        (0, 1, 1, 1, "金额"),
        (1, 0, 1, 1, "合计"),
        (1, 1, 1, 1, "100"),
    ]


def test_boxes_are_their_four_edges_and_a_framed_paragraph_is_not_a_table() -> None:
    framed = [Ruling(70, 95, 400, 125)]  # a rectangle drawn around one paragraph
    items = layout_page(
        [_word("注：本表金额单位为万元。", 75, 100)], framed, WIDTH, HEIGHT
    )
    assert [type(i) for i in items] == [Paragraph]
    boxes = [Ruling(72, 100, 172, 120), Ruling(172, 100, 272, 120)]
    (table,) = layout_page(
        [_word("单位", 75, 105), _word("万元", 175, 105)], boxes, WIDTH, HEIGHT
    )
    assert _cells(table) == [(0, 0, 1, 1, "单位"), (0, 1, 1, 1, "万元")]


def test_text_aligned_in_columns_is_a_table_from_three_rows() -> None:
    rows = [("三级指标", "指标值"), ("培训人次", "≥500人次"), ("合格率", "≥95%")]
    fragments = [
        f
        for r, (a, b) in enumerate(rows)
        for f in (_word(a, 72, 100 + 20 * r), _word(b, 250, 100 + 20 * r))
    ]
    (table,) = layout_page(fragments, [], WIDTH, HEIGHT)
    assert isinstance(table, TableItem)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)
    ]
    two_rows = layout_page(fragments[:4], [], WIDTH, HEIGHT)
    assert all(isinstance(item, Paragraph) for item in two_rows)


def test_a_line_close_under_an_aligned_row_continues_its_cell() -> None:
    fragments = [
        _word("三级指标", 72, 100),
        _word("指标值", 250, 100),
        _word("完成农村公路", 72, 120),
        _word("≥120公里", 250, 120),
        _word("养护里程", 72, 131),  # wrapped: 1 pt under the line above
        _word("验收合格率", 72, 150),
        _word("100%", 250, 150),
    ]
    (table,) = layout_page(fragments, [], WIDTH, HEIGHT)
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, "三级指标"),
        (0, 1, "指标值"),
        (1, 0, "完成农村公路养护里程"),
        (1, 1, "≥120公里"),
        (2, 0, "验收合格率"),
        (2, 1, "100%"),
    ]


def test_paragraphs_break_at_indent_gap_short_line_and_heading_size() -> None:
    fragments = [
        *_chars("一、部门职责", 72, 60, size=16),
        *_chars("    负责全县农村公路建设和养护管理工作，组织实施", 72, 100),
        *_chars("农村公路养护工程。", 72, 115),
        *_chars("    承担交通运输安全生产监督管理工作，本年度预算", 72, 130),
        *_chars("合计1,234.56万元。", 72, 145),
        *_chars("以上情况特此说明。", 72, 200),
    ]
    items = layout_page(fragments, [], WIDTH, HEIGHT)
    assert [(i.kind, i.text) for i in items] == [
        ("heading", "一、部门职责"),
        ("paragraph", "负责全县农村公路建设和养护管理工作，组织实施农村公路养护工程。"),
        ("paragraph", "承担交通运输安全生产监督管理工作，本年度预算合计1,234.56万元。"),
        ("paragraph", "以上情况特此说明。"),
    ]
    assert [i.indented for i in items] == [False, True, True, False]
    assert items[1].bbox[1] == pytest.approx(100.0)
    assert items[1].bbox[3] == pytest.approx(125.0)


def test_ocr_fragments_keep_source_and_lowest_confidence() -> None:
    fragments = [
        TextFragment("项目预算", 72, 100, 112, 110, 3, "ocr", 0.9),
        TextFragment("12.5万元", 112, 100, 152, 110, 3, "ocr", 0.7),
    ]
    (item,) = layout_page(fragments, [], WIDTH, HEIGHT)
    assert (item.text, item.source, item.confidence, item.page) == (
        "项目预算12.5万元",
        "ocr",
        0.7,
        3,
    )


def _page(number: int, body: str) -> list[Paragraph]:
    return [
        Paragraph("某某县2023年部门预算", (200, 30, 380, 40), number),
        Paragraph(body, (72, 300, 500, 330), number),
        Paragraph(f"- {number} -", (290, 800, 310, 810), number),
    ]


def test_running_headers_and_page_numbers_are_dropped() -> None:
    pages = [_page(n, f"第{n}页正文。") for n in (1, 2, 3)]
    kept = drop_page_furniture(pages, [HEIGHT] * 3)
    assert [[p.text for p in page] for page in kept] == [
        ["第1页正文。"],
        ["第2页正文。"],
        ["第3页正文。"],
    ]


def test_margin_text_on_one_page_only_is_kept() -> None:
    body = (72, 300, 500, 330)
    pages: list[list[Paragraph]] = [
        [Paragraph("附件1", (72, 30, 110, 40), 1), Paragraph("正文。", body, 1)],
        [Paragraph("正文。", body, 2)],
        [Paragraph("正文。", body, 3)],
    ]
    kept = drop_page_furniture(pages, [HEIGHT] * 3)
    assert kept[0][0].text == "附件1"


def test_a_paragraph_cut_by_a_page_break_is_joined() -> None:
    cut = Paragraph("资金合计88,808.", (72, 780, 500, 800), 1, open_end=True)
    rest = Paragraph("45万元。", (72, 60, 200, 70), 2)
    indented = Paragraph("新段落。", (100, 60, 200, 70), 2, indented=True)
    (joined,) = join_across_pages([[cut], [rest]])
    assert (joined.text, joined.page, joined.open_end) == (
        "资金合计88,808.45万元。",
        1,
        False,
    )
    assert len(join_across_pages([[cut], [indented]])) == 2


def test_finish_pages_and_add_page_items_fill_a_document() -> None:
    page1 = _page(1, "正文第一段。")
    page2 = _page(2, "正文第二段。")
    builder = DocumentBuilder("doc.pdf", "pdf")
    add_page_items(builder, finish_pages([page1, page2], [HEIGHT, HEIGHT]))
    doc = builder.build()
    assert doc.text == "正文第一段。\n\n正文第二段。"
    assert [b.page for b in doc.blocks] == [1, 2]
    assert doc.blocks[0].prov[0].bbox == (72, 300, 500, 330)
