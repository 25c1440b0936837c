"""Prose statements of real reports: counts, enumerations, pairs, scores, sections."""

from __future__ import annotations

from pathlib import Path

import nlp
from nlp.classify import find_statements
from nlp.classify.sections import SectionTracker, looks_like_heading, section_kind


def _triples(text: str, kind: str = "target") -> list[tuple[str, str, str]]:
    return [(s.metric, s.target_raw, s.kind) for s in find_statements(text, kind)]


def test_count_takes_the_counted_noun_when_the_number_comes_first() -> None:
    assert _triples("完成15个老旧小区改造，新增酒店53家。", "actual") == [
        ("老旧小区改造", "15个", "actual"),
        ("新增酒店", "53家", "actual"),
    ]


def test_each_value_of_an_enumeration_is_a_statement() -> None:
    found = _triples("一至四季度分别完成巡查12次、15次、14次、16次。", "actual")
    assert found == [
        ("巡查（一季度）", "12次", "actual"),
        ("巡查（二季度）", "15次", "actual"),
        ("巡查（三季度）", "14次", "actual"),
        ("巡查（四季度）", "16次", "actual"),
    ]


def test_plan_and_actual_pair_gives_a_target_and_an_actual() -> None:
    found = _triples("计划开展培训班20期，实际开展18期。")
    assert [(k, v) for _, v, k in found] == [("target", "20期"), ("actual", "18期")]
    assert found[0][0] == found[1][0]


def test_scores_and_grades_are_actuals() -> None:
    found = _triples("项目自评综合得分92分，等级为“优”。", "target")
    assert found == [
        ("项目自评综合得分", "92分", "actual"),
        ("等级", "为“优”", "actual"),
    ]


def test_exclusions_are_not_statements() -> None:
    text = (
        "2026年收入预算5,876.67万元，比上年增加48.92万元，增长0.8%；"
        "其中一般公共预算拨款收入5,753.07万元，占97.9%。本指标得4.5分，满分8分。"
    )
    assert _triples(text) == []


def test_a_value_label_is_no_measure() -> None:
    # The value labels of a packed cell whose clause heads a scan garbled.
    text = "实施周期指标们：90%，年度指标值：10%，实施盛明指标：12个"
    assert _triples(text) == []


def test_money_is_a_statement_only_as_a_cap_or_floor() -> None:
    assert _triples("年度运营管理成本≤1144.72万元，化解债务14500万元。") == [
        ("年度运营管理成本", "≤1144.72万元", "target")
    ]


def test_section_heading_decides_the_kind() -> None:
    tracker = SectionTracker()
    tracker.heading("一、2025年工作总结")
    assert tracker.kind == "actual"
    tracker.heading("（一）促进消费")  # names no section: the parent's holds
    assert tracker.kind == "actual"
    tracker.heading("二、2026年工作思路")
    assert tracker.kind == "target"
    tracker.heading("三、存在的问题")
    assert tracker.kind == "background"
    assert looks_like_heading("二、2026年工作思路")
    assert not looks_like_heading("二、全年完成巡查12次，验收率达到90%以上。")
    assert section_kind("主要预期目标") == "target"


def test_section_kind_types_statements_in_a_document(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(
        "# 某局工作报告\n\n## 一、2025年工作总结\n\n全年建成8个国潮展销中心。\n\n"
        "## 二、2026年工作思路\n\n举办促消费活动300场以上。\n\n"
        "## 三、存在的问题\n\n仍有12个项目未完工。\n",
        encoding="utf-8",
    )
    result = nlp.extract(path, use_model=False)
    found = [(i.metric, i.target.text, i.kind) for i in result.indicators]
    assert found == [
        ("国潮展销中心", "8个", "actual"),
        ("促消费活动", "≥300场", "target"),
    ]


def test_markdown_with_latex_math(tmp_path: Path) -> None:
    path = tmp_path / "converted.md"
    path.write_text(
        "## 一、绩效目标\n\n"
        "项目验收合格率达到 $95\\%$ 以上，服务对象满意度 $\\geq 90\\%$ 。\n\n"
        "<table><tr><td>指标</td><td>值</td></tr></table>\n",
        encoding="utf-8",
    )
    result = nlp.extract(path, use_model=False)
    found = [(i.metric, i.kind) for i in result.indicators]
    assert ("项目验收合格率", "target") in found


def test_a_heading_reporting_on_targets_holds_actuals() -> None:
    from nlp.classify.sections import section_kind

    assert section_kind("一、绩效目标完成情况") == "actual"
    assert section_kind("二、2026年绩效目标") == "target"
    assert section_kind("三、存在的问题") == "background"


def test_the_asset_holdings_section_is_background() -> None:
    from nlp.classify.sections import section_kind

    assert section_kind("六、国有资产占用情况") == "background"
    assert section_kind("（三）国有资产占有使用情况") == "background"


def test_a_thousands_comma_does_not_end_the_clause() -> None:
    assert _triples("全年完成职业技能培训12,560人次，培训合格率达到90%以上。") == [
        ("职业技能培训", "12,560人次", "target"),
        ("培训合格率", "达到90%以上", "target"),
    ]


def test_a_count_before_its_noun_after_a_place_or_a_preposition() -> None:
    found = _triples(
        "完成全区12个镇街农村集中供水工程的日常巡检。"
        "全年为1236名经济困难老年人提供上门服务。",
        "actual",
    )
    assert [(m, v) for m, v, _ in found] == [
        ("镇街农村集中供水工程的日常巡检", "12个"),
        ("经济困难老年人提供上门服务", "为1236名"),
    ]


def test_a_noun_naming_the_next_measure_is_not_the_count_s_noun() -> None:
    found = _triples("完善项目用地191亩移交手续或拆迁安置房安置数量105套。")
    assert found[0][:2] == ("项目用地", "191亩")


def test_a_verb_before_the_value_is_not_part_of_the_metric() -> None:
    assert _triples("地下室主体施工完成65%，培训覆盖率实现100%。", "actual") == [
        ("地下室主体施工", "65%", "actual"),
        ("培训覆盖率", "100%", "actual"),
    ]


def test_background_sections_drop_counts_but_keep_rates(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "某中心2025年度项目支出绩效自评报告\n\n一、项目基本情况\n（二）项目资金情况\n"
        "本项目涉及38个区县，预算执行率为96.35%。\n"
        "二、绩效目标及实现情况\n（二）预算管理情况\n政府采购执行率为100%。\n"
        "三、存在的问题\n仍有12个项目未完工，力争培训后就业率不低于85%。\n",
        encoding="utf-8",
    )
    result = nlp.extract(path, use_model=False)
    found = [(i.metric, i.target.text, i.kind) for i in result.indicators]
    assert found == [
        ("预算执行率", "96.35%", "actual"),
        ("政府采购执行率", "100%", "actual"),
        ("培训后就业率", "≥85%", "target"),
    ]


def test_a_prose_cell_s_label_is_its_section(tmp_path: Path) -> None:
    path = tmp_path / "form.html"
    path.write_text(
        "<html><body><h2>2026年项目绩效目标表</h2><table>"
        "<tr><td>项目名称</td><td colspan='3'>水库移民后期扶持</td></tr>"
        "<tr><td>项目概况</td><td colspan='3'>库区涉及38个区县、696个乡镇，"
        "扶持人口450198人。</td></tr>"
        "<tr><td>当年绩效目标</td><td colspan='3'>项目覆盖区县30个以上，"
        "完工项目验收率达到90%以上。</td></tr>"
        "<tr><td>主要绩效完成情况</td><td colspan='3'>全年完成验收项目52个，"
        "移民满意度为93%。</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    result = nlp.extract(path, use_model=False)
    found = [(i.metric, i.target.text, i.kind) for i in result.indicators]
    assert found == [
        ("项目覆盖区县", "≥30个", "target"),
        ("完工项目验收率", "≥90%", "target"),
        ("验收项目", "52个", "actual"),
        ("移民满意度", "93%", "actual"),
    ]


def test_a_count_written_with_one_chinese_numeral() -> None:
    found = find_statements(
        "完成外出督查每周两次，协调工作每月至少一次；一期工程开工。"
    )
    assert [(s.metric, s.target_raw, s.value_raw) for s in found] == [
        ("外出督查", "每周两次", "每周2次"),
        ("协调工作", "每月至少一次", "每月至少1次"),
    ]


def test_a_verb_and_a_floor_before_a_count_name_the_noun_after() -> None:
    found = _triples(
        "形成不少于2项专项研究成果、1份研究方案，"
        "安排153名信息采集员对全区城市事件进行采集。"
    )
    assert [(m, v) for m, v, _ in found] == [
        ("专项研究成果", "不少于2项"),
        ("研究方案", "1份"),
        ("信息采集员", "153名"),
    ]


def test_a_list_closed_by_deng_keeps_its_items() -> None:
    found = _triples("新增海外展销中心、共享园区等50个。")
    assert found[0][:2] == ("新增海外展销中心、共享园区", "50个")


def test_a_sentence_announcing_plans_makes_its_list_targets() -> None:
    text = (
        "全年项目完工率达到95.6%。具体目标包括：（1）项目开工率达到100%；"
        "（2）受益脱贫户满意度≥90%。下一步，我局将强化管理，确保预算执行率不低于96%，"
        "义务教育巩固率高于99%。绩效目标完成情况：完工率达到96%。"
    )
    assert [(m, k) for m, _, k in _triples(text, "actual")] == [
        ("项目完工率", "actual"),
        ("项目开工率", "target"),
        ("受益脱贫户满意度", "target"),
        ("预算执行率", "target"),
        ("义务教育巩固率", "target"),
        ("完工率", "actual"),
    ]
