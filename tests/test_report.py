"""Tests for the health report (nlp.report and ``zhibiao report``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from nlp.cli import app
from nlp.report import health_rows, mismatch_rows, totals


def _documents(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        {
            "doc": "b.pdf",
            "status": "ok",
            "indicators": 4,
            "amounts": 2,
            "checks": {"indicator-table-pages": 3, "project-total": 4},
        },
        {
            "doc": "a.txt",
            "status": "error",
            "indicators": 0,
            "amounts": 0,
            "checks": {},
        },
    ]
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (folder / "documents.jsonl").write_text(text, encoding="utf-8")
    return folder


def test_rows_and_totals_aggregate_the_checks(tmp_path: Path) -> None:
    rows = health_rows(_documents(tmp_path / "out"))
    assert [r.doc for r in rows] == ["a.txt", "b.pdf"]
    assert rows[1].count("project-total") == 4
    assert rows[0].count("project-total") == 0
    total = totals(rows)
    assert total["indicators"] == 4
    assert total["indicator-table-pages"] == 3
    assert total["target-bare-unit"] == 0


def test_report_command_reads_an_output_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(_documents(tmp_path / "out"))])
    assert result.exit_code == 0, result.output
    assert "b.pdf" in result.output and "total" in result.output


def test_report_command_extracts_inputs_first(tmp_path: Path) -> None:
    doc = tmp_path / "in" / "d.txt"
    doc.parent.mkdir()
    doc.write_text(
        "项目名称：测试项目\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t培训人数\t≥20人\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["report", str(doc.parent), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["doc"] == "d.txt" and row["status"] == "ok"
    assert row["indicators"] >= 1


def test_report_lists_each_mismatched_total(tmp_path: Path) -> None:
    folder = _documents(tmp_path / "out")
    note = (
        "sum-mismatch: total 3000000.00 parts 2000000.00 difference 1000000.00 "
        "rows 3,4; cause: parts-short-of-total"
    )
    record = {
        "doc": "b.pdf",
        "text": "300.00",
        "value": "3000000.00",
        "subject": "合计",
        "column": "预算数",
        "source": {"page": 2, "table": 1, "row": 2, "text": "合计\t300.00"},
        "flags": ["sum-mismatch"],
        "notes": [note],
    }
    line = json.dumps(record, ensure_ascii=False) + "\n"
    (folder / "amounts.jsonl").write_text(line, encoding="utf-8")
    [mismatch] = mismatch_rows(folder)
    assert (mismatch.page, mismatch.table, mismatch.row) == (2, 1, 2)
    assert mismatch.note.difference == Decimal("1000000.00")
    assert mismatch.note.rows == (3, 4)
    result = CliRunner().invoke(app, ["report", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1,000,000.00" in result.output and "parts-short-of-total" in result.output
    result = CliRunner().invoke(app, ["report", str(folder), "--format", "json"])
    listed = [json.loads(line) for line in result.output.splitlines()]
    by_doc = {d["doc"]: d["sum_mismatches"] for d in listed}
    assert by_doc["b.pdf"][0]["cause"] == "parts-short-of-total"
    assert by_doc["a.txt"] == []
