"""Tests for the zhibiao command line: exit codes, output files, helper commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GOOD_TEXT, write
from typer.testing import CliRunner

from nlp.cli import app
from nlp.write import read_records

runner = CliRunner()

# The project's contract check, on its own copy of the contract's schema.
CONTRACT_CHECK = Path(__file__).resolve().parents[1] / "tools" / "check_contract.py"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("zhibiao ")


def test_extract_all_ok_exits_0_and_output_meets_the_contract(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    write(tmp_path / "in" / "b" / "c.md", GOOD_TEXT)
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "2 documents: 2 ok, 0 error, 0 skipped" in result.stderr
    docs = [r["doc"] for r in read_records(out / "documents.jsonl")]
    assert docs == ["a.txt", "b/c.md"]
    assert list(read_records(out / "indicators.jsonl"))
    check = subprocess.run(
        [sys.executable, str(CONTRACT_CHECK), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 problems" in check.stdout


def test_extract_with_a_failed_document_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path / "in" / "good.txt", GOOD_TEXT)
    bad = write(tmp_path / "in" / "bad.pdf", b"this is not a pdf")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(good), str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "2 documents: 1 ok, 1 error, 0 skipped" in result.stderr
    records = {r["doc"]: r for r in read_records(out / "documents.jsonl")}
    assert records["good.txt"]["status"] == "ok"
    assert records["bad.pdf"]["status"] == "error"
    assert str(bad) in records["bad.pdf"]["error"]


def test_extract_skipped_only_exits_0(tmp_path: Path) -> None:
    odd = write(tmp_path / "notes.wps", "x")
    result = runner.invoke(app, ["extract", str(odd), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "1 skipped" in result.stderr


def test_extract_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = runner.invoke(app, ["extract", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "nowhere.txt" in result.stderr
    assert "does not exist" in result.stderr
    assert not (tmp_path / "documents.jsonl").exists()


@pytest.mark.parametrize(
    "options",
    [["--format", "xml"], ["--workers", "0"], ["--ocr", "sometimes"], []],
    ids=["bad-format", "zero-workers", "bad-ocr", "no-out"],
)
def test_extract_bad_options_are_usage_errors(
    tmp_path: Path, options: list[str]
) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    out = ["--out", str(tmp_path / "o")] if options else []
    result = runner.invoke(app, ["extract", str(good), *out, *options])
    assert result.exit_code == 2
    assert not (tmp_path / "o").exists()


def test_extract_quiet_prints_nothing(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    result = runner.invoke(
        app, ["extract", str(good), "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_extract_other_formats(tmp_path: Path, fmt: str) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["extract", str(good), "--out", str(out), "--format", fmt, "--no-model"]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(read_records(out / f"indicators.{fmt}"))
    assert rows and {r["doc"] for r in rows} == {"good.txt"}
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.{fmt}" for t in ("amounts", "documents", "indicators")]
        + ["manifest.json"]
    )


def test_extract_two_workers(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path / "in" / f"d{i}.txt", GOOD_TEXT)
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["extract", str(tmp_path / "in"), "--out", str(out), "--workers", "2"]
    )
    assert result.exit_code == 0, result.stderr
    docs = [r["doc"] for r in read_records(out / "documents.jsonl")]
    assert docs == ["d0.txt", "d1.txt", "d2.txt"]


def test_normalize_target_prints_one_json_line() -> None:
    result = runner.invoke(app, ["normalize-target", "≥ 95 %"])
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert (record["text"], record["op"], record["unit"]) == ("≥95%", "≥", "%")


def test_normalize_target_with_unit_column() -> None:
    result = runner.invoke(app, ["normalize-target", "95", "--unit", "%"])
    assert json.loads(result.stdout)["text"] == "95%"


def test_parse_money_keeps_money_a_string_and_chinese_unescaped() -> None:
    result = runner.invoke(app, ["parse-money", "746.1 万元"])
    assert result.exit_code == 0
    assert "万元" in result.stdout
    assert json.loads(result.stdout)["value"] == "7461000.00"
    table = runner.invoke(app, ["parse-money", "746.1", "--unit", "万元"])
    assert json.loads(table.stdout)["value"] == "7461000.00"


def test_parse_money_error_exits_1_with_message_on_stderr() -> None:
    result = runner.invoke(app, ["parse-money", "abc"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "abc" in result.stderr


def test_find_amounts_prints_one_line_per_amount(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "人员支出 746.1 万元，项目资金3300元。")
    result = runner.invoke(app, ["find-amounts", str(path)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["value"], r["subject"]) for r in records] == [
        ("7461000.00", "人员支出"),
        ("3300.00", "项目资金"),
    ]


def test_find_amounts_on_undecodable_file_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xff\xfe\xfa\x00\x81")
    result = runner.invoke(app, ["find-amounts", str(path)])
    assert result.exit_code == 1
    assert "a.txt" in result.stderr


def _gold_and_pred(tmp_path: Path) -> tuple[Path, Path]:
    """Gold written by hand for a document; prediction from running extract."""
    doc = write(tmp_path / "d.txt", GOOD_TEXT)
    pred = tmp_path / "pred"
    assert runner.invoke(app, ["extract", str(doc), "--out", str(pred)]).exit_code == 0
    target = {"raw": "≥95%", "text": "≥95%", "op": "≥", "repaired": False, "notes": []}
    gold_record = {
        "doc": "d.txt",
        "project": "社区培训项目",
        "level1": "产出指标",
        "level2": "质量指标",
        "level1_norm": "产出指标",
        "level2_norm": "质量指标",
        "metric": "培训合格率",
        "target_raw": "≥95%",
        "target": target,
        "source": {"page": None, "table": 0, "row": 2, "span": None, "text": "…"},
        "confidence": 1.0,
    }
    gold = tmp_path / "gold"
    write(
        gold / "d.indicators.jsonl", json.dumps(gold_record, ensure_ascii=False) + "\n"
    )
    return gold, pred


def test_evaluate_json_report(tmp_path: Path) -> None:
    gold, pred = _gold_and_pred(tmp_path)
    result = runner.invoke(
        app, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    metric = next(
        r
        for r in report["overall"]
        if r["measure"] == "metric" and r["subset"] == "all"
    )
    n_pred = sum(1 for _ in read_records(pred / "indicators.jsonl"))
    # 培训合格率 is in the document's table, so it is found; the rest are extra.
    assert (metric["tp"], metric["fn"], metric["fp"]) == (1, 0, n_pred - 1)
    assert [d["doc"] for d in report["documents"]] == ["d.txt"]


def test_evaluate_text_report(tmp_path: Path) -> None:
    gold, pred = _gold_and_pred(tmp_path)
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.stderr
    assert "Overall" in result.stdout
    assert "d.txt" in result.stdout


def test_evaluate_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["evaluate", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path)]
    )
    assert result.exit_code == 2
    empty = runner.invoke(
        app, ["evaluate", "--gold", str(tmp_path), "--pred", str(tmp_path)]
    )
    assert empty.exit_code == 2
    assert "no gold files" in empty.stderr


def test_shards_split_a_batch_into_disjoint_parts(tmp_path: Path) -> None:
    for i in range(12):
        write(tmp_path / "in" / f"doc{i:02d}.txt", GOOD_TEXT)
    parts: dict[int, list[str]] = {}
    for k in (1, 2, 3):
        parts[k] = _shard_docs(tmp_path / "in", tmp_path / f"out{k}", f"{k}/3")
    # Every document in exactly one part, and a part is the same on a rerun.
    assert sorted(d for docs in parts.values() for d in docs) == [
        f"doc{i:02d}.txt" for i in range(12)
    ]
    assert all(parts.values())
    assert _shard_docs(tmp_path / "in", tmp_path / "again", "1/3") == parts[1]


def _shard_docs(folder: Path, out: Path, shard: str) -> list[str]:
    result = runner.invoke(
        app, ["extract", str(folder), "--out", str(out), "--shard", shard]
    )
    assert result.exit_code == 0, result.stderr
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["doc"] for line in lines]


@pytest.mark.parametrize("shard", ["0/3", "4/3", "1", "a/b"])
def test_bad_shard_is_a_usage_error(tmp_path: Path, shard: str) -> None:
    write(tmp_path / "a.txt", GOOD_TEXT)
    result = runner.invoke(
        app,
        [
            "extract",
            str(tmp_path / "a.txt"),
            "--out",
            str(tmp_path / "o"),
            "--shard",
            shard,
        ],
    )
    assert result.exit_code == 2
    assert "shard" in result.stderr


def test_train_without_annotated_sets_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    out = tmp_path / "model"
    result = runner.invoke(
        app, ["train", "--annotations", str(tmp_path), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "no saved span corpus" in result.output
    assert str(tmp_path) in result.output
    assert not out.exists()


@pytest.mark.parametrize("args", [["-h"], ["extract", "-h"], ["train", "-h"]])
def test_short_help_option(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_extract_off_a_terminal_prints_one_progress_line_per_document(
    tmp_path: Path,
) -> None:
    write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    write(tmp_path / "in" / "b.txt", GOOD_TEXT)
    result = runner.invoke(
        app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("[1/2] a.txt: ok, ")
    assert lines[1].startswith("[2/2] b.txt: ok, ")


def test_log_file_gets_one_progress_line_per_document(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", GOOD_TEXT)
    log = tmp_path / "run.log"
    args = ["extract", str(tmp_path / "in"), str(tmp_path / "empty.wps")]
    write(tmp_path / "empty.wps", "x")
    result = runner.invoke(
        app, [*args, "-o", str(tmp_path / "o"), "-q", "--log-file", str(log)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = log.read_text(encoding="utf-8")
    assert "INFO nlp.progress: [1/2] in/a.txt: ok, " in text
    assert "INFO nlp.progress: [2/2] empty.wps: skipped, " in text


def test_parquet_without_pyarrow_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pyarrow" else find_spec(name, *a),
    )
    good = write(tmp_path / "a.txt", GOOD_TEXT)
    out = tmp_path / "o"
    result = runner.invoke(app, ["extract", str(good), "-o", str(out), "-f", "parquet"])
    assert result.exit_code == 2
    assert "zhibiao[parquet]" in result.stderr
    assert not out.exists()
