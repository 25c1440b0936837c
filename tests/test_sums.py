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
    row_code,
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
