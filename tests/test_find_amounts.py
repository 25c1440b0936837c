"""find_amounts over seed paragraphs: exact mentions, values, subjects; non-amounts.

The paragraphs are copied from the seed documents; expected spans and values are
read off the text by hand.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.normalize.amounts import clean_subject, find_amounts


def found(text: str, **kwargs: str) -> list[tuple[str, Decimal]]:
    return [(s.money.text, s.money.value) for s in find_amounts(text, **kwargs)]


def subjects(text: str) -> list[str | None]:
    return [s.subject for s in find_amounts(text)]


def D(value: str) -> Decimal:
    return Decimal(value)


# -- seed paragraphs --------------------------------------------------------------

BUDGET_000 = (
    "深圳市福田区活力城区建设事务中心预算 3,293 万元，包括人员支出 746.1 万元、"
    "公用支出 57.35 万元、对个人和家庭的补助支出 13.9 万元、项目支出 2,475.65 万元。"
)
THREE_PUBLIC_000 = (
    "2. 公务接待费。2022 年预算数 0.9 万元，比 2021 年增加 0.9 万元，主要是用于按规定"
    "开支的各类公务接待（含外宾接待）费用。"
)
PROCUREMENT_000 = (
    "深圳市福田区活力城区建设事务中心 政府采购项目纳入 2022 年部门预算共计 311.90 "
    "万元，其中货物采购 11.90 万元、工程采购 0 万元、服务采购 300 万元。"
)
ASSETS_000 = (
    "截至 2021 年 10 月，深圳市福田区活力城区建设事务中心共有车辆 0 辆；单价 50 万元"
    "以上通用设备 0 台（套），单价 100 万元以上专用设备 0 台（套）。"
)
ADJUST_002 = (
    "根据 2024 年度履职需要，我中心对整体预算支出进行了相应的调整，全年预算总规模调整"
    "为 88,808.45 万元，其中包括：\n\n人员支出 963.28 万元，公用支出 27.99 万元，对个人"
    "家庭和补助支出 19.46 万元，项目支出 87,797.72 万元。全年预算数较年初预算调增了 "
    "87,065.71 万元，预算调整比率为 4,995.91%，主要原因是根据区财政局 2024 年 6 月 27 "
    "日下发的《福田区财政局关于调整下达 2024 年第一批专项债券项目预算的通知》，南华村"
    "棚户区改造专项债券于年中发行，预算金额为 87,300.0 万元，导致本年度我中心调整资金"
    "比率较高。"
)
EXECUTION_002 = (
    "2024 年，我中心年度预算金额 88,808.45 万元，其中：一般公共预算资金 1,745.17 万元，"
    "政府性基金预算资金 43,000.0\n\n万元，全年预算执行数 88,788.04 万元。一至四季度执行"
    "率分别为 41.58%、52.47%、62.4% 和 99.98%，年度预算资金总体执行率达 99.98%，执行"
    "情况良好。"
)
OCR_002 = (
    "6) 河湾北片区改造项目（南华村棚改）项目全年预算数 87, 300. 0 万元，全年执行数 87, "
    "300. 0 万元，执行率为 100. 0%。通过项目实施，南华村棚改项目 1 标段回迁区完成 13 "
    "栋塔楼主体结构施工全部封顶，工程质量验收全部达标 100. 0%，同时提供了 500 个建设"
    "工作岗位。\n\n7) 劳务派遣项目全年预算数 97"
    ". 0 万元，全年执行数 96. 93 万元，执行率为"
    " 99. 92%。"
)
YUAN_002 = (
    "2024年，我中心“三公”经费年初预算数为20,000.0元，其中公务用车购置及运行维护费"
    "20,000.0元。调整后预算数13,000.0元，其中公务用车购置及运行维护费13,000.0元。"
    "“三公”经费实际支出12,995.65元，其中公务用车购置及运行维护费12,995.65元，“三公”"
    "经费控制率为99.97%。另外，我中心日常公用经费年初预算数29.08万元，全年预算调整数"
    "为279,900.0万元，实际支出279,282.0万元，日常公用经费控制率为99.78%。"
)
KEY_TASKS_002 = (
    "全力冲刺推进项目建设，提升项目产值，深入分析盘点发生投资额，确保应统尽统。全年"
    "实现固投纳统 63.8 亿。二是高效完成深圳市第二人民医院改扩建项目用地移交。通过全面"
    "梳理项目建设进度计划、资金需求，确保我区南华村棚改项目建设进度，今年累计拨付 8.73"
    " 亿元。共完成 8 家企业注册落户福田，注册资金共 1.43 亿元。"
)
SPENDING_003 = (
    "2021年部门支出预算：1925.35万元\n基本支出288.59万元\n    其中：人员经费256.9万元\n"
    "          日常公用经费31.69万元\n项目支出 "
    "1636.76万元\n    其中：本级支出1636.76万元"
)
PROJECT_003 = (
    "项目资金3300元，预计从2021年1月起，在各社区开展地震知识宣传，使居民更好的了解地震的"
    "危害，降低地震造成的人身及财产损失。"
)
CONTRACTS_004 = (
    "1、微信公众号运营项目经费：用于单位相关业务的新媒体宣传工作，支付2020年合同款项"
    "6.24万；2121年合同款项14.56万元。</p> <p>2、信息安全服务项目经费：用于单位信息安全"
    "管理，待支付2020年项目50%尾款：3.25万元；2021年度合同并支付50%合同款，3.25万元。"
)


def test_budget_breakdown() -> None:
    assert found(BUDGET_000) == [
        ("3,293 万元", D("32930000")),
        ("746.1 万元", D("7461000")),
        ("57.35 万元", D("573500")),
        ("13.9 万元", D("139000")),
        ("2,475.65 万元", D("24756500")),
    ]
    assert subjects(BUDGET_000)[1:] == [
        "人员支出",
        "公用支出",
        "对个人和家庭的补助支出",
        "项目支出",
    ]


def test_heading_and_comparison_subjects() -> None:
    assert found(THREE_PUBLIC_000) == [("0.9 万元", D("9000")), ("0.9 万元", D("9000"))]
    assert subjects(THREE_PUBLIC_000) == ["公务接待费", "公务接待费"]


def test_procurement_with_zero_amount() -> None:
    assert found(PROCUREMENT_000) == [
        ("311.90 万元", D("3119000")),
        ("11.90 万元", D("119000")),
        ("0 万元", D("0")),
        ("300 万元", D("3000000")),
    ]
    assert subjects(PROCUREMENT_000)[1:] == ["货物采购", "工程采购", "服务采购"]


def test_thresholds_are_at_least_and_counts_are_not_amounts() -> None:
    spans = find_amounts(ASSETS_000)
    assert [(s.money.text, s.money.value, s.money.approx) for s in spans] == [
        ("50 万元以上", D("500000"), "at_least"),
        ("100 万元以上", D("1000000"), "at_least"),
    ]
    assert [s.subject for s in spans] == ["单价", "单价"]


def test_adjustment_paragraph() -> None:
    assert found(ADJUST_002) == [
        ("88,808.45 万元", D("888084500")),
        ("963.28 万元", D("9632800")),
        ("27.99 万元", D("279900")),
        ("19.46 万元", D("194600")),
        ("87,797.72 万元", D("877977200")),
        ("87,065.71 万元", D("870657100")),
        ("87,300.0 万元", D("873000000")),
    ]
    assert subjects(ADJUST_002)[:5] == [
        "预算总规模",
        "人员支出",
        "公用支出",
        "对个人家庭和补助支出",
        "项目支出",
    ]


def test_unit_after_a_line_break() -> None:
    assert found(EXECUTION_002) == [
        ("88,808.45 万元", D("888084500")),
        ("1,745.17 万元", D("17451700")),
        ("43,000.0\n\n万元", D("430000000")),
        ("88,788.04 万元", D("887880400")),
    ]
    assert subjects(EXECUTION_002)[1:3] == ["一般公共预算资金", "政府性基金预算资金"]


def test_ocr_spaces_inside_numbers() -> None:
    assert found(OCR_002) == [
        ("87, 300. 0 万元", D("873000000")),
        ("87, 300. 0 万元", D("873000000")),
        ("97. 0 万元", D("970000")),
        ("96. 93 万元", D("969300")),
    ]


def test_yuan_amounts_and_large_wan_amounts() -> None:
    assert found(YUAN_002) == [
        ("20,000.0元", D("20000")),
        ("20,000.0元", D("20000")),
        ("13,000.0元", D("13000")),
        ("13,000.0元", D("13000")),
        ("12,995.65元", D("12995.65")),
        ("12,995.65元", D("12995.65")),
        ("29.08万元", D("290800")),
        ("279,900.0万元", D("2799000000")),
        ("279,282.0万元", D("2792820000")),
    ]
    assert subjects(YUAN_002)[1] == "公务用车购置及运行维护费"
    assert subjects(YUAN_002)[6] == "日常公用经费"


def test_bare_yi_and_wan_in_budget_prose() -> None:
    assert found(KEY_TASKS_002) == [
        ("63.8 亿", D("6380000000")),
        ("8.73 亿元", D("873000000")),
        ("1.43 亿元", D("143000000")),
    ]
    assert subjects(KEY_TASKS_002)[0] == "固投纳统"
    assert subjects(KEY_TASKS_002)[2] == "注册资金"


def test_colon_items_and_line_structure() -> None:
    assert found(SPENDING_003) == [
        ("1925.35万元", D("19253500")),
        ("288.59万元", D("2885900")),
        ("256.9万元", D("2569000")),
        ("31.69万元", D("316900")),
        ("1636.76万元", D("16367600")),
        ("1636.76万元", D("16367600")),
    ]
    assert subjects(SPENDING_003) == [
        "部门支出预算",
        "基本支出",
        "人员经费",
        "日常公用经费",
        "项目支出",
        "本级支出",
    ]


def test_project_funds_subject() -> None:
    assert found(PROJECT_003) == [("3300元", D("3300"))]
    assert subjects(PROJECT_003) == ["项目资金"]


def test_bare_wan_and_year_typos() -> None:
    assert found(CONTRACTS_004) == [
        ("6.24万", D("62400")),
        ("14.56万元", D("145600")),
        ("3.25万元", D("32500")),
        ("3.25万元", D("32500")),
    ]
    assert subjects(CONTRACTS_004)[:2] == ["合同款项", "合同款项"]


def test_brief_examples() -> None:
    text = "项目总预算1720.00万，其中一期340.00万。"
    assert found(text) == [("1720.00万", D("17200000")), ("340.00万", D("3400000"))]
    assert subjects(text) == ["项目总预算", "一期"]


# -- never amounts (all taken from the seeds) ------------------------------------

NON_AMOUNTS = {
    "years": "2024 年，中心认真落实；2023-2024 年度《福田区城市活力综合提升策略研究》",
    "percentages": "采购执行率为98.73%，占全年实际采购金额的100.0%，执行率为 100. 0%。",
    "counts": (
        "10 月份实现 13栋塔楼全部封顶，共完成 2"
        ",552 户选房确认手续，累计开展80场宣讲会，"
        "购置手提电脑 4 台，提供了 500 个建设工作岗位，阅读量约 4,200 人次。"
    ),
    "codes": "2080505\t机关事业单位基本养老保险缴费支出\n130625210LGLR8T5K9PEK",
    "phones": "咨询电话：0755-83918000，传真 0312-8696133。",
    "dates": "于 2024 年 11 月 19 日及时完成验收；计划开始日期 2021-01-01；2020/1/6",
    "doc_numbers": (
        "（福财〔2023〕118 号）、（深办发〔2018〕32 号）、(深网格办(2020)5号)、"
        "（国发〔2021〕5 号）、(深龙华办(2013)200号)"
    ),
    "sections": (
        "第七部分 重点项目预算绩效情况说明\n（一）人员支出\n3. 公务用车购置和运行维护费"
    ),
    "chinese_counts": (
        "处置民意速办工单共计一千余件，二百余件信访案件，完成两千余套回迁房屋的分选房"
    ),
    "measure_after_wan": "覆盖2万户居民，服务3万人次",
    "area_length_power_after_wan": (
        "新建绿地面积106.4万m²，投资建设公路12.5万公里，新增用水1.2万 m³，"
        "装机20万kW，整治10万㎡，建设资金用于18万千米管网、5万标准箱、"
        "3万平方公里"
    ),
    "measure_on_the_next_line": "项目资金支持新建绿地106.4万\nm²",
}


@pytest.mark.parametrize("kind", sorted(NON_AMOUNTS))
def test_non_amounts_are_not_reported(kind: str) -> None:
    assert find_amounts(NON_AMOUNTS[kind]) == []


def test_money_beside_measures_is_still_money() -> None:
    found = find_amounts(
        "新建绿地106.4万m²，总投资35.17亿元，道路12.5万公里，资金3万。"
    )
    assert [(a.money.text, a.money.value) for a in found] == [
        ("35.17亿元", Decimal("3517000000")),
        ("3万", Decimal("30000")),
    ]


def test_words_that_contain_unit_characters() -> None:
    assert find_amounts("1月1日元旦，开展三块地整治，实现多元化发展，圆满完成。") == []


def test_enumeration_marker_is_not_a_decimal_point() -> None:
    assert found("3. 500万元用于设备购置") == [("500万元", D("5000000"))]


def test_currencies_and_chinese_numerals_in_prose() -> None:
    assert found("报销￥1,200.50，另付 USD 300、两千元和壹万贰仟元整。") == [
        ("￥1,200.50", D("1200.50")),
        ("USD 300", D("300")),
        ("两千元", D("2000")),
        ("壹万贰仟元整", D("12000")),
    ]


def test_ranges_in_prose() -> None:
    assert [
        (s.money.value, s.money.value_max)
        for s in find_amounts("补助1万-5万元，奖励3至5万元，薪资10~15k元")
    ] == [(D("10000"), D("50000")), (D("30000"), D("50000")), (D("10000"), D("15000"))]


def test_table_cells_with_default_unit() -> None:
    text = (
        "单位：万元\n项目\t2022 年预算数\n一、政府预算资金\t3,293.00\n"
        "\t2080505\t机关事业单位基本养老保险缴费支出\t30.50\n\t2021 年\t0.00"
    )
    spans = find_amounts(text, default_unit="万元")
    assert [(s.money.text, s.money.value, s.subject) for s in spans] == [
        ("3,293.00", D("32930000"), "政府预算资金"),
        ("30.50", D("305000"), "机关事业单位基本养老保险缴费支出"),
        ("0.00", D("0"), "2021年"),
    ]
    assert {s.money.unit_source for s in spans} == {"table"}


def test_clean_subject_rules() -> None:
    assert clean_subject("（一）人员支出 ") == "人员支出"
    assert clean_subject("其中：人员经费") == "人员经费"
    assert clean_subject("公务用车购置费 2022 年预算数 ") == "公务用车购置费"
    assert clean_subject("2021年预算收入为") == "预算收入"
    assert clean_subject("2022 年预算数 ") is None


# -- properties -------------------------------------------------------------------

PIECES = st.sampled_from(
    ["人员支出 746.1 万元", "，", "。", "\n", "2024 年", "98.73%", "13栋", "两千元",
     "87, 300. 0 万元", "约5万元", "3至5万元", "其中：", "63.8 亿",
     "福财〔2023〕118 号", "￥1,200", "项目资金3300元", "万元", "元旦", "１２３元", " "]
)  # fmt: skip


@given(st.lists(PIECES, max_size=25))
def test_offsets_slice_to_the_mention(pieces: list[str]) -> None:
    text = "".join(pieces)
    spans = find_amounts(text)
    for span in spans:
        assert text[span.start : span.end] == span.money.text
        assert isinstance(span.money.value, Decimal)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@given(st.text(max_size=60))
def test_any_text_gives_consistent_spans(text: str) -> None:
    for span in find_amounts(text):
        assert text[span.start : span.end] == span.money.text


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # Nothing more specific precedes the figure word: it is the subject.
        ("全年执行数 8.47 万元，执行率为 98.47%。", "执行数"),
        # Verbs that allot money are not part of the item.
        ("城区绿道养护项目安排资金860万元", "城区绿道养护项目"),
        ("另安排预备费30万元", "预备费"),
        # A more specific item in the previous sentence still wins.
        ("公务接待费。2022 年预算数 0.9 万元", "公务接待费"),
    ],
)
def test_subject_when_the_clause_names_only_a_figure_or_a_verb(
    text: str, subject: str
) -> None:
    assert [a.subject for a in find_amounts(text)] == [subject]


def test_full_width_comparison_signs_before_an_amount() -> None:
    (found,) = find_amounts("成本＜5万元")
    assert (found.money.value, found.money.approx) == (Decimal("50000"), "at_most")
