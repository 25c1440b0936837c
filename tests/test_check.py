"""Tests for nlp.check: each consistency check on records built here."""

from __future__ import annotations

from decimal import Decimal

from nlp.check import (
    amount_negative,
    check,
    duplicate_amount,
    duplicate_indicator,
    indicator_no_target,
    target_qualitative_unrecognised,
    target_qualitative_with_number,
    target_repaired,
)
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
