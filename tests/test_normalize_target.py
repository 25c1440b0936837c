"""Tests for nlp.normalize.target: target values in CONTRACT.md's canonical form.

Expected values are written from CONTRACT.md "Target text" and the annotation
guideline (rules 3, 4, 10, 11), not from the function's output.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nlp.normalize.target import (
    dup_100_suffix,
    looks_like_target,
    normalize_target,
    split_targets,
)

# (raw, text, op, value, unit); value_max is checked separately for ranges.
Case = tuple[str, str, str, str | None, str | None]


def q(raw: str, text: str) -> Case:
    """A qualitative case: op qual, no number, no unit."""
    return (raw, text, "qual", None, None)


# CONTRACT.md "Target text", every row and every spelling in it.
CONTRACT_TABLE: list[Case] = [
    ("≥95%", "≥95%", "≥", "95", "%"),
    ("≥ 95 %", "≥95%", "≥", "95", "%"),
    ("≧95％", "≥95%", "≥", "95", "%"),
    ("大于等于95%", "≥95%", "≥", "95", "%"),
    ("95%以上", "≥95%", "≥", "95", "%"),
    ("95%及以上", "≥95%", "≥", "95", "%"),
    ("不低于95%", "≥95%", "≥", "95", "%"),
    ("达95%以上", "≥95%", "≥", "95", "%"),
    ("至少95%", "≥95%", "≥", "95", "%"),
    ("低于3%", "<3%", "<", "3", "%"),
    ("不高于5%", "≤5%", "≤", "5", "%"),
    ("不超过5%", "≤5%", "≤", "5", "%"),
    ("5%以内", "≤5%", "≤", "5", "%"),
    ("100%", "100%", "=", "100", "%"),
    ("100.0%", "100%", "=", "100", "%"),
    ("≥95100%", "≥95%", "≥", "95", "%"),
    ("≥ 95100%", "≥95%", "≥", "95", "%"),
    ("100100%", "100%", "=", "100", "%"),
    (">95100%", ">95%", ">", "95", "%"),
    ("≥20 人", "≥20人", "≥", "20", "人"),
    ("≥20人", "≥20人", "≥", "20", "人"),
    ("至少2次/周", "≥2次/周", "≥", "2", "次/周"),
    ("2次/周", "2次/周", "=", "2", "次/周"),
    ("每季度1次", "1次/季度", "=", "1", "次/季度"),
    ("1 份/项目", "1份/项目", "=", "1", "份/项目"),
    ("80%-100%", "80%~100%", "~", "80", "%"),
    ("80%～100%", "80%~100%", "~", "80", "%"),
    ("-0%", "0%", "=", "0", "%"),
    q("显著", "显著"),
    q("有效", "有效"),
    q("及时", "及时"),
    q("是", "是"),
    q("否", "否"),
    q("验收合格", "验收合格"),
    q("不适用", "不适用"),
]

# Variants the normalizer must read beyond the contract table.
VARIANTS: list[Case] = [
    ("＞＝90%", "≥90%", "≥", "90", "%"),
    ("＜5％", "<5%", "<", "5", "%"),
    (">=90%", "≥90%", "≥", "90", "%"),
    ("不少于4份", "≥4份", "≥", "4", "份"),
    ("高于80%", ">80%", ">", "80", "%"),
    ("超过95%", ">95%", ">", "95", "%"),
    ("大于90%", ">90%", ">", "90", "%"),
    ("小于2%", "<2%", "<", "2", "%"),
    ("90%以下", "≤90%", "≤", "90", "%"),
    ("达到100%", "≥100%", "≥", "100", "%"),
    ("达97%", "≥97%", "≥", "97", "%"),
    ("大于90%以上", ">90%", ">", "90", "%"),  # explicit comparison beats the suffix
    ("低于3%以下", "<3%", "<", "3", "%"),
    ("为98.73%", "98.73%", "=", "98.73", "%"),
    ("是95%", "95%", "=", "95", "%"),
    ("每月1次", "1次/月", "=", "1", "次/月"),
    ("每年2次", "2次/年", "=", "2", "次/年"),
    ("每周两次", "2次/周", "=", "2", "次/周"),
    ("每月至少一次", "≥1次/月", "≥", "1", "次/月"),
    ("每季度1次以上", "≥1次/季度", "≥", "1", "次/季度"),
    ("1次/每季", "1次/季度", "=", "1", "次/季度"),
    ("80%至100%", "80%~100%", "~", "80", "%"),
    ("80-100%", "80%~100%", "~", "80", "%"),
    ("1,000", "1000", "=", "1000", None),
    ("≥1,500人", "≥1500人", "≥", "1500", "人"),
    ("100. 0%", "100%", "=", "100", "%"),
    ("1 000", "1000", "=", "1000", None),
    ("80.21%", "80.21%", "=", "80.21", "%"),
    ("95.50%", "95.5%", "=", "95.5", "%"),
    ("百分之九十五", "95%", "=", "95", "%"),
    ("九十五", "95", "=", "95", None),
    ("不低于百分之九十", "≥90%", "≥", "90", "%"),
    ("一份", "1份", "=", "1", "份"),
    ("97%以上;", "≥97%", "≥", "97", "%"),
    ("95%。", "95%", "=", "95", "%"),
    ("≥10 台", "≥10台", "≥", "10", "台"),
    ("≥1 篇", "≥1篇", "≥", "1", "篇"),
    ("1 套", "1套", "=", "1", "套"),
    ("1年", "1年", "=", "1", "年"),
    ("≥180元", "≥180元", "≥", "180", "元"),
    ("500元", "500元", "=", "500", "元"),
    ("17人", "17人", "=", "17", "人"),
    ("≤1次", "≤1次", "≤", "1", "次"),
    ("≥5万元", "≥5万元", "≥", "5", "万元"),
    ("3个工作日内", "≤3个工作日", "≤", "3", "个工作日"),
    ("控制在5%以内", "≤5%", "≤", "5", "%"),
    ("-5%", "-5%", "=", "-5", "%"),
    ("0", "0", "=", "0", None),
    ("-0.0", "0", "=", "0", None),
    ("95%以上（含95%）", "≥95%", "≥", "95", "%"),
    ("≥95%(含)", "≥95%", "≥", "95", "%"),
    # A value cell naming its measure is read as the value (split_targets keeps
    # guideline rule 11 for a table cell: see test_copula_clause_...).
    ("投诉率为 0", "0", "=", "0", None),
    q("显著提升", "显著提升"),
    q("重点解决", "重点解决"),
    q("龙华区", "龙华区"),
    q("达到良好程度", "达到良好程度"),
    q("2021年12月前", "2021年12月前"),
    q("有效（达标）", "有效（达标）"),
]

# Every target in the seed documents' indicator tables and the targets written in
# their narrative, with the canonical form read from the rules above.
SEED_CASES: list[Case] = [
    # 000_ee0f5e6c66703748.txt, 部门整体支出绩效目标表 目标值 column
    ("≥4", "≥4", "≥", "4", None),
    ("≥20 人", "≥20人", "≥", "20", "人"),
    ("≥2", "≥2", "≥", "2", None),
    ("≥3 次", "≥3次", "≥", "3", "次"),
    ("≥10 台", "≥10台", "≥", "10", "台"),
    ("1 人", "1人", "=", "1", "人"),
    ("≥6 次", "≥6次", "≥", "6", "次"),
    ("10 人", "10人", "=", "10", "人"),
    ("≥1", "≥1", "≥", "1", None),
    ("≥5 次", "≥5次", "≥", "5", "次"),
    ("100%", "100%", "=", "100", "%"),
    ("≥1 场", "≥1场", "≥", "1", "场"),
    ("≥1 篇", "≥1篇", "≥", "1", "篇"),
    ("≥1 份/项目", "≥1份/项目", "≥", "1", "份/项目"),
    ("1 份/项目", "1份/项目", "=", "1", "份/项目"),
    ("1 篇", "1篇", "=", "1", "篇"),
    ("1 套", "1套", "=", "1", "套"),
    ("≥80%", "≥80%", "≥", "80", "%"),
    ("≥90%", "≥90%", "≥", "90", "%"),
    ("≥85%", "≥85%", "≥", "85", "%"),
    ("≥95%", "≥95%", "≥", "95", "%"),
    ("1年", "1年", "=", "1", "年"),
    q(
        "严格按照市、区关于外出培训学习的管理规定执行。",
        "严格按照市、区关于外出培训学习的管理规定执行",
    ),
    q("合格通过", "合格通过"),
    q("验收合格", "验收合格"),
    q("及时", "及时"),
    q("有效", "有效"),
    q("对片区建设提出指导性建议", "对片区建设提出指导性建议"),
    q("不适用", "不适用"),
    q("显著提升", "显著提升"),
    q("持续提升", "持续提升"),
    q("显著", "显著"),
    # 000_ee0f5e6c66703748.txt, 重点项目 绩效目标 narrative
    ("达到95%以上", "≥95%", "≥", "95", "%"),
    ("达到90%以上", "≥90%", "≥", "90", "%"),
    ("大于90%以上", ">90%", ">", "90", "%"),
    ("达到 95%以上", "≥95%", "≥", "95", "%"),
    ("达到100%", "≥100%", "≥", "100", "%"),
    ("达到 85%", "≥85%", "≥", "85", "%"),
    ("1次以上", "≥1次", "≥", "1", "次"),
    ("5%以内", "≤5%", "≤", "5", "%"),
    ("2 名以上", "≥2名", "≥", "2", "名"),
    # 001_8de26ab3fb50a26b.txt, 指标值 column
    ("≥4次", "≥4次", "≥", "4", "次"),
    ("≥26人", "≥26人", "≥", "26", "人"),
    ("≥7项", "≥7项", "≥", "7", "项"),
    ("≥1项", "≥1项", "≥", "1", "项"),
    ("≥4份", "≥4份", "≥", "4", "份"),
    ("≥2份", "≥2份", "≥", "2", "份"),
    ("≥1份", "≥1份", "≥", "1", "份"),
    ("每季度1次", "1次/季度", "=", "1", "次/季度"),
    ("≥60%", "≥60%", "≥", "60", "%"),
    # 001_8de26ab3fb50a26b.txt, 年度总体目标 narrative
    ("4次以上", "≥4次", "≥", "4", "次"),
    ("不低于90%", "≥90%", "≥", "90", "%"),
    ("不少于1次", "≥1次", "≥", "1", "次"),
    ("不少于4份", "≥4份", "≥", "4", "份"),
    ("不少于2项", "≥2项", "≥", "2", "项"),
    ("超过95%", ">95%", ">", "95", "%"),
    ("不少于4次", "≥4次", "≥", "4", "次"),
    # 002_51c4618247c9b071.txt, 自评报告 narrative (values reported as achieved)
    ("为98.73%", "98.73%", "=", "98.73", "%"),
    ("为 98.47%", "98.47%", "=", "98.47", "%"),
    ("为 99.92%", "99.92%", "=", "99.92", "%"),
    ("为 99.84%", "99.84%", "=", "99.84", "%"),
    ("为 99.98%", "99.98%", "=", "99.98", "%"),
    ("为 99.94%", "99.94%", "=", "99.94", "%"),
    ("为 100. 0%", "100%", "=", "100", "%"),
    ("为 99. 92%", "99.92%", "=", "99.92", "%"),
    ("达 95.59%", "≥95.59%", "≥", "95.59", "%"),
    ("为 99.97%", "99.97%", "=", "99.97", "%"),
    ("为 99.78%", "99.78%", "=", "99.78", "%"),
    ("为83.33%", "83.33%", "=", "83.33", "%"),
    ("为64.29%", "64.29%", "=", "64.29", "%"),
    ("为100.0%", "100%", "=", "100", "%"),
    ("100.0%", "100%", "=", "100", "%"),
    ("100. 0%", "100%", "=", "100", "%"),
    ("达 99.98%", "≥99.98%", "≥", "99.98", "%"),
    ("达到 77.65%", "≥77.65%", "≥", "77.65", "%"),
    ("<90%", "<90%", "<", "90", "%"),
    ("<5%", "<5%", "<", "5", "%"),
    # 003_19b141d18f0b593e.txt, 预算项目绩效目标表 指标值 column
    ("≥95100%", "≥95%", "≥", "95", "%"),
    ("100100%", "100%", "=", "100", "%"),
    (">95100%", ">95%", ">", "95", "%"),
    ("4次", "4次", "=", "4", "次"),
    ("≥180元", "≥180元", "≥", "180", "元"),
    ("≥100%", "≥100%", "≥", "100", "%"),
    ("18个", "18个", "=", "18", "个"),
    ("500元", "500元", "=", "500", "元"),
    ("≥10个", "≥10个", "≥", "10", "个"),
    ("≥70%", "≥70%", "≥", "70", "%"),
    # 003_19b141d18f0b593e.txt, 绩效指标 narrative
    ("50次", "50次", "=", "50", "次"),
    # 004_d38022eb02abd5de.txt, 目标值 column
    ("153", "153", "=", "153", None),
    ("150000", "150000", "=", "150000", None),
    ("2500", "2500", "=", "2500", None),
    ("97%以上", "≥97%", "≥", "97", "%"),
    ("97%以上;", "≥97%", "≥", "97", "%"),
    ("低于3%", "<3%", "<", "3", "%"),
    ("12", "12", "=", "12", None),
    ("95%以上", "≥95%", "≥", "95", "%"),
    ("90%以上", "≥90%", "≥", "90", "%"),
    ("17人", "17人", "=", "17", "人"),
    ("≤1次", "≤1次", "≤", "1", "次"),
    ("17", "17", "=", "17", None),
    ("300000", "300000", "=", "300000", None),
    ("至少2次/周", "≥2次/周", "≥", "2", "次/周"),
    ("2次/周", "2次/周", "=", "2", "次/周"),
    ("3", "3", "=", "3", None),
    ("37", "37", "=", "37", None),
    ("1", "1", "=", "1", None),
    ("2", "2", "=", "2", None),
    ("4", "4", "=", "4", None),
    ("5", "5", "=", "5", None),
    ("6", "6", "=", "6", None),
    ("15", "15", "=", "15", None),
    ("38", "38", "=", "38", None),
    ("≤2个", "≤2个", "≤", "2", "个"),
    ("≤2次", "≤2次", "≤", "2", "次"),
    q("重点解决", "重点解决"),
    q("提升", "提升"),
    q("得到提升", "得到提升"),
    q("达到良好程度", "达到良好程度"),
    q("2021年12月前", "2021年12月前"),
    q("提高", "提高"),
    q("有效保障", "有效保障"),
    q("有效促进", "有效促进"),
    # 004_d38022eb02abd5de.txt, 年度绩效目标 narrative
    ("每季度1次", "1次/季度", "=", "1", "次/季度"),
    ("每周两次", "2次/周", "=", "2", "次/周"),
    ("每月至少一次", "≥1次/月", "≥", "1", "次/月"),
]


def _check(case: Case) -> None:
    raw, text, op, value, unit = case
    target = normalize_target(raw)
    assert (target.raw, target.text, target.op, target.unit) == (raw, text, op, unit)
    assert target.value == (Decimal(value) if value is not None else None)
    if op == "qual":
        assert target.qualitative == text
    else:
        assert target.qualitative is None
        assert str(target.value) == value  # no exponent, no trailing zeros


@pytest.mark.parametrize("case", CONTRACT_TABLE, ids=[c[0] for c in CONTRACT_TABLE])
def test_contract_table(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", VARIANTS, ids=[c[0] for c in VARIANTS])
def test_variants(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", SEED_CASES, ids=[c[0] for c in SEED_CASES])
def test_seed_targets(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize(
    ("raw", "notes"),
    [
        ("≥95%", ()),
        ("≥ 95 %", ()),
        ("≧95％", ("fullwidth",)),
        ("不低于95%", ("word-operator",)),
        ("100. 0%", ("ocr-space",)),
        ("1,000", ("thousands-sep",)),
        ("百分之九十五", ("chinese-numeral",)),
        ("每季度1次", ("period-rate",)),
        ("80%-100%", ("range",)),
        ("-0%", ("negative-zero",)),
        ("95%。", ("trailing-punct",)),
        ("≥95100%", ("dup-100-suffix",)),
        ("显著", ()),
        ("投诉率为 0", ("metric-prefix", "word-operator")),
        ("对片区建设提出指导性建议", ("unrecognised",)),
    ],
)
def test_notes_name_the_rules_that_fired(raw: str, notes: tuple[str, ...]) -> None:
    assert normalize_target(raw).notes == notes


def test_only_dup_100_is_a_repair() -> None:
    assert normalize_target("≥95100%").repaired
    assert not normalize_target("≧ 95 ％以上;").repaired
    assert not normalize_target("80%-100%").repaired


def test_range_has_both_ends() -> None:
    target = normalize_target("80%～100%")
    assert (target.value, target.value_max) == (Decimal(80), Decimal(100))
    assert normalize_target("100%").value_max is None


@pytest.mark.parametrize(
    "raw",
    [
        "100%-80%",  # a range runs upward
        "≥80%-100%",
        "80%-100次",
        "80%~",
        "万",  # a Chinese numeral starts with a digit or 十
        "亿元",
        "点五",
        "90%以上（含95%）",  # the inclusive mark must name the bound
        "95%（含）",  # 含 only qualifies ≥ or ≤
        "2021-12-31",
        "≥95%,≥90%",
    ],
)
def test_unreadable_targets_are_unrecognised(raw: str) -> None:
    target = normalize_target(raw)
    assert target.op == "qual"
    assert "unrecognised" in target.notes


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("≥100%", "≥100%"),
        ("100%", "100%"),
        ("101100%", "101100%"),  # 101 is no percentage target
        ("200100%", "200100%"),
        ("95.100%", "95.1%"),  # a decimal point means the digits are a number
        ("≥95100", "≥95100"),  # the copied cell is "100%": needs the %
        ("95,100%", "95100%"),  # separators mean the digits were meant together
        ("0100100%", "100100%"),
    ],
)
def test_dup_100_does_not_fire_on_other_values(raw: str, text: str) -> None:
    target = normalize_target(raw)
    assert target.text == text
    assert not target.repaired
    assert "dup-100-suffix" not in target.notes


@pytest.mark.parametrize(
    ("raw", "text"),
    [("10100%", "10%"), ("95100%以上", "≥95%"), ("不低于90100%", "≥90%")],
)
def test_dup_100_fires(raw: str, text: str) -> None:
    target = normalize_target(raw)
    assert (target.text, target.repaired) == (text, True)


def test_dup_100_suffix_rule() -> None:
    assert dup_100_suffix("95100") == "95"
    assert dup_100_suffix("100100") == "100"
    assert dup_100_suffix("100") is None
    assert dup_100_suffix("1100") == "1"  # guideline rule 26: ≤1100% → ≤1%
    assert dup_100_suffix("9100") == "9"
    assert dup_100_suffix("101100") is None


@pytest.mark.parametrize(
    ("raw", "unit", "text", "notes"),
    [
        ("95", "%", "95%", ("unit-column",)),
        ("12", "次", "12次", ("unit-column",)),
        ("≥5", "万元", "≥5万元", ("unit-column",)),
        ("95", "（％）", "95%", ("unit-column",)),
        ("80-100", "%", "80%~100%", ("range", "unit-column")),
        ("100%", "次", "100%", ()),  # the value's own unit wins
        ("是", "是/否", "是", ()),
        ("1", "是/否", "1", ("unit-column",)),
        ("按合同执行", "定性", "按合同执行", ("unit-column",)),
        ("不适用", "不适用", "不适用", ()),
        ("95", "不适用", "95", ()),
        ("95", "", "95", ()),
    ],
)
def test_unit_column(raw: str, unit: str, text: str, notes: tuple[str, ...]) -> None:
    target = normalize_target(raw, unit=unit)
    assert (target.text, target.notes) == (text, notes)


def test_unit_column_marks_qualitative() -> None:
    assert normalize_target("1", unit="是/否").op == "qual"
    assert normalize_target("≥90%", unit="定性").op == "≥"


def _pairs(text: str) -> list[tuple[str | None, str, str]]:
    return [(name, t.text, t.op) for name, t in split_targets(text)]


# 004_d38022eb02abd5de.txt, 社会效益 rows: target cells holding several clauses.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "采集率达97%以上,信息准确率达97%以上,未注销率低于3%;",
            [
                ("采集率", "≥97%", "≥"),
                ("信息准确率", "≥97%", "≥"),
                ("未注销率", "<3%", "<"),
            ],
        ),
        (
            "采集率达95%以上,准确率达90%以上,注销率达95%以上;",
            [("采集率", "≥95%", "≥"), ("准确率", "≥90%", "≥"), ("注销率", "≥95%", "≥")],
        ),
        (
            "采集率达100%,准确率达98%以上;",
            [("采集率", "≥100%", "≥"), ("准确率", "≥98%", "≥")],
        ),
        ("信息通报率达100%", [("信息通报率", "≥100%", "≥")]),
        ("≥95%", [(None, "≥95%", "≥")]),
        ("≥1,000人", [(None, "≥1000人", "≥")]),
        ("投诉率为 0", [(None, "投诉率为0", "qual")]),
        ("显著", [(None, "显著", "qual")]),
        (
            "按时办结率100%；满意率不低于95%",
            [("按时办结率", "100%", "="), ("满意率", "≥95%", "≥")],
        ),
        ("执行率为98%、满意度达90%", [("执行率", "98%", "="), ("满意度", "≥90%", "≥")]),
        ("41.58%、52.47%", [(None, "41.58%、52.47%", "qual")]),
        ("电脑4台、扫描仪1台", [(None, "电脑4台、扫描仪1台", "qual")]),
        ("采集率达97%以上,信息准确", [(None, "采集率达97%以上,信息准确", "qual")]),
    ],
)
def test_split_targets(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    assert _pairs(text) == expected


def test_split_targets_keeps_the_clause_target_raw() -> None:
    (_, target), *_ = split_targets("采集率达97%以上,准确率达90%以上")
    assert target.raw == "达97%以上"


@pytest.mark.parametrize(
    "text",
    ["≥95%", "100%", "153", "每季度1次", "1年", "显著", "有效", "及时", "验收合格",
     "不适用", "得到提升", "≥1 份/项目", "投诉率为 0", "2021年12月前",
     "采集率达97%以上,信息准确率达97%以上,未注销率低于3%;"],
)  # fmt: skip
def test_looks_like_target(text: str) -> None:
    assert looks_like_target(text)


@pytest.mark.parametrize(
    "text",
    ["党组织建设工作覆盖率", "采集员数量", "社会效益指标", "数量", "", "  ",
     "年度工作计划", "2021年度工作计划", "依据工作方案", "提高工作效率",
     "采购笔记本电脑 4 台、文本识别扫描仪 1 台、台式电脑 11 台"],
)  # fmt: skip
def test_does_not_look_like_target(text: str) -> None:
    assert not looks_like_target(text)


# ---------------------------------------------------------------- properties

OPERATOR_SPELLINGS = {
    "≥": ["≥{}", "≧{}", ">={}", "＞＝{}", "大于等于{}", "不低于{}", "至少{}", "{}以上",
          "{}及以上", "达{}以上", "达到{}", "不少于 {}"],
    "≤": ["≤{}", "≦{}", "<={}", "不高于{}", "不超过{}", "{}以内", "{}以下"],
    ">": [">{}", "＞{}", "高于{}", "超过{}", "大于{}", "大于{}以上"],
    "<": ["<{}", "＜{}", "低于{}", "小于{}"],
    "=": ["{}", "={}", "为{}", "{} ;", "{}。"],
}  # fmt: skip
UNITS = ["%", "次", "人", "个", "万元"]
_FULLWIDTH_DIGITS = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _spell_number(digits: str, style: int) -> str:
    """Write a number several ways: plain, trailing zeros, full-width, separators."""
    if style == 1:
        return digits + ("0" if "." in digits else ".00")
    if style == 2:
        return digits.translate(_FULLWIDTH_DIGITS)
    if style == 3:
        whole, _, frac = digits.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    if style == 4:
        return digits.replace(".", ". ")
    return digits


@given(
    mantissa=st.integers(min_value=0, max_value=10**9),
    scale=st.integers(min_value=0, max_value=3),
    op=st.sampled_from(sorted(OPERATOR_SPELLINGS)),
    spelling=st.integers(min_value=0, max_value=20),
    unit=st.sampled_from(UNITS),
    style=st.integers(min_value=0, max_value=4),
    spaced=st.booleans(),
)
def test_spellings_normalize_to_one_form(
    mantissa: int, scale: int, op: str, spelling: int, unit: str, style: int,
    spaced: bool,
) -> None:  # fmt: skip
    value = Decimal(mantissa).scaleb(-scale)
    digits = format(value.normalize(), "f")
    # A percentage written as 10100..100100 is the dup-100 artefact by design.
    assume(not (unit == "%" and re.fullmatch(r"(?:[1-9][0-9]|100)100", digits)))
    forms = OPERATOR_SPELLINGS[op]
    number = _spell_number(format(value, "f"), style)
    written_unit = "％" if unit == "%" and style == 2 else unit
    quantity = f"{number} {written_unit}" if spaced else number + written_unit
    raw = forms[spelling % len(forms)].format(quantity)
    target = normalize_target(raw)
    expected = ("" if op == "=" else op) + digits + unit
    assert (target.text, target.op, target.unit) == (expected, op, unit)
    assert target.value == value
    assert not target.repaired


TARGETISH = st.text(
    alphabet="0123456789.,%-~ ≥≤<>=＞＝％以上下内达到为不低于超过次人个每周月季度年"
    "百分之九十五万元;、/（含）",
    max_size=20,
)


@given(st.one_of(st.text(max_size=30), TARGETISH))
def test_normalize_is_idempotent(raw: str) -> None:
    target = normalize_target(raw)
    again = normalize_target(target.text)
    assert again.text == target.text
    assert again.op == target.op
    assert again.value == target.value


@given(st.one_of(st.text(), TARGETISH), st.one_of(st.none(), st.text(max_size=5)))
def test_never_raises(raw: str, unit: str | None) -> None:
    target = normalize_target(raw, unit=unit)
    assert target.op in ("≥", "≤", ">", "<", "=", "~", "qual")
    assert (target.value is None) == (target.op == "qual")


@given(st.one_of(st.text(max_size=40), TARGETISH))
def test_split_and_looks_like_never_raise(text: str) -> None:
    pairs = split_targets(text)
    assert pairs
    assert isinstance(looks_like_target(text), bool)


@pytest.mark.parametrize(
    ("raw", "unit", "text"),
    [
        ("240", "批次", "240批次"),  # a unit column may hold any short unit word
        ("34", "类", "34类"),
        ("≥3500批次", None, "≥3500批次"),
        ("达到了98.5%", None, "≥98.5%"),
        ("超过50万次", None, ">50万次"),
    ],
)
def test_units_and_word_operators_seen_in_other_regions(
    raw: str, unit: str | None, text: str
) -> None:
    assert normalize_target(raw, unit=unit).text == text


# Issue 10: units in brackets, ratios, count words, doubled signs, fuzzy numbers.
@pytest.mark.parametrize(
    ("raw", "text", "op", "value", "value_max", "unit", "note"),
    [
        ("≥99（%）", "≥99%", "≥", "99", None, "%", "bracket-unit"),
        ("≥60000（条）", "≥60000条", "≥", "60000", None, "条", "bracket-unit"),
        ("≤1500（毫秒）", "≤1500毫秒", "≤", "1500", None, "毫秒", "bracket-unit"),
        ("≥90【分】", "≥90分", "≥", "90", None, "分", "bracket-unit"),
        ("≥1:3", "≥1:3", "≥", "1", None, ":3", "ratio"),
        ("1：1", "1:1", "=", "1", None, ":1", "ratio"),
        ("≥86 个数", "≥86个", "≥", "86", None, "个", "count-unit"),
        ("≥3次数/年", "≥3次/年", "≥", "3", None, "次/年", "count-unit"),
        ("≥100%%", "≥100%", "≥", "100", None, "%", "doubled-sign"),
        ("不到5%", "<5%", "<", "5", None, "%", "word-operator"),
        ("不少于160家", "≥160家", "≥", "160", None, "家", "word-operator"),
        ("十几个", "10个~20个", "~", "10", "20", "个", "fuzzy-numeral"),
        ("三五百人", "300人~500人", "~", "300", "500", "人", "fuzzy-numeral"),
        ("80%--100%", "80%~100%", "~", "80", "100", "%", "range"),
    ],
)
def test_issue_10_forms(
    raw: str,
    text: str,
    op: str,
    value: str,
    value_max: str | None,
    unit: str,
    note: str,
) -> None:
    target = normalize_target(raw)
    assert (target.text, target.op, target.unit) == (text, op, unit)
    assert target.value == Decimal(value)
    assert target.value_max == (Decimal(value_max) if value_max else None)
    assert note in target.notes
    assert not target.repaired


def test_full_rate_with_a_bare_inclusive_mark() -> None:
    # 100%（含）: ≥ or = 100% is the same target; 95%（含） stays qual (see above).
    target = normalize_target("100%（含）")
    assert (target.text, target.op, target.value) == ("100%", "=", Decimal(100))


@pytest.mark.parametrize("raw", ["≥5%（次）", "≥十几%以上", "4份（含2026年成果）"])
def test_unclear_issue_10_forms_stay_qual(raw: str) -> None:
    assert normalize_target(raw).op == "qual"


# Issue 10, the real corpus's target strings: forms a person reduces to one
# operator, value and unit.
@pytest.mark.parametrize(
    ("raw", "text", "op", "value", "unit", "note"),
    [
        ("超300场", ">300场", ">", "300", "场", "word-operator"),
        ("超2.5万家", ">2.5万家", ">", "2.5", "万家", "word-operator"),
        ("超百家", ">100家", ">", "100", "家", "chinese-numeral"),
        ("百场", "100场", "=", "100", "场", "chinese-numeral"),
        ("控制不超出120000元", "≤120000元", "≤", "120000", "元", "word-operator"),
        ("≥500㎡", "≥500㎡", "≥", "500", "㎡", None),
        ("12.5万㎡", "12.5万㎡", "=", "12.5", "万㎡", None),
        ("3.2万场次", "3.2万场次", "=", "3.2", "万场次", None),
        ("≥60家次", "≥60家次", "≥", "60", "家次", None),
        ("≥ 120 个次", "≥120个次", "≥", "120", "个次", None),
        ("≥500车次", "≥500车次", "≥", "500", "车次", None),
        ("≥30则", "≥30则", "≥", "30", "则", None),
        ("≥12.5km", "≥12.5km", "≥", "12.5", "km", None),
        ("≥200 台（套）", "≥200台(套)", "≥", "200", "台(套)", "bracket-unit"),
        ("≤30微克/立方米", "≤30微克/立方米", "≤", "30", "微克/立方米", None),
        ("大于12克/公里", ">12克/公里", ">", "12", "克/公里", "word-operator"),
        ("≤80元/人/半天", "≤80元/人/半天", "≤", "80", "元/人/半天", None),
        ("不高于15万元/人·年", "≤15万元/人·年", "≤", "15", "万元/人·年", None),
        (">=90百分比", "≥90%", "≥", "90", "%", "percent-word"),
        ("约50次", "50次", "=", "50", "次", "approx"),
        ("3.5%左右", "3.5%", "=", "3.5", "%", "approx"),
        ("80项左右", "80项", "=", "80", "项", "approx"),
        ("30多个", "30个", "=", "30", "个", "approx"),
        ("2万多家", "2万家", "=", "2", "万家", "approx"),
        ("10余场", "10场", "=", "10", "场", "approx"),
        ("十多个", "10个", "=", "10", "个", "approx"),
        ("长约3.2公里", "3.2公里", "=", "3.2", "公里", "metric-prefix"),
        ("巡查及时率为100%", "100%", "=", "100", "%", "metric-prefix"),
        (
            "年度养护费用不高于120万元/公里",
            "≤120万元/公里",
            "≤",
            "120",
            "万元/公里",
            "metric-prefix",
        ),
        ("更新率＞90％", ">90%", ">", "90", "%", "metric-prefix"),
        ("日均有效值＞300个", ">300个", ">", "300", "个", "metric-prefix"),
        ("每天用餐不少于80人", "≥80人/天", "≥", "80", "人/天", "period-rate"),
        ("提高定位精度至5米以内", "≤5米", "≤", "5", "米", "metric-prefix"),
        ("新增业务数据50万（条）", "50万条", "=", "50", "万条", "metric-prefix"),
        ("捕获率≥90％（扣除停电造成的缺失）", "≥90%", "≥", "90", "%", "remark"),
        ("8个（质量监督抽查）", "8个", "=", "8", "个", "remark"),
        ("100（暂定）", "100", "=", "100", None, "remark"),
        ("在接到报修后2小时", "2小时", "=", "2", "小时", "condition"),
        ("在接到通知后30分钟内", "≤30分钟", "≤", "30", "分钟", "condition"),
        ("不超过项目概算3000万元", "≤3000万元", "≤", "3000", "万元", "reference"),
        ("为优秀等级（≧90分）", "≥90分", "≥", "90", "分", "grade-threshold"),
        ("9个辖区", "9个辖区", "=", "9", "个辖区", "counted-noun"),
        ("≥120个站", "≥120个站", "≥", "120", "个站", "counted-noun"),
        ("2份阶段性报告", "2份阶段性报告", "=", "2", "份阶段性报告", "counted-noun"),
        ("≤1100%", "≤1%", "≤", "1", "%", "dup-100-suffix"),
        ("=1100%", "1%", "=", "1", "%", "dup-100-suffix"),
    ],
)
def test_real_corpus_forms(
    raw: str, text: str, op: str, value: str, unit: str | None, note: str | None
) -> None:
    target = normalize_target(raw)
    assert (target.text, target.op, target.unit) == (text, op, unit)
    assert target.value == Decimal(value)
    assert target.value_max is None
    if note is not None:
        assert note in target.notes


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        # Guideline rule 41: what no person reduces to operator, value and unit.
        ("2026年10月前", "2026年10月前"),  # a deadline
        ("7*24", "7*24"),  # a product
        ("不低于1*1km", "不低于1*1km"),
        ("相比2025年提升", "相比2025年提升"),  # a year the change is measured from
        ("实现24小时自动监测", "实现24小时自动监测"),  # the number describes the work
        ("第11位", "第11位"),  # a rank
        ("实际聘用人数大于预算人数80%", "实际聘用人数大于预算人数80%"),  # a share
        ("人数不少于5万，活动不低于10场", "人数不少于5万，活动不低于10场"),
        ("完成3份报告以及证书6份", "完成3份报告以及证书6份"),  # several numbers
        ("4份（含2026年成果）", "4份（含2026年成果）"),  # numbers in the remark
    ],
)
def test_deliberate_qualitative_targets(raw: str, text: str) -> None:
    target = normalize_target(raw)
    assert (target.op, target.text) == ("qual", text)


def test_equals_sign_before_a_phrase_is_dropped() -> None:
    target = normalize_target("=正常运转无")
    expected = ("qual", "正常运转无", "正常运转无")
    assert (target.op, target.text, target.qualitative) == expected
    assert "leading-equals" in target.notes


@pytest.mark.parametrize(
    ("raw", "text", "op"), [("=为0", "0", "="), ("=达到95%", "≥95%", "≥")]
)
def test_equals_sign_before_a_worded_value_is_dropped(
    raw: str, text: str, op: str
) -> None:
    """The sign goes as before a phrase (rule 33), and the rest is read as a value:
    the same target as without the sign, so normalizing twice changes nothing."""
    target = normalize_target(raw)
    assert (target.text, target.op) == (text, op)
    assert "leading-equals" in target.notes
    assert normalize_target(target.text).text == text


def test_an_equals_sign_before_a_relation_sign_still_reads_as_one() -> None:
    assert normalize_target("=<5").text == "≤5"


def test_copula_clause_is_a_value_but_stays_one_qualitative_cell() -> None:
    # normalize_target reads a value cell naming its measure; split_targets keeps
    # guideline rule 11 for a table cell of one 为/是 statement.
    assert normalize_target("投诉率为 0").text == "0"
    assert [(n, t.text, t.op) for n, t in split_targets("投诉率为 0")] == [
        (None, "投诉率为0", "qual")
    ]
    assert [(n, t.text) for n, t in split_targets("信息通报率达100%")] == [
        ("信息通报率", "≥100%")
    ]
    assert [(n, t.text) for n, t in split_targets("长约3.2公里")] == [(None, "3.2公里")]


def test_a_measure_word_alone_is_no_multiplier() -> None:
    # 千米 is a unit, 15k a multiplier: neither reads as a number with a unit.
    assert normalize_target("千米").op == "qual"
    assert normalize_target("15k").op == "qual"
    assert normalize_target("百").op == "qual"


@pytest.mark.parametrize(
    "raw", ["100%全覆盖", "=按计划开展100%", "正常运行100%", "100%合格", "100%完成"]
)
def test_a_percentage_with_words_of_what_it_reaches(raw: str) -> None:
    target = normalize_target(raw)
    assert (target.text, target.op, target.value) == ("100%", "=", Decimal(100))
    assert "worded-rate" in target.notes


def test_words_that_compare_or_name_a_base_keep_the_target_qualitative() -> None:
    target = normalize_target("实际聘用编外人员数量大于预算编外人员数80%")
    assert target.op == "qual"


@pytest.mark.parametrize(
    ("unit", "text"), [("个数", "≥94个"), ("次数", "≥94次"), ("天数", "≥94天")]
)
def test_a_unit_column_counting_a_measure_word_gives_the_measure_word(
    unit: str, text: str
) -> None:
    assert normalize_target("≥ 94", unit=unit).text == text
