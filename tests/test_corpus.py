"""Tests for gold alignment and template sentences."""

from __future__ import annotations

import json

from nlp.corpus import Example, SpanLabel, build_dataset, load_examples, synthesize


def _write_annotations(root):
    (root / "gold").mkdir(parents=True)
    (root / "corpus").mkdir()
    text = (
        "2024年绩效自评报告\n"
        "采购执行率为98.73%，预算 12.5 万元。\n"
        "产出指标\t数量指标\t培训人数\t≥20 人\n"
    )
    (root / "corpus" / "d.txt").write_text(text, encoding="utf-8")
    indicators = [
        {"doc": "d.txt", "metric": "采购执行率", "target_raw": "为98.73%",
         "kind": "actual", "level1": None, "level2": None,
         "source": {"text": "采购执行率为98.73%，预算 12.5 万元。", "line": 2}},
        {"doc": "d.txt", "metric": "培训人数", "target_raw": "≥20 人",
         "kind": "target", "level1": "产出指标", "level2": "数量指标",
         "source": {"text": "产出指标\t数量指标\t培训人数\t≥20 人", "line": 3}},
        {"doc": "d.txt", "metric": "不存在的指标率", "target_raw": "1%",
         "kind": "target", "source": {"text": "x", "line": 3}},
    ]  # fmt: skip
    amounts = [{"doc": "d.txt", "text": "12.5 万元", "source": {"line": 2}}]
    (root / "gold" / "d.indicators.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in indicators),
        encoding="utf-8",
    )
    (root / "gold" / "d.amounts.jsonl").write_text(
        json.dumps(amounts[0], ensure_ascii=False), encoding="utf-8"
    )


def test_alignment_places_spans_and_counts_failures(tmp_path):
    _write_annotations(tmp_path)
    examples, report = load_examples(tmp_path)
    by_line = {e.line: e for e in examples}
    line2 = by_line[2]
    found = {(line2.text[s.start : s.end], s.label) for s in line2.spans}
    assert found == {
        ("采购执行率", "METRIC"),
        ("为98.73%", "ACTUAL"),
        ("12.5 万元", "AMOUNT"),
    }
    line3 = {(by_line[3].text[s.start : s.end], s.label) for s in by_line[3].spans}
    assert ("产出指标", "LEVEL") in line3 and ("≥20 人", "TARGET") in line3
    assert report.failed["METRIC"] == 1
    assert report.off_tokens == 0
    assert by_line[1].spans == []  # kept as a negative
    assert all(e.doc_kind == "actual" for e in examples)  # a 自评报告


def test_dataset_round_trip(tmp_path):
    from datasets import load_from_disk

    _write_annotations(tmp_path)
    build_dataset(tmp_path, tmp_path / "spans")
    rows = load_from_disk(str(tmp_path / "spans"))
    assert set(rows["doc"]) == {"d.txt"}
    assert (tmp_path / "spans" / "alignment.json").exists()
    assert Example.from_row(rows[1]).spans[0].label in {"METRIC", "ACTUAL", "AMOUNT"}


def test_synthesize_uses_given_vocabulary_and_is_seeded():
    gold = [
        Example("a.txt", 1, "培训参与率为100%", [SpanLabel(0, 5, "METRIC"),
                SpanLabel(5, 10, "ACTUAL")], "actual"),
        Example("a.txt", 2, "预算 8.6 万元", [SpanLabel(3, 9, "AMOUNT")], "target"),
    ]  # fmt: skip
    one, two = synthesize(gold, 30, seed=3), synthesize(gold, 30, seed=3)
    assert [e.text for e in one] == [e.text for e in two]
    assert all(e.synthetic for e in one)
    metrics = {
        e.text[s.start : s.end] for e in one for s in e.spans if s.label == "METRIC"
    }
    assert metrics == {"培训参与率"}
