"""OCR text on scanned pages: a ruled table whose grid lines the scan lost in
part (numbers read as one line across columns, merged cells that were two cells),
thousands commas read as points, and running headers shifted or misread.

Fragments and rulings are made here as an OCR reader would give them.
"""

from __future__ import annotations

from nlp.document import TextSource
from nlp.read.layout import (
    Paragraph,
    Ruling,
    TableItem,
    TextFragment,
    drop_page_furniture,
    layout_page,
)
from nlp.read.layout.split import split_across_columns
from nlp.read.ocr.repair import repair_point_as_comma

# A budget table: code | label | total | basic | project, three body rows.
XS = (40.0, 100.0, 250.0, 330.0, 410.0, 490.0)
YS = (100.0, 120.0, 140.0, 160.0, 180.0)


def frag(
    text: str, x0: float, x1: float, row: int, source: TextSource = "ocr"
) -> TextFragment:
    top = YS[row] + 4
    return TextFragment(text, x0, top, x1, top + 12, page=1, source=source)


def rulings(
    skip_vertical: dict[float, tuple[int, ...]] | None = None,
    partial_horizontal: dict[float, float] | None = None,
) -> list[Ruling]:
    """The grid's lines; ``skip_vertical`` leaves a column line out of some rows,
    ``partial_horizontal`` draws a row line only left of the given x."""
    skip_vertical = skip_vertical or {}
    partial_horizontal = partial_horizontal or {}
    out = [Ruling(XS[0], y, partial_horizontal.get(y, XS[-1]), y) for y in YS]
    for x in XS:
        for row in range(len(YS) - 1):
            if row not in skip_vertical.get(x, ()):
                out.append(Ruling(x, YS[row], x, YS[row + 1]))
    return out


def table_rows(items: list) -> list[list[str]]:
    tables = [item for item in items if isinstance(item, TableItem)]
    assert len(tables) == 1
    cells = tables[0].cells
    n_rows = max(c.row for c in cells) + 1
    n_cols = max(c.col + c.col_span for c in cells)
    grid = [[""] * n_cols for _ in range(n_rows)]
    for cell in cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def body(source: TextSource = "ocr") -> list[TextFragment]:
    return [
        frag("代码", 50, 80, 0, source),
        frag("科目", 150, 180, 0, source),
        frag("合计", 280, 310, 0, source),
        frag("基本", 360, 390, 0, source),
        frag("项目", 440, 470, 0, source),
        frag("201", 45, 70, 1, source),
        frag("一般公共服务", 105, 180, 1, source),
        frag("30.00", 290, 328, 1, source),
        frag("10.00", 370, 408, 1, source),
        frag("20.00", 450, 488, 1, source),
    ]


def test_numbers_of_a_missed_column_line_get_their_own_cells() -> None:
    # The line between 合计 and 基本 is drawn in the header row only.
    lines = rulings(skip_vertical={330.0: (1, 2, 3)})
    rows = table_rows(layout_page(body(), lines, 595, 842))
    assert rows[1] == ["201", "一般公共服务", "30.00", "10.00", "20.00"]


def test_text_layer_keeps_its_merged_cells() -> None:
    # A text layer's lines are vectors: a merged cell there is a merged cell.
    lines = rulings(skip_vertical={330.0: (1, 2, 3)})
    rows = table_rows(layout_page(body("text"), lines, 595, 842))
    assert "30.0010.00" in "".join(rows[1]).replace(" ", "")


def test_rows_of_a_missed_row_line_part_with_their_labels() -> None:
    # The line between body rows 1 and 2 is drawn under the code column only.
    lines = rulings(partial_horizontal={140.0: 100.0})
    frags = [
        *body(),
        frag("20105", 45, 80, 2),
        frag("统计事务", 105, 160, 2),
        frag("5.00", 290, 320, 2),
        frag("5.00", 450, 480, 2),
    ]
    rows = table_rows(layout_page(frags, lines, 595, 842))
    assert rows[1] == ["201", "一般公共服务", "30.00", "10.00", "20.00"]
    assert rows[2] == ["20105", "统计事务", "5.00", "", "5.00"]


def test_a_label_over_two_rows_stays_merged_when_the_numbers_do() -> None:
    # A level cell spanning two rows: the numbers beside it have their lines.
    lines = rulings(partial_horizontal={140.0: 100.0})
    lines += [Ruling(250.0, 140.0, XS[-1], 140.0)]
    frags = [
        *body(),
        frag("20105", 45, 80, 2),
        frag("统计事务", 105, 160, 2),
        frag("5.00", 290, 320, 2),
    ]
    tables = [
        item
        for item in layout_page(frags, lines, 595, 842)
        if isinstance(item, TableItem)
    ]
    label = next(c for c in tables[0].cells if "一般公共服务" in c.text)
    assert label.row_span == 2
    assert "统计事务" in label.text


def test_one_ocr_line_across_three_columns_is_cut_into_them() -> None:
    line = TextFragment("3,210.10 2,235.04 2,103.71", 250, 124, 488, 136, 1, "ocr")
    pieces = split_across_columns([line], XS)
    assert [p.text for p in pieces] == ["3,210.10", "2,235.04", "2,103.71"]
    assert [(p.x0, p.x1) for p in pieces] == [(250, 330), (330, 410), (410, 488)]


def test_amounts_read_back_to_back_are_cut_apart() -> None:
    line = TextFragment("465.13465.13", 290, 124, 400, 136, 1, "ocr")
    pieces = split_across_columns([line], XS)
    assert [p.text for p in pieces] == ["465.13", "465.13"]
    assert pieces[0].x1 <= 330 <= pieces[1].x0


def test_a_text_layer_word_is_never_cut() -> None:
    word = TextFragment("3,210.10 2,235.04", 250, 124, 410, 136, 1, "text")
    assert split_across_columns([word], XS) == [word]


def test_thousands_comma_read_as_a_point() -> None:
    assert repair_point_as_comma("1.297.78") == "1,297.78"
    assert repair_point_as_comma("合计1,257.692.64万元") == "合计1,257,692.64万元"
    assert repair_point_as_comma("1.272.354.58") == "1,272,354.58"
    # Dates and section numbers are not amounts.
    assert repair_point_as_comma("2026.1.15") == "2026.1.15"
    assert repair_point_as_comma("1.2.3") == "1.2.3"


def margin_line(text: str, page: int, x0: float, top: float = 20.0) -> Paragraph:
    return Paragraph(
        text=text,
        bbox=(x0, top, x0 + 200, top + 12),
        page=page,
        source="ocr",
        confidence=0.9,
        kind="paragraph",
    )


def test_a_scanned_running_header_is_dropped_despite_noise_and_shift() -> None:
    # Each scan is shifted by a few points (across an x bucket's edge) and the
    # recogniser put a stray digit into one copy of the header.
    headers = ["某局2026年度部门预算公开"] * 5 + ["某局2026年度部1门预算公开"]
    shifts = [215.0, 225.0, 218.0, 222.0, 226.0, 214.0]
    pages = [
        [margin_line(text, n + 1, x0), margin_line("正文内容。", n + 1, 72, 300)]
        for n, (text, x0) in enumerate(zip(headers, shifts, strict=True))
    ]
    kept = drop_page_furniture(pages, [842.0] * 6)
    assert [[item.text for item in items] for items in kept] == [["正文内容。"]] * 6


def test_page_numbers_keep_their_digits_in_the_margin_key() -> None:
    pages = [[margin_line(f"第{n}页", n, 280, 800)] for n in (1, 2, 3)]
    assert drop_page_furniture(pages, [842.0] * 3) == [[], [], []]


def test_a_label_and_its_number_in_one_merged_row_part() -> None:
    # The line between 科目 and 合计 is drawn in the header row only.
    lines = rulings(skip_vertical={250.0: (1, 2, 3)})
    rows = table_rows(layout_page(body(), lines, 595, 842))
    assert rows[1] == ["201", "一般公共服务", "30.00", "10.00", "20.00"]
