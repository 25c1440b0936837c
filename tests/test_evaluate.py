"""Tests for nlp.evaluate on small gold and prediction folders written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp.evaluate import evaluate, group_scores, is_narrative, norm_text


def _source(
    text: str,
    table: int | None = None,
    row: int | None = None,
    span: list[int] | None = None,
    line: int | None = None,
) -> dict[str, Any]:
    source = {"page": None, "table": table, "row": row, "span": span, "text": text}
    if line is not None:
        source["line"] = line
    return source


def _indicator(
    doc: str,
    metric: str,
    target_text: str | None,
    level1: str | None = None,
    level2: str | None = None,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    target = None
    if target_text is not None:
        target = {
            "raw": target_text,
            "text": target_text,
            "op": "=",
            "repaired": False,
            "notes": [],
        }
    return {
        "doc": doc,
        "project": None,
        "level1": level1,
        "level2": level2,
        "level1_norm": level1,
        "level2_norm": level2,
        "metric": metric,
        "target_raw": target_text,
        "target": target,
        "source": source or _source(metric, span=[0, 1]),
        "confidence": 1.0,
    }


def _amount(
    doc: str, value: str, subject: str | None, source: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "doc": doc,
        "text": value,
        "value": value,
        "value_max": None,
        "currency": "CNY",
        "approx": "exact",
        "unit_source": "text",
        "subject": subject,
        "column": None,
        "source": source or _source(f"{subject} {value}", span=[0, 1]),
    }


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    path.write_text("".join(lines), encoding="utf-8")


T0 = _source("数量指标\t培训人次\t≥95%", table=0, row=1, line=12)
T1 = _source("质量指标\t合格率\t100%", table=0, row=2, line=13)
PROSE = _source("按时办结率100%。", span=[40, 49], line=30)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Gold for d1.txt, d2.txt, d3.txt; predictions for d1, d2 (as a PDF), extra."""
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write_jsonl(
        gold / "d1.indicators.jsonl",
        [
            _indicator("d1.txt", "培训人次(次)", "≥95%", "产出指标", "数量指标", T0),
            _indicator("d1.txt", "合格率", "100%", "产出指标", "质量指标", T1),
            _indicator("d1.txt", "按时办结率", "100%", source=PROSE),
        ],
    )
    _write_jsonl(
        gold / "d1.amounts.jsonl",
        [
            _amount("d1.txt", "7461000.00", "人员支出"),
            _amount("d1.txt", "7461000.00", "公用经费"),
            _amount("d1.txt", "3300.00", "项目资金"),
        ],
    )
    _write_jsonl(
        gold / "d2.indicators.jsonl", [_indicator("d2.txt", "采购执行率", "98.73%")]
    )
    _write_jsonl(gold / "d2.amounts.jsonl", [])
    _write_jsonl(gold / "d3.indicators.jsonl", [_indicator("d3.txt", "满意度", "≥90%")])
    _write_jsonl(
        pred / "indicators.jsonl",
        [
            # Full-width brackets and a space: equal after normalization.
            _indicator("d1.txt", "培训 人次（次）", "≥95%", "产出指标", "数量指标", T0),
            _indicator("d1.txt", "合格率", "≥100%", "产出指标", "质量指标", T1),
            _indicator("d1.txt", "按时办结率", "100%", source=PROSE),
            _indicator("d1.txt", "满意度", "≥90%", source=PROSE),
            _indicator("sub/d2.pdf", "采购执行率", "98.73%"),
            _indicator("extra.txt", "某率", "1%"),
        ],
    )
    _write_jsonl(
        pred / "amounts.jsonl",
        [
            _amount("d1.txt", "7461000.00", "人员支出"),
            _amount("d1.txt", "3300.00", "项目资金预算"),
            _amount("d1.txt", "100.00", None),
        ],
    )
    _write_jsonl(
        pred / "documents.jsonl",
        [
            {"doc": "d1.txt", "status": "ok", "error": None},
            {"doc": "sub/d2.pdf", "status": "ok", "error": None},
            {"doc": "extra.txt", "status": "ok", "error": None},
        ],
    )
    return gold, pred


def _counts(score: Any) -> tuple[int, int, int]:
    return score.tp, score.fp, score.fn


def test_indicator_measures_on_one_document(folders: tuple[Path, Path]) -> None:
    report = evaluate(*folders)
    d1 = next(d for d in report.documents if d.doc == "d1.txt")
    assert _counts(d1.score("triple")) == (2, 2, 1)
    assert d1.score("triple").precision == pytest.approx(0.5)
    assert d1.score("triple").recall == pytest.approx(2 / 3)
    assert _counts(d1.score("metric")) == (3, 1, 0)
    assert _counts(d1.score("metric+target")) == (2, 2, 1)
    assert _counts(d1.score("levels")) == (3, 1, 0)


def test_table_and_narrative_subsets(folders: tuple[Path, Path]) -> None:
    d1 = next(d for d in evaluate(*folders).documents if d.doc == "d1.txt")
    assert _counts(d1.score("triple", "table")) == (1, 1, 1)
    assert _counts(d1.score("triple", "narrative")) == (1, 1, 0)


def test_amount_measures_strict_and_lenient(folders: tuple[Path, Path]) -> None:
    d1 = next(d for d in evaluate(*folders).documents if d.doc == "d1.txt")
    assert _counts(d1.score("value")) == (2, 1, 1)
    assert _counts(d1.score("value+subject")) == (1, 2, 2)
    assert _counts(d1.score("value+subject~")) == (2, 1, 1)


def test_documents_match_by_name_then_stem_and_absent_ones_count(
    folders: tuple[Path, Path],
) -> None:
    report = evaluate(*folders)
    by_doc = {d.doc: d for d in report.documents}
    assert by_doc["d2.txt"].pred_doc == "sub/d2.pdf"
    assert _counts(by_doc["d2.txt"].score("triple")) == (1, 0, 0)
    assert by_doc["d3.txt"].status == "absent"
    assert _counts(by_doc["d3.txt"].score("triple")) == (0, 0, 1)
    assert report.unscored == ("extra.txt",)


def test_overall_is_the_sum_over_documents(folders: tuple[Path, Path]) -> None:
    report = evaluate(*folders)
    # d1 (2, 2, 1) + d2 (1, 0, 0) + d3 (0, 0, 1); extra.txt has no gold.
    assert _counts(report.score("triple")) == (3, 2, 2)
    assert report.score("triple").f1 == pytest.approx(0.6)
    assert _counts(report.score("value")) == (2, 1, 1)


def test_errors_list_missing_and_spurious_with_source(
    folders: tuple[Path, Path],
) -> None:
    d1 = next(d for d in evaluate(*folders).documents if d.doc == "d1.txt")
    triple = [e for e in d1.errors if e.measure == "triple"]
    missing = [e for e in triple if e.kind == "missing"]
    spurious = [e for e in triple if e.kind == "spurious"]
    assert [(e.key, e.line, e.source_text) for e in missing] == [
        ("产出指标 | 质量指标 | 合格率 | 100%", 13, "质量指标\t合格率\t100%")
    ]
    assert sorted(e.key for e in spurious) == [
        "∅ | ∅ | 满意度 | ≥90%",
        "产出指标 | 质量指标 | 合格率 | ≥100%",
    ]
    amount_errors = {(e.kind, e.key) for e in d1.errors if e.record == "amount"}
    assert ("missing", "7461000.00 | 公用经费") in amount_errors
    assert ("spurious", "100.00 | ∅") in amount_errors


def test_lenient_subject_uses_a_maximum_matching(tmp_path: Path) -> None:
    # Pairing 支出 with 人员支出经费 first would leave 人员支出 unmatched.
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write_jsonl(
        gold / "d.amounts.jsonl",
        [_amount("d.txt", "1.00", "支出"), _amount("d.txt", "1.00", "人员支出")],
    )
    _write_jsonl(
        pred / "amounts.jsonl",
        [_amount("d.txt", "1.00", "人员支出经费"), _amount("d.txt", "1.00", "支出费")],
    )
    report = evaluate(gold, pred)
    assert _counts(report.score("value+subject~")) == (2, 0, 0)
    assert _counts(report.score("value+subject")) == (0, 2, 2)


def test_failed_prediction_status_is_reported(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write_jsonl(gold / "d.indicators.jsonl", [_indicator("d.txt", "率", "1%")])
    _write_jsonl(pred / "indicators.jsonl", [])
    _write_jsonl(
        pred / "documents.jsonl",
        [{"doc": "d.txt", "status": "error", "error": "d.txt: file is empty"}],
    )
    (doc,) = evaluate(gold, pred).documents
    assert (doc.status, doc.error) == ("error", "d.txt: file is empty")
    assert doc.score("triple").recall == 0.0


def test_empty_gold_and_prediction_score_one(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write_jsonl(gold / "d.indicators.jsonl", [])
    _write_jsonl(pred / "indicators.jsonl", [])
    score = evaluate(gold, pred).score("triple")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_missing_folders_contents_raise(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no gold files"):
        evaluate(tmp_path / "empty", tmp_path / "empty")


def test_report_to_dict_is_json(folders: tuple[Path, Path]) -> None:
    data = json.loads(json.dumps(evaluate(*folders).to_dict(), ensure_ascii=False))
    row = next(
        r for r in data["overall"] if r["measure"] == "triple" and r["subset"] == "all"
    )
    assert (row["tp"], row["fp"], row["fn"], row["f1"]) == (3, 2, 2, 0.6)


def test_normalization() -> None:
    assert norm_text(" 培训\n人次（ＡＢ１） ") == "培训人次(AB1)"
    assert norm_text("  ") is None


@pytest.mark.parametrize(
    ("record", "narrative"),
    [
        # Indicators: a table row always carries a level, a statement in prose none.
        ({"metric": "培训人次", "level1_norm": "产出指标", "level2_norm": None}, False),
        ({"metric": "培训人次", "level1_norm": None, "level2_norm": "数量指标"}, False),
        ({"metric": "按时办结率", "level1_norm": None, "level2_norm": None}, True),
        # Amounts: a table cell takes its unit from the table, prose writes it.
        ({"value": "7461000.00", "unit_source": "table"}, False),
        ({"value": "7461000.00", "unit_source": "context"}, False),
        ({"value": "7461000.00", "unit_source": "text"}, True),
    ],
)
def test_subset_rule_reads_the_same_on_gold_and_predictions(
    record: dict[str, Any], narrative: bool
) -> None:
    assert is_narrative(record) is narrative


def test_span_measures_score_labels_and_surface_text(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    actual = {**_indicator("d.txt", "采购执行率", "为98.73%", source=PROSE)}
    actual["kind"] = "actual"
    row = _indicator("d.txt", "合格率", "100%", "产出指标", "质量指标", T1)
    _write_jsonl(gold / "d.indicators.jsonl", [actual, row])
    _write_jsonl(gold / "d.amounts.jsonl", [_amount("d.txt", "12.5 万元", "项目资金")])
    typed_as_target = {**actual, "kind": "target"}
    _write_jsonl(pred / "indicators.jsonl", [typed_as_target, row])
    _write_jsonl(pred / "amounts.jsonl", [_amount("d.txt", "12.5万元", None)])
    d = evaluate(gold, pred).documents[0]
    assert _counts(d.score("triple")) == (2, 0, 0)  # kind is not in the triple
    assert _counts(d.score("METRIC")) == (2, 0, 0)
    assert _counts(d.score("ACTUAL")) == (0, 0, 1)
    assert _counts(d.score("TARGET")) == (1, 1, 0)
    assert _counts(d.score("LEVEL")) == (2, 0, 0)
    assert _counts(d.score("AMOUNT")) == (1, 0, 0)  # whitespace aside
    assert _counts(d.score("METRIC", "narrative")) == (1, 0, 0)


def _paged(record: dict[str, Any], page: int, origin: str | None = None) -> dict:
    """A record read on ``page``; gold states its origin, a prediction its source."""
    record = {**record, "source": {**record["source"], "page": page}}
    if origin is not None:
        record["origin"] = origin
    return record


def test_scope_leaves_out_predictions_on_pages_not_annotated(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    row = _source("产出 | 数量 | 培训人数 | ≥20人", table=0, row=1)
    _write_jsonl(
        gold / "d.indicators.jsonl",
        [
            _paged(
                _indicator("d.pdf", "培训人数", "≥20人", "产出", "数量", row),
                3,
                "table",
            )
        ],
    )
    _write_jsonl(gold / "d.amounts.jsonl", [])
    (gold / "scope.json").write_text(
        json.dumps({"d.pdf": {"indicator_pages": [3], "statement_pages": []}}),
        encoding="utf-8",
    )
    predicted = [
        _paged(_indicator("d.pdf", "培训人数", "≥20人", "产出", "数量", row), 3),
        # a table row on a page nobody annotated: neither right nor wrong
        _paged(_indicator("d.pdf", "其他", "1次", "产出", "数量", row), 9),
        # a prose statement on the annotated page, but prose was not annotated
        _paged(
            _indicator("d.pdf", "执行率", "95%", source=_source("x", span=[0, 2])), 3
        ),
    ]
    _write_jsonl(pred / "indicators.jsonl", predicted)
    report = evaluate(gold, pred)
    assert report.score("triple").tp == 1
    assert report.score("triple").fp == 0


def test_gold_origin_splits_tables_and_prose_on_both_sides(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    # A row of a table without level columns is still a table row.
    row = _source("实施项目数量 | ≥ | 86 | 个", table=0, row=2)
    sentence = _source("支持实施项目数量不少于86个", span=[0, 12])
    _write_jsonl(
        gold / "d.indicators.jsonl",
        [
            _indicator("d.pdf", "实施项目数量", "≥86个", source=row)
            | {"origin": "table"},
            _indicator("d.pdf", "实施项目数量", "≥86个", source=sentence)
            | {"origin": "prose", "kind": "target"},
        ],
    )
    _write_jsonl(
        pred / "indicators.jsonl",
        [
            _indicator("d.pdf", "实施项目数量", "≥86个", source=row),
            _indicator("d.pdf", "实施项目数量", "≥86个", source=sentence)
            | {"kind": "actual"},
        ],
    )
    report = evaluate(gold, pred)
    assert report.score("triple", "table").tp == 1
    assert report.score("triple", "narrative").tp == 1
    # a statement matches on metric, value and kind: the kind is wrong here
    assert report.score("statement", "narrative").tp == 0
    assert report.score("statement", "table").tp == 1


def test_reports_group_on_a_gold_field(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    for doc, city in (("a.pdf", "重庆"), ("b.pdf", "重庆"), ("c.pdf", "泉州")):
        _write_jsonl(
            gold / f"{doc[0]}.amounts.jsonl",
            [_amount(doc, "100.00", "人员支出") | {"city": city, "format": "pdf"}],
        )
    _write_jsonl(
        pred / "amounts.jsonl",
        [_amount("a.pdf", "100.00", "人员支出"), _amount("c.pdf", "5.00", "x")],
    )
    report = evaluate(gold, pred)
    by_city = group_scores(report, "city")
    assert list(by_city) == ["泉州", "重庆"]
    value = {
        city: next(r.score for r in rows if r.measure == "value" and r.subset == "all")
        for city, rows in by_city.items()
    }
    assert (value["重庆"].tp, value["重庆"].fn) == (1, 1)
    assert (value["泉州"].tp, value["泉州"].fp, value["泉州"].fn) == (0, 1, 1)
    assert list(group_scores(report, "format")) == ["pdf"]
    with pytest.raises(KeyError):
        group_scores(report, "colour")


def test_evaluate_command_prints_groups(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nlp.cli import app

    gold, pred = tmp_path / "gold", tmp_path / "pred"
    _write_jsonl(
        gold / "a.amounts.jsonl",
        [_amount("a.pdf", "100.00", "人员支出") | {"city": "长春", "format": "pdf"}],
    )
    _write_jsonl(pred / "amounts.jsonl", [_amount("a.pdf", "100.00", "人员支出")])
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--by", "city"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Per city" in result.output and "长春" in result.output
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    groups = json.loads(result.output)["groups"]["city"]["长春"]
    assert any(r["measure"] == "value" and r["f1"] == 1.0 for r in groups)
    result = CliRunner().invoke(app, [*args[:-1], "colour"])
    assert result.exit_code == 2
