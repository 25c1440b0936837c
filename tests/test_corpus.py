"""Tests for gold alignment and template sentences."""

from __future__ import annotations

import json

from nlp.corpus import (
    Example,
    SpanLabel,
    annotation_sets,
    build_dataset,
    load_examples,
    synthesize,
)


def _write_jsonl(path, records):
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
    )


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
    _write_jsonl(root / "gold" / "d.indicators.jsonl", indicators)
    _write_jsonl(root / "gold" / "d.amounts.jsonl", amounts)


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


def _write_html_set(root):
    """An HTML 自评表 whose gold quotes rows with `` | `` and has no line numbers."""
    (root / "gold").mkdir(parents=True)
    (root / "corpus").mkdir()
    html = (
        "<html><body><h1>项目绩效自评表</h1>"
        "<p>全年采购执行率为98.73%。</p>"
        "<table><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>"
        "<th>年度指标值</th><th>实际完成值</th></tr>"
        "<tr><td>产出指标</td><td>质量指标</td><td>验收合格率</td>"
        "<td>≥95%</td><td>97%</td></tr></table></body></html>"
    )
    (root / "corpus" / "t.html").write_text(html, encoding="utf-8")
    row = "产出指标 | 质量指标 | 验收合格率 | ≥95% | 97%"
    indicators = [
        {"doc": "t.html", "metric": "采购执行率", "target_raw": "为98.73%",
         "kind": "actual",
         "source": {"text": "全年采购执行率为98.73%。", "line": None}},
        {"doc": "t.html", "metric": "验收合格率", "target_raw": "≥95%",
         "kind": "target", "level1": "产出指标", "level2": "质量指标",
         "source": {"text": row, "line": None}},
        {"doc": "t.html", "metric": "验收合格率", "target_raw": "97%",
         "kind": "actual", "level1": "产出指标", "level2": "质量指标",
         "source": {"text": row, "line": None}},
    ]  # fmt: skip
    _write_jsonl(root / "gold" / "t.indicators.jsonl", indicators)


def test_non_text_formats_align_on_the_readers_text(tmp_path):
    _write_html_set(tmp_path)
    examples, report = load_examples(tmp_path)
    labelled = {(e.text[s.start : s.end], s.label) for e in examples for s in e.spans}
    assert {
        ("采购执行率", "METRIC"),
        ("为98.73%", "ACTUAL"),
        ("验收合格率", "METRIC"),
        ("≥95%", "TARGET"),
        ("97%", "ACTUAL"),
        ("产出指标", "LEVEL"),
    } <= labelled
    # the target and the actual record of the row share one metric span
    assert sum(1 for _, label in labelled if label == "METRIC") == 2
    assert sum(report.failed.values()) == 0


def test_every_set_under_a_folder_is_loaded(tmp_path):
    _write_annotations(tmp_path)  # the development set at the top
    _write_html_set(tmp_path / "heldout")
    (tmp_path / "notes").mkdir()  # a folder without gold is not a set
    assert annotation_sets(tmp_path) == [tmp_path, tmp_path / "heldout"]
    docs = {e.doc for e in load_examples(tmp_path)[0]}
    assert docs == {"d.txt", "t.html"}
