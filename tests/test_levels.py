"""Tests for nlp.normalize.levels: level names to CONTRACT.md's canonical sets."""

from __future__ import annotations

import pytest

from nlp.normalize.levels import (
    IMPLIED_LEVEL1,
    LEVEL1,
    LEVEL2,
    implied_level1,
    level_kind,
    level_stem,
    normalize_level1,
    normalize_level2,
)

# 一级 spellings in the seed documents (/work/shared/seeds):
# 000_ee0f5e6c66703748.txt: 产出, 效益, 满意度; 001_8de26ab3fb50a26b.txt: 产出指标,
# 效益指标, 满意度指标; 003_19b141d18f0b593e.txt: 产出指标, 效益指标;
# 004_d38022eb02abd5de.txt: 产出目标, 效果目标, 满意度 (rows shifted left).
SEED_LEVEL1 = [
    ("产出", "产出指标"),
    ("效益", "效益指标"),
    ("满意度", "满意度指标"),
    ("产出指标", "产出指标"),
    ("效益指标", "效益指标"),
    ("满意度指标", "满意度指标"),
    ("产出目标", "产出指标"),
    ("效果目标", "效益指标"),
]

# 二级 spellings in the seed documents:
# 000: 数量, 质量, 时效, 成本, 经济效益, 社会效益, 可持续影响, 生态效益, 服务对象满意度;
# 001 and 003: the same with 指标 appended, plus 其他满意度指标 (001);
# 004: 数量, 质量, 时效, 经济效益, 社会效益, 生态效益, 满意度.
SEED_LEVEL2 = [
    ("数量", "数量指标"),
    ("质量", "质量指标"),
    ("时效", "时效指标"),
    ("成本", "成本指标"),
    ("经济效益", "经济效益指标"),
    ("社会效益", "社会效益指标"),
    ("可持续影响", "可持续影响指标"),
    ("生态效益", "生态效益指标"),
    ("服务对象满意度", "服务对象满意度指标"),
    ("满意度", "服务对象满意度指标"),
    ("数量指标", "数量指标"),
    ("质量指标", "质量指标"),
    ("时效指标", "时效指标"),
    ("成本指标", "成本指标"),
    ("经济效益指标", "经济效益指标"),
    ("社会效益指标", "社会效益指标"),
    ("可持续影响指标", "可持续影响指标"),
    ("生态效益指标", "生态效益指标"),
    ("服务对象满意度指标", "服务对象满意度指标"),
    ("其他满意度指标", "其他满意度指标"),
]

# Spellings named by CONTRACT.md and the annotation guideline rule 8, and variants.
OTHER_LEVEL1 = [
    ("项目产出", "产出指标"),
    ("项目效果", "效益指标"),
    ("效益目标", "效益指标"),
    ("成本指标", "成本指标"),
    ("过程指标", "过程指标"),
    ("决策指标", "决策指标"),
    (" 产出 指标 ", "产出指标"),
    ("一、产出指标", "产出指标"),
    ("（二）效益指标：", "效益指标"),
]
OTHER_LEVEL2 = [
    ("产出数量", "数量指标"),
    ("产出时效", "时效指标"),
    ("产出质量", "质量指标"),
    ("产出成本", "成本指标"),
    ("环境效益", "生态效益指标"),
    ("生态环境效益指标", "生态效益指标"),
    ("其他满意度", "其他满意度指标"),
    ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
    ("经济成本指标", "成本指标"),
    ("效益 社会效益", "社会效益指标"),
]


@pytest.mark.parametrize(("raw", "expected"), SEED_LEVEL1 + OTHER_LEVEL1)
def test_normalize_level1(raw: str, expected: str) -> None:
    assert normalize_level1(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), SEED_LEVEL2 + OTHER_LEVEL2)
def test_normalize_level2(raw: str, expected: str) -> None:
    assert normalize_level2(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "党员民主评议落实率",
        "工作时效",
        "一级指标",
        "指标",
        "",
        "不适用",
        "项目",
        "龙华区",
    ],
)
def test_unknown_levels_are_none(raw: str) -> None:
    assert normalize_level1(raw) is None
    assert normalize_level2(raw) is None


def test_none_stays_none() -> None:
    assert normalize_level1(None) is None
    assert normalize_level2(None) is None
    assert implied_level1(None) is None


@pytest.mark.parametrize("raw", ["产出指标", "效益指标", "产出目标", "效果目标"])
def test_level1_names_are_not_level2(raw: str) -> None:
    assert normalize_level2(raw) is None


@pytest.mark.parametrize("raw", ["社会效益指标", "数量", "经济效益", "其他满意度指标"])
def test_level2_names_are_not_level1(raw: str) -> None:
    assert normalize_level1(raw) is None


def test_every_output_is_canonical() -> None:
    outputs1 = {normalize_level1(raw) for raw, _ in SEED_LEVEL1 + OTHER_LEVEL1}
    outputs2 = {normalize_level2(raw) for raw, _ in SEED_LEVEL2 + OTHER_LEVEL2}
    assert outputs1 <= set(LEVEL1)
    assert outputs2 <= set(LEVEL2)


def test_canonical_names_map_to_themselves() -> None:
    assert [normalize_level1(name) for name in LEVEL1] == list(LEVEL1)
    assert [normalize_level2(name) for name in LEVEL2] == list(LEVEL2)


@pytest.mark.parametrize(
    ("level2", "level1"),
    [
        ("数量指标", "产出指标"),
        ("质量指标", "产出指标"),
        ("时效指标", "产出指标"),
        ("成本指标", "产出指标"),
        ("经济效益指标", "效益指标"),
        ("社会效益指标", "效益指标"),
        ("生态效益指标", "效益指标"),
        ("可持续影响指标", "效益指标"),
        ("服务对象满意度指标", "满意度指标"),
        ("其他满意度指标", "满意度指标"),
        ("数量", None),  # only canonical names imply a level
    ],
)
def test_implied_level1(level2: str, level1: str | None) -> None:
    assert implied_level1(level2) == level1


def test_every_level2_implies_a_level1() -> None:
    assert set(IMPLIED_LEVEL1) == set(LEVEL2)
    assert set(IMPLIED_LEVEL1.values()) <= set(LEVEL1)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("产出指标", "level1"),
        ("产出目标", "level1"),
        ("效益指标", "level1"),
        ("效果目标", "level1"),
        ("数量", "level2"),
        ("社会效益指标", "level2"),
        ("服务对象满意度指标", "level2"),
        ("满意度", "either"),
        ("满意度指标", "either"),
        ("成本指标", "either"),
        ("党员民主评议落实率", None),
        ("工作时效", None),
        ("100%", None),
    ],
)
def test_level_kind(text: str, kind: str | None) -> None:
    assert level_kind(text) == kind


def test_level_stem_strips_suffixes_and_enumeration() -> None:
    assert level_stem("（一）产出目标：") == "产出"
    assert level_stem("产出类指标") == "产出"
    assert level_stem("指标") == "指标"
