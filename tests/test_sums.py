"""Tests for nlp.sums: budget-table totals against their parts, built in the test."""

from __future__ import annotations

from decimal import Decimal

from nlp.records import Amount, Money, Source
from nlp.sums import (
    MismatchNote,
    _Row,
    check_sums,
    digit_variants,
    is_total,
    mismatch_cause,
    nested_parse,
    row_code,
    side_code,
)

WAN = Decimal(10000)


def amount(
    row: int, subject: str, text: str, code: str = "", column: str = "合计"
) -> Amount:
    cells = (code, subject, text)  # a grid row: the code cell may be empty
    value = Decimal(text.replace(",", "")) * WAN
    return Amount(
        doc="d.pdf",
        money=Money(text, value, unit_source="table"),
        source=Source("\t".join(cells), page=1, table=0, row=row),
        subject=subject,
        column=column,
    )


def coded_table(total: str = "1,884.50") -> list[Amount]:
    return [
        amount(1, "合计", total),
        amount(2, "一般公共服务支出", "1,200.00", "201"),
        amount(3, "财政事务", "1,200.00", "20106"),
        amount(4, "社会保障和就业支出", "384.50", "208"),
        amount(5, "行政事业单位养老支出", "384.50", "20805"),
        amount(6, "卫生健康支出", "300.00", "210"),
    ]


def test_total_over_coded_rows_adds_up() -> None:
    amounts = coded_table()
    counts = check_sums(amounts)
    assert counts.tables == 1 and counts.mismatches == 0
    assert counts.totals == 3  # the 合计 and the two coded parents
    assert not any(a.flags for a in amounts)


def test_mismatch_on_a_text_page_is_flagged_never_repaired() -> None:
    amounts = coded_table("1,684.50")
    counts = check_sums(amounts, ocr_pages=())
    assert (counts.mismatches, counts.repaired) == (1, 0)
    assert amounts[0].money.value == Decimal("16845000")
    assert "sum-mismatch" in amounts[0].flags


def test_one_confusable_digit_is_repaired_on_an_ocr_page() -> None:
    amounts = coded_table("1,684.50")
    counts = check_sums(amounts, ocr_pages=[1])
    assert (counts.mismatches, counts.repaired) == (0, 1)
    assert amounts[0].money.text == "1,884.50"
    assert amounts[0].money.value == Decimal("18845000")
    assert amounts[0].flags == ("sum-repaired",)
    assert "6→8" in amounts[0].notes[0]


def test_a_misread_part_is_repaired_when_only_it_fits() -> None:
    amounts = [
        amount(1, "收入合计", "500.00"),
        amount(2, "财政拨款收入", "420.00"),
        amount(3, "事业收入", "60.00"),  # printed 80.00
        amount(4, "其他收入", "0.00"),
    ]
    counts = check_sums(amounts, ocr_pages=[1])
    assert counts.repaired == 1
    assert amounts[2].money.value == Decimal("800000")


def test_two_repairs_possible_means_none_is_made() -> None:
    amounts = [
        amount(1, "合计", "20.00"),
        amount(2, "甲", "6.00"),  # either could be an 8 ...
        amount(3, "乙", "6.00"),  # ... so neither is changed
        amount(4, "丙", "6.00"),
    ]
    counts = check_sums(amounts, ocr_pages=[1])
    assert (counts.mismatches, counts.repaired) == (1, 0)
    assert all(a.money.text == "6.00" or a.subject == "合计" for a in amounts)


def test_rounded_parts_are_rounding_not_mismatch() -> None:
    amounts = [
        amount(1, "合计", "14,770.62"),
        amount(2, "甲", "120.17"),
        amount(3, "乙", "14,650.46"),
    ]
    counts = check_sums(amounts)
    assert (counts.mismatches, counts.rounding) == (0, 1)
    assert "sum-rounding" in amounts[0].flags


def test_two_sided_summary_table_is_two_groups() -> None:
    # 收支总表: income on the left, spending on the right of the same rows.
    def side(row: int, subject: str, text: str, other: str) -> Amount:
        record = amount(row, subject, text, column="预算数")
        cells = other.split("|")
        texts = (subject, text, *cells) if row % 1 == 0 else ()
        source = Source("\t".join(texts), page=1, table=0, row=row)
        return Amount(record.doc, record.money, source, subject, "预算数")

    def right(row: int, left: str, left_text: str, subject: str, text: str) -> Amount:
        record = amount(row, subject, text, column="预算数")
        source = Source(
            "\t".join((left, left_text, subject, text)), page=1, table=0, row=row
        )
        return Amount(record.doc, record.money, source, subject, "预算数")

    amounts = [
        right(1, "合计", "300.00", "合计", "300.00"),
        right(1, "合计", "300.00", "合计", "300.00"),
        right(2, "财政拨款", "300.00", "一般公共服务支出", "100.00"),
        right(3, "事业收入", "", "教育支出", "200.00"),
        side(2, "财政拨款", "300.00", "一般公共服务支出|100.00"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 0 and counts.tables == 2


def test_helpers() -> None:
    assert is_total("合 计") and is_total("收入合计") and is_total("一、小计")
    assert not is_total("合计数说明文字很长的一行不是合计行吗不是")
    assert not is_total("一般公共服务支出")
    assert row_code("20805\t行政事业单位养老支出\t384.50") == "20805"
    assert row_code("208\t05\t05\t机关事业单位基本养老保险缴费支出") == "2080505"
    assert row_code("合计\t1,884.50") is None
    assert ("1,884.50", "6→8") in digit_variants("1,684.50")
    assert all(
        change in {"6→8", "8→6", "0→8", "8→0"} for _, change in digit_variants("80.6")
    )


def test_codes_written_in_the_label_cell() -> None:
    assert row_code("[20132]组织事务\t16.25") == "20132"
    assert row_code("20805 行政事业单位养老支出\t\t16.25") == "20805"
    assert row_code("\t20805 行政事业单位养老支出\t16.25") == "20805"
    assert row_code("2026信访专项经费\t30.00") is None
    assert row_code("2026 年经费\t30.00") is None


def test_levels_without_codes_nest_by_their_sums() -> None:
    # 类 / 款 / 项 rows with no codes: the 合计 is the sum of the 类 rows only.
    amounts = [
        amount(1, "合计", "124.00"),
        amount(2, "一般公共服务支出", "100.00"),
        amount(3, "财政事务", "100.00"),
        amount(4, "行政运行", "60.00"),
        amount(5, "一般行政管理事务", "40.00"),
        amount(6, "国防支出", "24.00"),
        amount(7, "国防动员", "24.00"),
    ]
    counts = check_sums(amounts)
    assert (counts.totals, counts.mismatches) == (1, 0)


def test_a_table_cut_by_a_page_break_is_checked_whole() -> None:
    first = [amount(1, "合计", "300.00"), amount(2, "甲", "100.00")]
    second = [amount(1, "乙", "200.00")]
    for part in second:
        source = part.source
        object.__setattr__(
            part, "source", Source(source.text, page=2, table=1, row=source.row)
        )
    counts = check_sums([*first, *second])
    assert (counts.totals, counts.mismatches) == (1, 0)


def test_a_mismatch_note_says_by_how_much_and_why() -> None:
    amounts = [
        amount(1, "合计", "300.00"),
        amount(2, "甲", "100.00"),
        amount(3, "乙", "150.00"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 1
    [text] = amounts[0].notes
    note = MismatchNote.from_text(text)
    assert note is not None
    assert note.difference == Decimal("500000.00")
    assert note.rows == (2, 3) and note.cause == "parts-short-of-total"


def test_parts_counted_at_two_levels_are_named_so() -> None:
    def row(index: int, text: str) -> _Row:
        return _Row(amount(index, "项", text), (0, index), index == 1, None)

    total = row(1, "300.00")
    two_levels = [row(2, "300.00"), row(3, "100.00"), row(4, "200.00")]
    assert mismatch_cause(total, two_levels) == "levels-double-counted"
    assert mismatch_cause(total, [row(2, "100.00")]) == "parts-short-of-total"
    assert mismatch_cause(total, [row(2, "300.00"), row(3, "1.00")]) == (
        "total-in-parts"
    )


def placed(record: Amount, page: int, table: int, text: str | None = None) -> Amount:
    """The record moved to another page and reader table (a page break)."""
    source = record.source
    moved = Source(text or source.text, page=page, table=table, row=source.row)
    object.__setattr__(record, "source", moved)
    return record


def two_sided(row: int, left: tuple[str, str, str], right: tuple[str, str, str]):
    """The two amounts of a 人员经费 | 公用经费 row: code, item, amount each side."""
    text = "\t".join((*left, *right))
    out = []
    for _code, subject, value in (left, right):
        if value:
            record = amount(row, subject, value, column="金额")
            out.append(placed(record, 1, 0, text))
    return out


def test_each_side_of_a_two_sided_table_has_its_own_codes() -> None:
    # 303 | 对个人和家庭的补助 | 0.00 | 30215 | 会议费 | 0.00: the 会议费 amount is
    # a 302 child, not the 303 parent of the left side's rows.
    amounts = [
        *two_sided(
            1, ("301", "工资福利支出", "30.00"), ("302", "商品和服务支出", "5.00")
        ),
        *two_sided(2, ("30101", "基本工资", "30.00"), ("30201", "办公费", "5.00")),
        *two_sided(
            3, ("303", "对个人和家庭的补助", "0.00"), ("30215", "会议费", "0.00")
        ),
        *two_sided(4, ("30301", "离休费", "0.00"), ("30216", "培训费", "0.00")),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 0
    assert side_code("303\t对个人和家庭的补助\t0.00\t30215\t会议费\t0.00", 5) == "30215"
    assert side_code("303\t对个人和家庭的补助\t0.00\t30215\t会议费\t0.00", 2) == "303"
    assert side_code("\t人员经费合计\t9.00\t\t公用经费合计\t5.00", 5) is None


def test_a_total_on_the_last_of_three_pages_sums_every_page() -> None:
    # 公用经费合计 printed under the third page of a table its pages cut in three;
    # the middle page has nothing in the column's side.
    first = [placed(amount(1, "商品和服务支出", "5.00", "302"), 1, 0)]
    middle = [placed(amount(1, "其他", "1.00", column="其他列"), 2, 1)]
    last = [
        placed(amount(1, "资本性支出", "2.00", "310"), 3, 2),
        placed(amount(2, "公用经费合计", "7.00"), 3, 2),
    ]
    counts = check_sums([*first, *middle, *last])
    assert counts.mismatches == 0


def test_the_nearest_continuation_decides_before_a_later_table() -> None:
    # [310] on page 1, its children on page 2; page 3 starts another table
    # listing [310] children again: they are not the page-1 parent's.
    parent = placed(amount(1, "[310]资本性支出", "5.00"), 1, 0, "[310]资本性支出\t5.00")
    children = [
        placed(
            amount(1, "[31002]办公设备购置", "2.00"), 2, 1, "[31002]办公设备购置\t2.00"
        ),
        placed(
            amount(2, "[31003]专用设备购置", "3.00"), 2, 1, "[31003]专用设备购置\t3.00"
        ),
    ]
    again = [
        placed(amount(1, "[310]资本性支出", "4.00"), 3, 2, "[310]资本性支出\t4.00"),
        placed(
            amount(2, "[31002]办公设备购置", "4.00"), 3, 2, "[31002]办公设备购置\t4.00"
        ),
    ]
    counts = check_sums([parent, *children, *again])
    assert counts.mismatches == 0


def test_levels_nest_when_a_unit_is_printed_rounded() -> None:
    # A unit's line is its items' sum rounded (2,692.01 against 2,692.00).
    amounts = [
        amount(1, "合计", "2,792.01"),
        amount(2, "甲单位", "2,692.01"),
        amount(3, "工资福利支出", "2,191.37"),
        amount(4, "商品和服务支出", "500.63"),
        amount(5, "乙单位", "100.00"),
        amount(6, "工资福利支出", "100.00"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 0


def test_a_sibling_of_the_same_value_is_not_a_child() -> None:
    # 60.00 followed by 60.00: the greedy nesting reads parent and child; the
    # search also reads two leaves, the reading under which the total holds.
    amounts = [
        amount(1, "合计", "220.00"),
        amount(2, "甲单位", "220.00"),
        amount(3, "评估经费", "60.00"),
        amount(4, "分析经费", "60.00"),
        amount(5, "研究经费", "60.00"),
        amount(6, "规划经费", "40.00"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 0
    rows = [_Row(a, (0, a.source.row or 0), False, None) for a in amounts]
    assert nested_parse(rows[1:], rows[0]) == [rows[1]]


def test_a_real_difference_is_not_searched_away() -> None:
    # Coded rows: the codes give the nesting, so a run of the children that
    # happens to come close (leaving one out) does not hide the difference.
    amounts = [
        amount(1, "工资福利支出", "911.21", "301"),
        amount(2, "基本工资", "297.50", "30101"),
        amount(3, "津贴补贴", "613.72", "30102"),
        amount(4, "其他工资福利支出", "9.74", "30199"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 1


def test_income_total_with_carry_over_printed_with_its_parts() -> None:
    # 收入总计 = 本年收入合计 + 上年结余、结转 (whose parts are printed under it).
    amounts = [
        amount(1, "一般公共预算拨款收入", "100.00"),
        amount(2, "本年收入合计", "100.00"),
        amount(3, "上年结余、结转", "20.00"),
        amount(4, "财政拨款结余、结转", "20.00"),
        amount(5, "非财政拨款结余、结转", "0.00"),
        amount(6, "收入总计", "120.00"),
    ]
    counts = check_sums(amounts)
    assert counts.mismatches == 0
