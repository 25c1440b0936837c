"""Tests for nlp.annotate: reading sheets into gold, and two readings' agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nlp.annotate import SheetError, build_real_gold, compare_readings
from nlp.annotate.sheets import target_from_text
from nlp.cli import app

MANIFEST = "name\tsha256\tnote\n重庆-水利局-2026部门预算.pdf\tx\ty\n"
DOC = "重庆-水利局-2026部门预算.pdf"
STEM = "重庆-水利局-2026部门预算"


def _row(page: int, metric: str, target: str, **extra: Any) -> dict[str, Any]:
    return {
        "doc": DOC,
        "page": page,
        "row_text": f"{metric} | {target}",
        "project": "水库移民后期扶持",
        "level1": None,
        "level2": None,
        "level1_norm": None,
        "level2_norm": None,
        "metric": metric,
        "target_raw": target,
        "target_text": target,
        **extra,
    }


def _write(folder: Path, name: str, lines: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (folder / name).write_text(text, encoding="utf-8")


def _scope(folder: Path, **pages: list[int]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{STEM}.scope.json").write_text(
        json.dumps({"doc": DOC, **pages}, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "MANIFEST.tsv").write_text(MANIFEST, encoding="utf-8")
    sheets = tmp_path / "sheets" / "a"
    _write(
        sheets,
        f"{STEM}.indicators.jsonl",
        [
            _row(31, "完工项目验收率", "≥90%"),
            _row(31, "实施项目数量", "≥86个"),
            _row(32, "年度预算执行率", "100%", target_period_text="100%"),
        ],
    )
    _write(
        sheets,
        f"{STEM}.statements.jsonl",
        [
            {
                "doc": DOC,
                "page": 31,
                "sentence": "支持实施项目数量不少于86个",
                "metric": "实施项目数量",
                "value_raw": "不少于86个",
                "value_text": "≥86个",
                "kind": "target",
            }
        ],
    )
    _write(
        sheets,
        f"{STEM}.amounts.jsonl",
        [
            {
                "doc": DOC,
                "page": 31,
                "where": "table",
                "text": "12,700.00",
                "value": "127000000",
                "subject": "当年预算",
                "column": None,
            }
        ],
    )
    _scope(
        sheets, indicator_pages=[31, 32], statement_pages=[31], amount_table_pages=[31]
    )
    return tmp_path


def test_canonical_target_text_becomes_a_target() -> None:
    assert target_from_text("≥ 95 %", "≥95%") | {} == {
        "raw": "≥ 95 %",
        "text": "≥95%",
        "op": "≥",
        "value": 95,
        "value_max": None,
        "unit": "%",
        "qualitative": None,
        "repaired": False,
        "notes": [],
    }
    assert target_from_text(None, "80%~100%")["op"] == "~"
    assert target_from_text(None, "80%~100%")["value_max"] == 100
    assert target_from_text(None, "1次/季度")["unit"] == "次/季度"
    assert target_from_text(None, "12.5")["value"] == 12.5
    qual = target_from_text("=按计划开展", "按计划开展")
    assert (qual["op"], qual["qualitative"], qual["value"]) == (
        "qual",
        "按计划开展",
        None,
    )
    assert target_from_text(None, None) is None


def test_build_gold_writes_contract_records_with_origin_city_and_scope(
    root: Path,
) -> None:
    counts = build_real_gold(root)
    assert counts == {"documents": 1, "indicators": 3, "statements": 1, "amounts": 1}
    gold = root / "gold"
    indicators = [
        json.loads(line)
        for line in (gold / f"{STEM}.indicators.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["origin"] for r in indicators] == ["table", "table", "prose", "table"]
    assert {r["city"] for r in indicators} == {"重庆"}
    assert indicators[0]["target"]["text"] == "≥90%"
    assert indicators[0]["source"] == {
        "page": 31,
        "table": None,
        "row": None,
        "span": None,
        "text": "完工项目验收率 | ≥90%",
        "read_by": "a",
    }
    assert indicators[-1]["target_period"]["text"] == "100%"
    assert indicators[2]["kind"] == "target"
    (amount,) = [
        json.loads(line)
        for line in (gold / f"{STEM}.amounts.jsonl").read_text("utf-8").splitlines()
    ]
    assert (amount["value"], amount["unit_source"], amount["origin"]) == (
        "127000000.00",
        "table",
        "table",
    )
    scope = json.loads((gold / "scope.json").read_text("utf-8"))
    assert scope[DOC]["indicator_pages"] == [31, 32]
    assert scope[DOC]["amount_prose_pages"] == []


def test_a_malformed_sheet_line_names_file_and_line(root: Path) -> None:
    sheets = root / "sheets" / "a"
    _write(sheets, f"{STEM}.statements.jsonl", [{"doc": DOC, "page": 1, "metric": "x"}])
    with pytest.raises(SheetError, match=r"statements\.jsonl:1: missing value_text"):
        build_real_gold(root)
    _write(sheets, f"{STEM}.amounts.jsonl", [{"doc": "other.pdf", "page": 1}])
    (sheets / f"{STEM}.statements.jsonl").unlink()
    with pytest.raises(SheetError, match="not in the manifest"):
        build_real_gold(root)


def test_agreement_pairs_records_on_shared_pages_and_compares_fields(
    root: Path,
) -> None:
    second = root / "second" / "b"
    _write(
        second,
        f"{STEM}.indicators.jsonl",
        [
            _row(31, "完工项目验收率", "≥90%"),
            _row(31, "实施项目数量", "≥86个数"),  # target read differently
            _row(31, "项目覆盖区县数量", "≥30个"),  # only the second reading
        ],
    )
    _scope(second, indicator_pages=[31])  # page 32 was not read again
    comparison = compare_readings(root)
    result = comparison.overall["indicators"]
    assert (result.first, result.second, result.paired) == (2, 3, 2)
    assert result.f1 == pytest.approx(0.8)
    target = result.fields["target.text"]
    assert (target.same, target.compared) == (1, 2)
    assert result.fields["level1_norm"].rate == 1.0
    kinds = sorted(name for name, _, _ in result.disagreements)
    assert kinds == ["only second", "target.text"]
    assert "amounts" not in comparison.overall


def test_annotate_commands(root: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["annotate", "build-gold", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "indicators: 3" in result.output
    _write(
        root / "second" / "b",
        f"{STEM}.indicators.jsonl",
        [_row(31, "完工项目验收率", "≥90%")],
    )
    _scope(root / "second" / "b", indicator_pages=[31])
    result = runner.invoke(app, ["annotate", "agreement", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "record F1 0.667" in result.output
    assert "only first" in result.output
