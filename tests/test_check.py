"""Tests for nlp.check: each consistency check on records built here."""

from __future__ import annotations

from decimal import Decimal

from nlp.check import (
    amount_column_number_row,
    amount_negative,
    check,
    duplicate_amount,
    duplicate_indicator,
    indicator_no_target,
    is_indicator_table_page,
    metric_level_name,
    page_checks,
    project_total,
    target_bare_unit,
    target_level_name,
    target_qualitative_unrecognised,
    target_qualitative_with_number,
    target_repaired,
)
from nlp.document import Block, Document, PageInfo, Provenance
from nlp.records import Amount, Indicator, Money, Source, Target


def _indicator(
    metric: str, target: Target | None, row: int | None = 0, table: int | None = 0
) -> Indicator:
    return Indicator(
        doc="d.txt",
        metric=metric,
        source=Source(text=f"{metric}\t…", table=table, row=row),
        target_raw=target.raw if target else None,
        target=target,
    )


def _amount(value: str, row: int = 0, column: str | None = "预算数") -> Amount:
    return Amount(
        doc="d.txt",
        money=Money(text=value, value=Decimal(value)),
        source=Source(text=f"人员支出\t{value}", table=0, row=row),
        subject="人员支出",
        column=column,
    )


GE95 = Target(raw="≥95%", text="≥95%", op="≥", value=Decimal(95), unit="%")
REPAIRED = Target(
    raw="≥95100%",
    text="≥95%",
    op="≥",
    value=Decimal(95),
    unit="%",
    repaired=True,
    notes=("dup-100-suffix",),
)
QUAL_WORD = Target(raw="显著", text="显著", op="qual", qualitative="显著")
QUAL_NUMBER = Target(
    raw="投诉率为 0",
    text="投诉率为0",
    op="qual",
    qualitative="投诉率为0",
    notes=("unrecognised",),
)
QUAL_PHRASE = Target(
    raw="提出指导性建议",
    text="提出指导性建议",
    op="qual",
    qualitative="提出指导性建议",
    notes=("unrecognised",),
)


def test_target_repaired_counts_repaired_targets_only() -> None:
    records = [_indicator("a", REPAIRED, 0), _indicator("b", GE95, 1)]
    assert target_repaired(records) == 1


def test_unrecognised_qualitative_targets_are_counted_by_their_note() -> None:
    records = [
        _indicator("a", QUAL_WORD, 0),
        _indicator("b", QUAL_NUMBER, 1),
        _indicator("c", QUAL_PHRASE, 2),
    ]
    assert target_qualitative_unrecognised(records) == 2


def test_qualitative_targets_with_digits_are_counted() -> None:
    records = [
        _indicator("a", QUAL_WORD, 0),
        _indicator("b", QUAL_NUMBER, 1),
        _indicator("c", QUAL_PHRASE, 2),
    ]
    assert target_qualitative_with_number(records) == 1


def test_indicator_without_target_is_counted() -> None:
    records = [_indicator("a", None, 0), _indicator("b", GE95, 1)]
    assert indicator_no_target(records) == 1


def test_duplicate_indicator_needs_same_metric_target_and_row() -> None:
    same = [_indicator("培训人次", GE95, 2) for _ in range(3)]
    other_row = [_indicator("培训人次", GE95, 5)]
    other_target = [_indicator("培训人次", QUAL_WORD, 2)]
    assert duplicate_indicator(same) == 2
    assert duplicate_indicator(same[:1] + other_row + other_target) == 0


def test_amount_checks() -> None:
    assert amount_negative([_amount("-3.50"), _amount("0", row=1)]) == 1
    assert duplicate_amount([_amount("10"), _amount("10"), _amount("10", row=1)]) == 1
    assert duplicate_amount([_amount("10"), _amount("10", column="财政拨款")]) == 0


def test_check_reports_only_nonzero_counts_in_fixed_order() -> None:
    indicators = [
        _indicator("a", REPAIRED, 0),
        _indicator("b", None, 1),
        _indicator("b", None, 1),
    ]
    amounts = [_amount("-1")]
    assert check(indicators, amounts) == (
        ("target-repaired", 1),
        ("indicator-no-target", 2),
        ("duplicate-indicator", 1),
        ("amount-negative", 1),
    )


def test_clean_records_give_no_checks() -> None:
    assert check([_indicator("a", GE95)], [_amount("100")]) == ()
    assert check([], []) == ()


def _qual(text: str) -> Target:
    return Target(raw=text, text=text, op="qual", qualitative=text)


def test_bare_unit_and_level_name_targets_are_counted() -> None:
    indicators = [
        _indicator("完成率", _qual("%"), 0),
        _indicator("实施项目数量", _qual("个数"), 1),
        _indicator("满意度", _qual("满意度指标"), 2),
        _indicator("验收", _qual("验收合格"), 3),
        _indicator("执行率", GE95, 4),
    ]
    assert target_bare_unit(indicators) == 2
    assert target_level_name(indicators) == 1


def test_metric_equal_to_a_level_name_is_counted() -> None:
    indicators = [
        _indicator("社会效益指标", GE95, 0),
        _indicator("数量", GE95, 1),
        _indicator("社会效益提升率", GE95, 2),
    ]
    assert metric_level_name(indicators) == 2


def test_total_rows_as_projects_are_counted() -> None:
    def with_project(project: str) -> Indicator:
        return Indicator(doc="d", metric="m", source=Source(text="m"), project=project)

    projects = [
        "总计",
        "合 计",
        "一、小计",
        "合计（万元）",
        "总计划编制项目",
        "养护项目",
    ]
    assert project_total([with_project(p) for p in projects]) == 4


def test_amounts_from_a_column_number_row_are_counted() -> None:
    def from_row(text: str) -> Amount:
        money = Money(text="1", value=Decimal(1))
        return Amount(doc="d", money=money, source=Source(text=text, table=0, row=1))

    rows = ["栏次\t1\t2\t3", "1 | 2 | 3 | 4", "合计\t1\t2", "人员支出\t12.5"]
    assert amount_column_number_row([from_row(t) for t in rows]) == 2


def _page_block(page: int, text: str) -> Block:
    return Block(kind="paragraph", text=text, prov=(Provenance(page=page),))


def test_indicator_table_pages_are_found_by_their_words() -> None:
    assert is_indicator_table_page(
        "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标"
    )
    assert is_indicator_table_page(
        "指标名称\t指标性质\t指标值\t计量单位\n满意度\t≥\t90"
    )
    assert not is_indicator_table_page("产出指标：完成率达到95%")
    assert not is_indicator_table_page("一般公共预算支出表 单位：万元 合计 基本支出")


def test_page_checks_count_table_pages_without_table_records() -> None:
    header = "一级指标 二级指标 三级指标 指标值 产出指标 数量指标"
    document = Document(
        name="d.pdf",
        format="pdf",
        text="",
        blocks=(
            _page_block(1, "部门预算说明"),
            _page_block(2, header),
            _page_block(3, header),
        ),
        pages=tuple(PageInfo(number=n) for n in (1, 2, 3)),
    )
    row = Indicator(doc="d", metric="m", source=Source(text="m", page=2, table=0))
    prose = Indicator(doc="d", metric="m", source=Source(text="m", page=3, span=(0, 1)))
    assert page_checks(document, [row, prose]) == [
        ("indicator-table-pages", 2),
        ("indicator-table-pages-without-records", 1),
    ]
    assert check([row, prose], [], document)[-2:] == (
        ("indicator-table-pages", 2),
        ("indicator-table-pages-without-records", 1),
    )
