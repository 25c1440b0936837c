"""Tests for narrative statements: rules unchanged, candidates, model scoring."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.classify import (
    ModelParams,
    SpanScorer,
    candidate_spans,
    find_statements,
    span_pipeline,
    span_record,
    token_bounds_of,
)


def _toy_scorer() -> SpanScorer:
    """A hand-weighted scorer: measure-word spans are metrics, ``达``-values targets."""
    classes = ("ACTUAL", "METRIC", "O", "TARGET")
    names = ["end:意度", "src:rule-metric", "src:rule-value", "s2:达到", "src:value"]
    coef = np.zeros((4, len(names)))
    coef[1, 0] = coef[1, 1] = 3.0  # METRIC
    coef[3, 2] = coef[3, 3] = 3.0  # TARGET
    coef[2, 4] = 2.0  # a bare value is O
    return SpanScorer(
        classes=classes,
        vocabulary={n: i for i, n in enumerate(names)},
        coef=coef,
        intercept=np.array([0.0, 0.0, 1.0, 0.0]),
    )


def test_rules_without_model():
    text = "法律意见出具及时率不低于90%；按时办结率100%；全年执行数 8.47 万元。"
    found = find_statements(text, "target")
    assert [(s.metric, s.target_raw) for s in found] == [
        ("法律意见出具及时率", "不低于90%"),
        ("按时办结率", "100%"),
    ]
    assert all(s.confidence == 0.6 for s in found)


def test_candidates_cover_rule_spans_and_noun_phrases():
    text = "最终使单位人员整体满意度达到90%以上。"
    bounds = token_bounds_of(text)
    spans = {(text[c.start : c.end], c.sources) for c in candidate_spans(text, bounds)}
    texts = {t for t, _ in spans}
    assert "单位人员整体满意度" in texts
    assert "达到90%以上" in texts
    assert "使单位人员整体满意度" in texts  # the model chooses where a metric starts
    rule = next(src for t, src in spans if t == "单位人员整体满意度")
    assert "rule-metric" in rule and "np-metric" in rule


def test_model_keeps_and_types_statements():
    text = "最终使单位人员整体满意度达到90%以上。"
    found = find_statements(text, "actual", _toy_scorer())
    # the model keeps the rules' statement; its kind is the rules' (clause, section)
    assert [(s.metric, s.target_raw, s.kind) for s in found] == [
        (s.metric, s.target_raw, s.kind) for s in find_statements(text, "actual")
    ]
    assert [s.metric for s in found] == ["单位人员整体满意度"]
    assert 0 < found[0].confidence <= 1


def test_model_drops_a_pair_it_rejects():
    scorer = _toy_scorer()
    scorer.intercept = np.array([0.0, -20.0, 20.0, -20.0])  # everything is O
    assert find_statements("单位人员整体满意度达到90%以上", "target", scorer) == []


def test_scorer_round_trip(tmp_path):
    scorer = _toy_scorer()
    scorer.to_disk(tmp_path / "m")
    loaded = SpanScorer.from_disk(tmp_path / "m")
    text = "单位人员整体满意度达到90%以上"
    bounds = token_bounds_of(text)
    records = [
        span_record(text, c, bounds, "target", 4) for c in candidate_spans(text, bounds)
    ]
    assert loaded.classes == scorer.classes
    np.testing.assert_allclose(
        loaded.predict_proba(records), scorer.predict_proba(records), atol=1e-6
    )


def test_from_disk_rejects_other_format(tmp_path):
    _toy_scorer().to_disk(tmp_path)
    config = (tmp_path / "config.json").read_text(encoding="utf-8")
    (tmp_path / "config.json").write_text(
        config.replace('"format": 1', '"format": 99'), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="model format 99"):
        SpanScorer.from_disk(tmp_path)


def test_span_component_round_trip(tmp_path):
    _toy_scorer().to_disk(tmp_path / "model")
    nlp = span_pipeline(tmp_path / "model")
    doc = nlp("单位人员整体满意度达到90%以上")
    labels = {(s.text, s.label_) for s in doc.spans["zhibiao"]}
    assert ("单位人员整体满意度", "METRIC") in labels
    assert len(doc._.zhibiao_statements) == 1
    nlp.to_disk(tmp_path / "nlp")
    reloaded = span_pipeline(tmp_path / "model").from_disk(tmp_path / "nlp")
    again = reloaded("单位人员整体满意度达到90%以上")
    assert {(s.text, s.label_) for s in again.spans["zhibiao"]} == labels


def test_params_are_plain_data():
    assert ModelParams().keep_rule < ModelParams().keep_extra


def test_count_with_a_wan_multiplier_is_a_statement_not_money() -> None:
    # 万 before a count unit multiplies the count; 万 alone after a number is 万元.
    found = [
        (s.metric, s.target_raw)
        for s in find_statements("线上课程点播次数超过50万次，培训课时数48600学时。")
    ]
    assert found == [("线上课程点播次数", "超过50万次"), ("培训课时数", "48600学时")]
    assert find_statements("全年执行数 8.47 万元。") == []


def _lead_in_examples() -> list:
    """Statements after lead-in verbs the rules do not list, metric marked without."""
    from nlp.corpus import Example, SpanLabel

    leads = ("进一步提高", "持续提升", "有效提高", "进一步提升", "不断提高", "")
    metrics = ("群众满意度", "信息准确率", "采购执行率", "按时办结率", "档案合格率")
    examples = []
    for lead in leads:
        for number, metric in enumerate(metrics, start=90):
            if (lead, metric) == ("持续提升", "档案合格率"):
                continue  # the sentence the test reads
            value = f"达到{number}%"
            text = f"{lead}{metric}{value}。"
            metric_end = len(lead) + len(metric)
            spans = [
                SpanLabel(len(lead), metric_end, "METRIC"),
                SpanLabel(metric_end, metric_end + len(value), "TARGET"),
            ]
            examples.append(Example("fixture.txt", len(examples) + 1, text, spans))
    return examples


def test_model_moves_a_rule_metric_start_past_an_unlisted_lead_in():
    from nlp.train import fit_model

    classifier, _ = fit_model(_lead_in_examples(), seed=0)
    model = classifier.export(ModelParams(), {})
    text = "持续提升档案合格率不低于96%。"
    assert [s.metric for s in find_statements(text, "target")] == ["持续提升档案合格率"]
    found = find_statements(text, "target", model)
    assert [(s.metric, s.target_raw) for s in found] == [("档案合格率", "不低于96%")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a number leaves before the measure is not part of the name
        (
            "（1）衔接资金用于产业发展的比例不低于55％；",
            ("衔接资金用于产业发展的比例", "不低于55％"),
        ),
        ("确保2024年部门预算执行率不低于96%。", ("部门预算执行率", "不低于96%")),
        ("在工作开展1年内支出达标率达到95%以上。", ("支出达标率", "达到95%以上")),
        # 全年 is a lead-in (guideline rule 4)
        ("全年拨付及时率100%，未发现问题。", ("拨付及时率", "100%")),
        # an age or type qualifier is part of the name
        (
            "65岁及以上老年人健康管理率不低于72%。",
            ("65岁及以上老年人健康管理率", "不低于72%"),
        ),
        ("2型糖尿病患者规范管理率达到65%。", ("2型糖尿病患者规范管理率", "达到65%")),
        (
            "全年0—6岁儿童健康管理率达到85%以上。",
            ("0—6岁儿童健康管理率", "达到85%以上"),
        ),
        # 保持 without 在, and scores in 分
        ("项目绩效自评覆盖率保持100%。", ("项目绩效自评覆盖率", "保持100%")),
        ("综合满意度为94.6分。", ("综合满意度", "为94.6分")),
    ],
)
def test_rule_statements_on_unseen_phrasings(text: str, expected: tuple) -> None:
    assert [(s.metric, s.target_raw) for s in find_statements(text, "target")] == [
        expected
    ]


def test_other_numbers_still_end_a_measure() -> None:
    # The count is its own statement now (guideline rule 28), not part of the rate.
    found = find_statements("完成培训12场次，参训率为98%。", "target")
    assert [(s.metric, s.target_raw) for s in found] == [
        ("培训", "12场次"),
        ("参训率", "为98%"),
    ]


def test_span_record_tokens_around_skip_blanks():
    from nlp.classify.candidates import Candidate

    text = "目标： 满意度  达到 90%以上"
    bounds = token_bounds_of(text)
    start = text.index("满意度")
    record = span_record(
        text, Candidate(start, start + 3, ("np-metric",)), bounds, "target", 4
    )
    assert (record["left_token"], record["right_token"]) == ("：", "达到")
    first = span_record(text, Candidate(0, 2, ("cell",)), bounds, "target", 4)
    assert first["left_token"] == ""
    last = span_record(
        text, Candidate(len(text) - 2, len(text), ("value",)), bounds, "target", 4
    )
    assert last["right_token"] == ""
