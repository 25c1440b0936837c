"""Tests for training: a tiny fixture trains, loads, predicts, and is reproducible."""

from __future__ import annotations

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (
    check_estimator_repr,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    parametrize_with_checks,
)

from nlp.classify import SpanScorer, find_statements
from nlp.corpus import Example, SpanLabel
from nlp.train import SpanClassifier, SpanFeatures, example_records, fit_model

SENTENCES = [
    ("采购执行率为98.73%。", [(0, 5, "METRIC"), (5, 12, "ACTUAL")], "actual"),
    ("按时办结率100%；", [(0, 5, "METRIC"), (5, 9, "ACTUAL")], "actual"),
    ("党员参与率达95.59%。", [(0, 5, "METRIC"), (5, 12, "ACTUAL")], "actual"),
    ("固定资产利用率为100%。", [(0, 7, "METRIC"), (7, 12, "ACTUAL")], "actual"),
    ("法律意见出具及时率不低于90%。", [(0, 9, "METRIC"), (9, 15, "TARGET")], "target"),
    ("交付成果验收通过率达到100%。", [(0, 9, "METRIC"), (9, 15, "TARGET")], "target"),
    ("信息准确率达97%以上。", [(0, 5, "METRIC"), (5, 11, "TARGET")], "target"),
    ("群众满意度不低于95%。", [(0, 5, "METRIC"), (5, 11, "TARGET")], "target"),
    ("人员支出 746.1 万元。", [(5, 13, "AMOUNT")], "target"),
    ("项目资金3300元。", [(4, 9, "AMOUNT")], "target"),
    ("2024年6月27日下发通知。", [], "target"),
    ("共涉及2552户居民。", [], "target"),
]


def _examples():
    return [
        Example("fixture.txt", i, text, [SpanLabel(*s) for s in spans], kind)
        for i, (text, spans, kind) in enumerate(SENTENCES, start=1)
    ]


def test_tiny_fixture_trains_loads_and_predicts(tmp_path):
    classifier, facts = fit_model(_examples(), seed=0)
    assert facts["examples"] == len(SENTENCES)
    classifier.export(_params(), {}).to_disk(tmp_path / "m")
    model = SpanScorer.from_disk(tmp_path / "m")
    found = find_statements("采购执行率为98.73%。", "actual", model)
    assert [(s.metric, s.target_raw, s.kind) for s in found] == [
        ("采购执行率", "为98.73%", "actual")
    ]


def _params():
    from nlp.classify import ModelParams

    return ModelParams()


def test_same_seed_gives_identical_files(tmp_path):
    for name in ("a", "b"):
        classifier, _ = fit_model(_examples(), seed=7)
        classifier.export(_params(), {"seed": 7}).to_disk(tmp_path / name)
    for file in ("config.json", "features.json", "coef.npy"):
        assert (tmp_path / "a" / file).read_bytes() == (
            tmp_path / "b" / file
        ).read_bytes()


def test_exported_scorer_matches_sklearn_pipeline():
    classifier, _ = fit_model(_examples(), seed=0)
    records, _, _, _ = example_records(_examples(), _params())
    exported = classifier.export(_params(), {})
    import numpy as np

    np.testing.assert_allclose(
        exported.predict_proba(records), classifier.predict_proba(records), atol=1e-4
    )


def test_estimator_contract():
    estimator = SpanClassifier(C=0.5)
    with pytest.raises(NotFittedError):
        estimator.predict([{}])
    records, labels, _, _ = example_records(_examples(), _params())
    assert estimator.fit(records, labels) is estimator
    assert estimator.get_params()["C"] == 0.5
    fresh = clone(estimator)
    assert (
        not hasattr(fresh, "pipeline_") and fresh.get_params() == estimator.get_params()
    )
    assert set(estimator.predict(records)) <= set(estimator.classes_)


def test_fit_validates_inputs():
    with pytest.raises(ValueError, match="X has 1 records but y has 2 labels"):
        SpanClassifier().fit([{}], ["O", "METRIC"])
    with pytest.raises(ValueError, match="ngram_max must be a positive int"):
        SpanFeatures(ngram_max=0).fit([])


# Records are dicts, not 2-D arrays, so parametrize_with_checks yields only the
# clone check for these estimators (sklearn skips the array-based checks); the
# API checks that need no array input are run one by one below.
@parametrize_with_checks([SpanClassifier(), SpanFeatures()])
def test_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", [SpanClassifier(), SpanFeatures()])
@pytest.mark.parametrize(
    "check",
    [
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
        check_get_params_invariance,
        check_estimator_repr,
    ],
)
def test_api_checks(estimator, check):
    check(type(estimator).__name__, estimator)
