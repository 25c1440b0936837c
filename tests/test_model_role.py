"""The span model's role on prose: it scores and filters the rules' statements.

Also the real-document corpus (PDF gold on chosen pages aligned on the reader's
text), training from the saved corpus, and the calibration of ``confidence``.
"""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from nlp.classify import ModelParams, SpanScorer, find_statements
from nlp.corpus import build_dataset, load_examples
from nlp.crossval import fit_calibration, reliability_table

PLAN_ACTUAL = "计划开展培训班20期，实际开展18期。"


def _flat_model(keep_rule: float, calibration: dict | None = None) -> SpanScorer:
    """A model giving every candidate the same probabilities (no features)."""
    classes = ("ACTUAL", "METRIC", "O", "TARGET")
    return SpanScorer(
        classes=classes,
        vocabulary={},
        coef=np.zeros((len(classes), 0)),
        intercept=np.zeros(len(classes)),
        params=ModelParams(keep_rule=keep_rule, keep_extra=1.01),
        meta={"calibration": calibration} if calibration else {},
    )


def test_model_keeps_the_rules_statements_and_their_kinds():
    rules = find_statements(PLAN_ACTUAL, "target")
    kept = find_statements(PLAN_ACTUAL, "target", _flat_model(keep_rule=0.0))
    assert [(s.metric, s.target_raw, s.kind) for s in kept] == [
        (s.metric, s.target_raw, s.kind) for s in rules
    ]
    assert {s.kind for s in kept} == {"target", "actual"}


def test_model_drops_statements_scored_below_keep_rule():
    # P(value) = 0.5 and P(METRIC) = 0.25 for every span: scores are at most 0.5.
    assert find_statements(PLAN_ACTUAL, "target", _flat_model(keep_rule=0.9)) == []


def test_confidence_is_the_calibrated_score():
    calibration = {"score": [0.0, 1.0], "precision": [0.2, 0.9]}
    model = _flat_model(keep_rule=0.0, calibration=calibration)
    for statement in find_statements("验收合格率达到95%。", "target", model):
        assert 0.2 <= statement.confidence <= 0.9
    assert model.calibrated(0.5) == pytest.approx(0.55)


def test_section_decides_kind_with_the_model_too():
    text = "培训满意度达到90%。"
    kept = find_statements(text, "actual", _flat_model(0.0), decided=True)
    assert [s.kind for s in kept] == ["actual"]


def test_calibration_is_monotone_and_bins_count_every_statement():
    points = [(0.1, False), (0.2, False), (0.3, True), (0.8, True), (0.9, True)]
    calibration = fit_calibration(points)
    assert calibration["precision"] == sorted(calibration["precision"])
    table = reliability_table(points)
    counted = sum(int(row.split("|")[2]) for row in table[2:])
    assert counted == len(points)


def _real_set(root, pdf_builder):
    """A real set: one PDF, statement gold on page 1, scope.json."""
    pdf = pdf_builder()
    page = pdf.page()
    page.text(72, 72, "一、年度主要目标", size=12)
    page.text(72, 100, "全年验收合格率达到95%，完成", size=10)
    page.text(72, 116, "培训20期。", size=10)
    page.text(72, 140, "单位共有车辆3辆。", size=10)
    path = pdf.save("r.pdf")
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    (root / "docs" / "r.pdf").write_bytes(path.read_bytes())
    scope = {"r.pdf": {"statement_pages": [1], "indicator_pages": []}}
    (root / "gold" / "scope.json").write_text(json.dumps(scope), encoding="utf-8")
    records = [
        {"doc": "r.pdf", "metric": "验收合格率", "target_raw": "达到95%",
         "kind": "target", "origin": "prose", "city": "甲",
         "source": {"page": 1, "text": "全年验收合格率达到95%，完成培训20期。"}},
        {"doc": "r.pdf", "metric": "培训", "target_raw": "20期",
         "kind": "target", "origin": "prose", "city": "甲",
         "source": {"page": 1, "text": "全年验收合格率达到95%，完成培训20期。"}},
    ]  # fmt: skip
    (root / "gold" / "r.indicators.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records),
        encoding="utf-8",
    )


def test_real_gold_aligns_on_the_readers_text(tmp_path, pdf_builder):
    _real_set(tmp_path / "real", pdf_builder)
    examples, report = load_examples(tmp_path)
    assert {e.set_name for e in examples} == {"real"}
    assert {e.city for e in examples} == {"甲"} and {e.page for e in examples} == {1}
    sentence = next(e for e in examples if "验收合格率" in e.text)
    labelled = {(sentence.text[s.start : s.end], s.label) for s in sentence.spans}
    # the sentence broken over two PDF lines is one example
    assert {("验收合格率", "METRIC"), ("达到95%", "TARGET")} <= labelled
    assert ("培训", "METRIC") in labelled and ("20期", "TARGET") in labelled
    negative = next(e for e in examples if "车辆" in e.text)
    assert negative.spans == []
    assert sum(report.failed.values()) == 0


def test_train_reads_the_saved_corpus(tmp_path, pdf_builder):
    from nlp.train import train

    _real_set(tmp_path / "real", pdf_builder)
    build_dataset(tmp_path, tmp_path / "spans")
    params = ModelParams(keep_rule=0.05, keep_extra=0.9)
    calibration = {"score": [0.0, 1.0], "precision": [0.1, 0.95]}
    train(tmp_path, tmp_path / "model", params=params, calibration=calibration)
    model = SpanScorer.from_disk(tmp_path / "model")
    assert model.params == params
    assert model.meta["calibration"] == calibration
    assert model.meta["examples_per_set"] == {"real": 3}


def test_train_without_a_saved_corpus_says_how_to_build_it(tmp_path):
    from nlp.train import train

    with pytest.raises(FileNotFoundError, match=r"nlp\.corpus"):
        train(tmp_path, tmp_path / "model")


def test_prose_amount_subject_read_over_a_pdf_line_break(pdf_builder):
    from nlp.pipeline import extract

    pdf = pdf_builder()
    page = pdf.page()
    page.text(72, 72, "单位概况如下所述本年度各项支出安排。", size=10)
    page.text(72, 90, "1.机关事业单位基本养老保险缴", size=10)
    page.text(72, 108, "费支出175.9万元，与上年持平", size=10)
    result = extract(pdf.save("a.pdf"))
    subjects = {
        a.subject for a in result.amounts if a.money.value == Decimal("1759000")
    }
    assert any(s and "养老保险缴费支出" in s for s in subjects), subjects


def test_unfinished_last_sentence_is_read():
    from nlp.pipeline import extract

    result = extract("人员支出 746.1 万元，公用经费 52.8 万元")
    assert {a.money.value for a in result.amounts} >= {
        Decimal("7461000"),
        Decimal("528000"),
    }
